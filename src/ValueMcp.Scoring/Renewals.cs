namespace ValueMcp.Scoring;

/// <summary>
/// A decided renewal: its date, its outcome, the ARR of the renewed contract as recorded (null: the ARR due, in full),
/// when it was decided and by what, and the cause recorded with it.
/// </summary>
public sealed record RenewalDecision(
    DateOnly RenewalDate,
    RenewalOutcome Outcome,
    decimal? RenewedArr,
    DateOnly DecidedAt,
    RenewalDecider DecidedBy,
    RenewalReason? Reason,
    string Note);

/// <summary>
/// An account's renewal in force at as_of: its date (what days to renewal, the flag and the risk use), its state, the
/// decision that decided it (renewed milestone or churn; null while it is open or overdue), the last renewal decided
/// before it, and the reason in words.
/// </summary>
public sealed record RenewalStatus(DateOnly Date, RenewalState State, RenewalDecision? Decision, RenewalDecision? Previous, string Reason);

/// <summary>
/// What decides a renewal, and which renewal is in force (definitions, "Renewals"). Pure: an account's history and a
/// date in, its decided renewals and its renewal in force out.
/// </summary>
public static class Renewals
{
    /// <summary>
    /// The account's renewal dates, ascending: every recorded renewal's date and next renewal date, and the account's
    /// renewal_date. Without a recorded renewal it is the account's renewal_date alone.
    /// </summary>
    public static IReadOnlyList<DateOnly> Dates(AccountHistory h)
    {
        if (h.Renewals.Count == 0) return [h.Profile.RenewalDate];
        var dates = new SortedSet<DateOnly> { h.Profile.RenewalDate };
        foreach (var r in h.Renewals)
        {
            dates.Add(r.RenewalDate);
            if (r.NextRenewalDate is DateOnly n) dates.Add(n);
        }
        return dates.ToArray();
    }

    /// <summary>
    /// The renewals decided at asOf, by renewal date: every recorded renewal decided on or before asOf; then, for the
    /// earliest renewal date no recorded renewal decides (the renewal in force), a `renewed` milestone or a `churn`
    /// movement dated from renewal_decision_window_days before that date through asOf decides it (renewed in full, or
    /// churned), the earlier of the two if both.
    /// </summary>
    public static IReadOnlyList<RenewalDecision> Decided(AccountHistory h, DateOnly asOf, ScoringPolicy policy) =>
        Resolve(h, asOf, policy).Decided;

    /// <summary>The renewal in force at asOf and its state.</summary>
    public static RenewalStatus Status(AccountHistory h, DateOnly asOf, ScoringPolicy policy) => Resolve(h, asOf, policy).Status;

    private static (IReadOnlyList<RenewalDecision> Decided, RenewalStatus Status) Resolve(AccountHistory h, DateOnly asOf, ScoringPolicy policy)
    {
        var decided = new List<RenewalDecision>();
        HashSet<DateOnly>? recorded = null;
        foreach (var r in h.Renewals)
        {
            if (r.DecidedAt > asOf) continue;
            (recorded ??= []).Add(r.RenewalDate);
            decided.Add(new RenewalDecision(r.RenewalDate, r.Outcome, r.Outcome == RenewalOutcome.Churned ? 0m : r.RenewedArr,
                r.DecidedAt, RenewalDecider.Recorded, r.Reason, r.Note));
        }
        decided.Sort((a, b) => a.RenewalDate.CompareTo(b.RenewalDate));
        var previous = decided.Count > 0 ? decided[^1] : null;

        // A recorded churn ends the chain: no renewal is open after it.
        if (previous is { Outcome: RenewalOutcome.Churned })
            return (decided, new RenewalStatus(previous.RenewalDate, RenewalState.Churned, previous, previous,
                $"churned: the renewal of {AccountScoring.D(previous.RenewalDate)} was recorded as churned on {AccountScoring.D(previous.DecidedAt)}"));

        DateOnly? open = null;
        foreach (var d in Dates(h))
        {
            if (recorded is not null && recorded.Contains(d)) continue;
            if (previous is not null && d < previous.RenewalDate) continue; // an older date the chain has moved past
            open = d;
            break;
        }
        if (open is not DateOnly date)
        {
            // Every known date is decided and the last decision names no next date: keep the last decided date.
            var last = previous!;
            return (decided, new RenewalStatus(last.RenewalDate, RenewalState.Open, null, last,
                $"open: the renewal of {AccountScoring.D(last.RenewalDate)} was recorded as {Wire.Name(last.Outcome)} without a next renewal date"));
        }

        var from = date.AddDays(-policy.RenewalDecisionWindowDays);
        RenewalDecision? decision = null;
        foreach (var m in h.Milestones)
        {
            if (m.Kind == MilestoneKind.Renewed && m.ReachedAt >= from && m.ReachedAt <= asOf)
            {
                decision = new RenewalDecision(date, RenewalOutcome.Renewed, null, m.ReachedAt, RenewalDecider.RenewedMilestone, null, "renewed milestone");
                break;
            }
        }
        foreach (var mv in h.Movements)
        {
            if (mv.Kind == MovementKind.Churn && mv.EffectiveDate >= from && mv.EffectiveDate <= asOf &&
                (decision is null || mv.EffectiveDate < decision.DecidedAt))
            {
                decision = new RenewalDecision(date, RenewalOutcome.Churned, 0m, mv.EffectiveDate, RenewalDecider.Churn, null, "churn movement");
                break;
            }
        }

        var after = previous is null ? "" : $" (after the renewal of {AccountScoring.D(previous.RenewalDate)}, {Wire.Name(previous.Outcome)})";
        if (decision is not null)
        {
            decided.Add(decision);
            var state = decision.Outcome == RenewalOutcome.Churned ? RenewalState.Churned : RenewalState.Renewed;
            var by = decision.DecidedBy == RenewalDecider.Churn ? "a churn movement" : "the renewed milestone";
            return (decided, new RenewalStatus(date, state, decision, previous,
                $"{Wire.Name(state)}: the renewal of {AccountScoring.D(date)}{after} was decided by {by} on {AccountScoring.D(decision.DecidedAt)}"));
        }
        if (date < asOf)
            return (decided, new RenewalStatus(date, RenewalState.OverdueRenewal, null, previous,
                $"overdue_renewal: the renewal of {AccountScoring.D(date)}{after} passed {asOf.DayNumber - date.DayNumber} days ago with no outcome recorded " +
                $"(no recorded renewal, no renewed milestone and no churn from {AccountScoring.D(from)})"));
        return (decided, new RenewalStatus(date, RenewalState.Open, null, previous,
            $"open: the next renewal is {AccountScoring.D(date)}{after}"));
    }
}
