using ValueMcp.Scoring;
using static ValueMcp.Scoring.Tests.AccountBuilder;

namespace ValueMcp.Scoring.Tests;

/// <summary>Overrides replace the value in force, keep the computed one with its reason, and flow downstream.</summary>
public class OverrideTests
{
    [Fact]
    public void Without_an_override_the_value_in_force_is_the_computed_one()
    {
        var band = Account().Outcomes(4, 2).Score().Band;

        band.Value.Should().Be(Band.AtRisk);
        band.Computed.Should().Be(Band.AtRisk);
        band.Override.Should().BeNull();
        band.Overridden.Should().BeFalse();
    }

    [Fact]
    public void A_band_override_replaces_the_value_and_keeps_the_computed_value_and_reason()
    {
        var score = Account().Outcomes(10, 10)
            .Override(OverrideField.Band, "critical", reason: "sponsor left, value not recognised", author: "vp.cs")
            .Score();

        score.Band.Value.Should().Be(Band.Critical);
        score.Band.Computed.Should().Be(Band.OnTrack);
        score.Band.Reason.Should().Contain("fulfilment 1.0", "the reason is the computed one, never hidden");
        score.Band.Overridden.Should().BeTrue();
        score.Band.Override!.Author.Should().Be("vp.cs");
        score.Band.Override.Reason.Should().Be("sponsor left, value not recognised");
        score.Fulfilment.Should().Be(1m, "the override replaces the band, not the facts");
    }

    [Fact]
    public void A_band_override_to_critical_blocks_readiness()
    {
        var score = Account().Outcomes(10, 10).Utilisation(0.95m).Override(OverrideField.Band, "critical").Score();

        score.Readiness.Value.Should().Be(Readiness.Blocked);
        score.Readiness.Overridden.Should().BeFalse("readiness itself is computed, from the band in force");
    }

    [Fact]
    public void A_band_override_feeds_renewal_risk_and_the_next_action()
    {
        var score = Account().Outcomes(10, 10).RenewsInDays(60).Override(OverrideField.Band, "at_risk").Score();

        score.Risk.Value.Should().Be(RenewalRisk.High);
        score.NextAction.Kind.Should().Be(ActionKind.EscalateRenewalRisk);
    }

    [Fact]
    public void A_readiness_override_feeds_the_lane_stage_and_next_action()
    {
        var score = Account().Outcomes(10, 10).Override(OverrideField.Readiness, "ready").Score();

        score.Readiness.Value.Should().Be(Readiness.Ready);
        score.Readiness.Computed.Should().Be(Readiness.NotReady);
        score.Lane.Should().NotBeNull();
        score.Stage.Should().Be(LifecycleStage.Expansion);
        score.NextAction.Kind.Should().Be(ActionKind.InitiateExpansionConversation);
    }

    [Fact]
    public void A_risk_override_to_high_escalates()
    {
        var score = Account().Outcomes(10, 10).Override(OverrideField.Risk, "high").Score();

        score.Risk.Value.Should().Be(RenewalRisk.High);
        score.Risk.Computed.Should().Be(RenewalRisk.None);
        score.NextAction.Kind.Should().Be(ActionKind.EscalateRenewalRisk);
    }

    [Fact]
    public void A_risk_override_down_from_high_stops_the_escalation()
    {
        var score = Account().Outcomes(10, 5).RenewsInDays(30).Override(OverrideField.Risk, "medium").Score();

        score.Risk.Computed.Should().Be(RenewalRisk.High);
        score.Risk.Value.Should().Be(RenewalRisk.Medium);
        score.NextAction.Kind.Should().Be(ActionKind.ScheduleImpactReview);
    }

    [Fact]
    public void Override_values_are_read_case_insensitively()
    {
        Account().Override(OverrideField.Band, " AT_RISK ").Score().Band.Value.Should().Be(Band.AtRisk);
    }

    [Fact]
    public void An_override_with_an_unknown_value_is_not_applied()
    {
        var band = Account().Override(OverrideField.Band, "purple").Score().Band;

        band.Value.Should().Be(Band.OnTrack);
        band.Overridden.Should().BeFalse();
    }

    [Fact]
    public void An_override_of_another_field_does_not_apply()
    {
        // "blocked" is not a band
        var score = Account().Override(OverrideField.Readiness, "blocked").Score();

        score.Band.Overridden.Should().BeFalse();
        score.Readiness.Value.Should().Be(Readiness.Blocked);
    }

    [Fact]
    public void An_expired_override_is_not_in_force()
    {
        var band = Account().Override(OverrideField.Band, "critical", createdAt: AsOf.AddDays(-30), expiresAt: AsOf.AddDays(-1))
            .Score().Band;

        band.Value.Should().Be(Band.OnTrack);
        band.Overridden.Should().BeFalse();
    }

    [Fact]
    public void An_override_expiring_on_as_of_is_no_longer_in_force_that_day()
    {
        // expires_at is a dated fact: on that day the expiry counts (domain.md principle 2), so the override is gone.
        Account().Override(OverrideField.Band, "critical", createdAt: AsOf.AddDays(-30), expiresAt: AsOf)
            .Score().Band.Value.Should().Be(Band.OnTrack);
        Account().Override(OverrideField.Band, "critical", createdAt: AsOf.AddDays(-30), expiresAt: AsOf.AddDays(1))
            .Score().Band.Value.Should().Be(Band.Critical);
    }

    [Fact]
    public void An_override_created_after_as_of_does_not_count_yet()
    {
        Account().Override(OverrideField.Band, "critical", createdAt: AsOf.AddDays(1))
            .Score().Band.Value.Should().Be(Band.OnTrack);
    }

    [Fact]
    public void Among_overrides_in_force_the_most_recently_created_wins()
    {
        var band = Account()
            .Override(OverrideField.Band, "at_risk", createdAt: AsOf.AddDays(-2), author: "newer")
            .Override(OverrideField.Band, "critical", createdAt: AsOf.AddDays(-10), author: "older")
            .Score().Band;

        band.Value.Should().Be(Band.AtRisk);
        band.Override!.Author.Should().Be("newer");
    }

    [Fact]
    public void OverrideInForce_boundaries()
    {
        var o = new OverrideFact(OverrideField.Band, "critical", "r", "a", new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31));

        AccountScoring.OverrideInForce(o, new DateOnly(2026, 2, 28)).Should().BeFalse();
        AccountScoring.OverrideInForce(o, new DateOnly(2026, 3, 1)).Should().BeTrue();
        AccountScoring.OverrideInForce(o, new DateOnly(2026, 3, 30)).Should().BeTrue();
        AccountScoring.OverrideInForce(o, new DateOnly(2026, 3, 31)).Should().BeFalse();
        AccountScoring.OverrideInForce(o with { ExpiresAt = null }, new DateOnly(2030, 1, 1)).Should().BeTrue();
    }
}
