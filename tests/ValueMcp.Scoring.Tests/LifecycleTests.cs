using ValueMcp.Scoring;
using static ValueMcp.Scoring.Tests.AccountBuilder;

namespace ValueMcp.Scoring.Tests;

/// <summary>Time to first value, TTFV breach and lifecycle stage.</summary>
public class TimeToFirstValueTests
{
    private static readonly DateOnly Start = AsOf.AddDays(-200);

    [Fact]
    public void Ttfv_is_days_from_contract_start_to_the_first_evidenced_outcome()
    {
        var score = Account().ContractStartedOn(Start).FirstEvidencedOn(Start.AddDays(40)).FirstValueMilestoneOn(null).Score();

        score.FirstValueAt.Should().Be(Start.AddDays(40));
        score.TimeToFirstValueDays.Should().Be(40);
        score.TtfvBreach.Should().BeFalse();
    }

    [Fact]
    public void A_first_value_milestone_earlier_than_the_first_evidence_wins()
    {
        var score = Account().ContractStartedOn(Start).FirstEvidencedOn(Start.AddDays(40)).FirstValueMilestoneOn(Start.AddDays(30)).Score();

        score.FirstValueAt.Should().Be(Start.AddDays(30));
        score.TimeToFirstValueDays.Should().Be(30);
    }

    [Fact]
    public void A_first_evidence_earlier_than_the_first_value_milestone_wins()
    {
        var score = Account().ContractStartedOn(Start).FirstEvidencedOn(Start.AddDays(20)).FirstValueMilestoneOn(Start.AddDays(30)).Score();

        score.FirstValueAt.Should().Be(Start.AddDays(20));
        score.TimeToFirstValueDays.Should().Be(20);
    }

    [Fact]
    public void A_first_value_milestone_alone_gives_first_value()
    {
        var score = Account().Outcomes(3, 0).ContractStartedOn(Start).FirstValueMilestoneOn(Start.AddDays(100)).Score();

        score.TimeToFirstValueDays.Should().Be(100);
        score.TtfvBreach.Should().BeFalse("a first value was reached, however late");
    }

    [Fact]
    public void No_first_value_and_exactly_75_days_since_contract_start_is_not_a_breach()
    {
        var score = Account().Outcomes(3, 0).NothingReached().ContractStartedDaysAgo(75).Score();

        score.FirstValueAt.Should().BeNull();
        score.TimeToFirstValueDays.Should().BeNull();
        score.TtfvBreach.Should().BeFalse();
    }

    [Fact]
    public void No_first_value_and_76_days_since_contract_start_is_a_breach()
    {
        Account().Outcomes(3, 0).NothingReached().ContractStartedDaysAgo(76).Score().TtfvBreach.Should().BeTrue();
    }

    [Fact]
    public void Ttfv_breach_threshold_comes_from_the_policy()
    {
        var policy = ScoringPolicy.Default with { TtfvBreachDays = 30 };

        Account().Outcomes(3, 0).NothingReached().ContractStartedDaysAgo(31).Score(policy).TtfvBreach.Should().BeTrue();
    }
}

public class LifecycleStageTests
{
    [Fact]
    public void Renewal_when_the_renewal_flag_is_not_none_even_if_ready()
    {
        var score = Account().Outcomes(10, 10).Utilisation(0.9m).RenewsInDays(170).Score();

        score.Readiness.Value.Should().Be(Readiness.Ready);
        score.Stage.Should().Be(LifecycleStage.Renewal);
    }

    [Fact]
    public void Renewal_when_the_renewal_date_has_passed()
    {
        Account().RenewsInDays(-1).Score().Stage.Should().Be(LifecycleStage.Renewal);
    }

    [Fact]
    public void Expansion_when_ready_and_no_renewal_flag()
    {
        Account().Outcomes(10, 10).Utilisation(0.9m).RenewsInDays(181).Score().Stage.Should().Be(LifecycleStage.Expansion);
    }

    [Fact]
    public void Adoption_when_an_outcome_is_evidenced()
    {
        Account().Outcomes(10, 1).Score().Stage.Should().Be(LifecycleStage.Adoption);
    }

    [Fact]
    public void First_value_when_a_live_first_value_or_adopted_milestone_is_reached_and_nothing_is_evidenced()
    {
        Account().Outcomes(10, 0).NothingReached().LiveOrLaterMilestone(true).Score().Stage.Should().Be(LifecycleStage.FirstValue);
    }

    [Fact]
    public void Onboarding_otherwise()
    {
        Account().Outcomes(10, 0).NothingReached().Score().Stage.Should().Be(LifecycleStage.Onboarding);
        Account().NoContract().NothingReached().Score().Stage.Should().Be(LifecycleStage.Onboarding);
    }
}
