namespace ValueMcp.Scoring;

/// <summary>
/// From an account's stored facts to the per-account facts the rules decide on, as of a date: its ARR (the ledger),
/// its value contract (promised, evidenced, low-confidence-only, overdue, first evidenced; evidence recorded and computed
/// from metric readings), its milestones, its signals in the recent window (recorded and computed usage trends) and the
/// overrides in force. Pure; every fact dated after asOf is ignored.
/// </summary>
public static class AccountDerivation
{
    public static AccountFacts Derive(AccountHistory history, DateOnly asOf, ScoringPolicy policy)
    {
        var (arr, lastExpansion) = Ledger.At(history.Movements, asOf);

        // Evidence computed from metric readings and trend signals count exactly like recorded ones.
        var evidence = UsageEvidence.WithRecorded(history, asOf);
        var signals = UsageTrends.WithRecorded(history, asOf, policy);

        int promised = 0, evidenced = 0, lowOnly = 0;
        DateOnly? firstEvidenced = null;
        List<OutcomeRef>? overdue = null;
        foreach (var outcome in history.Outcomes)
        {
            if (outcome.PromisedAt > asOf) continue;
            promised++;
            var judged = OutcomeScoring.Judge(outcome, evidence, asOf);
            if (judged.Evidenced)
            {
                evidenced++;
                if (judged.Confidence == Confidence.Low) lowOnly++;
                if (firstEvidenced is not DateOnly f || judged.EvidencedAt < f) firstEvidenced = judged.EvidencedAt;
            }
            else if (OutcomeScoring.IsOverdue(outcome, false, asOf))
            {
                (overdue ??= []).Add(new OutcomeRef(outcome.Id, outcome.Title, outcome.DueDate));
            }
        }
        overdue?.Sort((a, b) =>
        {
            var c = Nullable.Compare(a.DueDate, b.DueDate);
            return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
        });

        var live = false;
        DateOnly? firstValue = null, renewed = null, adopted = null;
        foreach (var m in history.Milestones)
        {
            if (m.ReachedAt > asOf) continue;
            switch (m.Kind)
            {
                case MilestoneKind.Live:
                    live = true;
                    break;
                case MilestoneKind.FirstValue:
                    live = true;
                    if (firstValue is not DateOnly fv || m.ReachedAt < fv) firstValue = m.ReachedAt;
                    break;
                case MilestoneKind.Adopted:
                    live = true;
                    if (adopted is not DateOnly ad || m.ReachedAt < ad) adopted = m.ReachedAt;
                    break;
                case MilestoneKind.Renewed:
                    if (renewed is not DateOnly r || m.ReachedAt > r) renewed = m.ReachedAt;
                    break;
            }
        }

        var overrides = history.Overrides.Count == 0
            ? (IReadOnlyList<OverrideFact>)[]
            : history.Overrides.Where(o => AccountScoring.OverrideInForce(o, asOf)).ToList();

        // The renewal in force decides the renewal date the rules use (without a recorded renewal: the account's renewal_date).
        var renewal = Renewals.Status(history, asOf, policy);
        var profile = renewal.Date == history.Profile.RenewalDate ? history.Profile : history.Profile with { RenewalDate = renewal.Date };

        return new AccountFacts(profile, arr, promised, evidenced, lowOnly, overdue is null ? [] : overdue.ToArray(),
            firstEvidenced, firstValue, live, lastExpansion, renewed, Recent(signals, asOf, policy), overrides, adopted, renewal);
    }

    /// <summary>
    /// The signals of the recent window (policy.RecentWindowDays ending on asOf, both ends included): engagement is the
    /// sum of polarities of usage and success signals; positive signals are counted per category; risk signals are
    /// the negative risk and usage signals, by date then id.
    /// </summary>
    public static RecentSignals Recent(IReadOnlyList<SignalFact> signals, DateOnly asOf, ScoringPolicy policy)
    {
        var start = policy.RecentWindowStart(asOf);
        int engagement = 0, usage = 0, success = 0, data = 0, capacity = 0;
        List<SignalRef>? risks = null;
        var any = false;
        foreach (var s in signals)
        {
            if (s.ObservedAt < start || s.ObservedAt > asOf) continue;
            any = true;
            if (s.Category is SignalCategory.Usage or SignalCategory.Success) engagement += s.Polarity;
            if (s.Polarity > 0)
            {
                switch (s.Category)
                {
                    case SignalCategory.Usage: usage++; break;
                    case SignalCategory.Success: success++; break;
                    case SignalCategory.Data: data++; break;
                    case SignalCategory.Capacity: capacity++; break;
                }
            }
            else if (s.Polarity < 0 && s.Category is SignalCategory.Risk or SignalCategory.Usage)
            {
                (risks ??= []).Add(new SignalRef(s.Id, Wire.Name(s.Category), s.Kind, -1, s.ObservedAt));
            }
        }
        if (!any) return RecentSignals.None;
        risks?.Sort((a, b) =>
        {
            var c = a.ObservedAt.CompareTo(b.ObservedAt);
            return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
        });
        return new RecentSignals(engagement, usage, success, data, capacity, risks is null ? [] : risks.ToArray());
    }
}
