using Microsoft.Data.Sqlite;
using Npgsql;
using ValueMcp.DemoData;
using ValueMcp.Scoring;
using ValueMcp.Store.Postgres;

namespace ValueMcp.Store.Tests;

/// <summary>
/// The PostgreSQL store against the SQLite one on the same files: the same facts read back, the same import reports and
/// error lines, the same writes; migrations, and the errors of a wrong password or an unreachable server. Runs when
/// VALUEMCP_TEST_PG names a cluster's postgres database (scripts/pg-test.sh starts a throwaway one); skipped otherwise.
/// </summary>
public sealed class PostgresStoreTests : IDisposable
{
    private readonly List<string> _databases = [];
    private readonly List<IDisposable> _open = [];

    private static string? Admin => Environment.GetEnvironmentVariable("VALUEMCP_TEST_PG") is { Length: > 0 } url ? url : null;

    private static readonly DateOnly AsOf = new(2026, 11, 24);

    /// <summary>A new, empty database on the test cluster; its URL.</summary>
    private string NewDatabase()
    {
        var name = "vm_store_" + Guid.NewGuid().ToString("N")[..16];
        using (var c = new NpgsqlConnection(PgStore.Settings(Admin!).ConnectionString))
        {
            c.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'", c);
            cmd.ExecuteNonQuery();
        }
        _databases.Add(name);
        return Admin![..Admin!.LastIndexOf('/')] + "/" + name;
    }

    private PgStore NewStore()
    {
        var store = PgStore.Open(NewDatabase());
        _open.Add(store);
        return store;
    }

    private TempDatabase NewSqlite()
    {
        var db = new TempDatabase();
        _open.Add(db);
        return db;
    }

    private static ImportSource Demo => ImportSource.FromStreams("demo portfolio (embedded)", DemoPortfolio.EmbeddedFiles());

    [PgFact]
    public void The_demo_portfolio_reads_back_the_same_from_both_stores()
    {
        var sqlite = NewSqlite();
        var pg = NewStore();
        var a = sqlite.Db.Import(Demo, new ImportOptions());
        var b = pg.Import(Demo, new ImportOptions());
        b.Should().BeEquivalentTo(a, o => o.WithStrictOrdering());
        b.Ok.Should().BeTrue();

        foreach (var asOf in new[] { AsOf, AsOf.AddDays(-200), new DateOnly(2020, 1, 1) })
        {
            using var fromSqlite = ((IFactStore)sqlite.Db).Histories(asOf);
            using var fromPg = pg.Histories(asOf);
            var expected = fromSqlite.ToList();
            fromPg.ToList().Should().BeEquivalentTo(expected, o => o.WithStrictOrdering(), $"the histories at {asOf}");
            fromPg.Version.Should().Be(fromSqlite.Version);
        }
        using (var l1 = ((IFactStore)sqlite.Db).Ledgers(AsOf))
        using (var l2 = pg.Ledgers(AsOf))
            l2.ToList().Should().BeEquivalentTo(l1.ToList(), o => o.WithStrictOrdering());
        foreach (var id in new[] { "ACC-0001", "ACC-0075", "ACC-0150", "no-such" })
            pg.History(id).Should().BeEquivalentTo(sqlite.Db.History(id), o => o.WithStrictOrdering());
        pg.Counts().Should().Equal(sqlite.Db.Counts());
    }

    [PgFact]
    public void Importing_again_changes_nothing_and_a_changed_row_is_an_update_on_both()
    {
        foreach (var store in new IFactStore[] { NewSqlite().Db, NewStore() })
        {
            store.Import(Demo, new ImportOptions()).Ok.Should().BeTrue();
            var version = store.Version().Version;
            var again = store.Import(Demo, new ImportOptions());
            again.Files.Should().OnlyContain(f => f.Inserted == 0 && f.Updated == 0 && f.Unchanged == f.Rows, store.Kind);
            store.Version().Version.Should().Be(version, "an import that changes nothing leaves the data version");

            using var folder = CsvFolder.Write(new Dictionary<string, string>
            {
                ["accounts.csv"] = "id,name,contract_start,renewal_date,segment\nACC-0001,Renamed Co,2024-01-01,2027-01-01,SMB\nNEW-1,New Co,2025-01-01,2026-12-31,SMB\n",
            });
            var changed = store.Import(ImportSource.FromFolder(folder.Path), new ImportOptions());
            changed.Files.Single().Should().Be(new FileCounts("accounts.csv", 2, 1, 1, 0), store.Kind);
            store.Version().Version.Should().Be(version + 1, store.Kind);
            store.History("ACC-0001").History!.Profile.Name.Should().Be("Renamed Co");
        }
    }

    [PgFact]
    public void A_bad_import_gets_the_same_error_lines_and_writes_nothing_on_both()
    {
        var files = new Dictionary<string, string>
        {
            ["accounts.csv"] = "id,name,contract_start,renewal_date\nA1,Alpha,2024-01-01,2026-01-01\nA2,,2024-13-01,2023-01-01\nA1,Again,2024-01-01,2026-01-01\n",
            ["arr_movements.csv"] = "account_id,effective_date,kind,amount\nA1,2024-01-01,new,100\nA1,2024-02-01,contraction,250\nZZ,2024-01-01,new,5\nA1,2024-03-01,expansion,1.005\n",
            ["signals.csv"] = "id,account_id,observed_at,category,kind,polarity\nS1,A1,2024-05-01,usage,dau_growth,2\n",
        };
        var sqlite = NewSqlite();
        var pg = NewStore();
        var expected = sqlite.Import(files);
        expected.ErrorCount.Should().BeGreaterThan(4);
        using var folder = CsvFolder.Write(files);
        var got = pg.Import(ImportSource.FromFolder(folder.Path), new ImportOptions());
        got.Errors.Select(e => e.ToString()).Should().Equal(expected.Errors.Select(e => e.ToString()));
        got.Should().BeEquivalentTo(expected, o => o.Excluding(r => r.Source).WithStrictOrdering());
        pg.Counts().Values.Should().OnlyContain(n => n == 0, "a refused import writes nothing");

        var dry = pg.Import(ImportSource.FromStreams("demo", DemoPortfolio.EmbeddedFiles()), new ImportOptions { DryRun = true });
        dry.Ok.Should().BeTrue();
        dry.Committed.Should().BeFalse();
        dry.Files.Should().OnlyContain(f => f.Inserted == f.Rows);
        pg.Counts().Values.Should().OnlyContain(n => n == 0, "a dry run writes nothing");
    }

    [PgFact]
    public async Task A_write_raises_the_shared_version_names_its_account_and_is_audited()
    {
        var pg = NewStore();
        pg.Import(Demo, new ImportOptions()).Ok.Should().BeTrue();
        var before = pg.Version().Version;
        var at = DateTimeOffset.UtcNow.AddMinutes(1); // after the import's entry
        await pg.LogSignal(new SignalFact("SIG-T1", "ACC-0007", AsOf, SignalCategory.Risk, "sponsor_change", -1, "left"),
            new WriteAudit("log_signal", "{\"account_id\":\"ACC-0007\"}", "tester", at));
        var id = await pg.SetOverride("ACC-0007", new OverrideFact(OverrideField.Band, "at_risk", "why", "tester", AsOf, null),
            n => new WriteAudit("set_override", $"{{\"id\":{n}}}", "tester", at));
        id.Should().BeGreaterThan(0);
        var (now, changed) = pg.ChangesSince(before, 100);
        now.Version.Should().Be(before + 2);
        changed!.Select(h => h.Profile.Id).Should().Equal("ACC-0007");
        changed![0].Signals.Should().Contain(s => s.Id == "SIG-T1" && s.Note == "left");
        pg.AuditEntries(null, 2).Select(e => (e.Operation, e.Author)).Should().Equal(("set_override", "tester"), ("log_signal", "tester"));
        pg.AuditEntries(null, 1)[0].Arguments.Should().Be($"{{\"id\":{id}}}");
    }

    [PgFact]
    public async Task A_metric_reading_is_recorded_once_and_reads_back_the_same_from_both_stores()
    {
        var sqlite = NewSqlite();
        var pg = NewStore();
        var at = DateTimeOffset.UtcNow.AddMinutes(1);
        var reading = new MetricReading("ACC-0007", "weekly_active_users", AsOf, 412.5m, "product_analytics");
        foreach (var store in new IFactStore[] { sqlite.Db, pg })
        {
            store.Import(Demo, new ImportOptions()).Ok.Should().BeTrue();
            var before = store.Version().Version;
            var audit = new WriteAudit("record_metric", "{\"account_id\":\"ACC-0007\"}", "tester", at);
            (await store.RecordMetric(reading, audit)).Should().Be(reading);
            (await store.RecordMetric(reading, audit)).Should().Be(reading, "the same reading again writes nothing");
            store.Version().Version.Should().Be(before + 1, store.Kind);
            var other = () => store.RecordMetric(reading with { Value = 400m }, audit);
            (await other.Should().ThrowAsync<StoreException>()).Which.Message.Should().StartWith(
                "observed_at: a reading of weekly_active_users on " + FactReader.Iso(AsOf) + " is already stored for this account (value 412.5, source product_analytics)");
            store.History("ACC-0007").History!.Readings.Should().Contain(reading, store.Kind);
        }
        pg.History("ACC-0007").Should().BeEquivalentTo(sqlite.Db.History("ACC-0007"), o => o.WithStrictOrdering());
        foreach (var asOf in new[] { AsOf, AsOf.AddDays(-45) })
        {
            using var fromSqlite = ((IFactStore)sqlite.Db).Histories(asOf, 30);
            using var fromPg = pg.Histories(asOf, 30);
            var expected = fromSqlite.ToList();
            expected.Should().Contain(h => h.TrendWindows!.Metrics.Count > 0, "the demo's readings make trend windows");
            expected.Should().Contain(h => h.Readings.Count > 0, "the demo's readings evidence outcomes");
            fromPg.ToList().Should().BeEquivalentTo(expected, o => o.WithStrictOrdering(), $"the histories at {asOf}");
        }
        pg.Counts().Should().Equal(sqlite.Db.Counts());
    }

    [PgFact]
    public void A_first_import_leaves_the_tables_it_filled_with_statistics()
    {
        // Without them the planner takes a table copied straight into for empty (its statistics are the empty schema's)
        // until autovacuum comes round, and the first reads after an import scan where they should search.
        var url = NewDatabase();
        var pg = PgStore.Open(url);
        _open.Add(pg);
        pg.Import(Demo, new ImportOptions()).Committed.Should().BeTrue();
        using var c = new NpgsqlConnection(PgStore.Settings(url).ConnectionString);
        c.Open();
        foreach (var table in new[] { "accounts", "outcomes", "evidence", "signals", "arr_movements" })
        {
            // Column statistics (pg_stats) come only from ANALYZE; a rebuilt index would set the row count alone.
            using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = $1", c);
            cmd.Parameters.Add(new NpgsqlParameter { Value = table });
            Convert.ToInt64(cmd.ExecuteScalar()).Should().BeGreaterThan(0, $"{table} is analyzed when the import commits");
        }
    }

    [PgFact]
    public void Migrate_is_idempotent_and_a_database_from_a_newer_version_is_refused()
    {
        var url = NewDatabase();
        PgStore.MigrateTarget(url).Should().Be((0, PgStore.LatestVersion, PgStore.Describe(PgStore.Settings(url))));
        PgStore.MigrateTarget(url).Should().Be((PgStore.LatestVersion, PgStore.LatestVersion, PgStore.Describe(PgStore.Settings(url))));
        using (var c = new NpgsqlConnection(PgStore.Settings(url).ConnectionString))
        {
            c.Open();
            using var cmd = new NpgsqlCommand("INSERT INTO schema_migrations VALUES (999, '0999_future.sql', 'x')", c);
            cmd.ExecuteNonQuery();
        }
        NpgsqlConnection.ClearAllPools();
        var open = () => PgStore.Open(url);
        open.Should().Throw<StoreException>().WithMessage("*schema version 999, newer than this ValueMcp knows*");
        var migrate = () => PgStore.MigrateTarget(url);
        migrate.Should().Throw<StoreException>().WithMessage("*newer*");

        var empty = NewDatabase();
        var serveWithoutSchema = () => PgStore.Open(empty, create: false);
        serveWithoutSchema.Should().Throw<StoreException>().WithMessage("*holds no ValueMcp schema yet*valuemcp migrate*");
    }

    [PgFact]
    public void A_wrong_password_and_an_unreachable_server_are_one_clear_line_without_the_password()
    {
        var b = PgStore.Settings(Admin!);
        var wrong = $"postgres://{b.Username}:not-the-Secret-42@{b.Host}:{b.Port}/postgres";
        var login = () => PgStore.Open(wrong);
        var e = login.Should().Throw<StoreException>().Which;
        e.Message.Should().Contain("refused the login").And.NotContain("not-the-Secret-42");

        var unreachable = $"postgres://{b.Username}:not-the-Secret-42@127.0.0.1:1/postgres";
        var reach = () => PgStore.Open(unreachable);
        reach.Should().Throw<StoreException>().Which.Message.Should().StartWith("cannot reach PostgreSQL at 127.0.0.1:1").And.NotContain("Secret");

        var malformed = () => PgStore.Open("Host=127.0.0.1;Password=not-the-Secret-42;Bogus Key=1");
        malformed.Should().Throw<StoreException>().Which.Message.Should().NotContain("not-the-Secret-42");
    }

    public void Dispose()
    {
        foreach (var o in _open) o.Dispose();
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        if (Admin is null) return;
        using var c = new NpgsqlConnection(PgStore.Settings(Admin).ConnectionString);
        c.Open();
        foreach (var name in _databases)
        {
            using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", c);
            cmd.ExecuteNonQuery();
        }
    }
}

/// <summary>A test of the PostgreSQL store: skipped unless VALUEMCP_TEST_PG names a test cluster.</summary>
public sealed class PgFactAttribute : FactAttribute
{
    public PgFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("VALUEMCP_TEST_PG")))
            Skip = "needs PostgreSQL: VALUEMCP_TEST_PG=postgres://USER:PASSWORD@HOST:PORT/postgres (scripts/pg-test.sh starts a throwaway cluster)";
    }
}
