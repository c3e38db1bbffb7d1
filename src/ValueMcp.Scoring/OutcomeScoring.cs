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

public static class OutcomeScoring
{
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

        var achieving = counted.Where(e => Achieves(e, outcome)).ToArray();
        var evidenced = achieving.Length > 0;
        DateOnly? evidencedAt = evidenced ? Max(outcome.PromisedAt, achieving[0].CapturedAt) : null;
        Confidence? confidence = evidenced ? achieving.Max(e => ConfidenceOf(e.Source)) : null;

        var latestObserved = counted.LastOrDefault(e => e.ObservedValue is not null)?.ObservedValue;

        var progress = evidenced ? 1m : ProgressFrom(outcome, latestObserved);
        var overdue = !evidenced && outcome.DueDate is DateOnly due && due < asOf;
        var exceeded = evidenced && IsBeyondTarget(outcome, latestObserved, policy.ExceededMargin);

        return new OutcomeScore(outcome, evidenced, evidencedAt, progress, overdue, exceeded, confidence, latestObserved, counted);
    }

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
