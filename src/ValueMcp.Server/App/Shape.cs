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

    public static OutcomeDto Outcome(OutcomeScore o) => new(
        o.Outcome.Id, o.Outcome.Title, o.Outcome.Metric, o.Outcome.Unit, o.Outcome.Baseline, o.Outcome.Target, o.Outcome.Direction,
        o.Outcome.PromisedAt, o.Outcome.DueDate, o.Evidenced, o.EvidencedAt, o.Progress, o.Overdue, o.Exceeded, o.Confidence,
        o.LatestObservedValue,
        o.Evidence.Select(e => new EvidenceDto(e.Id, e.CapturedAt, e.Source, OutcomeScoring.ConfidenceOf(e.Source), e.ObservedValue,
            e.Achieved, OutcomeScoring.Achieves(e, o.Outcome), e.Note, e.CapturedBy)).ToList());

    public static SignalDto Signal(SignalFact s) => new(s.Id, s.ObservedAt, s.Category, s.Kind, s.Polarity, s.Note);
}
