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
/// An account's renewal in force at AsOf: its date (what days to renewal, the flag and the risk use), its state, the
/// decision that decided it (renewed milestone or churn; null while it is open or overdue), the last renewal decided
/// before it, and (made when asked: a portfolio kept in memory holds no words) the reason in words.
/// </summary>
public sealed record RenewalStatus(DateOnly Date, RenewalState State, RenewalDecision? Decision, RenewalDecision? Previous, DateOnly AsOf, int WindowDays)
{
    public string Reason
    {
        get
        {
            string D(DateOnly d) => AccountScoring.D(d);
            if (State == RenewalState.Churned && Decision is { DecidedBy: RenewalDecider.Recorded } c)
                return $"churned: the renewal of {D(c.RenewalDate)} was recorded as churned on {D(c.DecidedAt)}";
            var after = Previous is null || Previous == Decision ? "" : $" (after the renewal of {D(Previous.RenewalDate)}, {Wire.Name(Previous.Outcome)})";
            if (Decision is { } d)
                return $"{Wire.Name(State)}: the renewal of {D(Date)}{after} was decided by {(d.DecidedBy == RenewalDecider.Churn ? "a churn movement" : "the renewed milestone")} on {D(d.DecidedAt)}";
            if (Previous is { } p && p.RenewalDate == Date)
                return $"open: the renewal of {D(Date)} was recorded as {Wire.Name(p.Outcome)} without a next renewal date";
            if (State == RenewalState.OverdueRenewal)
                return $"overdue_renewal: the renewal of {D(Date)}{after} passed {AsOf.DayNumber - Date.DayNumber} days ago with no outcome recorded " +
                    $"(no recorded renewal, no renewed milestone and no churn from {D(Date.AddDays(-WindowDays))})";
            return $"open: the next renewal is {D(Date)}{after}";
        }
    }
}

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
            return (decided, new RenewalStatus(previous.RenewalDate, RenewalState.Churned, previous, previous, asOf, policy.RenewalDecisionWindowDays));

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
            return (decided, new RenewalStatus(last.RenewalDate, RenewalState.Open, null, last, asOf, policy.RenewalDecisionWindowDays));
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

        if (decision is not null)
        {
            decided.Add(decision);
            var state = decision.Outcome == RenewalOutcome.Churned ? RenewalState.Churned : RenewalState.Renewed;
            return (decided, new RenewalStatus(date, state, decision, previous, asOf, policy.RenewalDecisionWindowDays));
        }
        if (date < asOf)
            return (decided, new RenewalStatus(date, RenewalState.OverdueRenewal, null, previous, asOf, policy.RenewalDecisionWindowDays));
        return (decided, new RenewalStatus(date, RenewalState.Open, null, previous, asOf, policy.RenewalDecisionWindowDays));
    }
}
