using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ValueMcp.Server.Tools;

namespace ValueMcp.Server.Tests;

/// <summary>
/// The tool surface an assistant sees (name, title, description, annotations, input and output schema) is described
/// once: src/ValueMcp.Server/Tools/catalog.json, which CatalogTests keeps equal to what reflection makes of the tool
/// methods (UPDATE_SNAPSHOTS=1 rewrites it; review the diff). Here: the server serves exactly the catalog, and every
/// tool in it follows the house rules.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SchemaSnapshotTests(ServerFixture server)
{
    public static readonly string[] ReadTools =
    [
        "get_portfolio_health", "list_accounts", "get_account_scorecard", "list_renewal_risks",
        "expansion_ready_accounts", "portfolio_movers", "csm_book",
    ];

    /// <summary>The write tools that append facts (issue 3), and the one that upserts keyed rows.</summary>
    public static readonly string[] AppendTools = ["record_evidence", "add_promised_outcome", "log_signal", "set_override", "record_renewal"];
    public static readonly string[] UpsertTools = ["import_facts"];
    /// <summary>Writes that add a fact once: the same call again writes nothing (record_metric: one reading per account, metric and day).</summary>
    public static readonly string[] KeyedAppendTools = ["record_metric"];

    private async Task<IList<McpClientTool>> Tools()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await server.Client.ListToolsAsync(cancellationToken: cts.Token);
    }

    private static JsonObject ProtocolJson(McpClientTool tool) =>
        JsonSerializer.SerializeToNode(tool.ProtocolTool, McpJsonUtilities.DefaultOptions)!.AsObject();

    /// <summary>The snapshot text of one tool: the six fields, keys sorted at every level, two-space indent, LF, final LF.</summary>
    public static string SnapshotText(JsonObject protocolTool)
    {
        var shot = new JsonObject();
        foreach (var key in new[] { "name", "title", "description", "annotations", "inputSchema", "outputSchema" })
            shot[key] = protocolTool[key]?.DeepClone();
        return CanonicalJson.Text(shot);
    }

    [Fact]
    public async Task Every_read_tool_is_listed()
    {
        var names = (await Tools()).Select(t => t.Name).ToList();
        names.Should().OnlyHaveUniqueItems();
        names.Should().Contain(ReadTools);
        names.Should().Contain(AppendTools).And.Contain(UpsertTools).And.Contain(KeyedAppendTools).And.Contain("get_audit_log");
    }

    /// <summary>The tools of the embedded catalog, each a JSON object as tools/list gives it.</summary>
    private static List<JsonObject> CatalogTools() =>
        [.. JsonNode.Parse(Prebuilt.CatalogJson())!["tools"]!.AsArray().OfType<JsonObject>()];

    [Fact]
    public async Task The_server_lists_exactly_the_tools_of_the_catalog()
    {
        var catalog = CatalogTools().ToDictionary(t => t["name"]!.GetValue<string>(), StringComparer.Ordinal);
        catalog.Should().NotBeEmpty();
        var tools = await Tools();
        tools.Select(t => t.Name).Should().BeEquivalentTo(catalog.Keys, "every tool the server lists is described by catalog.json, and only those");
        foreach (var tool in tools)
            SnapshotText(ProtocolJson(tool)).Should().Be(SnapshotText(catalog[tool.Name]), $"{tool.Name} is served as catalog.json describes it");
    }

    [Fact]
    public void Every_tool_is_titled_read_only_closed_world_with_an_object_output_schema_and_described_arguments()
    {
        var tools = CatalogTools();
        tools.Should().NotBeEmpty();
        var problems = new List<string>();
        foreach (var json in tools)
        {
            var t = json.Deserialize<Tool>(McpJsonUtilities.DefaultOptions)!;
            var name = t.Name;
            if (string.IsNullOrWhiteSpace(t.Title) && string.IsNullOrWhiteSpace(t.Annotations?.Title)) problems.Add($"{name}: no title");
            if (string.IsNullOrWhiteSpace(t.Description)) problems.Add($"{name}: no description");
            if (t.Annotations?.OpenWorldHint != false) problems.Add($"{name}: openWorldHint is not false");
            if (KeyedAppendTools.Contains(name))
            {
                if (t.Annotations?.ReadOnlyHint != false) problems.Add($"{name}: readOnlyHint is not false on a write tool");
                if (t.Annotations?.DestructiveHint != false) problems.Add($"{name}: destructiveHint is not false");
                if (t.Annotations?.IdempotentHint != true) problems.Add($"{name}: idempotentHint is not true");
            }
            else if (AppendTools.Contains(name) || UpsertTools.Contains(name))
            {
                // Writes: never read-only; the append-only tools destroy nothing and are not idempotent (a repeated call
                // appends another fact); an import updates keyed rows (destructive) and a repeated one changes nothing.
                if (t.Annotations?.ReadOnlyHint != false) problems.Add($"{name}: readOnlyHint is not false on a write tool");
                var destructive = UpsertTools.Contains(name);
                if (t.Annotations?.DestructiveHint != destructive) problems.Add($"{name}: destructiveHint is not {destructive}");
                if (t.Annotations?.IdempotentHint != destructive) problems.Add($"{name}: idempotentHint is not {destructive}");
            }
            else
            {
                if (t.Annotations?.ReadOnlyHint != true) problems.Add($"{name}: readOnlyHint is not true (a write tool must be listed in AppendTools, UpsertTools or KeyedAppendTools)");
                if (t.Annotations?.DestructiveHint == true) problems.Add($"{name}: destructiveHint is true on a read tool");
            }

            var output = json["outputSchema"];
            if (output is null) problems.Add($"{name}: no outputSchema");
            else if (output["type"]?.GetValue<string>() != "object") problems.Add($"{name}: outputSchema type is not object");

            var input = json["inputSchema"];
            if (input?["type"]?.GetValue<string>() != "object") problems.Add($"{name}: inputSchema type is not object");
            var properties = input?["properties"]?.AsObject();
            foreach (var (prop, schema) in properties ?? [])
            {
                if (!System.Text.RegularExpressions.Regex.IsMatch(prop, "^[a-z][a-z0-9_]*$")) problems.Add($"{name}.{prop}: not snake_case");
                var description = schema?["description"]?.GetValue<string>();
                if (string.IsNullOrWhiteSpace(description)) problems.Add($"{name}.{prop}: no description");
            }
            if (ReadTools.Contains(name) && properties?.ContainsKey("as_of") != true) problems.Add($"{name}: no as_of argument");
        }
        problems.Should().BeEmpty();
    }
}
