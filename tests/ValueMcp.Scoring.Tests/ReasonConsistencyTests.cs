using ValueMcp.Scoring;
using static ValueMcp.Scoring.Tests.AccountBuilder;

namespace ValueMcp.Scoring.Tests;

/// <summary>
/// Every reason states the facts its rule used, and none contradicts another field of the same card (issue 11, item 2):
/// the cases reported, then a deterministic sweep over thousands of generated accounts, with and without overrides,
/// under the default policy and a changed one.
/// </summary>
public class ReasonConsistencyTests
{
    public static CardView View(AccountScore a) => new(
        a.Fulfilment, a.Facts.OutcomesEvidenced, a.Facts.OutcomesPromised, a.Facts.OutcomesOverdue, a.Facts.Recent.RiskSignals.Count,
        a.DaysToRenewal, Wire.Name(a.RenewalFlag), Wire.Name(a.Band.Value), Wire.Name(a.Band.Computed), Wire.Name(a.Engagement),
        a.Utilisation, Wire.Name(a.Readiness.Value), Wire.Name(a.Readiness.Computed), Wire.Name(a.Risk.Value), Wire.Name(a.Risk.Computed),
        a.Lane is { } l ? Wire.Name(l.Lane) : null);

    /// <summary>Every contradiction between a scored account's reasons (and its forecast reasons) and its card.</summary>
    public static IReadOnlyList<string> Contradictions(AccountScore a, ScoringPolicy policy)
    {
        var card = View(a);
        var odds = Forecast.Odds(a, policy);
        return
        [
            .. ReasonClaims.Contradictions(card, ReasonClaims.Field.Band, a.Band.Reason),
            .. ReasonClaims.Contradictions(card, ReasonClaims.Field.Readiness, a.Readiness.Reason),
            .. ReasonClaims.Contradictions(card, ReasonClaims.Field.Risk, a.Risk.Reason),
            .. ReasonClaims.Contradictions(card, ReasonClaims.Field.Action, a.NextAction.Reason),
            .. ReasonClaims.Contradictions(card, ReasonClaims.Field.Lane, a.Lane?.Reason),
            .. ReasonClaims.Contradictions(card, ReasonClaims.Field.Forecast, odds.Reason),
            .. ReasonClaims.Contradictions(card, ReasonClaims.Field.ScenarioNote, odds.ScenarioNote),
        ];
    }

    [Fact]
    public void Low_renewal_risk_with_a_risk_signal_does_not_say_there_is_none()
    {
        // The reported card: readiness blocked by 1 risk signal, and renewal risk low "no risk signal" at the same time.
        // Band on_track and flag amber: the signal makes neither high (band on_track) nor medium (flag not red).
        var score = Account().Outcomes(10, 8).RenewsInDays(128).RiskSignal("sponsor_change").Score();

        score.Readiness.Value.Should().Be(Readiness.Blocked);
        score.Risk.Value.Should().Be(RenewalRisk.Low);
        score.Risk.Reason.Should().Contain("1 risk signal(s)").And.NotContain("no risk signal");
        Contradictions(score, ScoringPolicy.Default).Should().BeEmpty();
    }

    [Fact]
    public void Each_verdict_reason_starts_with_the_verdict_it_explains()
    {
        var score = Account().Outcomes(10, 5).RenewsInDays(400).Score();

        score.Band.Reason.Should().StartWith("at_risk: fulfilment 0.5 (5 of 10 outcomes evidenced)");
        score.Risk.Reason.Should().StartWith("none: renewal in 400 days");
    }

    [Fact]
    public void An_overridden_risk_is_explained_as_an_override_wherever_it_is_quoted()
    {
        // Computed low; a human says high. The risk reason and the escalation it triggers say so, and keep the computed one.
        var score = Account().Outcomes(10, 10).RenewsInDays(150)
            .Override(OverrideField.Risk, "high", reason: "CFO wants to renegotiate", author: "vp.cs", createdAt: AsOf.AddDays(-3))
            .Score();

        score.Risk.Value.Should().Be(RenewalRisk.High);
        score.Risk.Computed.Should().Be(RenewalRisk.Low);
        score.Risk.Reason.Should().StartWith("risk overridden to high by vp.cs on 2026-03-28 (CFO wants to renegotiate); computed low: ");
        score.Risk.ComputedReason.Should().StartWith("low: ");
        score.NextAction.Kind.Should().Be(ActionKind.EscalateRenewalRisk);
        score.NextAction.Reason.Should().Contain("risk overridden to high by vp.cs");
        Contradictions(score, ScoringPolicy.Default).Should().BeEmpty();
    }

    [Fact]
    public void An_overridden_band_or_readiness_is_explained_as_an_override()
    {
        var band = Account().Outcomes(10, 10).Override(OverrideField.Band, "at_risk", reason: "value not recognised", author: "vp.cs").Score();
        band.Band.Reason.Should().Contain("band overridden to at_risk by vp.cs").And.Contain("computed on_track: fulfilment 1.0");
        band.NextAction.Kind.Should().Be(ActionKind.ScheduleImpactReview);
        band.NextAction.Reason.Should().Contain("band at_risk").And.Contain("computed band on_track");
        Contradictions(band, ScoringPolicy.Default).Should().BeEmpty();

        var readiness = Account().Outcomes(10, 10).UnknownUtilisation().Override(OverrideField.Readiness, "ready", author: "am.lee").Score();
        readiness.Readiness.Reason.Should().StartWith("readiness overridden to ready by am.lee");
        readiness.NextAction.Kind.Should().Be(ActionKind.InitiateExpansionConversation);
        readiness.NextAction.Reason.Should().Contain("readiness ready (readiness overridden to ready by am.lee");
        Contradictions(readiness, ScoringPolicy.Default).Should().BeEmpty();
    }

    [Fact]
    public void The_scenario_note_of_an_exposed_account_names_what_exposes_it()
    {
        // Exposed by a risk signal only (band on_track): the note must not talk of lifting the band.
        var signal = Account().Outcomes(10, 8).RenewsInDays(150).RiskSignal("login_decline", "usage", daysAgo: 20).Score();
        var note = Forecast.Odds(signal, ScoringPolicy.Default).ScenarioNote;
        note.Should().Contain("1 risk signal(s)").And.NotContain("band");
        note.Should().Contain("2026-06-09", "the signal observed on 2026-03-11 leaves the 90-day window after 2026-06-08");

        // Exposed by band critical only: the note names the band and no signal.
        var critical = Account().Outcomes(10, 3).RenewsInDays(400).Score();
        var criticalNote = Forecast.Odds(critical, ScoringPolicy.Default).ScenarioNote;
        criticalNote.Should().Contain("band critical").And.NotContain("risk signal");
    }

    [Fact]
    public void No_reason_contradicts_its_card_over_a_sweep_of_generated_accounts()
    {
        var changed = ScoringPolicy.Default with
        {
            OnTrackFulfilment = 0.75m, AtRiskFulfilment = 0.5m, RenewalRedDays = 60, RenewalAmberDays = 120, RenewalRiskHorizonDays = 200,
            RecentWindowDays = 30, ReadyFulfilment = 0.9m, EmergingFulfilment = 0.5m,
        };
        var problems = new List<string>();
        var checkedCount = 0;
        foreach (var policy in new[] { ScoringPolicy.Default, changed })
        {
            var rng = new Random(20261124);
            for (var i = 0; i < 6000; i++)
            {
                var score = Generated(rng, i).Score(policy);
                checkedCount++;
                foreach (var p in Contradictions(score, policy))
                    if (problems.Count < 20) problems.Add($"account {i}: {p}");
            }
        }
        checkedCount.Should().Be(12000);
        problems.Should().BeEmpty();
    }

    /// <summary>An account drawn from the combinations that matter to the rules: every band, flag, engagement, readiness input and override.</summary>
    private static AccountBuilder Generated(Random rng, int i)
    {
        var promised = rng.Next(0, 8);
        var b = Account($"acc-{i:D5}")
            .Outcomes(promised, promised == 0 ? 0 : rng.Next(0, promised + 1))
            .RenewsInDays(rng.Next(-30, 400))
            .Engagement(rng.Next(-3, 4))
            .PositiveSignals(rng.Next(0, 3), rng.Next(0, 3), rng.Next(0, 3), rng.Next(0, 3));
        if (rng.Next(3) == 0) b.UnknownUtilisation(); else b.Utilisation(rng.Next(0, 121) / 100m);
        for (var r = rng.Next(-3, 3); r > 0; r--) b.RiskSignal(rng.Next(2) == 0 ? "ticket_spike" : "login_decline", rng.Next(2) == 0 ? "risk" : "usage", rng.Next(0, 30));
        for (var o = rng.Next(-4, 3); o > 0; o--) b.Overdue($"Outcome {o}");
        if (rng.Next(4) == 0) b.LowConfidenceOnly(1);
        if (rng.Next(5) == 0) b.LastExpansionDaysAgo(rng.Next(0, 90));
        if (rng.Next(5) == 0) b.LastRenewedDaysAgo(rng.Next(0, 90));
        if (rng.Next(6) == 0)
        {
            var field = (OverrideField)rng.Next(3);
            var value = field switch
            {
                OverrideField.Band => Wire.Names<Band>()[rng.Next(4)],
                OverrideField.Readiness => Wire.Names<Readiness>()[rng.Next(4)],
                _ => Wire.Names<RenewalRisk>()[rng.Next(4)],
            };
            b.Override(field, value, reason: "judgement", author: "vp.cs", expiresAt: rng.Next(2) == 0 ? null : AsOf.AddDays(rng.Next(-5, 30)));
        }
        return b;
    }
}
