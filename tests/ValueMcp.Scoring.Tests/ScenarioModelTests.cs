using ValueMcp.Scoring;

namespace ValueMcp.Scoring.Tests;

/// <summary>The forward model of domain.md against the seed's arithmetic.</summary>
public class ScenarioModelTests
{
    private static ScenarioInput Seed(int years = 3, decimal customers = 100m) =>
        new(customers, 65_000m, 0.85m, [new LaneAssumption("modules", 0.35m, 42_000m)], years, StageRates.Default);

    [Fact]
    public void The_stage_funnel_multiplies_to_0_5072()
    {
        StageRates.Default.Product.Should().Be(0.507195m);
        Math.Round(StageRates.Default.Product, 4).Should().Be(0.5072m);
        ScenarioModel.Project(Seed()).FunnelProduct.Should().Be(0.507195m);
    }

    [Fact]
    public void Year_1_of_the_seed_example_ends_at_6_774_500_with_nrr_104_2_percent()
    {
        var y1 = ScenarioModel.Project(Seed()).Years[0];

        y1.Year.Should().Be(1);
        y1.CustomersStart.Should().Be(100m);
        y1.ArrStart.Should().Be(6_500_000m);
        y1.Churn.Should().Be(975_000m);
        y1.CustomersRenewing.Should().Be(85m);
        y1.Expansion.Should().Be(1_249_500m, "85 x 0.35 = 29.75 customers x 42,000");
        y1.ExpansionByLane["modules"].Should().Be(1_249_500m);
        y1.ArrEnd.Should().Be(6_774_500m);
        Math.Round(y1.Nrr!.Value, 4).Should().Be(1.0422m);
        Math.Round(y1.Nrr.Value, 3).Should().Be(1.042m, "104.2%");
    }

    [Fact]
    public void Later_years_start_with_the_renewing_customers_and_the_arr_left_plus_expansion_unrounded()
    {
        var r = ScenarioModel.Project(Seed());

        r.Years.Should().HaveCount(3);
        var y2 = r.Years[1];
        y2.CustomersStart.Should().Be(85m);
        y2.ArrStart.Should().Be(6_774_500m);
        y2.Churn.Should().Be(6_774_500m * 0.15m);
        y2.CustomersRenewing.Should().Be(72.25m);
        y2.Expansion.Should().Be(72.25m * 0.35m * 42_000m);
        y2.ArrEnd.Should().Be(6_774_500m * 0.85m + 72.25m * 0.35m * 42_000m);
        r.Years[2].CustomersStart.Should().Be(72.25m);
        r.Years[2].ArrStart.Should().Be(y2.ArrEnd);
        r.Years[2].Nrr.Should().Be(r.Years[2].ArrEnd / r.Years[2].ArrStart);
    }

    [Fact]
    public void Cumulative_revenue_is_the_sum_of_starting_arr_and_ltv_divides_it_by_first_year_customers()
    {
        var r = ScenarioModel.Project(Seed());
        r.CumulativeRevenue.Should().Be(r.Years.Sum(y => y.ArrStart));
        r.CumulativeRevenue.Should().Be(6_500_000m + 6_774_500m + 6_820_400m);
        r.LtvPerCustomer.Should().Be(r.CumulativeRevenue / 100m);
    }

    [Fact]
    public void A_10_point_nrr_spread_is_worth_650_000_at_100_customers_and_3_25_million_at_500()
    {
        var r = ScenarioModel.Project(Seed());
        r.SensitivitySpread.Should().Be(0.10m);
        r.SensitivityValue.Should().Be(650_000m);

        // The same spread seen as two NRRs: 1.05 vs 0.95 on 6,500,000.
        (6_500_000m * 1.05m - 6_500_000m * 0.95m).Should().Be(r.SensitivityValue);

        ScenarioModel.Project(Seed(customers: 500m)).SensitivityValue.Should().Be(3_250_000m);
    }

    [Fact]
    public void Without_lanes_the_base_only_shrinks_by_churn()
    {
        var r = ScenarioModel.Project(Seed() with { Lanes = [], Years = 2 });
        r.Years[0].ArrEnd.Should().Be(5_525_000m);
        r.Years[0].Nrr.Should().Be(0.85m);
        r.Years[1].ArrStart.Should().Be(5_525_000m);
    }

    [Fact]
    public void Several_lanes_add_up()
    {
        var r = ScenarioModel.Project(Seed() with
        {
            Lanes = [new("modules", 0.35m, 42_000m), new("data_integration", 0.10m, 20_000m), new("managed_services", 0.05m, 30_000m)],
            Years = 1,
        });
        r.Years[0].Expansion.Should().Be(1_249_500m + 85m * 0.10m * 20_000m + 85m * 0.05m * 30_000m);
        r.Years[0].ExpansionByLane.Should().HaveCount(3);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void Years_out_of_range_are_refused(int years)
    {
        var act = () => ScenarioModel.Project(Seed(years));
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Measured_rates_come_from_the_window_and_the_stage_counts_with_how_each_was_measured()
    {
        var window = new RetentionRow("all", 1_000_000m, 120_000m,
            new Dictionary<string, decimal> { ["modules"] = 100_000m, ["price"] = 20_000m, ["seats"] = 0m },
            new Dictionary<string, int> { ["modules"] = 4, ["price"] = 10, ["seats"] = 0 },
            0m, 50_000m, 25, 20, 3, 60_000m);
        var stages = new StageCounts(Mature: 40, Live: 36, LiveAndFirstValue: 30, LiveFirstValueAndAdopted: 24);
        var asOf = new DateOnly(2026, 11, 24);

        var m = PortfolioRates.Measure(30, 3_000_000m, window, stages, asOf, ScoringPolicy.Default);

        m.Customers.Should().Be(30m);
        m.Acv.Should().Be(100_000m);
        m.RenewalRate.Should().Be(0.8m, "20 of 25 retained");
        m.Lanes.Should().BeEquivalentTo(new[]
        {
            new LaneAssumption("modules", 4m / 20m, 25_000m),
            new LaneAssumption("price", 10m / 20m, 2_000m),
        }, o => o.WithStrictOrdering());
        m.Stages.Should().Be(new StageRates(36m / 40m, 30m / 36m, 24m / 30m, 0.8m));
        m.Notes.Should().Contain(n => n.Name == "renewal_rate" && n.Source == "measured" && n.How.Contains("20 of 25"));
        m.Notes.Should().Contain(n => n.Name == "stage_rates.onboarding" && n.How.Contains("36 of 40"));
    }

    [Fact]
    public void A_rate_that_cannot_be_measured_takes_the_default_and_says_so()
    {
        var empty = new RetentionRow("all", 0m, 0m, new Dictionary<string, decimal>(), new Dictionary<string, int>(), 0m, 0m, 0, 0, 0, 0m);
        var m = PortfolioRates.Measure(0, 0m, empty, StageCounts.Zero, new DateOnly(2026, 1, 1), ScoringPolicy.Default);
        m.RenewalRate.Should().BeNull();
        m.Stages.Should().Be(StageRates.Default);
        m.Notes.Where(n => n.Name.StartsWith("stage_rates.", StringComparison.Ordinal)).Should().OnlyContain(n => n.Source == "default");
        m.Lanes.Should().BeEmpty();
    }

    [Fact]
    public void Stages_are_counted_on_accounts_old_enough()
    {
        var asOf = AccountBuilder.AsOf;
        var accounts = new (AccountScore, bool)[]
        {
            (AccountBuilder.Account("old-adopted").ContractStartedDaysAgo(400).Score(), true),
            (AccountBuilder.Account("old-live-only").ContractStartedDaysAgo(400).Outcomes(3, 0).FirstValueMilestoneOn(null).Score(), false),
            (AccountBuilder.Account("old-nothing").ContractStartedDaysAgo(400).NothingReached().Outcomes(3, 0).Score(), false),
            (AccountBuilder.Account("young").ContractStartedDaysAgo(30).Score(), true),
        };
        PortfolioRates.CountStages(accounts, asOf, ScoringPolicy.Default).Should().Be(new StageCounts(3, 2, 1, 1));
    }
}
