using Microsoft.Data.Sqlite;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Store;

namespace ValueMcp.Server.Tests;

/// <summary>
/// One scored portfolio per as_of, kept and patched by data version: the same version answers from memory, a write to
/// one account rescores that account only, an import rescores everything, and a patched portfolio is exactly what a
/// fresh scoring gives.
/// </summary>
public sealed class PortfolioCacheTests : IDisposable
{
    private static readonly DateOnly AsOf = ServerFixture.AsOf;
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dir = OwnServer.NewDir("cache");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static WriteAudit Audit(string op) => new(op, "{}", "test", Now);

    [Fact]
    public void The_same_data_version_answers_from_memory()
    {
        using var db = TestStore.Open(OwnServer.NewDemoDatabase(_dir));
        var cache = new PortfolioCache(db, ScoringPolicy.Default);

        var first = cache.At(AsOf);
        cache.At(AsOf).Should().BeSameAs(first, "nothing changed: the portfolio in memory answers");
        first.All.Should().HaveCount(150);
        first.All.Should().OnlyContain(a => !a.Explained, "a portfolio kept in memory holds verdicts, not their words");
    }

    [Fact]
    public async Task A_write_rescores_that_account_only_and_reflects_the_write()
    {
        using var db = TestStore.Open(OwnServer.NewDemoDatabase(_dir));
        var cache = new PortfolioCache(db, ScoringPolicy.Default);
        var before = cache.At(AsOf);
        var target = before.Active.First(a => a.Facts.Recent.RiskSignals.Count == 0 && a.Readiness.Value != Readiness.Blocked && a.Band.Value != Band.Critical);

        await db.LogSignal(new SignalFact("SIG-CACHE", target.Id, AsOf, SignalCategory.Risk, "sponsor_change", -1, ""), Audit("log_signal"));
        var after = cache.At(AsOf);

        after.Should().NotBeSameAs(before);
        after.Version.Should().Be(before.Version + 1);
        after.Find(target.Id)!.Readiness.Value.Should().Be(Readiness.Blocked, "a risk signal in the recent window blocks readiness");
        after.All.Where(a => a.Id != target.Id).Should().Equal(before.All.Where(a => a.Id != target.Id),
            (x, y) => ReferenceEquals(x, y), "every other account is the same score object: only the written account was scored again");
    }

    [Fact]
    public void An_import_reads_the_whole_portfolio_again()
    {
        var path = OwnServer.NewDemoDatabase(_dir);
        using var db = TestStore.Open(path);
        var cache = new PortfolioCache(db, ScoringPolicy.Default);
        var before = cache.At(AsOf);

        var csv = Path.Combine(_dir, "more");
        Directory.CreateDirectory(csv);
        File.WriteAllText(Path.Combine(csv, "signals.csv"), "id,account_id,observed_at,category,kind,polarity,note\nSIG-IMP,ACC-0001,2026-11-20,usage,dau_growth,1,\n");
        db.Import(ImportSource.FromFolder(csv), new ImportOptions()).Ok.Should().BeTrue();
        var after = cache.At(AsOf);

        after.Version.Should().BeGreaterThan(before.Version);
        after.All.Zip(before.All).Should().OnlyContain(p => !ReferenceEquals(p.First, p.Second), "an import may change any account: all were scored again");
    }

    [Fact]
    public void Only_a_few_dates_are_kept()
    {
        using var db = TestStore.Open(OwnServer.NewDemoDatabase(_dir));
        var cache = new PortfolioCache(db, ScoringPolicy.Default);
        var first = cache.At(AsOf);
        for (var i = 1; i <= PortfolioCache.MaxDates; i++) cache.At(AsOf.AddDays(-i));

        cache.At(AsOf).Should().NotBeSameAs(first, "the least recently asked date was dropped and is scored again");
        var kept = cache.At(AsOf.AddDays(-PortfolioCache.MaxDates));
        cache.At(AsOf.AddDays(-PortfolioCache.MaxDates)).Should().BeSameAs(kept);
    }

    [Fact]
    public async Task A_patched_portfolio_is_what_a_fresh_scoring_gives_and_concurrent_askers_share_one()
    {
        using var db = TestStore.Open(OwnServer.NewDemoDatabase(_dir));
        var cache = new PortfolioCache(db, ScoringPolicy.Default);
        var writer = db;
        var random = new Random(7);
        var ids = cache.At(AsOf).All.Select(a => a.Id).ToList();
        var outcomes = db.History(ids[0]).History!.Outcomes.Select(o => o.Id).ToList();

        for (var i = 0; i < 40; i++)
        {
            var id = ids[random.Next(ids.Count)];
            var day = AsOf.AddDays(-random.Next(0, 120));
            switch (i % 4)
            {
                case 0:
                    await writer.LogSignal(new SignalFact($"SIG-P{i}", id, day, (SignalCategory)random.Next(6), "k", random.Next(2) == 0 ? 1 : -1, ""), Audit("log_signal"));
                    break;
                case 1:
                    await writer.AddOutcome(new OutcomeFact($"OUT-P{i}", id, "Outcome", "", "", 0m, 10m, Direction.Increase, day, day.AddDays(30), ""), Audit("add_promised_outcome"));
                    break;
                case 2:
                    await writer.RecordEvidence(new EvidenceFact($"EV-P{i}", outcomes[random.Next(outcomes.Count)], day, EvidenceSource.Usage, null, true, "", ""), Audit("record_evidence"));
                    break;
                default:
                    await writer.SetOverride(id, new OverrideFact(OverrideField.Band, "at_risk", "judgement", "test", day, null), _ => Audit("set_override"));
                    break;
            }
            // Half of the time ask in between: a portfolio patched again and again must still be right.
            if (i % 2 == 0) cache.At(AsOf);
        }

        var asked = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => cache.At(AsOf))));
        asked.Should().OnlyContain(p => ReferenceEquals(p, asked[0]), "askers at one version share one portfolio");

        var fresh = new PortfolioCache(db, ScoringPolicy.Default).At(AsOf);
        fresh.Version.Should().Be(asked[0].Version);
        Describe(asked[0]).Should().Equal(Describe(fresh), "patching gives what scoring from scratch gives");
    }

    /// <summary>Every verdict and figure of every account, as text.</summary>
    private static IEnumerable<string> Describe(ScoredPortfolio p) => p.All.Select(a =>
        $"{a.Id} arr {a.Arr} f {a.Fulfilment} band {a.Band.Value}/{a.Band.Computed} ready {a.Readiness.Value} risk {a.Risk.Value} " +
        $"stage {a.Stage} action {a.NextAction.Kind} lane {a.Lane?.Lane} overdue {a.Facts.OutcomesOverdue} risks {a.Facts.Recent.RiskSignals.Count} " +
        $"eng {a.Engagement} ttfv {a.TimeToFirstValueDays}");
}
