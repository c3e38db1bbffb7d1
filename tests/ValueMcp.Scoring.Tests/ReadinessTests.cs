using ValueMcp.Scoring;
using static ValueMcp.Scoring.Tests.AccountBuilder;

namespace ValueMcp.Scoring.Tests;

/// <summary>Expansion readiness and the suggested lane.</summary>
public class ReadinessTests
{
    // ready

    [Fact]
    public void Ready_at_fulfilment_0_80_and_utilisation_0_85_with_steady_engagement()
    {
        var score = Account().Outcomes(10, 8).Utilisation(0.85m).Score();

        score.Readiness.Value.Should().Be(Readiness.Ready);
        score.Readiness.Reason.Should().Contain("utilisation 0.85");
    }

    [Fact]
    public void Utilisation_just_below_0_85_is_not_ready_but_emerging()
    {
        var score = Account().Outcomes(10, 8).Utilisation(0.8499m).Score();

        score.Readiness.Value.Should().Be(Readiness.Emerging);
    }

    [Fact]
    public void Fulfilment_just_below_0_80_is_not_ready_but_emerging()
    {
        var score = Account().Outcomes(100, 79).Utilisation(0.95m).Score();

        score.Readiness.Value.Should().Be(Readiness.Emerging);
    }

    [Fact]
    public void Declining_engagement_prevents_ready()
    {
        var score = Account().Outcomes(10, 10).Utilisation(0.95m).Engagement(-1).Score();

        score.Readiness.Value.Should().Be(Readiness.Emerging, "declining engagement only rules out ready; utilisation >= 0.70 still gives emerging");
    }

    [Fact]
    public void Growing_engagement_allows_ready()
    {
        Account().Outcomes(10, 9).Utilisation(0.9m).Engagement(2).Score().Readiness.Value.Should().Be(Readiness.Ready);
    }

    [Theory]
    [InlineData(1, 0, 0)]
    [InlineData(0, 1, 0)]
    [InlineData(0, 0, 1)]
    public void Unknown_utilisation_is_satisfied_for_ready_by_a_positive_usage_data_or_capacity_signal(int usage, int data, int capacity)
    {
        var score = Account().Outcomes(10, 9).UnknownUtilisation()
            .PositiveSignals(usage: usage, data: data, capacity: capacity).Score();

        score.Utilisation.Should().BeNull();
        score.Readiness.Value.Should().Be(Readiness.Ready);
        score.Readiness.Reason.Should().Contain("utilisation unknown");
    }

    [Fact]
    public void Unknown_used_capacity_with_known_contracted_capacity_also_uses_the_signal_rule()
    {
        Account().Outcomes(10, 9).Capacity(100m, null).PositiveSignals(data: 1).Score()
            .Readiness.Value.Should().Be(Readiness.Ready);
    }

    [Fact]
    public void Unknown_utilisation_without_a_positive_usage_data_or_capacity_signal_is_not_ready()
    {
        var score = Account().Outcomes(10, 10).UnknownUtilisation().Score();

        score.Readiness.Value.Should().Be(Readiness.NotReady);
    }

    [Fact]
    public void A_positive_success_signal_alone_does_not_stand_in_for_unknown_utilisation()
    {
        var score = Account().Outcomes(10, 10).UnknownUtilisation().PositiveSignals(success: 2).Score();

        score.Readiness.Value.Should().Be(Readiness.NotReady);
    }

    // emerging

    [Fact]
    public void Emerging_at_fulfilment_0_60_and_utilisation_0_70()
    {
        var score = Account().Outcomes(10, 6).Utilisation(0.70m).Score();

        score.Readiness.Value.Should().Be(Readiness.Emerging);
        score.Readiness.Reason.Should().Contain("utilisation 0.7");
    }

    [Fact]
    public void Utilisation_just_below_0_70_with_steady_engagement_is_not_ready()
    {
        Account().Outcomes(10, 6).Utilisation(0.6999m).Score().Readiness.Value.Should().Be(Readiness.NotReady);
    }

    [Fact]
    public void Utilisation_just_below_0_70_with_growing_engagement_is_emerging()
    {
        var score = Account().Outcomes(10, 6).Utilisation(0.6999m).Engagement(1).Score();

        score.Readiness.Value.Should().Be(Readiness.Emerging);
        score.Readiness.Reason.Should().Contain("engagement growing");
    }

    [Fact]
    public void Fulfilment_just_below_0_60_is_not_ready_whatever_the_usage()
    {
        Account().Outcomes(100, 59).Utilisation(0.95m).Engagement(3).Score().Readiness.Value.Should().Be(Readiness.NotReady);
    }

    [Fact]
    public void Unknown_utilisation_counts_as_not_0_70_for_emerging_even_with_a_positive_data_signal()
    {
        // fulfilment 0.70: too low for ready, enough for emerging; utilisation unknown, engagement steady
        var score = Account().Outcomes(10, 7).UnknownUtilisation().PositiveSignals(data: 3).Score();

        score.Readiness.Value.Should().Be(Readiness.NotReady);
    }

    [Fact]
    public void Unknown_utilisation_with_growing_engagement_is_emerging()
    {
        Account().Outcomes(10, 7).UnknownUtilisation().Engagement(2).Score().Readiness.Value.Should().Be(Readiness.Emerging);
    }

    [Fact]
    public void No_contract_is_not_ready()
    {
        var score = Account().NoContract().Utilisation(1m).Engagement(3).Score();

        score.Readiness.Value.Should().Be(Readiness.NotReady);
        score.Readiness.Reason.Should().Contain("no value contract");
    }

    // blocked

    [Fact]
    public void Band_critical_blocks_readiness()
    {
        var score = Account().Outcomes(10, 3).Utilisation(1m).Engagement(3).Score();

        score.Band.Value.Should().Be(Band.Critical);
        score.Readiness.Value.Should().Be(Readiness.Blocked);
        score.Readiness.Reason.Should().Contain("critical");
    }

    [Theory]
    [InlineData("risk", "ticket_spike")]
    [InlineData("usage", "login_decline")]
    public void A_risk_signal_blocks_readiness_even_for_an_otherwise_ready_account(string category, string kind)
    {
        var score = Account().Outcomes(10, 10).Utilisation(1m).RiskSignal(kind, category).Score();

        score.Readiness.Value.Should().Be(Readiness.Blocked);
        score.Readiness.Reason.Should().Contain(kind).And.Contain("sig-1");
    }

    [Fact]
    public void Readiness_thresholds_come_from_the_policy()
    {
        var policy = ScoringPolicy.Default with { ReadyFulfilment = 0.5m, ReadyUtilisation = 0.5m };

        Account().Outcomes(10, 5).Utilisation(0.5m).Score(policy).Readiness.Value.Should().Be(Readiness.Ready);
    }
}

public class LaneTests
{
    [Theory]
    [InlineData(0, 0, 0, 0, ExpansionLane.Modules)]                 // no signal
    [InlineData(1, 1, 0, 0, ExpansionLane.Modules)]                 // usage + success
    [InlineData(0, 0, 1, 0, ExpansionLane.DataIntegration)]
    [InlineData(0, 0, 0, 1, ExpansionLane.ManagedServices)]
    [InlineData(1, 1, 3, 0, ExpansionLane.DataIntegration)]         // 3 > 2
    [InlineData(1, 1, 2, 0, ExpansionLane.Modules)]                 // tie modules / data
    [InlineData(1, 0, 0, 1, ExpansionLane.Modules)]                 // tie modules / managed
    [InlineData(0, 0, 2, 2, ExpansionLane.Modules)]                 // tie at the top between data and managed
    [InlineData(1, 0, 2, 2, ExpansionLane.Modules)]                 // tie at the top, modules below
    [InlineData(1, 0, 3, 2, ExpansionLane.DataIntegration)]
    [InlineData(0, 1, 2, 3, ExpansionLane.ManagedServices)]
    public void Lane_with_the_most_positive_signals_wins_and_a_tie_or_none_gives_modules(
        int usage, int success, int data, int capacity, ExpansionLane expected)
    {
        var recent = new RecentSignals(0, usage, success, data, capacity, []);

        var lane = AccountScoring.SuggestLane(recent);

        lane.Lane.Should().Be(expected);
        lane.Timing.Should().Be(AccountScoring.TimingOf(expected));
    }

    [Fact]
    public void Lane_reason_gives_the_counts()
    {
        var lane = AccountScoring.SuggestLane(new RecentSignals(0, 1, 1, 3, 0, []));

        lane.Reason.Should().Contain("modules 2").And.Contain("data_integration 3").And.Contain("managed_services 0");
    }

    [Fact]
    public void Lane_timings_are_those_of_the_seeds()
    {
        AccountScoring.TimingOf(ExpansionLane.Modules).Should().Contain("4-6 months after onboarding");
        AccountScoring.TimingOf(ExpansionLane.DataIntegration).Should().Contain("3-4 months after first value");
        AccountScoring.TimingOf(ExpansionLane.ManagedServices).Should().Contain("6-12 months after adoption");
    }

    [Fact]
    public void Ready_and_emerging_accounts_get_a_lane()
    {
        Account().Outcomes(10, 10).Utilisation(0.9m).PositiveSignals(data: 2).Score()
            .Lane!.Lane.Should().Be(ExpansionLane.DataIntegration);
        Account().Outcomes(10, 6).Utilisation(0.7m).PositiveSignals(capacity: 1).Score()
            .Lane!.Lane.Should().Be(ExpansionLane.ManagedServices);
    }

    [Fact]
    public void Not_ready_and_blocked_accounts_get_no_lane()
    {
        Account().Outcomes(10, 10).PositiveSignals(success: 1).Score().Lane.Should().BeNull();
        Account().Outcomes(10, 3).Utilisation(1m).Score().Lane.Should().BeNull();
    }
}
