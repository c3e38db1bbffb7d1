using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace ValueMcp.Server.Tests;

/// <summary>
/// The tool surface an assistant sees (name, title, description, annotations, input and output schema), pinned in
/// Snapshots/&lt;tool&gt;.json. A change to it must be deliberate: re-run with UPDATE_SNAPSHOTS=1 and review the diff.
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
    public static readonly string[] AppendTools = ["record_evidence", "add_promised_outcome", "log_signal", "set_override"];
    public static readonly string[] UpsertTools = ["import_facts"];

    private static bool Updating => Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") is "1" or "true";

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
        names.Should().Contain(AppendTools).And.Contain(UpsertTools).And.Contain("get_audit_log");
    }

    [Fact]
    public async Task Tool_schemas_match_the_snapshots()
    {
        var tools = await Tools();
        var dir = TestPaths.SnapshotDir;
        Directory.CreateDirectory(dir);
        var problems = new List<string>();
        var written = new List<string>();

        foreach (var tool in tools.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var path = Path.Combine(dir, tool.Name + ".json");
            var actual = SnapshotText(ProtocolJson(tool));
            var expected = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
            if (expected == actual) continue;
            if (Updating)
            {
                File.WriteAllText(path, actual);
                written.Add(tool.Name);
                continue;
            }
            problems.Add(expected is null
                ? $"{tool.Name}: no snapshot at {path}"
                : $"{tool.Name}: the schema differs from {path}: {FirstDifference(expected, actual)}");
        }

        var listed = tools.Select(t => t.Name + ".json").ToHashSet(StringComparer.Ordinal);
        foreach (var stale in Directory.GetFiles(dir, "*.json").Where(f => !listed.Contains(Path.GetFileName(f))))
        {
            if (Updating) { File.Delete(stale); written.Add("deleted " + Path.GetFileName(stale)); }
            else problems.Add($"{Path.GetFileNameWithoutExtension(stale)}: a snapshot exists but the server no longer lists the tool ({stale})");
        }

        problems.Should().BeEmpty(
            "the tool surface must match the snapshots in tests/ValueMcp.Server.Tests/Snapshots; if the change is intended, " +
            "re-run with the environment variable UPDATE_SNAPSHOTS=1 (e.g. `UPDATE_SNAPSHOTS=1 dotnet test tests/ValueMcp.Server.Tests`) " +
            "and review the diff of the snapshot files");
    }

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var i = 0;
        while (i < Math.Min(e.Length, a.Length) && e[i] == a[i]) i++;
        string At(string[] lines) => i < lines.Length ? lines[i].Trim() : "(end of file)";
        return $"line {i + 1}: snapshot has `{At(e)}`, the server now says `{At(a)}`";
    }

    [Fact]
    public async Task Every_tool_is_titled_read_only_closed_world_with_an_object_output_schema_and_described_arguments()
    {
        var tools = await Tools();
        var problems = new List<string>();
        foreach (var tool in tools)
        {
            var t = tool.ProtocolTool;
            var name = t.Name;
            if (string.IsNullOrWhiteSpace(t.Title) && string.IsNullOrWhiteSpace(t.Annotations?.Title)) problems.Add($"{name}: no title");
            if (string.IsNullOrWhiteSpace(t.Description)) problems.Add($"{name}: no description");
            if (t.Annotations?.OpenWorldHint != false) problems.Add($"{name}: openWorldHint is not false");
            if (AppendTools.Contains(name) || UpsertTools.Contains(name))
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
                if (t.Annotations?.ReadOnlyHint != true) problems.Add($"{name}: readOnlyHint is not true (a write tool must be listed in AppendTools or UpsertTools)");
                if (t.Annotations?.DestructiveHint == true) problems.Add($"{name}: destructiveHint is true on a read tool");
            }

            var json = ProtocolJson(tool);
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
