using ValueMcp.Scoring;
using static ValueMcp.Scoring.Tests.AccountBuilder;

namespace ValueMcp.Scoring.Tests;

/// <summary>The renewal forecast: the probability table, the scenario rules, and ranges that are monotone and add up.</summary>
public class ForecastTests
{
    private static readonly ScoringPolicy Policy = ScoringPolicy.Default;

    [Fact]
    public void A_low_risk_on_track_steady_account_renews_at_base_plus_band()
    {
        // Renews in 60 days (flag red), on track, no risk signal, nothing overdue: risk low.
        var a = Account().RenewsInDays(60).Score();
        a.Risk.Value.Should().Be(RenewalRisk.Low);

        var odds = Forecast.Odds(a, Policy);

        odds.Probability.Should().Be(0.95m); // 0.90 + 0.05
        odds.Role.Should().Be(ScenarioRole.Steady);
        odds.DownsideProbability.Should().Be(0.95m);
        odds.UpsideProbability.Should().Be(1m);
        odds.Reason.Should().Contain("risk low 0.90").And.Contain("band on_track +0.05").And.Contain("engagement steady +0.00");
        odds.ScenarioNote.Should().StartWith("steady");
    }

    [Fact]
    public void A_high_risk_account_is_lost_in_the_downside_and_not_saved_in_the_upside()
    {
        // Red flag and band at_risk: high. Declining engagement and a risk signal lower it further.
        var a = Account().RenewsInDays(30).Outcomes(10, 5).Engagement(-2).RiskSignal("sponsor_change").Score();
        a.Risk.Value.Should().Be(RenewalRisk.High);

        var odds = Forecast.Odds(a, Policy);

        odds.Probability.Should().Be(0.40m - 0.05m - 0.10m - 0.10m);
        odds.Role.Should().Be(ScenarioRole.HighRisk);
        odds.DownsideProbability.Should().Be(0m);
        odds.UpsideProbability.Should().Be(odds.Probability);
        odds.Reason.Should().Contain("1 risk signal(s) -0.10");
        odds.ScenarioNote.Should().Contain("lost in the downside").And.Contain("a save is not assumed");
    }

    [Fact]
    public void The_floor_and_ceiling_clamp_the_probability_and_the_reason_says_so()
    {
        // 0.40 (high) - 0.15 (critical) - 0.10 (declining) - 0.10 (risk signal) = 0.05, below a floor of 0.10.
        var policy = Policy with { RenewalProbabilityFloor = 0.10m };
        var worst = Account().RenewsInDays(10).Outcomes(10, 1).Engagement(-3).RiskSignal().Score(policy);
        var odds = Forecast.Odds(worst, policy);
        odds.Probability.Should().Be(0.10m);
        odds.Reason.Should().Contain("= 0.05, clamped to the floor 0.10");

        var best = Account().RenewsInDays(60).Engagement(3).Score();
        var top = Forecast.Odds(best, Policy);
        top.Probability.Should().Be(Policy.RenewalProbabilityCeiling, "0.90 + 0.05 + 0.05 = 1.00 is above the ceiling");
        top.Reason.Should().Contain("clamped to the ceiling 0.97");
    }

    [Fact]
    public void A_risk_signal_on_an_on_track_account_makes_it_exposed_lost_in_the_downside_renewed_in_the_upside()
    {
        var a = Account().RenewsInDays(60).RiskSignal("login_decline", "usage").Score();
        a.Risk.Value.Should().Be(RenewalRisk.Medium);

        var odds = Forecast.Odds(a, Policy);

        odds.Role.Should().Be(ScenarioRole.Exposed);
        odds.Probability.Should().Be(0.70m + 0.05m - 0.10m);
        odds.DownsideProbability.Should().Be(0m);
        odds.UpsideProbability.Should().Be(1m);
        odds.ScenarioNote.Should().Contain("login_decline");
    }

    [Fact]
    public void A_renewal_beyond_the_risk_horizon_uses_the_unassessed_base()
    {
        var a = Account().RenewsInDays(300).Score();
        a.Risk.Value.Should().Be(RenewalRisk.None);
        Forecast.Odds(a, Policy).Probability.Should().Be(0.85m + 0.05m);
        Forecast.Odds(a, Policy).Reason.Should().Contain("risk none (not assessed) 0.85");
    }

    [Fact]
    public void An_override_of_the_risk_is_what_the_forecast_uses()
    {
        var a = Account().RenewsInDays(60).Override(OverrideField.Risk, "high", "exec escalation").Score();
        Forecast.Odds(a, Policy).Role.Should().Be(ScenarioRole.HighRisk);
    }

    [Fact]
    public void The_probability_table_comes_from_the_policy()
    {
        var policy = Policy with { RenewalProbabilityLowRisk = 0.5m, ProbabilityAdjustmentOnTrack = 0m };
        Forecast.Odds(Account().RenewsInDays(60).Score(policy), policy).Probability.Should().Be(0.5m);
    }

    /// <summary>Every combination of risk-relevant facts, with varied ARR.</summary>
    private static IEnumerable<AccountScore> Generated()
    {
        var rng = new Random(42);
        var i = 0;
        foreach (var days in new[] { -10, 0, 30, 90, 120, 180, 200, 400 })
        foreach (var (promised, evidenced) in new[] { (10, 10), (10, 6), (10, 3), (0, 0) })
        foreach (var engagement in new[] { -2, 0, 2 })
        foreach (var signals in new[] { 0, 1, 3 })
        foreach (var overdue in new[] { false, true })
        {
            var b = Account($"acc-{i++:0000}").RenewsInDays(days).Outcomes(promised, evidenced).Engagement(engagement)
                .WithArr(Math.Round((decimal)(rng.NextDouble() * 900_000 + 1_000), 2));
            for (var s = 0; s < signals; s++) b.RiskSignal($"risk_{s}");
            if (overdue && promised > evidenced) b.Overdue("Cut cycle time");
            yield return b.Score();
        }
    }

    [Fact]
    public void Every_account_has_downside_le_probability_le_upside_within_0_and_1()
    {
        foreach (var a in Generated())
        {
            var o = Forecast.Odds(a, Policy);
            o.DownsideProbability.Should().BeGreaterThanOrEqualTo(0m);
            o.DownsideProbability.Should().BeLessThanOrEqualTo(o.Probability, a.Id);
            o.Probability.Should().BeLessThanOrEqualTo(o.UpsideProbability, a.Id);
            o.UpsideProbability.Should().BeLessThanOrEqualTo(1m);
            o.Probability.Should().BeInRange(Policy.RenewalProbabilityFloor, Policy.RenewalProbabilityCeiling);
        }
    }

    [Fact]
    public void Ranges_are_monotone_and_equal_to_the_sums_of_their_parts_for_any_subset()
    {
        var all = Generated().ToList();
        var rng = new Random(7);
        for (var round = 0; round < 200; round++)
        {
            var subset = all.Where(_ => rng.NextDouble() < 0.1).ToList();
            var f = Forecast.Of(subset, Policy);

            f.Accounts.Should().HaveCount(subset.Count);
            f.ArrDue.Should().Be(subset.Sum(a => a.Arr));
            f.Downside.Should().Be(f.Accounts.Sum(a => a.Downside));
            f.Base.Should().Be(f.Accounts.Sum(a => a.Base));
            f.Upside.Should().Be(f.Accounts.Sum(a => a.Upside));
            f.Downside.Should().BeLessThanOrEqualTo(f.Base);
            f.Base.Should().BeLessThanOrEqualTo(f.Upside);
            f.Upside.Should().BeLessThanOrEqualTo(f.ArrDue);
            foreach (var a in f.Accounts)
            {
                a.Base.Should().Be(a.Arr * a.Odds.Probability);
                a.Downside.Should().BeLessThanOrEqualTo(a.Base);
                a.Base.Should().BeLessThanOrEqualTo(a.Upside);
            }
        }
    }

    [Fact]
    public void Accounts_are_listed_lowest_probability_first_then_largest_arr()
    {
        var f = Forecast.Of(
        [
            Account("b").RenewsInDays(60).WithArr(10m).Score(),
            Account("a").RenewsInDays(60).WithArr(20m).Score(),
            Account("c").RenewsInDays(30).Outcomes(10, 5).WithArr(5m).Score(),
        ], Policy);
        f.Accounts.Select(a => a.Account.Id).Should().Equal("c", "a", "b");
    }

    [Fact]
    public void An_empty_forecast_is_all_zero()
    {
        var f = Forecast.Of([], Policy);
        (f.ArrDue, f.Downside, f.Base, f.Upside).Should().Be((0m, 0m, 0m, 0m));
    }
}

/// <summary>The accounts that move the range: largest upside - downside first, then ARR, then id; never a steady-in-full one.</summary>
public class ForecastMoverTests
{
    [Fact]
    public void Movers_are_the_largest_gaps_between_upside_and_downside_then_arr_then_id_at_most_five()
    {
        // high-risk accounts: downside 0, upside = ARR x p; steady ones: downside = base, upside = ARR.
        var accounts = new[]
        {
            Account("h1").WithArr(100_000m).RenewsInDays(30).Outcomes(10, 5).Score(),   // high risk, p 0.40 + band
            Account("h2").WithArr(100_000m).RenewsInDays(30).Outcomes(10, 5).Score(),   // same gap as h1: id decides
            Account("s1").WithArr(400_000m).RenewsInDays(60).Score(),                   // steady: gap 400k x (1 - p)
            Account("s2").WithArr(10_000m).RenewsInDays(60).Score(),
            Account("s3").WithArr(20_000m).RenewsInDays(60).Score(),
            Account("s4").WithArr(30_000m).RenewsInDays(60).Score(),
            Account("s5").WithArr(5_000m).RenewsInDays(60).Score(),
        };
        var forecast = Forecast.Of(accounts, ScoringPolicy.Default);
        var movers = Forecast.Movers(forecast);

        movers.Should().HaveCount(Forecast.MoverCount);
        var gaps = movers.Select(m => m.Upside - m.Downside).ToList();
        gaps.Should().BeInDescendingOrder();
        var want = forecast.Accounts.Where(f => f.Upside != f.Downside)
            .OrderByDescending(f => f.Upside - f.Downside).ThenByDescending(f => f.Arr).ThenBy(f => f.Account.Id, StringComparer.Ordinal)
            .Take(5).Select(f => f.Account.Id);
        movers.Select(m => m.Account.Id).Should().Equal(want);
        movers.Select(m => m.Account.Id).Should().ContainInOrder("h1", "h2");
        movers.Select(m => m.Account.Id).Should().NotContain("s5", "the smallest gap is left out of five");
        Forecast.Movers(forecast, 2).Should().HaveCount(2);
        Forecast.Movers(Forecast.Of([], ScoringPolicy.Default)).Should().BeEmpty();
    }

    [Fact]
    public void Cohort_filters_match_the_year_or_quarter_of_contract_start_as_retention_groups_them()
    {
        var facts = new[]
        {
            Account("q1").ContractStartedOn(new DateOnly(2024, 3, 31)).Build(),
            Account("q2").ContractStartedOn(new DateOnly(2024, 4, 1)).Build(),
            Account("y25").ContractStartedOn(new DateOnly(2025, 12, 31)).Build(),
        };
        string[] Ids(PortfolioFilter f) => Portfolio.Select(facts, AsOf, ScoringPolicy.Default, f).Select(a => a.Id).Order(StringComparer.Ordinal).ToArray();
        Ids(new PortfolioFilter { CohortYear = "2024" }).Should().Equal("q1", "q2");
        Ids(new PortfolioFilter { CohortQuarter = "2024-Q1" }).Should().Equal("q1");
        Ids(new PortfolioFilter { CohortQuarter = "2024-Q2" }).Should().Equal("q2");
        Ids(new PortfolioFilter { CohortYear = "2025", CohortQuarter = "2025-Q4" }).Should().Equal("y25");
        Ids(new PortfolioFilter { CohortYear = "2023" }).Should().BeEmpty();
        foreach (var f in facts)
            new PortfolioFilter { CohortQuarter = Retention.GroupOf(f.Profile, RetentionGrouping.CohortQuarter) }.Matches(AccountScoring.Score(f, AsOf, ScoringPolicy.Default))
                .Should().BeTrue();
    }
}
