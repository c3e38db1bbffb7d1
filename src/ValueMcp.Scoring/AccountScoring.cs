using System.Globalization;

namespace ValueMcp.Scoring;

/// <summary>
/// The per-account rules of domain.md. Pure: facts, as_of and policy in; verdicts with reasons out. Each rule is
/// written once: the value and, when explain is true, the reason in words (a whole portfolio kept in memory is scored
/// without them, and an answer that shows an account scores it again with them).
/// </summary>
public static class AccountScoring
{
    public static AccountScore Score(AccountFacts facts, DateOnly asOf, ScoringPolicy policy, bool explain = true)
    {
        var fulfilment = Fulfilment(facts.OutcomesPromised, facts.OutcomesEvidenced);
        var band = Apply(ComputeBand(facts, fulfilment, policy, explain), facts, OverrideField.Band, asOf);

        var days = DaysToRenewal(facts.Profile.RenewalDate, asOf);
        var flag = Flag(days, policy);
        var utilisation = Utilisation(facts.Profile.ContractedCapacity, facts.Profile.UsedCapacity);
        var engagement = EngagementOf(facts.Recent.EngagementSum);

        var readiness = Apply(ComputeReadiness(facts, fulfilment, band.Value, utilisation, engagement, policy, explain), facts, OverrideField.Readiness, asOf);
        var lane = readiness.Value is Scoring.Readiness.Ready or Scoring.Readiness.Emerging ? SuggestLane(facts.Recent, explain) : null;
        var risk = Apply(ComputeRisk(facts, days, flag, band.Value, policy, explain), facts, OverrideField.Risk, asOf);

        var breach = FirstValue(facts) is null && asOf.DayNumber - facts.Profile.ContractStart.DayNumber > policy.TtfvBreachDays;

        var stage = Stage(facts, flag, readiness.Value);
        var action = Action(facts, fulfilment, band, readiness, lane, risk, asOf, policy, explain);
        if (!explain) action = NextAction.Bare(action.Kind); // verdicts only: shared instances, no words

        return new AccountScore(facts, asOf, band, flag, readiness, lane, risk, breach, stage, action, explain);
    }

    /// <summary>evidenced / promised; null without a promised outcome.</summary>
    public static decimal? Fulfilment(int promised, int evidenced) =>
        promised <= 0 ? null : (decimal)evidenced / promised;

    public static Band BandOf(decimal? fulfilment, ScoringPolicy policy) => fulfilment switch
    {
        null => Scoring.Band.NoContract,
        var f when f >= policy.OnTrackFulfilment => Scoring.Band.OnTrack,
        var f when f >= policy.AtRiskFulfilment => Scoring.Band.AtRisk,
        _ => Scoring.Band.Critical,
    };

    public static int DaysToRenewal(DateOnly renewalDate, DateOnly asOf) => renewalDate.DayNumber - asOf.DayNumber;

    public static RenewalFlag Flag(int daysToRenewal, ScoringPolicy policy) =>
        daysToRenewal <= policy.RenewalRedDays ? RenewalFlag.Red
        : daysToRenewal <= policy.RenewalAmberDays ? RenewalFlag.Amber
        : RenewalFlag.None;

    public static decimal? Utilisation(decimal? contracted, decimal? used) =>
        contracted is decimal c && used is decimal u && c != 0m ? u / c : null;

    public static Engagement EngagementOf(int polaritySum) =>
        polaritySum > 0 ? Scoring.Engagement.Growing : polaritySum < 0 ? Scoring.Engagement.Declining : Scoring.Engagement.Steady;

    private static (Band, string?) ComputeBand(AccountFacts f, decimal? fulfilment, ScoringPolicy policy, bool explain)
    {
        var band = BandOf(fulfilment, policy);
        if (!explain) return (band, null);
        var measured = $"fulfilment {F(fulfilment)} ({f.OutcomesEvidenced} of {f.OutcomesPromised} outcomes evidenced)";
        var reason = Wire.Name(band) + ": " + band switch
        {
            Scoring.Band.NoContract => "no promised outcome: no value contract",
            Scoring.Band.OnTrack => $"{measured} >= {F(policy.OnTrackFulfilment)}",
            Scoring.Band.AtRisk => $"{measured} >= {F(policy.AtRiskFulfilment)} and < {F(policy.OnTrackFulfilment)}",
            _ => $"{measured} < {F(policy.AtRiskFulfilment)}",
        };
        if (f.EvidencedLowConfidenceOnly > 0)
            reason += $"; {f.EvidencedLowConfidenceOnly} evidenced outcome(s) rest on low-confidence evidence only";
        return (band, reason);
    }

    private static (Readiness, string?) ComputeReadiness(AccountFacts f, decimal? fulfilment, Band band, decimal? utilisation,
        Engagement engagement, ScoringPolicy policy, bool explain)
    {
        var risks = f.Recent.RiskSignals;
        if (band == Scoring.Band.Critical)
            return (Scoring.Readiness.Blocked, explain ? "blocked: band critical" : null);
        if (risks.Count > 0)
            return (Scoring.Readiness.Blocked, !explain ? null : $"blocked: {risks.Count} risk signal(s) in the last {policy.RecentWindowDays} days ({Signals(risks)})");

        var usageEvidence = utilisation is decimal u
            ? (u >= policy.ReadyUtilisation, !explain ? null : $"utilisation {F(u)} {(u >= policy.ReadyUtilisation ? ">=" : "<")} {F(policy.ReadyUtilisation)}")
            : (f.Recent.PositiveUsage + f.Recent.PositiveData + f.Recent.PositiveCapacity > 0,
               !explain ? null : $"utilisation unknown; {f.Recent.PositiveUsage + f.Recent.PositiveData + f.Recent.PositiveCapacity} positive usage/data/capacity signal(s) in the last {policy.RecentWindowDays} days");

        if (fulfilment is decimal ff && ff >= policy.ReadyFulfilment && engagement != Scoring.Engagement.Declining && usageEvidence.Item1)
            return (Scoring.Readiness.Ready, !explain ? null : $"ready: fulfilment {F(ff)} >= {F(policy.ReadyFulfilment)}, engagement {Wire.Name(engagement)}, {usageEvidence.Item2}");

        var utilisationOk = utilisation is decimal u2 && u2 >= policy.EmergingUtilisation;
        if (fulfilment is decimal fe && fe >= policy.EmergingFulfilment && (utilisationOk || engagement == Scoring.Engagement.Growing))
        {
            if (!explain) return (Scoring.Readiness.Emerging, null);
            var why = utilisationOk ? $"utilisation {F(utilisation)} >= {F(policy.EmergingUtilisation)}" : "engagement growing";
            return (Scoring.Readiness.Emerging, $"emerging: fulfilment {F(fe)} >= {F(policy.EmergingFulfilment)} and {why}");
        }

        if (!explain) return (Scoring.Readiness.NotReady, null);
        var missing = new List<string>();
        if (fulfilment is not decimal fn) missing.Add("no value contract");
        else if (fn < policy.EmergingFulfilment) missing.Add($"fulfilment {F(fn)} < {F(policy.EmergingFulfilment)}");
        else if (fn < policy.ReadyFulfilment || !usageEvidence.Item1 || engagement == Scoring.Engagement.Declining)
        {
            missing.Add(utilisation is decimal un ? $"utilisation {F(un)} < {F(policy.EmergingUtilisation)}" : "utilisation unknown");
            missing.Add($"engagement {Wire.Name(engagement)}");
        }
        return (Scoring.Readiness.NotReady, "not_ready: " + string.Join(", ", missing));
    }

    /// <summary>Positive signals per lane in the recent window; the highest wins, a tie at the top or none gives modules.</summary>
    public static LaneSuggestion SuggestLane(RecentSignals recent, bool explain = true)
    {
        var modules = recent.PositiveUsage + recent.PositiveSuccess;
        var data = recent.PositiveData;
        var managed = recent.PositiveCapacity;
        var lane = ExpansionLane.Modules;
        if (data > modules && data > managed) lane = ExpansionLane.DataIntegration;
        else if (managed > modules && managed > data) lane = ExpansionLane.ManagedServices;
        if (!explain) return LaneSuggestion.Bare(lane);
        var counts = $"positive signals: modules {modules} (usage + success), data_integration {data}, managed_services {managed}";
        var why = lane == ExpansionLane.Modules && (modules <= data || modules <= managed)
            ? $"{counts}; no single lane leads, so modules"
            : $"{counts}; {Wire.Name(lane)} leads";
        return new LaneSuggestion(lane, why, TimingOf(lane));
    }

    /// <summary>Typical timing of each lane, from the source articles.</summary>
    public static string TimingOf(ExpansionLane lane) => lane switch
    {
        ExpansionLane.Modules => "typically 4-6 months after onboarding completes",
        ExpansionLane.DataIntegration => "typically 3-4 months after first value",
        _ => "typically 6-12 months after adoption",
    };

    private static (RenewalRisk, string?) ComputeRisk(AccountFacts f, int days, RenewalFlag flag, Band band, ScoringPolicy policy, bool explain)
    {
        if (days > policy.RenewalRiskHorizonDays)
            return (RenewalRisk.None, !explain ? null : $"none: renewal in {days} days, beyond the {policy.RenewalRiskHorizonDays}-day risk horizon");

        var notOnTrack = band != Scoring.Band.OnTrack;
        var risks = f.Recent.RiskSignals.Count;
        string When() => days < 0 ? $"renewal date passed {-days} days ago" : $"renews in {days} days";
        string BandText() => $"band {Wire.Name(band)}";
        if (flag == RenewalFlag.Red && notOnTrack)
            return (RenewalRisk.High, !explain ? null : $"high: flag red ({When()}) and {BandText()}");
        if (flag == RenewalFlag.Amber && band == Scoring.Band.Critical)
            return (RenewalRisk.High, !explain ? null : $"high: flag amber ({When()}) and {BandText()}");
        if (risks > 0 && notOnTrack)
            return (RenewalRisk.High, !explain ? null : $"high: {risks} risk signal(s) ({Signals(f.Recent.RiskSignals)}) and {BandText()}; {When()}");
        if (flag == RenewalFlag.Amber && band == Scoring.Band.AtRisk)
            return (RenewalRisk.Medium, !explain ? null : $"medium: flag amber ({When()}) and {BandText()}");
        if (flag == RenewalFlag.Red && band == Scoring.Band.OnTrack && risks > 0)
            return (RenewalRisk.Medium, !explain ? null : $"medium: flag red ({When()}), band on_track but {risks} risk signal(s) ({Signals(f.Recent.RiskSignals)})");
        if (f.OutcomesOverdue > 0)
            return (RenewalRisk.Medium, !explain ? null : $"medium: {f.OutcomesOverdue} overdue outcome(s) ({Outcomes(f.OverdueOutcomes)}); {When()}");
        if (!explain) return (RenewalRisk.Low, null);

        // Low: no rule above fired. Say which facts were looked at, as they are: a risk signal can be present here
        // (band on_track and flag not red), and it is named rather than denied.
        var signals = risks == 0
            ? $"no risk signal in the last {policy.RecentWindowDays} days"
            : $"{risks} risk signal(s) in the last {policy.RecentWindowDays} days ({Signals(f.Recent.RiskSignals)}), not counted because the band is on_track and the renewal is not within the {policy.RenewalRedDays}-day red window";
        return (RenewalRisk.Low, $"low: {When()} (flag {Wire.Name(flag)}), {BandText()}, {signals}, no overdue outcome");
    }

    private static LifecycleStage Stage(AccountFacts f, RenewalFlag flag, Readiness readiness)
    {
        if (flag != RenewalFlag.None) return LifecycleStage.Renewal;
        if (readiness == Scoring.Readiness.Ready) return LifecycleStage.Expansion;
        if (f.OutcomesEvidenced > 0) return LifecycleStage.Adoption;
        if (f.LiveOrLaterMilestone) return LifecycleStage.FirstValue;
        return LifecycleStage.Onboarding;
    }

    private static NextAction Action(AccountFacts f, decimal? fulfilment, Verdict<Band> band, Verdict<Readiness> readiness, LaneSuggestion? lane,
        Verdict<RenewalRisk> risk, DateOnly asOf, ScoringPolicy policy, bool explain)
    {
        if (risk.Value == RenewalRisk.High)
            return new(ActionKind.EscalateRenewalRisk, !explain ? null : $"renewal risk high ({risk.Reason})");
        if (f.OutcomesPromised == 0)
            return new(ActionKind.EstablishValueContract, !explain ? null : "no promised outcome: agree measurable outcomes with the customer");
        if (f.OutcomesOverdue > 0)
            return new(ActionKind.CaptureMissingEvidence, !explain ? null : $"{f.OutcomesOverdue} overdue outcome(s) without evidence: {Outcomes(f.OverdueOutcomes)}");
        if (band.Value is Scoring.Band.AtRisk or Scoring.Band.Critical)
        {
            if (!explain) return new(ActionKind.ScheduleImpactReview, null);
            var measured = $"fulfilment {F(fulfilment)}, {f.OutcomesEvidenced} of {f.OutcomesPromised} evidenced";
            return new(ActionKind.ScheduleImpactReview, band.Override is { } o
                ? $"band {Wire.Name(band.Value)} by override ({o.Author}: {o.Reason}); computed band {Wire.Name(band.Computed)} ({measured})"
                : $"band {Wire.Name(band.Value)} ({measured})");
        }
        if (readiness.Value == Scoring.Readiness.Ready)
        {
            if (!explain) return new(ActionKind.InitiateExpansionConversation, null);
            var chosen = lane ?? SuggestLane(f.Recent);
            return new(ActionKind.InitiateExpansionConversation, $"readiness ready ({readiness.Reason}); lane {Wire.Name(chosen.Lane)} ({chosen.Reason})");
        }

        var windowStart = policy.AdvocacyWindowStart(asOf);
        var expansion = f.LastExpansionAt is DateOnly e && e >= windowStart && e <= asOf ? e : (DateOnly?)null;
        var renewed = f.LastRenewedAt is DateOnly r && r >= windowStart && r <= asOf ? r : (DateOnly?)null;
        if (band.Value == Scoring.Band.OnTrack && fulfilment is decimal ff && ff >= policy.AdvocacyFulfilment && (expansion is not null || renewed is not null))
        {
            if (!explain) return new(ActionKind.RequestAdvocacy, null);
            var win = expansion is DateOnly ed ? $"expansion on {D(ed)}" : $"renewed on {D(renewed!.Value)}";
            return new(ActionKind.RequestAdvocacy, $"band on_track, fulfilment {F(ff)} >= {F(policy.AdvocacyFulfilment)} and a recent win ({win}, within {policy.AdvocacyWindowDays} days): ask for a reference or case study");
        }
        return new(ActionKind.Monitor, explain ? "no rule fired: keep monitoring" : null);
    }

    /// <summary>
    /// An override is in force at asOf when it was created on or before asOf and has not expired: no expiry, or an
    /// expiry after asOf. expires_at is a dated fact like any other: from that day on, the override has expired.
    /// </summary>
    public static bool OverrideInForce(OverrideFact o, DateOnly asOf) =>
        o.CreatedAt <= asOf && (o.ExpiresAt is not DateOnly expires || expires > asOf);

    private static Verdict<T> Apply<T>((T Value, string? Reason) computed, AccountFacts facts, OverrideField field, DateOnly asOf)
        where T : struct, Enum
    {
        // Only an unexpired override counts; among several, the most recently created wins (list order breaks a tie).
        var active = facts.Overrides
            .Where(o => o.Field == field && OverrideInForce(o, asOf))
            .OrderBy(o => o.CreatedAt)
            .LastOrDefault();
        if (active is not null && Wire.TryParse<T>(active.Value, out var value))
            return new Verdict<T>(value, computed.Value, computed.Reason, active);
        return computed.Reason is null ? Verdict<T>.Bare(computed.Value) : new Verdict<T>(computed.Value, computed.Value, computed.Reason, null);
    }

    /// <summary>First value: the earlier of the first evidenced outcome and the first_value milestone.</summary>
    public static DateOnly? FirstValue(AccountFacts f) => Earliest(f.FirstEvidencedAt, f.FirstValueMilestoneAt);

    private static DateOnly? Earliest(DateOnly? a, DateOnly? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);

    internal static string F(decimal? value) =>
        value is decimal v ? Math.Round(v, 4).ToString("0.0###", CultureInfo.InvariantCulture) : "n/a";

    internal static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Signals(IReadOnlyList<SignalRef> signals) =>
        string.Join(", ", signals.Take(5).Select(s => $"{s.Kind} {D(s.ObservedAt)} [{s.Id}]")) + (signals.Count > 5 ? ", ..." : "");

    private static string Outcomes(IReadOnlyList<OutcomeRef> outcomes) =>
        string.Join("; ", outcomes.Take(5).Select(o => $"\"{o.Title}\" [{o.Id}]" + (o.DueDate is DateOnly d ? $" due {D(d)}" : ""))) + (outcomes.Count > 5 ? "; ..." : "");
}
