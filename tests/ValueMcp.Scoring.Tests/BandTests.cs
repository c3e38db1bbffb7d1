using ValueMcp.Scoring;
using static ValueMcp.Scoring.Tests.AccountBuilder;

namespace ValueMcp.Scoring.Tests;

/// <summary>Fulfilment score and band (domain.md, "Fulfilment score" and "Band").</summary>
public class BandTests
{
    [Fact]
    public void Seed_example_four_promised_two_evidenced_is_half_and_at_risk()
    {
        var score = Account().Outcomes(promised: 4, evidenced: 2).Score();

        score.Fulfilment.Should().Be(0.50m);
        score.Band.Value.Should().Be(Band.AtRisk);
    }

    [Fact]
    public void Fulfilment_exactly_0_70_is_on_track()
    {
        var score = Account().Outcomes(promised: 10, evidenced: 7).Score();

        score.Fulfilment.Should().Be(0.70m);
        score.Band.Value.Should().Be(Band.OnTrack);
    }

    [Fact]
    public void Fulfilment_just_below_0_70_is_at_risk()
    {
        var score = Account().Outcomes(promised: 100, evidenced: 69).Score();

        score.Fulfilment.Should().Be(0.69m);
        score.Band.Value.Should().Be(Band.AtRisk);
    }

    [Fact]
    public void Two_thirds_is_below_0_70_and_at_risk()
    {
        Account().Outcomes(promised: 3, evidenced: 2).Score().Band.Value.Should().Be(Band.AtRisk);
    }

    [Fact]
    public void Fulfilment_exactly_0_40_is_at_risk()
    {
        var score = Account().Outcomes(promised: 10, evidenced: 4).Score();

        score.Fulfilment.Should().Be(0.40m);
        score.Band.Value.Should().Be(Band.AtRisk);
    }

    [Fact]
    public void Fulfilment_just_below_0_40_is_critical()
    {
        var score = Account().Outcomes(promised: 100, evidenced: 39).Score();

        score.Fulfilment.Should().Be(0.39m);
        score.Band.Value.Should().Be(Band.Critical);
    }

    [Fact]
    public void Nothing_evidenced_is_critical_with_fulfilment_zero()
    {
        var score = Account().Outcomes(promised: 3, evidenced: 0).Score();

        score.Fulfilment.Should().Be(0m);
        score.Band.Value.Should().Be(Band.Critical);
    }

    [Fact]
    public void No_promised_outcome_is_no_contract_with_no_fulfilment()
    {
        var score = Account().NoContract().Score();

        score.Fulfilment.Should().BeNull();
        score.Band.Value.Should().Be(Band.NoContract);
        score.Band.Reason.Should().Contain("no promised outcome");
    }

    [Fact]
    public void Band_reason_names_the_fulfilment_and_counts()
    {
        var score = Account().Outcomes(promised: 4, evidenced: 2).Score();

        score.Band.Reason.Should().Contain("0.5").And.Contain("2 of 4");
    }

    [Fact]
    public void Band_reason_states_the_low_confidence_caveat()
    {
        var score = Account().Outcomes(promised: 4, evidenced: 3).LowConfidenceOnly(2).Score();

        score.Band.Reason.Should().Contain("2 evidenced outcome(s) rest on low-confidence evidence only");
    }

    [Fact]
    public void Band_thresholds_come_from_the_policy()
    {
        var policy = ScoringPolicy.Default with { OnTrackFulfilment = 0.50m, AtRiskFulfilment = 0.25m };

        Account().Outcomes(4, 2).Score(policy).Band.Value.Should().Be(Band.OnTrack);
        Account().Outcomes(4, 1).Score(policy).Band.Value.Should().Be(Band.AtRisk);
        Account().Outcomes(5, 1).Score(policy).Band.Value.Should().Be(Band.Critical);
    }

    [Theory]
    [InlineData(null, Band.NoContract)]
    [InlineData("1", Band.OnTrack)]
    [InlineData("0.7", Band.OnTrack)]
    [InlineData("0.6999", Band.AtRisk)]
    [InlineData("0.4", Band.AtRisk)]
    [InlineData("0.3999", Band.Critical)]
    [InlineData("0", Band.Critical)]
    public void BandOf_maps_fulfilment_to_band(string? fulfilment, Band expected)
    {
        decimal? f = fulfilment is null ? null : decimal.Parse(fulfilment, System.Globalization.CultureInfo.InvariantCulture);

        AccountScoring.BandOf(f, ScoringPolicy.Default).Should().Be(expected);
    }

    [Fact]
    public void Fulfilment_is_evidenced_over_promised_and_null_without_promises()
    {
        AccountScoring.Fulfilment(4, 2).Should().Be(0.5m);
        AccountScoring.Fulfilment(0, 0).Should().BeNull();
    }
}

/// <summary>Renewal flag, utilisation and engagement.</summary>
public class RenewalFlagUtilisationEngagementTests
{
    [Theory]
    [InlineData(0, RenewalFlag.Red)]
    [InlineData(90, RenewalFlag.Red)]
    [InlineData(91, RenewalFlag.Amber)]
    [InlineData(180, RenewalFlag.Amber)]
    [InlineData(181, RenewalFlag.None)]
    [InlineData(365, RenewalFlag.None)]
    public void Renewal_flag_by_days_to_renewal(int days, RenewalFlag expected)
    {
        var score = Account().RenewsInDays(days).Score();

        score.DaysToRenewal.Should().Be(days);
        score.RenewalFlag.Should().Be(expected);
    }

    [Fact]
    public void A_renewal_date_already_passed_is_red_with_negative_days()
    {
        var score = Account().RenewsInDays(-30).Score();

        score.DaysToRenewal.Should().Be(-30);
        score.RenewalFlag.Should().Be(RenewalFlag.Red);
    }

    [Fact]
    public void Days_to_renewal_is_renewal_date_minus_as_of()
    {
        AccountScoring.DaysToRenewal(new DateOnly(2026, 6, 29), new DateOnly(2026, 3, 31)).Should().Be(90);
    }

    [Fact]
    public void Renewal_flag_thresholds_come_from_the_policy()
    {
        var policy = ScoringPolicy.Default with { RenewalRedDays = 30, RenewalAmberDays = 60 };

        AccountScoring.Flag(30, policy).Should().Be(RenewalFlag.Red);
        AccountScoring.Flag(31, policy).Should().Be(RenewalFlag.Amber);
        AccountScoring.Flag(61, policy).Should().Be(RenewalFlag.None);
    }

    [Fact]
    public void Utilisation_is_used_over_contracted()
    {
        Account().Capacity(200m, 170m).Score().Utilisation.Should().Be(0.85m);
    }

    [Theory]
    [InlineData(null, 50)]
    [InlineData(100, null)]
    [InlineData(null, null)]
    public void Utilisation_is_empty_when_either_capacity_is(int? contracted, int? used)
    {
        Account().Capacity(contracted, used).Score().Utilisation.Should().BeNull();
    }

    [Fact]
    public void Utilisation_over_zero_contracted_capacity_is_empty_rather_than_a_division_by_zero()
    {
        AccountScoring.Utilisation(0m, 10m).Should().BeNull();
    }

    [Theory]
    [InlineData(3, Engagement.Growing)]
    [InlineData(1, Engagement.Growing)]
    [InlineData(0, Engagement.Steady)]
    [InlineData(-1, Engagement.Declining)]
    public void Engagement_from_the_sum_of_polarities(int sum, Engagement expected)
    {
        Account().Engagement(sum).Score().Engagement.Should().Be(expected);
    }

    [Fact]
    public void No_signal_at_all_is_steady()
    {
        Account().Score().Engagement.Should().Be(Engagement.Steady);
    }

    [Fact]
    public void Recent_window_is_the_90_days_ending_on_as_of_both_ends_included()
    {
        ScoringPolicy.Default.RecentWindowStart(new DateOnly(2026, 3, 31)).Should().Be(new DateOnly(2026, 1, 1));
    }
}
