using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace ValueMcp.Server.Tests;

/// <summary>
/// The SDK's own McpClient over Streamable HTTP (HttpClientTransport, bearer token in a header) against the built
/// server: the handshake, the tools, the same answers as over stdio, and what a read token may do.
/// </summary>
[Collection(HttpCollection.Name)]
public sealed class HttpClientTests(HttpFixture server)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    private static async Task<JsonElement> Structured(McpClient client, string tool, Dictionary<string, object?> args)
    {
        using var cts = new CancellationTokenSource(CallTimeout);
        var result = await client.CallToolAsync(tool, args, cancellationToken: cts.Token);
        (result.IsError ?? false).Should().BeFalse($"{tool} answered: {ServerFixture.Text(result)}");
        result.StructuredContent.Should().NotBeNull();
        return result.StructuredContent!.Value;
    }

    [Fact]
    public async Task A_default_client_speaks_the_newest_revision_without_a_session()
    {
        // The SDK client first sends server/discover (2026-07-28); the server serves that revision statelessly, so the
        // client stays on it (before the SDK's transport, this probe got 400 and the client fell back to initialize).
        var headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + server.ReadToken };
        var watch = Stopwatch.StartNew();
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = server.Endpoint,
            AdditionalHeaders = headers,
        }), new McpClientOptions { DiscoverProbeTimeout = TimeSpan.FromSeconds(30), InitializationTimeout = TimeSpan.FromSeconds(60) });
        watch.Stop();
        client.NegotiatedProtocolVersion.Should().Be("2026-07-28");
        client.SessionId.Should().BeNull("2026-07-28 has no sessions");
        client.ServerInfo?.Name.Should().Be("valuemcp");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "the probe is answered, not timed out");
        (await client.ListToolsAsync()).Should().NotBeEmpty();
    }

    [Fact]
    public async Task Every_tool_answers_the_same_structured_content_over_stdio_and_http()
    {
        await using var http = await server.Server.Client(server.WriteToken);
        await using var stdio = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "e2e-stdio",
            Command = ServerFixture.ServerCommand,
            Arguments = ServerFixture.ServerArgs("serve", "--db", server.DbPath, "--read-only"),
            ShutdownTimeout = TimeSpan.FromSeconds(5),
        }), ServerFixture.ClientOptions);

        // The stdio server is read-only (it shares the database): compare the read-only tools.
        static List<string> ReadOnly(IList<McpClientTool> tools) =>
            tools.Where(t => t.ProtocolTool.Annotations?.ReadOnlyHint == true).Select(t => t.Name).Order().ToList();
        ReadOnly(await http.ListToolsAsync()).Should().Equal(ReadOnly(await stdio.ListToolsAsync()),
            "both transports serve the same MCP surface (Hosting.AddValueMcp)");

        var list = await Structured(http, "list_accounts", new() { ["as_of"] = ServerFixture.AsOfText, ["limit"] = 3 });
        var account = list.GetProperty("accounts")[0];
        var calls = new (string Tool, Dictionary<string, object?> Args)[]
        {
            ("get_portfolio_health", new() { ["as_of"] = ServerFixture.AsOfText }),
            ("get_portfolio_health", new() { ["as_of"] = ServerFixture.AsOfText, ["segment"] = "Enterprise" }),
            ("list_accounts", new() { ["as_of"] = ServerFixture.AsOfText, ["sort_by"] = "fulfilment", ["limit"] = 10 }),
            ("get_account_scorecard", new() { ["as_of"] = ServerFixture.AsOfText, ["account_id"] = account.GetProperty("id").GetString() }),
            ("list_renewal_risks", new() { ["as_of"] = ServerFixture.AsOfText }),
            ("expansion_ready_accounts", new() { ["as_of"] = ServerFixture.AsOfText, ["include_emerging"] = true }),
            ("portfolio_movers", new() { ["as_of"] = ServerFixture.AsOfText, ["days"] = 30 }),
            ("csm_book", new() { ["as_of"] = ServerFixture.AsOfText, ["csm"] = account.GetProperty("csm").GetString() }),
        };
        foreach (var (tool, args) in calls)
        {
            var overHttp = await Structured(http, tool, args);
            var overStdio = await Structured(stdio, tool, args);
            overHttp.GetRawText().Should().Be(overStdio.GetRawText(), $"{tool} {JsonSerializer.Serialize(args)} answers the same on both transports");
        }
    }

    [Fact]
    public async Task A_read_token_sees_only_read_only_tools_and_a_write_tool_called_with_it_writes_nothing()
    {
        await using var writer = await server.Server.Client(server.WriteToken);
        await using var reader = await server.Server.Client(server.ReadToken);
        var all = await writer.ListToolsAsync();
        var visibleToReader = (await reader.ListToolsAsync()).Select(t => t.Name).ToHashSet();
        var writeTools = all.Where(t => t.ProtocolTool.Annotations?.ReadOnlyHint != true).ToList();

        visibleToReader.Should().BeEquivalentTo(all.Where(t => t.ProtocolTool.Annotations?.ReadOnlyHint == true).Select(t => t.Name),
            "a read token lists exactly the tools annotated readOnlyHint: true");

        var before = RowCounts(server.DbPath);
        foreach (var tool in writeTools)
        {
            using var cts = new CancellationTokenSource(CallTimeout);
            // Arguments that would pass the schema do not matter: the role is checked before anything runs.
            var result = await reader.CallToolAsync(tool.Name, new Dictionary<string, object?>(), cancellationToken: cts.Token);
            result.IsError.Should().BeTrue($"{tool.Name} is a write tool and the token has the read role");
            ServerFixture.Text(result).Should().Contain("read role").And.Contain("nothing was written");
        }
        RowCounts(server.DbPath).Should().Equal(before, "a refused call writes nothing (also not to the audit log)");
    }

    [Fact]
    public async Task A_write_over_http_is_recorded_with_the_token_name_as_its_author()
    {
        await using var writer = await server.Server.Client(server.WriteToken);
        if ((await writer.ListToolsAsync()).All(t => t.Name != "log_signal")) return; // the write tools are issue 3's
        var list = await Structured(writer, "list_accounts", new() { ["as_of"] = ServerFixture.AsOfText, ["limit"] = 1 });
        var note = "http-author-" + Guid.NewGuid().ToString("N");
        await Structured(writer, "log_signal", new()
        {
            ["account_id"] = list.GetProperty("accounts")[0].GetProperty("id").GetString(),
            ["category"] = "usage", ["kind"] = "dau_growth", ["polarity"] = 1, ["note"] = note, ["observed_at"] = ServerFixture.AsOfText,
        });
        var audit = await Structured(writer, "get_audit_log", new() { ["limit"] = 50 });
        var entry = audit.GetProperty("entries").EnumerateArray().Single(e => e.GetRawText().Contains(note, StringComparison.Ordinal));
        entry.GetProperty("author").GetString().Should().Be(HttpFixture.WriterName, "the author of a write over HTTP is the token's name");
    }

    /// <summary>Rows per table of the database, read without the server's help.</summary>
    public static Dictionary<string, long> RowCounts(string dbPath)
    {
        if (TestStore.Postgres) return TestStore.Counts(dbPath);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dbPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read()) tables.Add(reader.GetString(0));
        }
        var counts = new Dictionary<string, long>();
        foreach (var table in tables)
        {
            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM \"{table.Replace("\"", "\"\"")}\""; // names from sqlite_master, not input
            counts[table] = (long)count.ExecuteScalar()!;
        }
        return counts;
    }
}
