using ValueMcp.Scoring;
using static ValueMcp.Scoring.Tests.AccountBuilder;

namespace ValueMcp.Scoring.Tests;

/// <summary>Movers between two dates A &lt; B.</summary>
public class MoversTests
{
    private static readonly DateOnly A = AsOf.AddDays(-7);
    private static readonly DateOnly B = AsOf;
    private static readonly DateOnly Renewal = AsOf.AddDays(400);

    private static IReadOnlyList<Mover> Between(IEnumerable<AccountBuilder> atA, IEnumerable<AccountBuilder> atB, PortfolioFilter? filter = null) =>
        Movers.Between(
            atA.Select(b => b.Build()).ToDictionary(f => f.Id),
            atB.Select(b => b.Build()),
            A, B, ScoringPolicy.Default, filter ?? PortfolioFilter.None);

    [Fact]
    public void A_band_change_is_a_mover()
    {
        var movers = Between([Account("x").Outcomes(10, 5).RenewsOn(Renewal)], [Account("x").Outcomes(10, 8).RenewsOn(Renewal)]);

        var mover = movers.Should().ContainSingle().Subject;
        mover.BeforeState.Band.Should().Be(Band.AtRisk);
        mover.AfterState.Band.Should().Be(Band.OnTrack);
        mover.Changes.Should().Equal("band at_risk -> on_track");
        mover.Before.AsOf.Should().Be(A);
        mover.After.AsOf.Should().Be(B);
    }

    [Fact]
    public void A_readiness_change_is_a_mover()
    {
        var movers = Between(
            [Account("x").Outcomes(10, 10).Utilisation(0.5m).RenewsOn(Renewal)],
            [Account("x").Outcomes(10, 10).Utilisation(0.9m).RenewsOn(Renewal)]);

        movers.Should().ContainSingle().Which.Changes.Should().Equal("readiness not_ready -> ready");
    }

    [Fact]
    public void A_renewal_risk_change_from_none_is_a_mover()
    {
        // renewal 175 days after B: 182 days at A (beyond the horizon: none), 175 at B (amber, on_track: low)
        var renewal = B.AddDays(175);
        var movers = Between([Account("x").RenewsOn(renewal)], [Account("x").RenewsOn(renewal)]);

        var mover = movers.Should().ContainSingle().Subject;
        mover.BeforeState.Risk.Should().Be(RenewalRisk.None);
        mover.AfterState.Risk.Should().Be(RenewalRisk.Low);
        mover.Changes.Should().Equal("risk none -> low");
    }

    [Fact]
    public void An_unchanged_account_is_not_a_mover()
    {
        Between([Account("x").Outcomes(10, 5).RenewsOn(Renewal)], [Account("x").Outcomes(10, 5).RenewsOn(Renewal)]).Should().BeEmpty();
    }

    [Fact]
    public void An_account_inactive_at_B_is_not_a_mover_even_if_it_changed()
    {
        Between(
            [Account("x").Outcomes(10, 5).RenewsOn(Renewal)],
            [Account("x").Outcomes(10, 8).RenewsOn(Renewal).WithArr(0m)]).Should().BeEmpty();
    }

    [Fact]
    public void An_account_inactive_at_A_but_active_at_B_can_be_a_mover()
    {
        Between(
            [Account("x").NoContract().RenewsOn(Renewal).WithArr(0m)],
            [Account("x").Outcomes(10, 8).RenewsOn(Renewal)]).Should().ContainSingle();
    }

    [Fact]
    public void Movers_are_ordered_by_id_and_filtered_at_B()
    {
        var atA = new[] { "c", "a", "b" }.Select(id => Account(id).Outcomes(10, 5).RenewsOn(Renewal).InSegment(id == "b" ? "SMB" : "Enterprise"));
        var atB = new[] { "c", "a", "b" }.Select(id => Account(id).Outcomes(10, 9).RenewsOn(Renewal).InSegment(id == "b" ? "SMB" : "Enterprise"));

        Between(atA, atB).Select(m => m.After.Id).Should().Equal("a", "b", "c");
        Between(atA, atB, new PortfolioFilter { Segment = "smb" }).Select(m => m.After.Id).Should().Equal("b");
    }

    [Fact]
    public void Moves_are_positive_toward_trouble()
    {
        var worse = Between([Account("x").Outcomes(10, 8).RenewsOn(Renewal)], [Account("x").Outcomes(10, 2).RenewsOn(Renewal)]).Single();
        var better = Between([Account("x").Outcomes(10, 2).RenewsOn(Renewal)], [Account("x").Outcomes(10, 8).RenewsOn(Renewal)]).Single();

        (worse.RiskMove + worse.BandMove + worse.ReadinessMove).Should().BePositive();
        worse.BandMove.Should().BePositive();
        better.BandMove.Should().BeNegative();
        Mover.WorstFirst(worse, better).Should().BeNegative();
    }

    [Fact]
    public void A_must_be_before_B()
    {
        var facts = new Dictionary<string, AccountFacts>();
        var act = () => Movers.Between(facts, [], B, B, ScoringPolicy.Default, PortfolioFilter.None);

        act.Should().Throw<ArgumentException>();
    }

    // Order: worst first.

    [Fact]
    public void Movers_come_worst_first_toward_higher_risk_then_a_lower_band_then_lower_readiness()
    {
        var renewalSoon = B.AddDays(60);
        var atA = new[]
        {
            Account("better").Outcomes(10, 5).RenewsOn(Renewal),                                  // band at_risk -> on_track
            Account("readiness").Outcomes(10, 10).Utilisation(0.9m).RenewsOn(Renewal),            // readiness ready -> not_ready
            Account("band").Outcomes(10, 8).RenewsOn(Renewal),                                    // band on_track -> critical
            Account("risk").Outcomes(10, 8).RenewsOn(renewalSoon),                                // risk low -> medium
            Account("risk-big").Outcomes(10, 8).RenewsOn(renewalSoon).WithArr(900_000m),          // the same, larger ARR
        };
        var atB = new[]
        {
            Account("better").Outcomes(10, 8).RenewsOn(Renewal),
            Account("readiness").Outcomes(10, 10).Utilisation(0.5m).RenewsOn(Renewal),
            Account("band").Outcomes(10, 2).RenewsOn(Renewal),
            Account("risk").Outcomes(10, 8).RenewsOn(renewalSoon).RiskSignal(daysAgo: 1),
            Account("risk-big").Outcomes(10, 8).RenewsOn(renewalSoon).WithArr(900_000m).RiskSignal(daysAgo: 1),
        };

        Between(atA, atB).Select(m => m.After.Id).Should().Equal("risk-big", "risk", "band", "readiness", "better");
    }

    // Causes: the facts that changed between A and B, each a short statement with its numbers.

    private static Mover Single(AccountBuilder atA, AccountBuilder atB) => Between([atA], [atB]).Should().ContainSingle().Subject;

    [Fact]
    public void Renewal_entering_the_90_day_window_is_a_cause()
    {
        var renewal = B.AddDays(90); // 97 days at A (amber), 90 at B (red)
        var mover = Single(Account("x").Outcomes(10, 5).RenewsOn(renewal), Account("x").Outcomes(10, 5).RenewsOn(renewal));

        mover.Changes.Should().Equal("risk medium -> high");
        mover.Causes.Should().Equal("renewal entered the 90-day window: renews in 90 days (2026-06-29; 97 days at 2026-03-24), flag amber -> red");
    }

    [Fact]
    public void Renewal_entering_the_180_day_window_is_a_cause()
    {
        var renewal = B.AddDays(178);
        var mover = Single(Account("x").RenewsOn(renewal), Account("x").RenewsOn(renewal));

        mover.Causes.Should().ContainSingle().Which.Should().StartWith("renewal entered the 180-day window: renews in 178 days");
    }

    [Fact]
    public void Risk_signals_ageing_out_of_the_recent_window_is_a_cause()
    {
        // Observed 93 days before B: inside A's window (A - 86), outside B's.
        var mover = Single(
            Account("x").Outcomes(10, 10).Utilisation(0.5m).RenewsOn(Renewal).RiskSignal("ticket_spike", daysAgo: 93),
            Account("x").Outcomes(10, 10).Utilisation(0.5m).RenewsOn(Renewal));

        mover.Changes.Should().Equal("readiness blocked -> not_ready");
        mover.Causes.Should().Equal("1 risk signal(s) aged out of the 90-day recent window: ticket_spike 2025-12-28 [sig-1]");
    }

    [Fact]
    public void A_new_risk_signal_is_a_cause()
    {
        var mover = Single(
            Account("x").Outcomes(10, 10).Utilisation(0.5m).RenewsOn(Renewal),
            Account("x").Outcomes(10, 10).Utilisation(0.5m).RenewsOn(Renewal).RiskSignal("sponsor_change", daysAgo: 2));

        mover.Causes.Should().Equal("new risk signal(s): sponsor_change 2026-03-29 [sig-1]");
    }

    [Fact]
    public void An_outcome_falling_overdue_is_a_cause()
    {
        var renewal = B.AddDays(150);
        var mover = Single(Account("x").Outcomes(10, 8).RenewsOn(renewal), Account("x").Outcomes(10, 8).RenewsOn(renewal).Overdue("Cut cycle time"));

        mover.Changes.Should().Equal("risk low -> medium");
        mover.Causes.Should().Equal("outcome \"Cut cycle time\" [out-1] fell overdue (due 2026-03-21, not evidenced)");
    }

    [Fact]
    public void Evidence_captured_and_fulfilment_crossing_a_threshold_are_causes()
    {
        var mover = Single(Account("x").Outcomes(10, 6).RenewsOn(Renewal), Account("x").Outcomes(10, 7).RenewsOn(Renewal));

        mover.Changes.Should().Equal("band at_risk -> on_track");
        mover.Causes.Should().Equal("evidence captured: outcomes evidenced 6 -> 7 of 10; fulfilment 0.6 -> 0.7 crossed on_track_fulfilment 0.70 (up)");
    }

    [Fact]
    public void An_outcome_promised_is_a_cause()
    {
        var mover = Single(Account("x").Outcomes(2, 2).RenewsOn(Renewal), Account("x").Outcomes(3, 2).RenewsOn(Renewal));

        mover.Causes.Should().Equal("outcome(s) promised: 2 -> 3 promised, 2 evidenced; fulfilment 1.0 -> 0.6667 crossed on_track_fulfilment 0.70 and ready_fulfilment 0.80 (down)");
    }

    [Fact]
    public void An_override_starting_or_expiring_is_a_cause()
    {
        var started = Single(
            Account("x").RenewsOn(Renewal),
            Account("x").RenewsOn(Renewal).Override(OverrideField.Band, "critical", reason: "sponsor left", author: "vp.cs", createdAt: B.AddDays(-2)));
        started.Causes.Should().Equal("band override to critical started on 2026-03-29 by vp.cs (sponsor left)");

        AccountBuilder Expiring() => Account("x").RenewsOn(Renewal)
            .Override(OverrideField.Risk, "high", reason: "CFO", author: "vp.cs", createdAt: A.AddDays(-10), expiresAt: B.AddDays(-1));
        var expired = Single(Expiring(), Expiring());
        expired.Changes.Should().Equal("risk high -> none");
        expired.Causes.Should().Equal("risk override to high (vp.cs) expired on 2026-03-30");
    }

    [Fact]
    public void Engagement_turning_is_a_cause()
    {
        var mover = Single(
            Account("x").Outcomes(10, 7).Utilisation(0.5m).Engagement(2).RenewsOn(Renewal),
            Account("x").Outcomes(10, 7).Utilisation(0.5m).Engagement(0).RenewsOn(Renewal));

        mover.Changes.Should().Equal("readiness emerging -> not_ready");
        mover.Causes.Should().Equal("engagement growing -> steady (usage + success polarity sum 2 -> 0 in the last 90 days)");
    }

    [Fact]
    public void An_account_becoming_active_is_a_cause()
    {
        var mover = Single(Account("x").NoContract().RenewsOn(Renewal).WithArr(0m), Account("x").Outcomes(10, 8).RenewsOn(Renewal));

        mover.Causes.Should().Contain("became active: ARR 0 -> 100,000");
    }
}
