namespace ValueMcp.Scoring;

public sealed record MoverState(Band Band, Readiness Readiness, RenewalRisk Risk);

/// <summary>
/// An account whose band, readiness or renewal risk differs between A and B, with the facts that changed in between
/// and drive those verdicts (Causes: short statements with their numbers).
/// </summary>
public sealed record Mover(AccountScore Before, AccountScore After, IReadOnlyList<string> Causes)
{
    public MoverState BeforeState => new(Before.Band.Value, Before.Readiness.Value, Before.Risk.Value);
    public MoverState AfterState => new(After.Band.Value, After.Readiness.Value, After.Risk.Value);

    public IReadOnlyList<string> Changes
    {
        get
        {
            var changes = new List<string>();
            if (BeforeState.Band != AfterState.Band) changes.Add($"band {Wire.Name(BeforeState.Band)} -> {Wire.Name(AfterState.Band)}");
            if (BeforeState.Readiness != AfterState.Readiness) changes.Add($"readiness {Wire.Name(BeforeState.Readiness)} -> {Wire.Name(AfterState.Readiness)}");
            if (BeforeState.Risk != AfterState.Risk) changes.Add($"risk {Wire.Name(BeforeState.Risk)} -> {Wire.Name(AfterState.Risk)}");
            return changes;
        }
    }

    /// <summary>Steps toward higher renewal risk (positive) or lower (negative).</summary>
    public int RiskMove => RiskRank(AfterState.Risk) - RiskRank(BeforeState.Risk);

    /// <summary>Steps toward a lower band (positive: on_track, no_contract, at_risk, critical) or a higher one (negative).</summary>
    public int BandMove => BandRank(AfterState.Band) - BandRank(BeforeState.Band);

    /// <summary>Steps toward lower readiness (positive: ready, emerging, not_ready, blocked) or higher (negative).</summary>
    public int ReadinessMove => Portfolio.ReadinessRank(AfterState.Readiness) - Portfolio.ReadinessRank(BeforeState.Readiness);

    /// <summary>
    /// Worst first: toward higher renewal risk first, then toward a lower band, then toward lower readiness (each the
    /// larger step first; improvements last), then larger ARR, then account id.
    /// </summary>
    public static Comparison<Mover> WorstFirst { get; } = (x, y) =>
    {
        var c = y.RiskMove.CompareTo(x.RiskMove);
        if (c == 0) c = y.BandMove.CompareTo(x.BandMove);
        if (c == 0) c = y.ReadinessMove.CompareTo(x.ReadinessMove);
        if (c == 0) c = y.After.Arr.CompareTo(x.After.Arr);
        return c != 0 ? c : string.CompareOrdinal(x.After.Id, y.After.Id);
    };

    private static int RiskRank(RenewalRisk r) => (int)r;

    private static int BandRank(Band b) => b switch
    {
        Band.OnTrack => 0,
        Band.NoContract => 1,
        Band.AtRisk => 2,
        _ => 3,
    };
}

public static class Movers
{
    /// <summary>
    /// Accounts active at B (and matching the filter at B) whose band, readiness or renewal risk differs between the
    /// computation at A and at B, each with its causes. Ordered worst first (<see cref="Mover.WorstFirst"/>).
    /// </summary>
    public static IReadOnlyList<Mover> Between(
        IReadOnlyDictionary<string, AccountFacts> atA, IEnumerable<AccountFacts> atB,
        DateOnly a, DateOnly b, ScoringPolicy policy, PortfolioFilter filter)
    {
        if (a >= b) throw new ArgumentException("movers need A < B");
        return Between(id => atA.TryGetValue(id, out var f) ? AccountScoring.Score(f, a, policy) : null,
            atB.Select(f => AccountScoring.Score(f, b, policy)), policy, filter);
    }

    /// <summary>
    /// The same, over accounts already scored: before, an account scored at A by its id; after, the accounts scored
    /// at B (only those active at B and matching the filter at B are considered). Worst first.
    /// </summary>
    public static IReadOnlyList<Mover> Between(
        Func<string, AccountScore?> before, IEnumerable<AccountScore> after, ScoringPolicy policy, PortfolioFilter filter)
    {
        var movers = new List<Mover>();
        foreach (var b in after)
        {
            if (!filter.Matches(b)) continue;
            if (before(b.Id) is not { } a) continue;
            if (a.AsOf >= b.AsOf) throw new ArgumentException("movers need A < B");
            if (new MoverState(a.Band.Value, a.Readiness.Value, a.Risk.Value)
                == new MoverState(b.Band.Value, b.Readiness.Value, b.Risk.Value)) continue;
            movers.Add(new Mover(a, b, Causes(a, b, policy)));
        }
        movers.Sort(Mover.WorstFirst);
        return movers;
    }

    /// <summary>
    /// The facts behind the verdicts that differ between two computations of one account: ARR starting, outcomes
    /// promised or evidenced (with the fulfilment thresholds crossed), outcomes falling overdue, risk signals new or
    /// aged out of the recent window, engagement, positive signals (where utilisation is unknown), the renewal entering
    /// a window, overrides starting or ending. Only what changed is stated, with its numbers.
    /// </summary>
    public static IReadOnlyList<string> Causes(AccountScore before, AccountScore after, ScoringPolicy policy)
    {
        var causes = new List<string>();
        var fa = before.Facts;
        var fb = after.Facts;
        var atA = AccountScoring.D(before.AsOf);

        if (!before.Active && after.Active)
            causes.Add($"became active: ARR {Insights.M(before.Arr)} -> {Insights.M(after.Arr)}");

        // Outcomes promised and evidenced: stated when fulfilment crossed a threshold of a verdict, or the value contract began or ended.
        var crossed = Crossed(before.Fulfilment, after.Fulfilment, policy);
        var contractChanged = (fa.OutcomesPromised == 0) != (fb.OutcomesPromised == 0);
        if (crossed.Count > 0 || contractChanged)
        {
            var promised = fa.OutcomesPromised != fb.OutcomesPromised;
            var evidenced = fa.OutcomesEvidenced != fb.OutcomesEvidenced;
            var what = contractChanged && fa.OutcomesPromised == 0 ? "value contract established"
                : promised && evidenced ? "outcome(s) promised and evidence captured"
                : promised ? "outcome(s) promised"
                : "evidence captured";
            var counts = promised
                ? $"{fa.OutcomesPromised} -> {fb.OutcomesPromised} promised, " + (evidenced ? $"{fa.OutcomesEvidenced} -> {fb.OutcomesEvidenced} evidenced" : $"{fb.OutcomesEvidenced} evidenced")
                : $"outcomes evidenced {fa.OutcomesEvidenced} -> {fb.OutcomesEvidenced} of {fb.OutcomesPromised}";
            var fulfilment = $"fulfilment {AccountScoring.F(before.Fulfilment)} -> {AccountScoring.F(after.Fulfilment)}";
            if (crossed.Count > 0)
            {
                var up = (after.Fulfilment ?? -1m) > (before.Fulfilment ?? -1m);
                fulfilment += $" crossed {string.Join(" and ", crossed)} ({(up ? "up" : "down")})";
            }
            causes.Add($"{what}: {counts}; {fulfilment}");
        }

        var overdueBefore = fa.OverdueOutcomes.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        var overdueAfter = fb.OverdueOutcomes.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var o in fb.OverdueOutcomes.Where(o => !overdueBefore.Contains(o.Id)))
            causes.Add($"outcome \"{o.Title}\" [{o.Id}] fell overdue (due {(o.DueDate is DateOnly d ? AccountScoring.D(d) : "?")}, not evidenced)");
        foreach (var o in fa.OverdueOutcomes.Where(o => !overdueAfter.Contains(o.Id)))
            causes.Add($"outcome \"{o.Title}\" [{o.Id}] no longer overdue (evidenced)");

        var risksBefore = fa.Recent.RiskSignals.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var risksAfter = fb.Recent.RiskSignals.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var added = fb.Recent.RiskSignals.Where(s => !risksBefore.Contains(s.Id)).ToList();
        var gone = fa.Recent.RiskSignals.Where(s => !risksAfter.Contains(s.Id)).ToList();
        if (added.Count > 0) causes.Add($"new risk signal(s): {Signals(added)}");
        if (gone.Count > 0) causes.Add($"{gone.Count} risk signal(s) aged out of the {policy.RecentWindowDays}-day recent window: {Signals(gone)}");

        if (before.Engagement != after.Engagement)
            causes.Add($"engagement {Wire.Name(before.Engagement)} -> {Wire.Name(after.Engagement)} " +
                $"(usage + success polarity sum {fa.Recent.EngagementSum} -> {fb.Recent.EngagementSum} in the last {policy.RecentWindowDays} days)");

        var positiveBefore = fa.Recent.PositiveUsage + fa.Recent.PositiveData + fa.Recent.PositiveCapacity;
        var positiveAfter = fb.Recent.PositiveUsage + fb.Recent.PositiveData + fb.Recent.PositiveCapacity;
        if (after.Utilisation is null && (positiveBefore > 0) != (positiveAfter > 0))
            causes.Add($"positive usage/data/capacity signals in the last {policy.RecentWindowDays} days {positiveBefore} -> {positiveAfter} (utilisation unknown)");

        if (before.Utilisation != after.Utilisation)
            causes.Add($"utilisation {AccountScoring.F(before.Utilisation)} -> {AccountScoring.F(after.Utilisation)}");

        var renews = $"renews in {after.DaysToRenewal} days ({AccountScoring.D(after.Profile.RenewalDate)}; {before.DaysToRenewal} days at {atA})";
        if (before.Profile.RenewalDate != after.Profile.RenewalDate)
            causes.Add($"renewal date moved from {AccountScoring.D(before.Profile.RenewalDate)} to {AccountScoring.D(after.Profile.RenewalDate)}");
        if (before.RenewalFlag != after.RenewalFlag)
        {
            var flags = $"flag {Wire.Name(before.RenewalFlag)} -> {Wire.Name(after.RenewalFlag)}";
            causes.Add(after.RenewalFlag switch
            {
                RenewalFlag.Red when after.DaysToRenewal < 0 && before.DaysToRenewal >= 0 =>
                    $"renewal date {AccountScoring.D(after.Profile.RenewalDate)} passed ({-after.DaysToRenewal} days ago), {flags}",
                RenewalFlag.Red => $"renewal entered the {policy.RenewalRedDays}-day window: {renews}, {flags}",
                RenewalFlag.Amber when before.RenewalFlag == RenewalFlag.None => $"renewal entered the {policy.RenewalAmberDays}-day window: {renews}, {flags}",
                _ => $"renewal {renews}, {flags}",
            });
        }
        var horizonBefore = before.DaysToRenewal <= policy.RenewalRiskHorizonDays;
        var horizonAfter = after.DaysToRenewal <= policy.RenewalRiskHorizonDays;
        if (horizonBefore != horizonAfter && (before.RenewalFlag == after.RenewalFlag || policy.RenewalRiskHorizonDays != policy.RenewalAmberDays))
            causes.Add(horizonAfter
                ? $"renewal entered the {policy.RenewalRiskHorizonDays}-day risk horizon: {renews}"
                : $"renewal left the {policy.RenewalRiskHorizonDays}-day risk horizon: {renews}");

        Override(before.Band, after.Band, after.AsOf, causes);
        Override(before.Readiness, after.Readiness, after.AsOf, causes);
        Override(before.Risk, after.Risk, after.AsOf, causes);
        return causes;
    }

    private static void Override<T>(Verdict<T> before, Verdict<T> after, DateOnly asOfB, List<string> causes) where T : struct, Enum
    {
        var a = before.Override;
        var b = after.Override;
        if (a == b) return;
        if (b is not null && a is not null)
            causes.Add($"{Wire.Name(b.Field)} override changed from {Wire.Name(before.Value)} ({a.Author}) to {Wire.Name(after.Value)} on {AccountScoring.D(b.CreatedAt)} by {b.Author} ({b.Reason})");
        else if (b is not null)
            causes.Add($"{Wire.Name(b.Field)} override to {Wire.Name(after.Value)} started on {AccountScoring.D(b.CreatedAt)} by {b.Author} ({b.Reason})");
        else if (a is not null)
            causes.Add(a.ExpiresAt is DateOnly x && x <= asOfB
                ? $"{Wire.Name(a.Field)} override to {Wire.Name(before.Value)} ({a.Author}) expired on {AccountScoring.D(x)}"
                : $"{Wire.Name(a.Field)} override to {Wire.Name(before.Value)} ({a.Author}) is no longer in force");
    }

    /// <summary>The fulfilment thresholds of band and readiness that lie between two fulfilments (a change of side).</summary>
    private static List<string> Crossed(decimal? before, decimal? after, ScoringPolicy policy)
    {
        var crossed = new List<string>();
        if (before is not decimal x || after is not decimal y) return crossed;
        foreach (var (name, threshold) in new[]
                 {
                     (nameof(ScoringPolicy.OnTrackFulfilment), policy.OnTrackFulfilment),
                     (nameof(ScoringPolicy.AtRiskFulfilment), policy.AtRiskFulfilment),
                     (nameof(ScoringPolicy.ReadyFulfilment), policy.ReadyFulfilment),
                     (nameof(ScoringPolicy.EmergingFulfilment), policy.EmergingFulfilment),
                 })
        {
            if ((x >= threshold) != (y >= threshold))
                crossed.Add($"{Wire.ToSnake(name)} {threshold.ToString("0.00##", System.Globalization.CultureInfo.InvariantCulture)}");
        }
        return crossed;
    }

    private static string Signals(IReadOnlyList<SignalRef> signals) =>
        string.Join(", ", signals.Take(5).Select(s => $"{s.Kind} {AccountScoring.D(s.ObservedAt)} [{s.Id}]")) + (signals.Count > 5 ? ", ..." : "");
}
