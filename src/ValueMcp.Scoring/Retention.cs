namespace ValueMcp.Scoring;

/// <summary>How retention rows are grouped.</summary>
public enum RetentionGrouping { None, Segment, Tier, Csm, CohortYear, CohortQuarter }

/// <summary>A half-open period [Start, End): movements dated on Start are in it, movements dated on End are not.</summary>
public sealed record RetentionPeriod
{
    public RetentionPeriod(DateOnly start, DateOnly end)
    {
        if (start >= end) throw new ArgumentException($"a retention period needs start < end (got {start:yyyy-MM-dd} .. {end:yyyy-MM-dd})");
        Start = start;
        End = end;
    }

    public DateOnly Start { get; }
    public DateOnly End { get; }
}

/// <summary>
/// One account replayed over a period. InCohort: active just before the period (ARR from movements dated before
/// start above 0). For a cohort account: StartingArr = S, Expansion = E (and by lane), Contraction = C, Churn = X
/// (the ARR its churn movements removed). For an account outside the cohort these are 0 and NewLogoArr is its ARR
/// from movements dated before end (a new logo of the period, excluded from NRR and GRR).
/// </summary>
public sealed record AccountRetention(
    bool InCohort,
    decimal StartingArr,
    decimal Expansion,
    IReadOnlyDictionary<string, decimal> ExpansionByLane,
    decimal Contraction,
    decimal Churn,
    bool ActiveBeforeEnd,
    decimal ArrBeforeEnd)
{
    public decimal NewLogoArr => InCohort || !ActiveBeforeEnd ? 0m : ArrBeforeEnd;
}

/// <summary>Retention of one group over a period (domain.md, "Retention over a period").</summary>
public sealed record RetentionRow(
    string Group,
    decimal StartingArr,
    decimal Expansion,
    IReadOnlyDictionary<string, decimal> ExpansionByLane,
    IReadOnlyDictionary<string, int> ExpandingLogosByLane,
    decimal Contraction,
    decimal Churn,
    int LogosStart,
    int LogosRetained,
    int NewLogos,
    decimal NewLogoArr)
{
    /// <summary>S + E - C - X: the cohort's ARR at the end of the period, new logos excluded.</summary>
    public decimal EndingArr => StartingArr + Expansion - Contraction - Churn;

    /// <summary>(S + E - C - X) / S; null when S = 0.</summary>
    public decimal? Nrr => StartingArr == 0m ? null : EndingArr / StartingArr;

    /// <summary>(S - C - X) / S, never above 1; null when S = 0.</summary>
    public decimal? Grr => StartingArr == 0m ? null : Math.Min(1m, (StartingArr - Contraction - Churn) / StartingArr);

    /// <summary>Logos retained / logos at start; null without a logo at start.</summary>
    public decimal? LogoRetention => LogosStart == 0 ? null : (decimal)LogosRetained / LogosStart;
}

public sealed record RetentionReport(RetentionPeriod Period, RetentionGrouping GroupBy, RetentionRow Total, IReadOnlyList<RetentionRow> Rows);

public static class Retention
{
    /// <summary>The expansion lanes of the fact model; "" is an expansion without a lane.</summary>
    public static IReadOnlyList<string> Lanes { get; } = ["modules", "data_integration", "managed_services", "seats", "price", ""];

    public const string AllGroup = "all";

    /// <summary>
    /// Replays one account's ledger over the period, in the Ledger's order (whatever the caller's order); movements
    /// dated on or after the period's end are ignored.
    /// </summary>
    public static AccountRetention Replay(IReadOnlyList<MovementFact> movements, RetentionPeriod period)
    {
        var ordered = Ledger.InOrder(movements).TakeWhile(m => m.EffectiveDate < period.End);
        var arr = 0m;
        decimal? starting = null;
        decimal e = 0m, c = 0m, x = 0m;
        Dictionary<string, decimal>? byLane = null;
        foreach (var m in ordered)
        {
            var inPeriod = m.EffectiveDate >= period.Start;
            if (inPeriod && starting is null) starting = arr;
            var cohort = starting is decimal s && s > 0m;
            if (inPeriod && cohort)
            {
                switch (m.Kind)
                {
                    case MovementKind.Expansion:
                        e += m.Amount;
                        byLane ??= new Dictionary<string, decimal>(StringComparer.Ordinal);
                        byLane[m.Lane] = byLane.GetValueOrDefault(m.Lane) + m.Amount;
                        break;
                    case MovementKind.Contraction:
                        c += m.Amount;
                        break;
                    case MovementKind.Churn:
                        x += arr; // churn removes whatever ARR is left, whatever its amount
                        break;
                }
            }
            arr = Ledger.Apply(arr, m);
        }
        var start = starting ?? arr; // no movement in the period: the ARR before start is the ARR before end
        var inCohort = start > 0m;
        return new AccountRetention(inCohort, inCohort ? start : 0m, e,
            (IReadOnlyDictionary<string, decimal>?)byLane ?? new Dictionary<string, decimal>(), c, x, arr > 0m, arr);
    }

    /// <summary>The group label of an account: "all", the attribute's value ("" when empty), or "YYYY" / "YYYY-Qn" of contract start.</summary>
    public static string GroupOf(AccountProfile account, RetentionGrouping groupBy) => groupBy switch
    {
        RetentionGrouping.Segment => account.Segment,
        RetentionGrouping.Tier => account.Tier,
        RetentionGrouping.Csm => account.Csm,
        RetentionGrouping.CohortYear => account.ContractStart.Year.ToString("D4", System.Globalization.CultureInfo.InvariantCulture),
        RetentionGrouping.CohortQuarter => $"{account.ContractStart.Year:D4}-Q{(account.ContractStart.Month + 2) / 3}",
        _ => AllGroup,
    };

    /// <summary>
    /// Retention per group and in total, in one pass over the ledgers (which may be streamed: one account's movements at
    /// a time). Every account seen forms its group, so a group whose accounts are all new logos appears with S = 0.
    /// Rows are ordered by group (ordinal); with no grouping there is one row, "all".
    /// </summary>
    public static RetentionReport Measure(IEnumerable<AccountHistory> ledgers, RetentionPeriod period, RetentionGrouping groupBy)
    {
        var total = new RowAccumulator(AllGroup);
        var groups = new Dictionary<string, RowAccumulator>(StringComparer.Ordinal);
        foreach (var ledger in ledgers)
        {
            var r = Replay(ledger.Movements, period);
            total.Add(r);
            if (groupBy == RetentionGrouping.None) continue;
            var key = GroupOf(ledger.Profile, groupBy);
            if (!groups.TryGetValue(key, out var acc)) groups[key] = acc = new RowAccumulator(key);
            acc.Add(r);
        }
        var rows = groupBy == RetentionGrouping.None
            ? [total.Row()]
            : groups.Values.OrderBy(g => g.Group, StringComparer.Ordinal).Select(g => g.Row()).ToList();
        return new RetentionReport(period, groupBy, total.Row(), rows);
    }

    private sealed class RowAccumulator(string group)
    {
        private decimal _s, _e, _c, _x, _newArr;
        private int _logos, _retained, _newLogos;
        private readonly Dictionary<string, decimal> _byLane = Retention.Lanes.ToDictionary(l => l, _ => 0m, StringComparer.Ordinal);
        private readonly Dictionary<string, int> _expandingByLane = Retention.Lanes.ToDictionary(l => l, _ => 0, StringComparer.Ordinal);

        public string Group => group;

        public void Add(AccountRetention r)
        {
            if (!r.InCohort)
            {
                if (r.ActiveBeforeEnd)
                {
                    _newLogos++;
                    _newArr += r.NewLogoArr;
                }
                return;
            }
            _logos++;
            if (r.ActiveBeforeEnd) _retained++;
            _s += r.StartingArr;
            _e += r.Expansion;
            _c += r.Contraction;
            _x += r.Churn;
            foreach (var (lane, amount) in r.ExpansionByLane)
            {
                _byLane[lane] = _byLane.GetValueOrDefault(lane) + amount;
                _expandingByLane[lane] = _expandingByLane.GetValueOrDefault(lane) + 1;
            }
        }

        public RetentionRow Row() => new(group, _s, _e, new Dictionary<string, decimal>(_byLane, StringComparer.Ordinal),
            new Dictionary<string, int>(_expandingByLane, StringComparer.Ordinal), _c, _x, _logos, _retained, _newLogos, _newArr);
    }
}
