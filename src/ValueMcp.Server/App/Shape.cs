using ValueMcp.Scoring;
using ValueMcp.Store;

namespace ValueMcp.Server.App;

/// <summary>Scoring results to wire records.</summary>
public static class Shape
{
    public static KpisDto Kpis(PortfolioKpis k) => new(k.ArrManaged, k.AccountCount, k.OnTrackPct, k.ExpansionReadyCount,
        k.ExpansionReadyArr, k.ArrAtRisk, k.ArrWithoutValueContract, k.ArrRenewing90d, k.ArrRenewing180d);

    public static FiltersDto Filters(PortfolioFilter f) => new(f.Segment, f.Tier, f.Csm, f.LifecycleStage, f.Band, f.Readiness,
        f.RenewalFlag, f.RenewalWithinDays, f.MinArr, f.CohortYear, f.CohortQuarter);

    /// <summary>Counts and ARR per value, keyed by the value's wire name, in the enum's order.</summary>
    public static IReadOnlyDictionary<string, CountAndArr> Breakdown<T>(IReadOnlyDictionary<T, CountAndArr> counts) where T : struct, Enum =>
        counts.OrderBy(kv => kv.Key).ToDictionary(kv => Wire.Name(kv.Key), kv => kv.Value);

    /// <summary>The readings of an outcome's metric a scorecard shows: the last ones on or before asOf.</summary>
    public const int SeriesLength = 12;

    public static OutcomeDto Outcome(OutcomeScore o, IReadOnlyList<MetricReading> readings, DateOnly asOf)
    {
        var series = o.Outcome.Metric.Length == 0
            ? []
            : readings.Where(r => r.Metric == o.Outcome.Metric && r.ObservedAt <= asOf).OrderBy(r => r.ObservedAt).TakeLast(SeriesLength)
                .Select(r => new MetricReadingDto(r.ObservedAt, r.Value, r.Source)).ToList();
        // Of the computed evidence (one per reading), the pieces that tell: the first that achieves, and the latest.
        var computed = o.Evidence.Where(e => e.Computed).ToList();
        var firstAchieving = computed.FirstOrDefault(e => OutcomeScoring.Achieves(e, o.Outcome));
        var latest = computed.LastOrDefault();
        var shown = o.Evidence.Where(e => !e.Computed || ReferenceEquals(e, firstAchieving) || ReferenceEquals(e, latest));
        return new(
            o.Outcome.Id, o.Outcome.Title, o.Outcome.Metric, o.Outcome.Unit, o.Outcome.Baseline, o.Outcome.Target, o.Outcome.Direction,
            o.Outcome.PromisedAt, o.Outcome.DueDate, o.Evidenced, o.EvidencedAt, o.Progress, o.Overdue, o.Exceeded, o.Confidence,
            o.LatestObservedValue,
            shown.Select(e => new EvidenceDto(e.Id, e.CapturedAt, e.Source, OutcomeScoring.ConfidenceOf(e.Source), e.ObservedValue,
                e.Achieved, OutcomeScoring.Achieves(e, o.Outcome), e.Note, e.CapturedBy, e.Computed)).ToList(),
            computed.Count, series.Count > 0 ? series[^1] : null, series);
    }

    public static SignalDto Signal(SignalFact s) => new(s.Id, s.ObservedAt, s.Category, s.Kind, s.Polarity, s.Note, s.Computed);
}
