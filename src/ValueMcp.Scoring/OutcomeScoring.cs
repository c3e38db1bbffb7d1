namespace ValueMcp.Scoring;

/// <summary>One outcome judged at as_of, with the evidence that counted.</summary>
public sealed record OutcomeScore(
    OutcomeFact Outcome,
    bool Evidenced,
    DateOnly? EvidencedAt,
    decimal Progress,
    bool Overdue,
    bool Exceeded,
    Confidence? Confidence,
    decimal? LatestObservedValue,
    IReadOnlyList<EvidenceFact> Evidence);

/// <summary>Whether an outcome is evidenced at as_of, since when, and with what confidence.</summary>
public readonly record struct OutcomeJudgement(bool Evidenced, DateOnly? EvidencedAt, Confidence? Confidence);

public static class OutcomeScoring
{
    /// <summary>
    /// An outcome promised on or before asOf is evidenced when some evidence of it captured on or before asOf achieves
    /// it; it is evidenced from the later of its promise and the first such capture; its confidence is the highest of
    /// the evidence that achieves it. evidence may hold other outcomes' evidence (it is skipped).
    /// </summary>
    public static OutcomeJudgement Judge(OutcomeFact outcome, IReadOnlyList<EvidenceFact> evidence, DateOnly asOf)
    {
        DateOnly? first = null;
        Confidence? confidence = null;
        if (outcome.PromisedAt <= asOf)
        {
            for (var i = 0; i < evidence.Count; i++)
            {
                var e = evidence[i];
                if (e.CapturedAt > asOf || !string.Equals(e.OutcomeId, outcome.Id, StringComparison.Ordinal) || !Achieves(e, outcome)) continue;
                if (first is not DateOnly f || e.CapturedAt < f) first = e.CapturedAt;
                var c = ConfidenceOf(e.Source);
                if (confidence is not Confidence best || c > best) confidence = c;
            }
        }
        return first is DateOnly at
            ? new OutcomeJudgement(true, Max(outcome.PromisedAt, at), confidence)
            : new OutcomeJudgement(false, null, null);
    }

    /// <summary>Confidence of a piece of evidence, from its source.</summary>
    public static Confidence ConfidenceOf(EvidenceSource source) => source switch
    {
        EvidenceSource.Usage or EvidenceSource.Import => Confidence.High,
        EvidenceSource.Survey or EvidenceSource.Communication => Confidence.Medium,
        _ => Confidence.Low,
    };

    /// <summary>
    /// Whether a piece of evidence achieves its outcome: achieved true; or achieved empty and the observed value
    /// meets the target in the outcome's direction. An explicit false never achieves.
    /// </summary>
    public static bool Achieves(EvidenceFact evidence, OutcomeFact outcome)
    {
        if (evidence.Achieved is bool explicitly) return explicitly;
        if (evidence.ObservedValue is not decimal observed || outcome.Target is not decimal target) return false;
        return outcome.Direction switch
        {
            Direction.Increase => observed >= target,
            Direction.Decrease => observed <= target,
            _ => false,
        };
    }

    /// <summary>
    /// Judges an outcome promised on or before asOf. Evidence captured after asOf is ignored. Returns null for an
    /// outcome promised after asOf (it does not exist yet at asOf).
    /// </summary>
    public static OutcomeScore? Score(OutcomeFact outcome, IEnumerable<EvidenceFact> evidence, DateOnly asOf, ScoringPolicy policy)
    {
        if (outcome.PromisedAt > asOf) return null;
        var counted = evidence
            .Where(e => e.OutcomeId == outcome.Id && e.CapturedAt <= asOf)
            .OrderBy(e => e.CapturedAt).ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToArray();

        var (evidenced, evidencedAt, confidence) = Judge(outcome, counted, asOf);

        var latestObserved = counted.LastOrDefault(e => e.ObservedValue is not null)?.ObservedValue;

        var progress = evidenced ? 1m : ProgressFrom(outcome, latestObserved);
        var overdue = IsOverdue(outcome, evidenced, asOf);
        var exceeded = evidenced && IsBeyondTarget(outcome, latestObserved, policy.ExceededMargin);

        return new OutcomeScore(outcome, evidenced, evidencedAt, progress, overdue, exceeded, confidence, latestObserved, counted);
    }

    /// <summary>Overdue: due before asOf and not evidenced.</summary>
    public static bool IsOverdue(OutcomeFact outcome, bool evidenced, DateOnly asOf) =>
        !evidenced && outcome.DueDate is DateOnly due && due < asOf;

    /// <summary>clamp((observed - baseline) / (target - baseline), 0, 1) where all are known; else 0.</summary>
    public static decimal ProgressFrom(OutcomeFact outcome, decimal? observed)
    {
        if (observed is not decimal value || outcome.Baseline is not decimal baseline || outcome.Target is not decimal target) return 0m;
        var span = target - baseline;
        if (span == 0m) return 0m;
        return Math.Clamp((value - baseline) / span, 0m, 1m);
    }

    /// <summary>Latest value beyond the target in the outcome's direction by margin x |target - baseline| or more.</summary>
    public static bool IsBeyondTarget(OutcomeFact outcome, decimal? latest, decimal margin)
    {
        if (latest is not decimal value || outcome.Target is not decimal target || outcome.Baseline is not decimal baseline) return false;
        var needed = margin * Math.Abs(target - baseline);
        return outcome.Direction switch
        {
            Direction.Increase => value - target >= needed,
            Direction.Decrease => target - value >= needed,
            _ => false,
        };
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
