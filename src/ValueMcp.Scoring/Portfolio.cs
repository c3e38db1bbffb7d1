namespace ValueMcp.Scoring;

/// <summary>
/// Filters of domain.md. Null means "any". Text filters match exactly but case-insensitively; whether a text value
/// is known is checked by the caller (it needs the stored values).
/// </summary>
public sealed record PortfolioFilter
{
    public string? Segment { get; init; }
    public string? Tier { get; init; }
    public string? Csm { get; init; }
    public LifecycleStage? LifecycleStage { get; init; }
    public Band? Band { get; init; }
    public Readiness? Readiness { get; init; }
    public RenewalFlag? RenewalFlag { get; init; }
    public int? RenewalWithinDays { get; init; }
    public decimal? MinArr { get; init; }
    /// <summary>Contract-start cohort by year, "YYYY" (the group label of retention_metrics by cohort_year).</summary>
    public string? CohortYear { get; init; }
    /// <summary>Contract-start cohort by quarter, "YYYY-Qn" (the group label of retention_metrics by cohort_quarter).</summary>
    public string? CohortQuarter { get; init; }

    public static PortfolioFilter None { get; } = new();

    public bool Matches(AccountScore a) =>
        a.Active
        && (Segment is null || string.Equals(a.Profile.Segment, Segment, StringComparison.OrdinalIgnoreCase))
        && (Tier is null || string.Equals(a.Profile.Tier, Tier, StringComparison.OrdinalIgnoreCase))
        && (Csm is null || string.Equals(a.Profile.Csm, Csm, StringComparison.OrdinalIgnoreCase))
        && (LifecycleStage is null || a.Stage == LifecycleStage)
        && (Band is null || a.Band.Value == Band)
        && (Readiness is null || a.Readiness.Value == Readiness)
        && (RenewalFlag is null || a.RenewalFlag == RenewalFlag)
        && (RenewalWithinDays is null || a.DaysToRenewal <= RenewalWithinDays)
        && (MinArr is null || a.Arr >= MinArr)
        && (CohortYear is null || Retention.GroupOf(a.Profile, RetentionGrouping.CohortYear) == CohortYear)
        && (CohortQuarter is null || Retention.GroupOf(a.Profile, RetentionGrouping.CohortQuarter) == CohortQuarter);
}

public sealed record CountAndArr(int Count, decimal Arr)
{
    public static CountAndArr Zero { get; } = new(0, 0m);
    public CountAndArr Add(decimal arr) => new(Count + 1, Arr + arr);
}

/// <summary>The four KPIs and the other headline figures, over one set of accounts.</summary>
public sealed record PortfolioKpis(
    decimal ArrManaged,
    int AccountCount,
    decimal? OnTrackPct,
    int ExpansionReadyCount,
    decimal ExpansionReadyArr,
    decimal ArrAtRisk,
    decimal ArrWithoutValueContract,
    decimal ArrRenewing90d,
    decimal ArrRenewing180d);

public sealed record SegmentKpis(string Segment, PortfolioKpis Kpis);

public sealed record PortfolioHealth(
    PortfolioKpis Kpis,
    IReadOnlyDictionary<Band, CountAndArr> ByBand,
    IReadOnlyDictionary<Readiness, CountAndArr> ByReadiness,
    IReadOnlyDictionary<RenewalFlag, CountAndArr> ByRenewalFlag,
    IReadOnlyDictionary<LifecycleStage, CountAndArr> ByLifecycleStage,
    IReadOnlyList<SegmentKpis> BySegment);

public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Offset, int? NextOffset);

public static class Portfolio
{
    /// <summary>The fixed horizons of the arr_renewing_90d / arr_renewing_180d figures.</summary>
    public const int RenewingSoonDays = 90;
    public const int RenewingLaterDays = 180;

    /// <summary>Scores every account and keeps the active ones that match the filter.</summary>
    public static IReadOnlyList<AccountScore> Select(IEnumerable<AccountFacts> facts, DateOnly asOf, ScoringPolicy policy, PortfolioFilter filter) =>
        facts.Select(f => AccountScoring.Score(f, asOf, policy)).Where(filter.Matches).ToList();

    public static PortfolioKpis Kpis(IEnumerable<AccountScore> accounts)
    {
        var totals = new KpiAccumulator();
        foreach (var a in accounts) totals.Add(a);
        return totals.Kpis();
    }

    /// <summary>KPIs and breakdowns in one pass over the accounts (which may be streamed: nothing is kept per account).</summary>
    public static PortfolioHealth Health(IEnumerable<AccountScore> accounts)
    {
        var totals = new KpiAccumulator();
        var segments = new Dictionary<string, (string Label, KpiAccumulator Totals)>(StringComparer.OrdinalIgnoreCase);
        var byBand = new Tally<Band>();
        var byReadiness = new Tally<Readiness>();
        var byFlag = new Tally<RenewalFlag>();
        var byStage = new Tally<LifecycleStage>();
        foreach (var a in accounts)
        {
            totals.Add(a);
            if (!segments.TryGetValue(a.Profile.Segment, out var seg))
                segments[a.Profile.Segment] = seg = (a.Profile.Segment, new KpiAccumulator());
            seg.Totals.Add(a);
            byBand.Add(a.Band.Value, a.Arr);
            byReadiness.Add(a.Readiness.Value, a.Arr);
            byFlag.Add(a.RenewalFlag, a.Arr);
            byStage.Add(a.Stage, a.Arr);
        }
        var bySegment = segments.Values
            .OrderBy(s => s.Label, StringComparer.Ordinal)
            .Select(s => new SegmentKpis(s.Label, s.Totals.Kpis()))
            .ToList();
        return new PortfolioHealth(totals.Kpis(), byBand.Result(), byReadiness.Result(), byFlag.Result(), byStage.Result(), bySegment);
    }

    /// <summary>Count and ARR per value of an enum, counted in place (no allocation per account).</summary>
    private sealed class Tally<T> where T : struct, Enum
    {
        private static readonly T[] Values = Enum.GetValues<T>();
        private readonly int[] _count = new int[Values.Length];
        private readonly decimal[] _arr = new decimal[Values.Length];

        public void Add(T value, decimal arr)
        {
            var i = Array.IndexOf(Values, value);
            _count[i]++;
            _arr[i] += arr;
        }

        public IReadOnlyDictionary<T, CountAndArr> Result()
        {
            var result = new Dictionary<T, CountAndArr>(Values.Length);
            for (var i = 0; i < Values.Length; i++) result[Values[i]] = new CountAndArr(_count[i], _arr[i]);
            return result;
        }
    }

    private static Dictionary<T, CountAndArr> Zero<T>() where T : struct, Enum =>
        Enum.GetValues<T>().ToDictionary(v => v, _ => CountAndArr.Zero);

    /// <summary>Count and ARR per value, every value present (zero where none).</summary>
    public static IReadOnlyDictionary<T, CountAndArr> Breakdown<T>(IEnumerable<AccountScore> accounts, Func<AccountScore, T> key)
        where T : struct, Enum
    {
        var result = Zero<T>();
        foreach (var a in accounts)
        {
            var k = key(a);
            result[k] = result[k].Add(a.Arr);
        }
        return result;
    }

    /// <summary>
    /// Sorts by key in its default direction (arr desc, fulfilment asc, readiness ready..blocked, renewal date asc)
    /// unless descending is given. Accounts without a value contract stay last in a fulfilment sort either way;
    /// ties are broken by account id, ascending ordinal, always.
    /// </summary>
    public static IReadOnlyList<AccountScore> Sort(IEnumerable<AccountScore> accounts, SortKey key, bool? descending = null)
    {
        var desc = descending ?? key == SortKey.Arr;
        var comparer = Comparer<AccountScore>.Create((x, y) =>
        {
            int c;
            switch (key)
            {
                case SortKey.Fulfilment:
                    var xn = x.Fulfilment is null;
                    var yn = y.Fulfilment is null;
                    if (xn != yn) return xn ? 1 : -1; // no_contract last, whatever the direction
                    c = xn ? 0 : Nullable.Compare(x.Fulfilment, y.Fulfilment);
                    break;
                case SortKey.Readiness:
                    c = ReadinessRank(x.Readiness.Value).CompareTo(ReadinessRank(y.Readiness.Value));
                    break;
                case SortKey.RenewalDate:
                    c = x.Profile.RenewalDate.CompareTo(y.Profile.RenewalDate);
                    break;
                default:
                    c = x.Arr.CompareTo(y.Arr);
                    break;
            }
            if (desc) c = -c;
            return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
        });
        var list = accounts.ToList();
        list.Sort(comparer);
        return list;
    }

    /// <summary>
    /// The accounts whose next action is not monitor, in the order a CSM works them: action priority (escalate renewal
    /// risk first), then renewal risk (high first), then ARR (largest first), then account id.
    /// </summary>
    public static IReadOnlyList<AccountScore> NeedsAttention(IEnumerable<AccountScore> accounts) =>
        accounts
            .Where(a => a.NextAction.Kind != ActionKind.Monitor)
            .OrderBy(a => a.NextAction.Kind)
            .ThenByDescending(a => a.Risk.Value)
            .ThenByDescending(a => a.Arr)
            .ThenBy(a => a.Id, StringComparer.Ordinal)
            .ToList();

    /// <summary>ready, emerging, not_ready, blocked.</summary>
    public static int ReadinessRank(Readiness r) => r switch
    {
        Readiness.Ready => 0,
        Readiness.Emerging => 1,
        Readiness.NotReady => 2,
        _ => 3,
    };

    public static Page<T> Paginate<T>(IReadOnlyList<T> sorted, int offset, int limit)
    {
        var items = sorted.Skip(offset).Take(limit).ToList();
        int? next = offset + items.Count < sorted.Count ? offset + items.Count : null;
        return new Page<T>(items, sorted.Count, offset, next);
    }
}

/// <summary>Running totals of the portfolio KPIs.</summary>
public sealed class KpiAccumulator
{
    private decimal _managed, _readyArr, _atRisk, _noContract, _renewing90, _renewing180;
    private int _count, _onTrack, _ready;

    public void Add(AccountScore a)
    {
        _count++;
        _managed += a.Arr;
        if (a.Band.Value == Band.OnTrack) _onTrack++;
        if (a.Band.Value is Band.AtRisk or Band.Critical) _atRisk += a.Arr;
        if (a.Readiness.Value == Readiness.Ready) { _ready++; _readyArr += a.Arr; }
        if (a.Facts.OutcomesPromised == 0) _noContract += a.Arr;
        if (a.DaysToRenewal <= Portfolio.RenewingSoonDays) _renewing90 += a.Arr;
        if (a.DaysToRenewal <= Portfolio.RenewingLaterDays) _renewing180 += a.Arr;
    }

    public PortfolioKpis Kpis() => new(_managed, _count, _count == 0 ? null : (decimal)_onTrack / _count, _ready, _readyArr,
        _atRisk, _noContract, _renewing90, _renewing180);
}
