using ValueMcp.Scoring;

namespace ValueMcp.Scoring.Tests;

/// <summary>
/// The worked example of definitions.md, "Forecast accuracy": four renewals dated 2026-09-30, forecast 90 days before.
/// A (on track, 100,000) renewed; B (on track, 50,000) churned; C (critical, 80,000) renewed in full; D (critical,
/// 20,000) churned by a churn movement. On track and red on the forecast date: risk low, 0.90 + 0.05 = 0.95. Critical
/// and red: risk high, 0.40 - 0.15 = 0.25.
/// </summary>
public class BacktestTests
{
    private static readonly ScoringPolicy Policy = ScoringPolicy.Default;
    private static readonly DateOnly Renewal = new(2026, 9, 30);
    private static readonly DateOnly AsOf = new(2026, 10, 31);
    private static readonly DateOnly Start = new(2026, 7, 1);
    private static readonly DateOnly End = new(2026, 10, 1);

    private static IEnumerable<AccountHistory> Portfolio(bool overrideA = false)
    {
        var a = HistoryBuilder.Account("a", Renewal, 100_000m).OnTrack().Recorded(Renewal, RenewalOutcome.Renewed, Renewal);
        if (overrideA) a.ProbabilityOverride("0.6", Renewal.AddDays(-100));
        yield return a.Build();
        yield return HistoryBuilder.Account("b", Renewal, 50_000m, "Mid-Market", "Fox").OnTrack()
            .Recorded(Renewal, RenewalOutcome.Churned, Renewal, reason: RenewalReason.Competitor).Build();
        yield return HistoryBuilder.Account("c", Renewal, 80_000m, "Mid-Market", "Fox").Critical()
            .Recorded(Renewal, RenewalOutcome.Renewed, Renewal.AddDays(3), renewedArr: 90_000m).Build();
        yield return HistoryBuilder.Account("d", Renewal, 20_000m).Critical().Churn(Renewal).Build();
    }

    private static List<BacktestRow> Rows(bool overrideA = false) =>
        Portfolio(overrideA).SelectMany(h => Backtest.Of(h, Start, End, 90, AsOf, Policy).Rows).ToList();

    [Fact]
    public void Each_renewal_is_forecast_from_the_facts_known_on_its_date_minus_the_horizon()
    {
        var rows = Rows();
        rows.Select(r => (r.AccountId, r.Probability, r.ForecastDate)).Should().Equal(
            ("a", 0.95m, new DateOnly(2026, 7, 2)), ("b", 0.95m, new DateOnly(2026, 7, 2)),
            ("c", 0.25m, new DateOnly(2026, 7, 2)), ("d", 0.25m, new DateOnly(2026, 7, 2)));
        rows.Single(r => r.AccountId == "c").Realised.Should().Be(80_000m, "the expansion signed with the renewal is not renewed ARR");
        rows.Single(r => r.AccountId == "d").Decision.DecidedBy.Should().Be(RenewalDecider.Churn);
    }

    [Fact]
    public void Brier_score_and_its_split_add_up()
    {
        var f = Backtest.Figures("all", Rows(), Policy);

        f.Count.Should().Be(4);
        f.Renewed.Should().Be(2);
        // ((0.95-1)^2 + (0.95-0)^2 + (0.25-1)^2 + (0.25-0)^2) / 4 = (0.0025 + 0.9025 + 0.5625 + 0.0625) / 4
        f.Brier.Should().Be(0.3825m);
        // bins [0.2, 0.3) and [0.9, 1.0], two renewals each, observed 0.5 in both; overall 0.5.
        f.Reliability.Should().Be(0.1325m); // (2 x 0.25^2 + 2 x 0.45^2) / 4
        f.Resolution.Should().Be(0m);
        f.Uncertainty.Should().Be(0.25m);
        f.WithinBin.Should().Be(0m);
        f.Bins.Where(b => b.Count > 0).Select(b => (b.Lower, b.Count, b.MeanForecast, b.ObservedRate))
            .Should().Equal((0.2m, 2, 0.25m, 0.5m), (0.9m, 2, 0.95m, 0.5m));
    }

    [Fact]
    public void Range_coverage_bias_and_weighted_absolute_error()
    {
        var f = Backtest.Figures("all", Rows(), Policy);

        f.ArrDue.Should().Be(250_000m);
        f.Base.Should().Be(167_500m);     // 95,000 + 47,500 + 20,000 + 5,000
        f.Downside.Should().Be(142_500m); // A and B steady at 0.95; C and D high risk, 0
        f.Upside.Should().Be(175_000m);   // A, B in full; C and D at their probability
        f.Realised.Should().Be(180_000m); // 100,000 + 0 + 80,000 + 0
        f.InsideRange.Should().Be(2);     // A (95,000 <= 100,000 <= 100,000) and D (0 <= 0 <= 5,000)
        f.Coverage.Should().Be(0.5m);
        f.TotalInsideRange.Should().BeFalse("180,000 is above the upside 175,000");
        f.Bias.Should().Be(-12_500m);
        f.WeightedAbsoluteError.Should().Be(0.47m); // (5,000 + 47,500 + 60,000 + 5,000) / 250,000
    }

    [Fact]
    public void Misses_name_the_facts_known_then_and_the_recorded_cause()
    {
        var misses = Backtest.Misses(Rows(), Policy);

        misses.Select(m => m.Row.AccountId).Should().Equal("c", "b"); // largest ARR due first
        misses[0].Kind.Should().Be("forecast at 0.25 (<= 0.40) and renewed in full");
        misses[1].Kind.Should().Be("forecast at 0.95 (>= 0.70) and churned");
        misses[1].Row.Decision.Reason.Should().Be(RenewalReason.Competitor);
        misses[0].KnownFacts.Should().Contain(s => s.StartsWith("band critical", StringComparison.Ordinal));
    }

    [Fact]
    public void A_probability_override_is_kept_beside_the_computed_one_and_reported_apart()
    {
        var rows = Rows(overrideA: true);
        var a = rows.Single(r => r.AccountId == "a");
        a.Probability.Should().Be(0.95m, "the main figures judge the computed probability");
        a.InForce.Probability.Should().Be(0.6m);
        a.InForce.Reason.Should().StartWith("probability overridden to 0.60 by cro").And.Contain("computed 0.95");

        var o = Backtest.Figures("all", rows, Policy).Overrides;
        o.Count.Should().Be(1);
        o.BrierOverride.Should().Be(0.16m);     // (0.6 - 1)^2
        o.BrierComputed.Should().Be(0.0025m);   // (0.95 - 1)^2
        o.ComputedCloser.Should().Be(1);
    }

    [Fact]
    public void A_measured_table_sets_the_cells_with_enough_renewals_and_keeps_the_policy_elsewhere()
    {
        var policy = Policy with { MeasuredMinCount = 2 };
        var table = Backtest.Measure(Rows(), Start, End, 90, policy);

        table.Cell(RenewalRisk.Low, Band.OnTrack)!.Should().Match<MeasuredCell>(c => c.Count == 2 && c.Renewed == 1 && c.Used);
        table.Cell(RenewalRisk.Medium, Band.AtRisk)!.Used.Should().BeFalse();

        var lowOnTrack = AccountBuilder.Account().RenewsInDays(60).Score(policy);
        var odds = Forecast.Odds(lowOnTrack, policy, table);
        odds.Probability.Should().Be(0.5m);
        odds.Reason.Should().Be("measured cell risk low, band on_track: 1 of 2 renewed = 0.50");

        var medium = AccountBuilder.Account().RenewsInDays(150).Outcomes(10, 5).Score(policy);
        Forecast.Odds(medium, policy, table).Probability.Should().Be(0.65m, "0.70 - 0.05 from the policy table: the cell has no renewal");
        table.Describe().Should().Contain("2 of 16 cells");
    }

    [Fact]
    public void A_renewal_whose_forecast_date_is_after_as_of_is_skipped_with_its_reason()
    {
        var h = HistoryBuilder.Account("e", new DateOnly(2026, 12, 31), 10_000m).OnTrack()
            .Recorded(new DateOnly(2026, 12, 31), RenewalOutcome.Renewed, new DateOnly(2026, 9, 1)).Build();
        var (rows, skipped) = Backtest.Of(h, Start, new DateOnly(2027, 1, 1), 30, new DateOnly(2026, 10, 31), Policy);
        rows.Should().BeEmpty();
        skipped.Should().ContainSingle().Which.Reason.Should().Contain("after as_of");
    }
}
