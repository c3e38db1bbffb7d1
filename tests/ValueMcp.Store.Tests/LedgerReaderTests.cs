using ValueMcp.Scoring;
using static ValueMcp.Store.Tests.TempDatabase;

namespace ValueMcp.Store.Tests;

/// <summary>The streamed ARR ledger behind retention (FactReader.Ledgers), and the adopted milestones of the measured model.</summary>
public sealed class LedgerReaderTests : IClassFixture<LedgerReaderTests.Ledgers>
{
    public sealed class Ledgers : IDisposable
    {
        public TempDatabase Store { get; } = new();

        public Ledgers() => Store.ImportOk(Csv.Files(
            accounts:
            [
                Csv.Account("B", segment: "SMB", tier: "", csm: "Fox", contractStart: "2024-08-15"),
                Csv.Account("A", segment: "Enterprise", tier: "1", csm: "Dana", contractStart: "2025-01-01"),
                Csv.Account("C", segment: "SMB", contractStart: "2026-02-01"),
                Csv.Account("E"),
            ],
            movements:
            [
                "A,2025-01-01,new,100000,,",
                "A,2026-02-01,expansion,20000,modules,",
                "A,2026-03-01,churn,,,lost",
                "A,2026-03-01,contraction,5000,,",
                "A,2026-03-01,expansion,7000.25,seats,",
                "A,2026-04-01,expansion,999,price,dated on the period end",
                "B,2024-08-15,new,40000,,",
                "B,2026-01-15,contraction,10000,,",
                "C,2026-02-01,new,30000,,",
            ],
            milestones: ["A,adopted,2025-06-01", "B,adopted,2026-06-01", "C,live,2026-03-01"]));

        public void Dispose() => Store.Dispose();
    }

    private readonly TempDatabase _t;

    public LedgerReaderTests(Ledgers ledgers) => _t = ledgers.Store;

    private FactReader Reader => new(_t.Db);

    /// <summary>The ledgers of movements dated before `before` (the bound of a period's end).</summary>
    private List<AccountHistory> StreamLedgers(DateOnly before)
    {
        using var stream = Reader.Ledgers(before.AddDays(-1));
        return stream.ToList();
    }

    [Fact]
    public void Streams_one_ledger_per_account_ordered_by_id_with_the_grouping_attributes()
    {
        var ledgers = StreamLedgers(D("2026-04-01")).ToList();

        ledgers.Select(l => l.Profile.Id).Should().Equal("A", "B", "C");
        (ledgers[1].Profile.Id, ledgers[1].Profile.Segment, ledgers[1].Profile.Tier, ledgers[1].Profile.Csm, ledgers[1].Profile.ContractStart)
            .Should().Be(("B", "SMB", "", "Fox", D("2024-08-15")));
    }

    [Fact]
    public void Movements_are_dated_before_the_bound_and_ordered_by_date_then_kind()
    {
        var a = StreamLedgers(D("2026-04-01")).First() is var first ? first with { Movements = Ledger.Ordered(first.Movements) } : null!;

        a.Movements.Select(m => (m.EffectiveDate, m.Kind)).Should().Equal(
            (D("2025-01-01"), MovementKind.New),
            (D("2026-02-01"), MovementKind.Expansion),
            (D("2026-03-01"), MovementKind.Expansion),
            (D("2026-03-01"), MovementKind.Contraction),
            (D("2026-03-01"), MovementKind.Churn));
        a.Movements[2].Amount.Should().Be(7000.25m);
        a.Movements[2].Lane.Should().Be("seats");
    }

    [Fact]
    public void Accounts_without_a_movement_before_the_bound_are_not_streamed()
    {
        StreamLedgers(D("2026-02-01")).Select(l => l.Profile.Id).Should().Equal("A", "B");
        StreamLedgers(D("2024-01-01")).Should().BeEmpty();
    }

    [Fact]
    public void Retention_over_the_streamed_ledger_matches_the_hand_computation()
    {
        var period = new RetentionPeriod(D("2026-01-01"), D("2026-04-01"));
        var report = Retention.Measure(StreamLedgers(period.End), period, RetentionGrouping.Segment);

        // A: S 100,000; E 20,000 + 7,000.25; C 5,000; X = 100,000 + 20,000 + 7,000.25 - 5,000 = 122,000.25 (churn last that day).
        // B: S 40,000; C 10,000; retained. C is a new logo.
        report.Total.StartingArr.Should().Be(140_000m);
        report.Total.Expansion.Should().Be(27_000.25m);
        report.Total.Contraction.Should().Be(15_000m);
        report.Total.Churn.Should().Be(122_000.25m);
        report.Total.Nrr.Should().Be((140_000m + 27_000.25m - 15_000m - 122_000.25m) / 140_000m);
        report.Total.LogosStart.Should().Be(2);
        report.Total.LogosRetained.Should().Be(1);
        report.Total.NewLogos.Should().Be(1);
        report.Total.NewLogoArr.Should().Be(30_000m);
        report.Rows.Select(r => r.Group).Should().Equal("Enterprise", "SMB");
        report.Rows[1].Grr.Should().Be(0.75m);
    }

    [Fact]
    public void The_stream_is_lazy_one_account_at_a_time()
    {
        using var stream = Reader.Ledgers(D("2026-03-31"));
        using var e = stream.GetEnumerator();
        e.MoveNext().Should().BeTrue();
        e.Current.Profile.Id.Should().Be("A");
        e.Current.Movements.Should().HaveCount(5, "the first account is complete before the second is read");
    }

    [Fact]
    public void Adopted_accounts_as_of_a_date()
    {
        AdoptedAccounts(D("2026-01-01")).Should().BeEquivalentTo("A");
        AdoptedAccounts(D("2026-06-01")).Should().BeEquivalentTo("A", "B");
    }

    private List<string> AdoptedAccounts(DateOnly asOf)
    {
        using var stream = Reader.Histories(asOf);
        return stream.Where(h => AccountDerivation.Derive(h, asOf, ScoringPolicy.Default).AdoptedAt is not null).Select(h => h.Id).ToList();
    }
}
