using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using ValueMcp.DemoData;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Server.Tools;
using ValueMcp.Store;
using static ValueMcp.Server.Tests.J;

namespace ValueMcp.Server.Tests;

/// <summary>
/// Several writers and readers at once lose no write and never see SQLITE_BUSY (one writer connection, BEGIN
/// IMMEDIATE, WAL); a reader is not blocked by a long import that holds the writer.
/// </summary>
public sealed class ConcurrencyTests : IDisposable
{
    private readonly string _dir = OwnServer.NewDir("concurrency");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static (ValueService Values, WriteService Writes) Services(IFactStore db)
    {
        var values = new ValueService(db, ScoringPolicy.Default, TimeProvider.System);
        return (values, new WriteService(values, new OperatorAuthor("concurrency"), TimeProvider.System));
    }

    private static void NoBusy(IEnumerable<Exception> errors) =>
        errors.Should().BeEmpty("no call may fail; in particular none may see SQLITE_BUSY or 'database is locked': " +
            string.Join("; ", errors.Select(e => e.Message)));

    [Fact]
    public async Task Eight_threads_writing_and_reading_lose_no_write()
    {
        var path = OwnServer.NewDemoDatabase(_dir);
        using var db = TestStore.Open(path);
        var (values, writes) = Services(db);
        var accounts = values.Portfolio(ServerFixture.AsOf, new PortfolioFilter()).Select(a => a.Id).Take(8).ToList();
        var outcomes = accounts.ToDictionary(a => a, a => ScorecardTool.Answer(values, a, ServerFixture.AsOf).Outcomes.Select(o => o.Id).FirstOrDefault());
        var auditBefore = OwnServer.Counts(path)["audit_log"];

        var acknowledged = new ConcurrentBag<(string Table, string Id)>();
        var errors = new ConcurrentBag<Exception>();
        const int rounds = 12;
        var threads = accounts.Select((account, t) => Task.Run(async () =>
        {
            for (var i = 0; i < rounds; i++)
            {
                try
                {
                    var signal = await LogSignalTool.Write(writes, null, account, "usage", $"round_{i}", i % 2 == 0 ? 1 : -1, $"thread {t}", null, default);
                    acknowledged.Add(("signals", signal.Signal.Id));
                    if (outcomes[account] is { } outcome)
                    {
                        var evidence = await RecordEvidenceTool.Write(writes, null, outcome, i, null, "survey", null, null, default);
                        acknowledged.Add(("evidence", evidence.Evidence.Id));
                    }
                    var over = await SetOverrideTool.Write(writes, null, account, "risk", i % 2 == 0 ? "low" : "high", $"round {i}", null, null, default);
                    acknowledged.Add(("overrides", over.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    // Readers in between: a portfolio read and this account's card.
                    PortfolioHealthTool.Answer(values, ServerFixture.AsOf, new PortfolioFilter()).Kpis.AccountCount.Should().BePositive();
                    ScorecardTool.Answer(values, account, values.Today).SignalsRecent.Should().Contain(s => s.Id == signal.Signal.Id);
                }
                catch (Exception e)
                {
                    errors.Add(e);
                }
            }
        })).ToArray();
        await Task.WhenAll(threads);

        NoBusy(errors);
        acknowledged.Should().HaveCount(accounts.Count * rounds * 2 + outcomes.Values.Count(o => o is not null) * rounds);
        using var c = TestStore.Connection(path);
        foreach (var (table, id) in acknowledged)
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT count(*) FROM {table} WHERE {(table == "overrides" ? "CAST(id AS TEXT)" : "id")} = @id";
            var p = cmd.CreateParameter();
            p.ParameterName = "@id";
            p.Value = id;
            cmd.Parameters.Add(p);
            ((long)cmd.ExecuteScalar()!).Should().Be(1, $"the acknowledged write {table} {id} is stored");
        }
        (OwnServer.Counts(path)["audit_log"] - auditBefore).Should().Be(acknowledged.Count, "every write has exactly one audit entry");
    }

    [Fact]
    public async Task A_reader_is_not_blocked_by_a_long_import_holding_the_writer_and_a_writer_waits_for_it()
    {
        var csv = Path.Combine(_dir, "csv");
        PortfolioGenerator.Write(csv, new GeneratorOptions(2_000, Metrics: false));
        var path = TestStore.Target(Path.Combine(_dir, "import.db"));
        using var db = TestStore.Open(path);
        var (values, writes) = Services(db);
        // A small store first, of other ids than the generated portfolio.
        var seed = Path.Combine(_dir, "seed");
        Directory.CreateDirectory(seed);
        File.WriteAllText(Path.Combine(seed, "accounts.csv"),
            "id,name,segment,tier,csm,account_manager,contract_start,renewal_date,contracted_capacity,used_capacity,executive_sponsor\n" +
            "SEED-1,Seed One,SMB,2,Dana,Sam,2025-01-01,2027-06-30,,,\nSEED-2,Seed Two,SMB,2,Dana,Sam,2025-01-01,2027-06-30,,,\n");
        File.WriteAllText(Path.Combine(seed, "arr_movements.csv"), "account_id,effective_date,kind,amount,lane,note\nSEED-1,2025-01-01,new,1000,,\nSEED-2,2025-01-01,new,2000,,\n");
        db.Import(ImportSource.FromFolder(seed), new ImportOptions()).Ok.Should().BeTrue();

        // The import holds the writer (its transaction is open) and waits, inside it, until a reader has finished.
        var readerDone = new ManualResetEventSlim(false);
        var importHolding = new ManualResetEventSlim(false);
        var readerFinishedInsideImport = false;
        var import = Task.Run(() => db.Import(ImportSource.FromFolder(csv), new ImportOptions(), new Handshake(p =>
        {
            if (p.File != "accounts.csv" || !p.Done) return;
            importHolding.Set();
            readerFinishedInsideImport = readerDone.Wait(TimeSpan.FromSeconds(30));
        })));

        importHolding.Wait(TimeSpan.FromSeconds(60)).Should().BeTrue("the import reaches the end of accounts.csv");
        var write = LogSignalTool.Write(writes, null, "SEED-1", "success", "qbr", 1, "written during the import", null, default);
        var health = PortfolioHealthTool.Answer(values, ServerFixture.AsOf, new PortfolioFilter());
        var card = ScorecardTool.Answer(values, "SEED-2", ServerFixture.AsOf);
        readerDone.Set();

        health.Kpis.AccountCount.Should().Be(2, "the reader sees the store as it was before the import: nothing half-written");
        health.Kpis.ArrManaged.Should().Be(3000m);
        card.Arr.Should().Be(2000m);
        var report = await import;
        readerFinishedInsideImport.Should().BeTrue("the reader finished while the import held the writer");
        report.Ok.Should().BeTrue();
        var written = await write.WaitAsync(TimeSpan.FromSeconds(60)); // it waited for the import, then went through
        written.Signal.Id.Should().StartWith("SIG-");
        PortfolioHealthTool.Answer(values, ServerFixture.AsOf, new PortfolioFilter()).Kpis.AccountCount.Should().BeGreaterThan(1000);
    }

    private sealed class Handshake(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }

    [Fact]
    public async Task Three_server_processes_writing_to_one_database_lose_no_write()
    {
        var path = OwnServer.NewDemoDatabase(_dir);
        var servers = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => OwnServer.Start($"concurrency-{i}", dir: _dir)));
        try
        {
            var ids = new ConcurrentBag<string>();
            var failures = new ConcurrentBag<string>();
            await Task.WhenAll(servers.Select((s, i) => Task.Run(async () =>
            {
                for (var n = 0; n < 15; n++)
                {
                    var result = await s.Call("log_signal", Args(("account_id", $"ACC-000{i + 1}"), ("category", "success"), ("kind", $"conc_{i}_{n}"), ("polarity", 1)));
                    if (result.IsError == true) failures.Add(ServerFixture.Text(result));
                    else ids.Add(System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(result.StructuredContent))!["signal"]!["id"]!.GetValue<string>());
                }
            })));
            failures.Should().BeEmpty();
            ids.Should().HaveCount(45).And.OnlyHaveUniqueItems();
            using var c = TestStore.Connection(path);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM signals WHERE kind LIKE 'conc!_%' ESCAPE '!'";
            ((long)cmd.ExecuteScalar()!).Should().Be(45);
        }
        finally
        {
            foreach (var s in servers.Skip(1)) await s.Client.DisposeAsync();
            await servers[0].Client.DisposeAsync();
        }
    }
}
