using Microsoft.Data.Sqlite;
using ModelContextProtocol.Client;

namespace ValueMcp.Bench.Tests;

/// <summary>
/// The demo portfolio (150 accounts) imported with `valuemcp import`, overrides of every kind set through the server,
/// and the server serving it: the floor's statement must give the server's four KPIs, so that it cannot drift from the
/// definitions unnoticed.
/// </summary>
public sealed class DemoServerFixture : IAsyncLifetime
{
    public static readonly DateOnly Anchor = new(2026, 11, 24);

    public string Dir { get; } = Paths.NewDir("floor");
    public string Db => Path.Combine(Dir, "demo.db");
    public StdioServer Server { get; private set; } = null!;
    public McpClient Client => Server.Client;
    public IReadOnlyList<string> AccountIds { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Dir);
        var program = ServerProgram.Resolve(null);
        var import = await program.Run(["import", Paths.DemoFolder, "--db", Db], TimeSpan.FromMinutes(5));
        import.ExitCode.Should().Be(0, import.Stderr);
        // Where the ledger's order decides the ARR: a new logo on the day of a churn (churn applies last, so the
        // account stays at 0) and a churned account that comes back later (ARR from its new movement on).
        var ledger = Path.Combine(Dir, "ledger");
        Directory.CreateDirectory(ledger);
        await File.WriteAllTextAsync(Path.Combine(ledger, "arr_movements.csv"),
            "account_id,effective_date,kind,amount,lane,note\n" +
            "ACC-0010,2025-12-28,new,5000,,test: new on the day of the churn\n" +
            "ACC-0018,2026-06-01,new,7000,,test: back after a churn\n");
        var more = await program.Run(["import", ledger, "--db", Db], TimeSpan.FromMinutes(5));
        more.ExitCode.Should().Be(0, more.Stderr);
        Server = await program.Serve(Db, [], CancellationToken.None);
        using (var c = Floor.Open(Db))
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT id FROM accounts ORDER BY id";
            using var r = cmd.ExecuteReader();
            var ids = new List<string>();
            while (r.Read()) ids.Add(r.GetString(0));
            AccountIds = ids;
        }
        // The benchmark's own overrides (every field, expired, expiring, revised)...
        await Overrides.Apply(Client, AccountIds, Anchor, CancellationToken.None);
        // ...and the cases where the override rules decide the KPIs: a band override to critical blocks readiness
        // (readiness reads the band in force); two overrides of one field created the same day (the later one
        // written wins); an override created after the dates asked is not in force yet.
        var ready = await AccountWhere("ready");
        await Overrides.Set(Client, ready, "band", "critical", Anchor.AddDays(-20), null, "test: band in force blocks readiness", default);
        var atRisk = await AccountWhere("at_risk", readiness: false);
        await Overrides.Set(Client, atRisk, "band", "critical", Anchor.AddDays(-10), null, "test: first of the same day", default);
        await Overrides.Set(Client, atRisk, "band", "on_track", Anchor.AddDays(-10), null, "test: second of the same day", default);
        await Overrides.Set(Client, AccountIds[^1], "band", "on_track", Anchor.AddDays(5), null, "test: created after the anchor", default);
    }

    /// <summary>An active account with no override yet whose computed readiness (or band) is value at the anchor.</summary>
    private async Task<string> AccountWhere(string value, bool readiness = true)
    {
        var (s, _) = await Tool.Call(Client, "list_accounts", new() { ["as_of"] = Floor.Iso(Anchor), ["limit"] = 200 }, default);
        using var c = Floor.Open(Db);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT DISTINCT account_id FROM overrides";
        var overridden = new HashSet<string>();
        using (var r = cmd.ExecuteReader())
            while (r.Read()) overridden.Add(r.GetString(0));
        return s.GetProperty("accounts").EnumerateArray()
            .Where(a => a.GetProperty(readiness ? "readiness" : "band").GetString() == value)
            .Select(a => a.GetProperty("id").GetString()!)
            .First(id => !overridden.Contains(id));
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Paths.Delete(Dir);
    }
}

[CollectionDefinition(Name)]
public sealed class DemoServerCollection : ICollectionFixture<DemoServerFixture>
{
    public const string Name = "the demo portfolio served, with overrides";
}

[Collection(DemoServerCollection.Name)]
public sealed class FloorTests(DemoServerFixture demo)
{
    public static TheoryData<int> DaysBeforeAnchor => [0, 1, 2, 3, 15, 45, 90, 180, 365, 730];

    [Theory]
    [MemberData(nameof(DaysBeforeAnchor))]
    public async Task The_floor_gives_the_servers_four_kpis(int daysBefore)
    {
        var asOf = DemoServerFixture.Anchor.AddDays(-daysBefore);
        var (health, _) = await Tool.Call(demo.Client, "get_portfolio_health", new() { ["as_of"] = Floor.Iso(asOf) }, default);
        var server = Kpis.FromHealth(health);
        using var c = Floor.Open(demo.Db);
        var floor = Floor.Run(c, asOf);

        floor.Kpis.Differences(server).Should().BeEmpty($"at {Floor.Iso(asOf)} the floor ({floor.Kpis}) must give the server's KPIs ({server})");
        floor.Rows.Should().Be(demo.AccountIds.Count, "one row per account");
        server.AccountCount.Should().BeGreaterThan(0);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(200)]
    public async Task The_floors_per_account_facts_are_the_servers_cards(int daysBefore)
    {
        // The KPIs do not read every fact (overdue outcomes, for one): each active account's card is compared too.
        var asOf = DemoServerFixture.Anchor.AddDays(-daysBefore);
        var (list, _) = await Tool.Call(demo.Client, "list_accounts", new() { ["as_of"] = Floor.Iso(asOf), ["limit"] = 200 }, default);
        var cards = list.GetProperty("accounts").EnumerateArray().ToDictionary(a => a.GetProperty("id").GetString()!);
        using var c = Floor.Open(demo.Db);
        var rows = Floor.Run(c, asOf, keepRows: true).Accounts.Where(a => a.ArrCents > 0).ToList();

        rows.Select(a => a.Id).Should().BeEquivalentTo(cards.Keys, "the active accounts are the server's portfolio");
        foreach (var a in rows)
        {
            var card = cards[a.Id];
            var floor = $"{a.ArrCents / 100m:0.00} {a.Promised} {a.Evidenced} {a.Overdue} {a.Band} {a.Readiness}";
            var server = $"{card.GetProperty("arr").GetDecimal():0.00} {card.GetProperty("outcomes_promised").GetInt32()} {card.GetProperty("outcomes_evidenced").GetInt32()} " +
                         $"{card.GetProperty("outcomes_overdue").GetInt32()} {card.GetProperty("band").GetString()} {card.GetProperty("readiness").GetString()}";
            floor.Should().Be(server, $"{a.Id} at {Floor.Iso(asOf)}: arr, promised, evidenced, overdue, band, readiness");
        }
    }

    [Fact]
    public void The_overrides_in_force_change_the_kpis_as_the_floor_says()
    {
        // Without its overrides the floor would differ from the server at the anchor: the overrides matter to the KPIs
        // there, so the check above covers them.
        using var c = Floor.Open(demo.Db);
        using var copy = new SqliteConnection("Data Source=:memory:");
        copy.Open();
        c.BackupDatabase(copy);
        using (var cmd = copy.CreateCommand())
        {
            cmd.CommandText = "DELETE FROM overrides";
            cmd.ExecuteNonQuery();
        }
        var withOverrides = Floor.Run(c, DemoServerFixture.Anchor).Kpis;
        var without = Floor.Run(copy, DemoServerFixture.Anchor).Kpis;
        withOverrides.Differences(without).Should().NotBeEmpty("the demo's overrides move the KPIs at the anchor");
    }

    [Fact]
    public async Task After_one_record_evidence_the_server_and_the_floor_agree_and_the_kpis_move()
    {
        var asOf = DemoServerFixture.Anchor.AddDays(-3);
        var (before, _) = await Tool.Call(demo.Client, "get_portfolio_health", new() { ["as_of"] = Floor.Iso(asOf) }, default);
        using var c = Floor.Open(demo.Db);
        var rows = Floor.Run(c, asOf, keepRows: true);
        var account = ScaleBench.Candidates(rows.Accounts, Floor.Thresholds.Default.OnTrackFulfilment).First();
        var outcome = Floor.UnevidencedOutcome(c, account.Id, asOf);
        outcome.Should().NotBeNull();

        await Tool.Call(demo.Client, "record_evidence", new()
        {
            ["outcome_id"] = outcome,
            ["achieved"] = true,
            ["source"] = "usage",
            ["note"] = "test: one evidenced outcome",
            ["captured_at"] = Floor.Iso(asOf),
        }, default);
        var (after, _) = await Tool.Call(demo.Client, "get_portfolio_health", new() { ["as_of"] = Floor.Iso(asOf) }, default);

        var server = Kpis.FromHealth(after);
        Floor.Run(c, asOf).Kpis.Differences(server).Should().BeEmpty("the floor reads the written database as the server does");
        var moved = Kpis.FromHealth(before);
        server.OnTrackPct.Should().BeGreaterThan(moved.OnTrackPct!.Value, $"{account.Id} moved from at_risk to on_track");
        server.ArrAtRisk.Should().Be(moved.ArrAtRisk - account.ArrCents / 100m, "its ARR left arr_at_risk");
    }
}
