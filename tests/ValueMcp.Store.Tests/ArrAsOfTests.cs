using ValueMcp.Scoring;
using static ValueMcp.Store.Tests.TempDatabase;

namespace ValueMcp.Store.Tests;

/// <summary>
/// ARR at a date (domain.md, "Facts"): new and expansion add, contraction subtracts, churn zeroes; one day's
/// movements apply in the order new, expansion, contraction, churn.
/// </summary>
public sealed class ArrAsOfTests : IClassFixture<ArrAsOfTests.Ledger>
{
    public sealed class Ledger : IDisposable
    {
        public TempDatabase Store { get; } = new();

        public Ledger() => Store.ImportOk(Csv.Files(
            accounts: [Csv.Account("A"), Csv.Account("B"), Csv.Account("C"), Csv.Account("D"), Csv.Account("E"), Csv.Account("F")],
            movements:
            [
                // A: steady, with a movement after the usual as_of.
                "A,2025-01-01,new,100000,,",
                "A,2025-06-01,expansion,20000,modules,upsell",
                "A,2025-09-01,contraction,5000,,",
                "A,2026-02-01,expansion,7000,seats,",
                // B: the contraction is larger than the new amount alone; valid only because the same-day expansion comes first.
                "B,2025-03-01,contraction,55000,,",
                "B,2025-03-01,expansion,10000,modules,",
                "B,2025-03-01,new,50000,,",
                // C: churn the same day as an expansion zeroes it.
                "C,2025-01-01,new,40000,,",
                "C,2025-07-01,churn,,,lost to a competitor",
                "C,2025-07-01,expansion,10000,modules,",
                // D: churned, then re-activated by a new movement.
                "D,2024-01-01,new,30000,,",
                "D,2025-01-01,churn,0,,",
                "D,2025-06-01,new,25000,,",
                "D,2025-08-01,expansion,5000.50,price,",
                // F: starts after the usual as_of. E has no movement at all.
                "F,2026-03-01,new,10000,,",
            ]));

        public void Dispose() => Store.Dispose();
    }

    private readonly TempDatabase _t;

    public ArrAsOfTests(Ledger ledger) => _t = ledger.Store;

    [Theory]
    [InlineData("A", "2024-12-31", 0)]
    [InlineData("A", "2025-01-01", 100000)]
    [InlineData("A", "2025-05-31", 100000)]
    [InlineData("A", "2025-06-01", 120000)]
    [InlineData("A", "2025-09-01", 115000)]
    [InlineData("A", "2025-12-31", 115000)]
    [InlineData("A", "2026-02-01", 122000)]
    [InlineData("B", "2025-02-28", 0)]
    [InlineData("B", "2025-03-01", 5000)]
    [InlineData("C", "2025-06-30", 40000)]
    [InlineData("C", "2025-07-01", 0)]
    [InlineData("C", "2026-12-31", 0)]
    [InlineData("D", "2024-12-31", 30000)]
    [InlineData("D", "2025-01-01", 0)]
    [InlineData("D", "2025-05-31", 0)]
    [InlineData("D", "2025-06-01", 25000)]
    [InlineData("D", "2025-12-31", 30000.50)]
    [InlineData("E", "2025-12-31", 0)]
    [InlineData("F", "2025-12-31", 0)]
    [InlineData("F", "2026-03-01", 10000)]
    public void Arr_at_a_date(string account, string asOf, double expected) =>
        _t.Facts(account, asOf).Arr.Should().Be((decimal)expected);

    [Fact]
    public void Arr_is_exact_decimal()
    {
        var arr = _t.Facts("D", "2025-12-31").Arr;
        arr.Should().Be(30000.50m);
        arr.Should().BeOfType(typeof(decimal));
    }

    [Fact]
    public void Only_active_keeps_accounts_with_arr_above_zero()
    {
        var asOf = D("2025-12-31");
        _t.Reader.AccountFacts(asOf, ScoringPolicy.Default, onlyActive: true).Select(f => f.Id).Should().Equal("A", "B", "D");
        _t.Reader.AccountFacts(asOf, ScoringPolicy.Default, onlyActive: false).Select(f => f.Id).Should().Equal("A", "B", "C", "D", "E", "F");
        _t.Reader.AccountFacts(D("2025-01-01"), ScoringPolicy.Default, onlyActive: true).Select(f => f.Id).Should().Equal("A", "C");
    }

    [Fact]
    public void Only_active_with_an_account_id_returns_nothing_for_a_churned_account()
    {
        _t.Reader.AccountFacts(D("2025-12-31"), ScoringPolicy.Default, onlyActive: true, accountId: "C").Should().BeEmpty();
        _t.Reader.AccountFactsOf("C", D("2025-12-31"), ScoringPolicy.Default)!.Arr.Should().Be(0m);
        _t.Reader.AccountFactsOf("nobody", D("2025-12-31"), ScoringPolicy.Default).Should().BeNull();
    }

    [Theory]
    [InlineData("A", "2025-05-31", null)]
    [InlineData("A", "2025-12-31", "2025-06-01")]
    [InlineData("A", "2026-02-01", "2026-02-01")]
    [InlineData("B", "2025-12-31", "2025-03-01")]
    [InlineData("D", "2025-12-31", "2025-08-01")]
    public void Last_expansion_at(string account, string asOf, string? expected) =>
        _t.Facts(account, asOf).LastExpansionAt.Should().Be(expected is null ? null : D(expected));

    [Fact]
    public void Detail_lists_the_movements_up_to_as_of_in_applying_order()
    {
        var detail = _t.Reader.Detail("B", D("2025-12-31"))!;
        detail.Movements.Select(m => m.Kind).Should().Equal("new", "expansion", "contraction");
        detail.Movements.Select(m => m.Amount).Should().Equal(50000m, 10000m, 55000m);

        _t.Reader.Detail("A", D("2025-12-31"))!.Movements.Should().HaveCount(3, "the expansion of 2026-02-01 is after as_of");
        _t.Reader.Detail("nobody", D("2025-12-31")).Should().BeNull();
    }
}
