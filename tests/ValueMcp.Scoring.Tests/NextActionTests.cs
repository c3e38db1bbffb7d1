using ValueMcp.Scoring;
using static ValueMcp.Scoring.Tests.AccountBuilder;

namespace ValueMcp.Scoring.Tests;

/// <summary>Next recommended action, every rule in priority order.</summary>
public class NextActionTests
{
    private static NextAction Action(AccountBuilder account) => account.Score().NextAction;

    // 1. escalate_renewal_risk

    [Fact]
    public void Escalate_when_renewal_risk_is_high_before_anything_else()
    {
        // also: no promised outcome would give establish_value_contract
        var action = Action(Account().NoContract().RenewsInDays(30));

        action.Kind.Should().Be(ActionKind.EscalateRenewalRisk);
        action.Reason.Should().Contain("renewal risk high");
    }

    [Fact]
    public void Escalate_before_capturing_overdue_evidence()
    {
        Action(Account().Outcomes(10, 5).RenewsInDays(60).Overdue("Cut cycle time")).Kind.Should().Be(ActionKind.EscalateRenewalRisk);
    }

    [Fact]
    public void Medium_renewal_risk_does_not_escalate()
    {
        Action(Account().Outcomes(10, 5).RenewsInDays(150)).Kind.Should().Be(ActionKind.ScheduleImpactReview);
    }

    // 2. establish_value_contract

    [Fact]
    public void Establish_a_value_contract_without_promised_outcomes()
    {
        Action(Account().NoContract()).Kind.Should().Be(ActionKind.EstablishValueContract);
    }

    // 3. capture_missing_evidence

    [Fact]
    public void Capture_missing_evidence_names_the_overdue_outcomes()
    {
        var action = Action(Account().Outcomes(10, 5).Overdue("Cut forecast cycle time by 40%", "Raise adoption"));

        action.Kind.Should().Be(ActionKind.CaptureMissingEvidence, "it comes before schedule_impact_review for an at_risk band");
        action.Reason.Should().Contain("2 overdue")
            .And.Contain("Cut forecast cycle time by 40%").And.Contain("[out-1]")
            .And.Contain("Raise adoption").And.Contain("[out-2]");
    }

    // 4. schedule_impact_review

    [Theory]
    [InlineData(5)]   // at_risk
    [InlineData(2)]   // critical
    public void Schedule_an_impact_review_for_at_risk_or_critical(int evidenced)
    {
        var action = Action(Account().Outcomes(10, evidenced));

        action.Kind.Should().Be(ActionKind.ScheduleImpactReview);
        action.Reason.Should().Contain($"{evidenced} of 10");
    }

    [Fact]
    public void An_impact_review_comes_before_an_expansion_conversation()
    {
        // band at_risk cannot be ready by the rules; a readiness override forces it
        var action = Action(Account().Outcomes(10, 5).Override(OverrideField.Readiness, "ready"));

        action.Kind.Should().Be(ActionKind.ScheduleImpactReview);
    }

    // 5. initiate_expansion_conversation

    [Fact]
    public void Initiate_an_expansion_conversation_when_ready_naming_the_lane()
    {
        var action = Action(Account().Outcomes(10, 10).Utilisation(0.9m).PositiveSignals(data: 2).LastExpansionDaysAgo(5));

        action.Kind.Should().Be(ActionKind.InitiateExpansionConversation, "it comes before request_advocacy");
        action.Reason.Should().Contain("data_integration");
    }

    // 6. request_advocacy

    [Theory]
    [InlineData(0)]
    [InlineData(59)]
    public void Request_advocacy_after_an_expansion_in_the_last_60_days(int daysAgo)
    {
        var action = Action(Account().Outcomes(10, 10).LastExpansionDaysAgo(daysAgo));

        action.Kind.Should().Be(ActionKind.RequestAdvocacy);
        action.Reason.Should().Contain("expansion on");
    }

    [Fact]
    public void An_expansion_60_days_ago_is_outside_the_window()
    {
        Action(Account().Outcomes(10, 10).LastExpansionDaysAgo(60)).Kind.Should().Be(ActionKind.Monitor);
    }

    [Theory]
    [InlineData(0, ActionKind.RequestAdvocacy)]
    [InlineData(59, ActionKind.RequestAdvocacy)]
    [InlineData(60, ActionKind.Monitor)]
    public void Request_advocacy_after_a_renewed_milestone_in_the_last_60_days(int daysAgo, ActionKind expected)
    {
        var action = Action(Account().Outcomes(10, 10).LastRenewedDaysAgo(daysAgo));

        action.Kind.Should().Be(expected);
        if (expected == ActionKind.RequestAdvocacy) action.Reason.Should().Contain("renewed on");
    }

    [Fact]
    public void A_win_dated_after_as_of_does_not_count()
    {
        Action(Account().Outcomes(10, 10).LastExpansionDaysAgo(-1)).Kind.Should().Be(ActionKind.Monitor);
    }

    [Fact]
    public void Advocacy_window_is_as_of_minus_59_to_as_of()
    {
        ScoringPolicy.Default.AdvocacyWindowStart(new DateOnly(2026, 3, 31)).Should().Be(new DateOnly(2026, 1, 31));
    }

    [Fact]
    public void Request_advocacy_at_fulfilment_exactly_0_90()
    {
        Action(Account().Outcomes(10, 9).LastRenewedDaysAgo(10)).Kind.Should().Be(ActionKind.RequestAdvocacy);
    }

    [Fact]
    public void No_advocacy_just_below_fulfilment_0_90()
    {
        Action(Account().Outcomes(100, 89).LastRenewedDaysAgo(10)).Kind.Should().Be(ActionKind.Monitor);
    }

    [Fact]
    public void No_advocacy_without_a_recent_win()
    {
        Action(Account().Outcomes(10, 10)).Kind.Should().Be(ActionKind.Monitor);
    }

    [Fact]
    public void No_advocacy_when_the_band_is_overridden_away_from_on_track()
    {
        // computed on_track with fulfilment 1.0, but the band in force is at_risk: impact review instead
        Action(Account().Outcomes(10, 10).LastRenewedDaysAgo(10).Override(OverrideField.Band, "at_risk"))
            .Kind.Should().Be(ActionKind.ScheduleImpactReview);
    }

    // 7. monitor

    [Fact]
    public void Monitor_when_no_rule_fires()
    {
        var action = Action(Account().Outcomes(10, 8));

        action.Kind.Should().Be(ActionKind.Monitor);
        action.Reason.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Action_kinds_are_declared_in_priority_order()
    {
        Enum.GetValues<ActionKind>().Should().Equal(
            ActionKind.EscalateRenewalRisk,
            ActionKind.EstablishValueContract,
            ActionKind.CaptureMissingEvidence,
            ActionKind.ScheduleImpactReview,
            ActionKind.InitiateExpansionConversation,
            ActionKind.RequestAdvocacy,
            ActionKind.Monitor);
    }
}
