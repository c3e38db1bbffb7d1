using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ValueMcp.Server.Security;

namespace ValueMcp.Server.Tests;

/// <summary>
/// The SDK's own client in each protocol era, 2025-11-25 (initialize, a session on HTTP) and 2026-07-28 (server/discover,
/// no session, version and capabilities in each request's _meta), over each transport (stdio and Streamable HTTP),
/// calls every tool the server lists. Each of the four runs gets its own copy of the demo portfolio, so that the write
/// tools write for real; the read answers before any write must be byte-identical across all four.
/// </summary>
public sealed class EraClientTests
{
    public const string Handshake = "2025-11-25";
    public const string Stateless = "2026-07-28";

    private static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(2);

    public static TheoryData<string> Eras => new() { Handshake, Stateless };

    [Theory]
    [MemberData(nameof(Eras))]
    public async Task Every_tool_answers_over_stdio_and_http_in_the_era(string era)
    {
        var stdio = await RunAll("stdio", era);
        var http = await RunAll("http", era);
        http.Tools.Should().Equal(stdio.Tools, "both transports list the same tools");
        foreach (var (key, answer) in stdio.Reads)
            http.Reads[key].Should().Be(answer, $"{key} answers the same over both transports in {era}");
    }

    [Fact]
    public async Task Both_eras_get_the_same_read_answers()
    {
        var handshake = await RunAll("http", Handshake);
        var stateless = await RunAll("http", Stateless);
        stateless.Tools.Should().Equal(handshake.Tools);
        stateless.Reads.Should().Equal(handshake.Reads, "the revision changes the envelope, not the figures");
    }

    private sealed record Run(List<string> Tools, Dictionary<string, string> Reads);

    private static async Task<Run> RunAll(string transport, string era)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"valuemcp-era-{transport}-{era}-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var db = HttpServerProcess.DemoDatabase(dir);
            var importRoot = Path.Combine(TestPaths.RepoRoot, "samples");
            var serveArgs = new[] { "--import-root", importRoot };
            HttpServerProcess? http = null;
            McpClient client;
            var token = TokenStore.NewToken();
            if (transport == "http")
            {
                http = await HttpServerProcess.Start(db, serveArgs,
                    new Dictionary<string, string?> { [TokenStore.InlineVariable] = TokenStore.Line("era-writer", CallerRole.Write, TokenStore.HashHex(token)) });
                client = await http.Client(token, era);
            }
            else
            {
                var options = ServerFixture.ClientOptions;
                options.ProtocolVersion = era;
                client = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
                {
                    Name = "era-stdio",
                    Command = ServerFixture.ServerCommand,
                    Arguments = ServerFixture.ServerArgs(["serve", "--db", db, .. serveArgs]),
                    ShutdownTimeout = TimeSpan.FromSeconds(5),
                }), options);
            }
            try
            {
                client.NegotiatedProtocolVersion.Should().Be(era, $"the {transport} client asked for {era}");
                if (transport == "http")
                {
                    if (era == Stateless) client.SessionId.Should().BeNull("2026-07-28 has no sessions");
                    else client.SessionId.Should().NotBeNullOrEmpty("an initialize client gets a session");
                }
                return await CallEveryTool(client, $"{transport} {era}");
            }
            finally
            {
                await client.DisposeAsync();
                if (http is not null) await http.DisposeAsync();
            }
        }
        finally
        {
            HttpFixture.Cleanup(dir);
        }
    }

    /// <summary>
    /// The read-only tools first (their answers are compared), then the write tools with arguments that write. A tool
    /// this table does not know (added since) is still called, with no arguments: it must answer, an error result or not.
    /// </summary>
    private static async Task<Run> CallEveryTool(McpClient client, string where)
    {
        var tools = (await client.ListToolsAsync()).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        tools.Should().HaveCountGreaterThan(10, where);
        var reads = new Dictionary<string, string>(StringComparer.Ordinal);

        async Task<CallToolResult> Call(string name, Dictionary<string, object?> args)
        {
            using var cts = new CancellationTokenSource(CallTimeout);
            var result = await client.CallToolAsync(name, args, cancellationToken: cts.Token);
            result.Content.Should().NotBeEmpty($"{name} answers with content over {where}");
            return result;
        }

        var list = (await Call("list_accounts", new() { ["as_of"] = ServerFixture.AsOfText, ["limit"] = 1 })).StructuredContent!.Value;
        var account = list.GetProperty("accounts")[0];
        var accountId = account.GetProperty("id").GetString()!;
        var known = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal)
        {
            ["get_portfolio_health"] = new() { ["as_of"] = ServerFixture.AsOfText },
            ["list_accounts"] = new() { ["as_of"] = ServerFixture.AsOfText, ["limit"] = 10 },
            ["get_account_scorecard"] = new() { ["as_of"] = ServerFixture.AsOfText, ["account_id"] = accountId },
            ["list_renewal_risks"] = new() { ["as_of"] = ServerFixture.AsOfText },
            ["expansion_ready_accounts"] = new() { ["as_of"] = ServerFixture.AsOfText, ["include_emerging"] = true },
            ["portfolio_movers"] = new() { ["as_of"] = ServerFixture.AsOfText, ["days"] = 30 },
            ["csm_book"] = new() { ["as_of"] = ServerFixture.AsOfText, ["csm"] = account.GetProperty("csm").GetString() },
            ["retention_metrics"] = new() { ["period_start"] = "2026-01-01", ["period_end"] = "2026-09-30" },
            ["renewal_forecast"] = new() { ["period_start"] = "2026-10-01", ["period_end"] = "2027-03-31", ["as_of"] = ServerFixture.AsOfText },
            ["model_expansion_scenario"] = new() { ["as_of"] = ServerFixture.AsOfText, ["from_portfolio"] = true },
            ["segment_insights"] = new() { ["as_of"] = ServerFixture.AsOfText },
            ["get_audit_log"] = new() { ["limit"] = 5 },
            ["add_promised_outcome"] = new() { ["account_id"] = accountId, ["title"] = "Era check: go live in 90 days" },
            ["log_signal"] = new() { ["account_id"] = accountId, ["category"] = "success", ["polarity"] = 1, ["note"] = "era check" },
            ["set_override"] = new() { ["account_id"] = accountId, ["field"] = "readiness", ["value"] = "emerging", ["reason"] = "era check" },
            ["import_facts"] = new() { ["folder"] = "demo-portfolio", ["dry_run"] = true },
        };

        foreach (var tool in tools.Where(t => t.ProtocolTool.Annotations?.ReadOnlyHint == true))
        {
            var args = known.GetValueOrDefault(tool.Name) ?? [];
            var result = await Call(tool.Name, args);
            if (known.ContainsKey(tool.Name))
            {
                (result.IsError ?? false).Should().BeFalse($"{tool.Name} over {where}: {ServerFixture.Text(result)}");
                if (tool.Name != "get_audit_log") // the import's audit entry carries the time it ran
                    reads[$"{tool.Name} {JsonSerializer.Serialize(args)}"] = JsonSerializer.Serialize(result.StructuredContent) + "\n" + ServerFixture.Text(result);
            }
        }

        string? outcomeId = null;
        foreach (var tool in tools.Where(t => t.ProtocolTool.Annotations?.ReadOnlyHint != true).OrderBy(t => t.Name == "record_evidence"))
        {
            var args = tool.Name == "record_evidence" && outcomeId is not null
                ? new Dictionary<string, object?> { ["outcome_id"] = outcomeId, ["achieved"] = true }
                : known.GetValueOrDefault(tool.Name) ?? [];
            var result = await Call(tool.Name, args);
            if (known.ContainsKey(tool.Name) || tool.Name == "record_evidence")
                (result.IsError ?? false).Should().BeFalse($"{tool.Name} over {where}: {ServerFixture.Text(result)}");
            if (tool.Name == "add_promised_outcome")
                outcomeId = result.StructuredContent!.Value.GetProperty("outcome").GetProperty("id").GetString();
        }
        outcomeId.Should().NotBeNull("add_promised_outcome is listed and wrote an outcome");
        return new Run(tools.Select(t => t.Name).ToList(), reads);
    }
}
