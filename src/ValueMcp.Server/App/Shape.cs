using ValueMcp.Scoring;
using ValueMcp.Store;

namespace ValueMcp.Server.App;

/// <summary>Scoring results to wire records.</summary>
public static class Shape
{
    public static AccountCard Card(AccountScore a) => new()
    {
        Id = a.Id,
        Name = a.Profile.Name,
        Segment = a.Profile.Segment,
        Tier = a.Profile.Tier,
        Csm = a.Profile.Csm,
        Arr = a.Arr,
        Fulfilment = a.Fulfilment,
        Band = a.Band.Value,
        OutcomesPromised = a.Facts.OutcomesPromised,
        OutcomesEvidenced = a.Facts.OutcomesEvidenced,
        OutcomesOverdue = a.Facts.OutcomesOverdue,
        EvidencedLowConfidenceOnly = a.Facts.EvidencedLowConfidenceOnly,
        Readiness = a.Readiness.Value,
        Lane = a.Lane?.Lane,
        RenewalDate = a.Profile.RenewalDate,
        DaysToRenewal = a.DaysToRenewal,
        RenewalFlag = a.RenewalFlag,
        RenewalRisk = a.Risk.Value,
        LifecycleStage = a.Stage,
        Engagement = a.Engagement,
        Utilisation = a.Utilisation,
        TtfvDays = a.TimeToFirstValueDays,
        TtfvBreach = a.TtfvBreach,
        NextAction = new NextActionDto(a.NextAction.Kind, a.NextAction.Reason),
        Overrides = Overrides(a),
    };

    private static IReadOnlyList<OverrideDto> Overrides(AccountScore a)
    {
        var list = new List<OverrideDto>(0);
        void Add<T>(Verdict<T> v) where T : struct, Enum
        {
            if (v.Override is { } o)
                list.Add(new OverrideDto(o.Field, Wire.Name(v.Value), Wire.Name(v.Computed), o.Author, o.Reason, o.CreatedAt, o.ExpiresAt));
        }
        Add(a.Band);
        Add(a.Readiness);
        Add(a.Risk);
        return list;
    }

    public static KpisDto Kpis(PortfolioKpis k) => new(k.ArrManaged, k.AccountCount, k.OnTrackPct, k.ExpansionReadyCount,
        k.ExpansionReadyArr, k.ArrAtRisk, k.ArrWithoutValueContract, k.ArrRenewing90d, k.ArrRenewing180d);

    public static FiltersDto Filters(PortfolioFilter f) => new(f.Segment, f.Tier, f.Csm, f.LifecycleStage, f.Band, f.Readiness,
        f.RenewalFlag, f.RenewalWithinDays, f.MinArr);

    public static IReadOnlyDictionary<string, CountArr> Breakdown<T>(IReadOnlyDictionary<T, CountAndArr> counts) where T : struct, Enum =>
        counts.OrderBy(kv => kv.Key).ToDictionary(kv => Wire.Name(kv.Key), kv => new CountArr(kv.Value.Count, kv.Value.Arr));

    public static OutcomeDto Outcome(OutcomeScore o) => new(
        o.Outcome.Id, o.Outcome.Title, o.Outcome.Metric, o.Outcome.Unit, o.Outcome.Baseline, o.Outcome.Target, o.Outcome.Direction,
        o.Outcome.PromisedAt, o.Outcome.DueDate, o.Evidenced, o.EvidencedAt, o.Progress, o.Overdue, o.Exceeded, o.Confidence,
        o.LatestObservedValue,
        o.Evidence.Select(e => new EvidenceDto(e.Id, e.CapturedAt, e.Source, OutcomeScoring.ConfidenceOf(e.Source), e.ObservedValue,
            e.Achieved, OutcomeScoring.Achieves(e, o.Outcome), e.Note, e.CapturedBy)).ToList());

    public static SignalDto Signal(SignalFact s) => new(s.Id, s.ObservedAt, s.Category, s.Kind, s.Polarity, s.Note);

    /// <summary>The ledger with the ARR after each movement (churn brings it to 0).</summary>
    public static IReadOnlyList<ArrPointDto> ArrHistory(IReadOnlyList<LedgerEntry> ledger) =>
        ledger.Select(e => new ArrPointDto(e.Movement.EffectiveDate, e.Movement.Kind, e.Movement.Amount, e.Movement.Lane, e.Movement.Note, e.ArrAfter)).ToList();

    /// <summary>Accounts by fulfilment range (lower bound inclusive), no_contract apart.</summary>
    public static IReadOnlyList<FulfilmentBucket> FulfilmentDistribution(IReadOnlyCollection<AccountScore> accounts)
    {
        (string Range, decimal Low, decimal High)[] ranges =
        [
            ("0.00-0.20", 0m, 0.2m), ("0.20-0.40", 0.2m, 0.4m), ("0.40-0.60", 0.4m, 0.6m),
            ("0.60-0.80", 0.6m, 0.8m), ("0.80-1.00", 0.8m, 1.01m),
        ];
        var buckets = ranges.Select(r =>
        {
            var inRange = accounts.Where(a => a.Fulfilment is decimal f && f >= r.Low && f < r.High).ToList();
            return new FulfilmentBucket(r.Range, inRange.Count, inRange.Sum(a => a.Arr));
        }).ToList();
        var none = accounts.Where(a => a.Fulfilment is null).ToList();
        buckets.Add(new FulfilmentBucket("no_contract", none.Count, none.Sum(a => a.Arr)));
        return buckets;
    }
}
