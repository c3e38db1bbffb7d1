using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using ValueMcp.Server.Security;

namespace ValueMcp.Server.Tests;

/// <summary>
/// Two `serve --http` processes on one database (a PostgreSQL database under scripts/pg-test.sh, else one SQLite file),
/// each keeping scored portfolios in memory: a write acknowledged by one is in the next answer of the other (each checks
/// the shared data version), an import through one is seen by both, and writers on both at once lose no write, make
/// no duplicate and leave one audit entry per write.
/// </summary>
public sealed class MultiInstanceTests : IAsyncLifetime
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(90);
    private const string AsOf = ServerFixture.AsOfText;

    private readonly string _token = TokenStore.NewToken();
    private string _dir = "";
    private string _importRoot = "";
    private string _db = "";
    private HttpServerProcess? _a, _b;
    private McpClient? _clientA, _clientB;

    public async Task InitializeAsync()
    {
        _dir = OwnServer.NewDir("multi");
        _importRoot = Path.Combine(_dir, "imports");
        Directory.CreateDirectory(_importRoot);
        _db = HttpServerProcess.DemoDatabase(_dir);
        var env = new Dictionary<string, string?> { [TokenStore.InlineVariable] = TokenStore.Line("sync-job", CallerRole.Write, TokenStore.HashHex(_token)) };
        string[] args = ["--import-root", _importRoot];
        var started = await Task.WhenAll(HttpServerProcess.Start(_db, args, env), HttpServerProcess.Start(_db, args, env));
        (_a, _b) = (started[0], started[1]);
        _clientA = await _a.Client(_token);
        _clientB = await _b.Client(_token);
    }

    public async Task DisposeAsync()
    {
        if (_clientA is not null) await _clientA.DisposeAsync();
        if (_clientB is not null) await _clientB.DisposeAsync();
        if (_a is not null) await _a.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
        TestStore.Release();
        if (_db.Length > 0) TestStore.Drop(_db);
        HttpFixture.Cleanup(_dir);
    }

    private static async Task<JsonNode> Ok(McpClient client, string tool, Dictionary<string, object?> args)
    {
        using var cts = new CancellationTokenSource(CallTimeout);
        var result = await client.CallToolAsync(tool, args, cancellationToken: cts.Token);
        (result.IsError ?? false).Should().BeFalse($"{tool} answered: {ServerFixture.Text(result)}");
        return JsonNode.Parse(JsonSerializer.Serialize(result.StructuredContent))!;
    }

    private static async Task<List<string>> ExpansionReady(McpClient client) =>
        (await Ok(client, "expansion_ready_accounts", new() { ["as_of"] = AsOf, ["limit"] = 200 }))
            .Objects("accounts").Select(a => a.Str("id")).ToList();

    [Fact]
    public async Task A_write_acknowledged_by_one_instance_is_in_the_next_answer_of_the_other()
    {
        // Both score the portfolio first (each keeps it in memory at the data version it read).
        var readyOnB = await ExpansionReady(_clientB!);
        (await ExpansionReady(_clientA!)).Should().Equal(readyOnB);
        readyOnB.Should().NotBeEmpty();
        var target = readyOnB[0];

        // A risk signal in the recent window blocks expansion readiness (definitions: readiness, rule 1).
        await Ok(_clientA!, "log_signal", new()
        {
            ["account_id"] = target, ["category"] = "risk", ["kind"] = "sponsor_change", ["polarity"] = -1,
            ["observed_at"] = AsOf, ["note"] = "written through instance A",
        });

        var afterOnB = await ExpansionReady(_clientB!);
        afterOnB.Should().NotContain(target, "instance B's next answer reflects the write acknowledged by instance A");
        afterOnB.Should().Equal(readyOnB.Where(id => id != target));
        (await ExpansionReady(_clientA!)).Should().Equal(afterOnB);
    }

    [Fact]
    public async Task An_import_through_one_instance_is_seen_by_both()
    {
        var before = (await Ok(_clientB!, "list_accounts", new() { ["as_of"] = AsOf, ["limit"] = 1 })).Int("total");
        (await Ok(_clientA!, "list_accounts", new() { ["as_of"] = AsOf, ["limit"] = 1 })).Int("total").Should().Be(before);

        var folder = Path.Combine(_importRoot, "new-customers");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "accounts.csv"),
            "id,name,segment,tier,csm,account_manager,contract_start,renewal_date\nMULTI-1,Multi One,SMB,2,Dana,Sam,2026-01-01,2027-06-30\nMULTI-2,Multi Two,SMB,2,Dana,Sam,2026-01-01,2027-06-30\n");
        File.WriteAllText(Path.Combine(folder, "arr_movements.csv"),
            "account_id,effective_date,kind,amount\nMULTI-1,2026-01-01,new,1000\nMULTI-2,2026-01-01,new,2000\n");
        var report = await Ok(_clientA!, "import_facts", new() { ["folder"] = "new-customers" });
        report["committed"]!.GetValue<bool>().Should().BeTrue();

        foreach (var client in new[] { _clientB!, _clientA! })
        {
            var list = await Ok(client, "list_accounts", new() { ["as_of"] = AsOf, ["limit"] = 200, ["segment"] = "SMB" });
            list.Objects("accounts").Select(a => a.Str("id")).Should().Contain(["MULTI-1", "MULTI-2"]);
            (await Ok(client, "list_accounts", new() { ["as_of"] = AsOf, ["limit"] = 1 })).Int("total").Should().Be(before + 2);
        }
    }

    [Fact]
    public async Task Writers_on_both_instances_at_once_lose_no_write_make_no_duplicate_and_audit_every_one()
    {
        var auditBefore = TestStore.Counts(_db)["audit_log"];
        var ids = new ConcurrentBag<string>();
        var failures = new ConcurrentBag<string>();
        const int perWriter = 12;
        // Two writers per instance, on the same accounts, all at once.
        var writers = new[] { _clientA!, _clientA!, _clientB!, _clientB! }.Select((client, w) => Task.Run(async () =>
        {
            for (var n = 0; n < perWriter; n++)
            {
                using var cts = new CancellationTokenSource(CallTimeout);
                var result = await client.CallToolAsync("log_signal", new Dictionary<string, object?>
                {
                    ["account_id"] = $"ACC-000{1 + n % 3}", ["category"] = "success", ["kind"] = $"multi_{w}_{n}", ["polarity"] = 1, ["observed_at"] = AsOf,
                }, cancellationToken: cts.Token);
                if (result.IsError == true) failures.Add(ServerFixture.Text(result));
                else ids.Add(JsonNode.Parse(JsonSerializer.Serialize(result.StructuredContent))!["signal"]!["id"]!.GetValue<string>());
            }
        }));
        await Task.WhenAll(writers);

        failures.Should().BeEmpty();
        ids.Should().HaveCount(4 * perWriter).And.OnlyHaveUniqueItems();
        using var c = TestStore.Connection(_db);
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT count(*), count(DISTINCT kind) FROM signals WHERE kind LIKE 'multi!_%' ESCAPE '!'";
            using var r = cmd.ExecuteReader();
            r.Read();
            (r.GetInt64(0), r.GetInt64(1)).Should().Be((4L * perWriter, 4L * perWriter), "every acknowledged write is stored once");
        }
        (TestStore.Counts(_db)["audit_log"] - auditBefore).Should().Be(4 * perWriter, "every write has exactly one audit entry");

        // Both instances answer with every write (the scorecard of each account lists its signals).
        foreach (var client in new[] { _clientA!, _clientB! })
        {
            var audit = await Ok(client, "get_audit_log", new() { ["limit"] = 200 });
            audit.Objects("entries").Count(e => e.Str("operation") == "log_signal").Should().BeGreaterThanOrEqualTo(4 * perWriter);
        }
    }
}
