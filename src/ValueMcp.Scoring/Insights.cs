using System.Globalization;

namespace ValueMcp.Scoring;

/// <summary>A portfolio pattern with the numbers behind it; the statement quotes those numbers.</summary>
public sealed record Insight(string Kind, string Group, string Statement, IReadOnlyDictionary<string, decimal> Numbers);

/// <summary>
/// Patterns a per-account view hides: low fulfilment by segment and CSM, where expansion-ready accounts cluster,
/// renewal risk by fulfilment band, TTFV breaches by segment. Pure: scored accounts in, insights out. Within a kind the
/// worst (or largest) group comes first: the highest share below the low-fulfilment threshold (groups without a value
/// contract last), the largest ready ARR, the highest share breaching TTFV; fulfilment bands in their own order.
/// </summary>
public static class Insights
{
    public const string LowFulfilmentBySegment = "low_fulfilment_by_segment";
    public const string LowFulfilmentByCsm = "low_fulfilment_by_csm";
    public const string ExpansionReadyBySegment = "expansion_ready_by_segment";
    public const string RiskByFulfilmentBand = "renewal_risk_by_fulfilment_band";
    public const string TtfvBreachBySegment = "ttfv_breach_by_segment";

    public static IReadOnlyList<string> Kinds { get; } =
        [LowFulfilmentBySegment, LowFulfilmentByCsm, ExpansionReadyBySegment, RiskByFulfilmentBand, TtfvBreachBySegment];

    public static IReadOnlyList<Insight> Of(IReadOnlyCollection<AccountScore> accounts, ScoringPolicy policy)
    {
        var insights = new List<Insight>();
        insights.AddRange(WorstFirst(LowFulfilment(accounts, a => a.Profile.Segment, LowFulfilmentBySegment, policy), "share_below_threshold", "arr_below_threshold"));
        insights.AddRange(WorstFirst(LowFulfilment(accounts, a => a.Profile.Csm, LowFulfilmentByCsm, policy), "share_below_threshold", "arr_below_threshold"));
        insights.AddRange(WorstFirst(ExpansionClusters(accounts), "ready_arr", "ready_accounts"));
        insights.AddRange(RiskByBand(accounts));
        insights.AddRange(WorstFirst(TtfvBreaches(accounts, policy), "share_breaching", "arr_breaching"));
        return insights;
    }

    /// <summary>By the first number, then the second, largest first (a group without the first number last), then group ordinal.</summary>
    private static IEnumerable<Insight> WorstFirst(IEnumerable<Insight> insights, string first, string second) =>
        insights
            .OrderByDescending(i => i.Numbers.TryGetValue(first, out var v) ? v : decimal.MinValue)
            .ThenByDescending(i => i.Numbers.TryGetValue(second, out var v) ? v : decimal.MinValue)
            .ThenBy(i => i.Group, StringComparer.Ordinal);

    private static IEnumerable<IGrouping<string, AccountScore>> By(IEnumerable<AccountScore> accounts, Func<AccountScore, string> key) =>
        accounts.GroupBy(key, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.Ordinal);

    private static IEnumerable<Insight> LowFulfilment(IReadOnlyCollection<AccountScore> accounts, Func<AccountScore, string> key, string kind, ScoringPolicy policy)
    {
        var threshold = policy.InsightLowFulfilment;
        foreach (var g in By(accounts, key))
        {
            var total = g.Count();
            var withContract = g.Count(a => a.Fulfilment is not null);
            var below = g.Where(a => a.Fulfilment is decimal f && f < threshold).ToList();
            var arrBelow = below.Sum(a => a.Arr);
            var numbers = new Dictionary<string, decimal>(StringComparer.Ordinal)
            {
                ["accounts"] = total,
                ["with_value_contract"] = withContract,
                ["below_threshold"] = below.Count,
                ["threshold"] = threshold,
                ["arr_below_threshold"] = arrBelow,
                ["arr"] = g.Sum(a => a.Arr),
            };
            string statement;
            if (withContract == 0)
                statement = $"{Label(g.Key)}: none of its {total} accounts has a value contract, so fulfilment cannot be measured.";
            else
            {
                var share = (decimal)below.Count / withContract;
                numbers["share_below_threshold"] = share;
                statement = $"{Label(g.Key)}: {below.Count} of {withContract} accounts with a value contract ({Pct(share)}) are below {Threshold(threshold)} fulfilment, ARR {M(arrBelow)}" +
                    (total > withContract ? $"; {total - withContract} more without a value contract." : ".");
            }
            yield return new Insight(kind, g.Key, statement, numbers);
        }
    }

    private static IEnumerable<Insight> ExpansionClusters(IReadOnlyCollection<AccountScore> accounts)
    {
        var ready = accounts.Where(a => a.Readiness.Value == Readiness.Ready).ToList();
        var readyArr = ready.Sum(a => a.Arr);
        foreach (var g in By(ready, a => a.Profile.Segment))
        {
            var arr = g.Sum(a => a.Arr);
            var numbers = new Dictionary<string, decimal>(StringComparer.Ordinal)
            {
                ["ready_accounts"] = g.Count(),
                ["ready_arr"] = arr,
                ["share_of_ready_accounts"] = (decimal)g.Count() / ready.Count,
                ["share_of_ready_arr"] = readyArr == 0m ? 0m : arr / readyArr,
            };
            var lanes = new List<string>();
            foreach (var lane in Enum.GetValues<ExpansionLane>())
            {
                var inLane = g.Where(a => (a.Lane?.Lane ?? ExpansionLane.Modules) == lane).ToList();
                numbers[$"{Wire.Name(lane)}_accounts"] = inLane.Count;
                numbers[$"{Wire.Name(lane)}_arr"] = inLane.Sum(a => a.Arr);
                if (inLane.Count > 0) lanes.Add($"{Wire.Name(lane)} {inLane.Count} (ARR {M(inLane.Sum(a => a.Arr))})");
            }
            var statement = $"{Label(g.Key)} holds {g.Count()} of the {ready.Count} expansion-ready accounts ({Pct(numbers["share_of_ready_accounts"])}), " +
                $"ARR {M(arr)} ({Pct(numbers["share_of_ready_arr"])} of the ready ARR); by suggested lane: {string.Join(", ", lanes)}.";
            yield return new Insight(ExpansionReadyBySegment, g.Key, statement, numbers);
        }
    }

    private static IEnumerable<Insight> RiskByBand(IReadOnlyCollection<AccountScore> accounts)
    {
        foreach (var band in new[] { Band.OnTrack, Band.AtRisk, Band.Critical, Band.NoContract })
        {
            var inBand = accounts.Where(a => a.Band.Value == band).ToList();
            var arr = inBand.Sum(a => a.Arr);
            var high = inBand.Where(a => a.Risk.Value == RenewalRisk.High).Sum(a => a.Arr);
            var medium = inBand.Where(a => a.Risk.Value == RenewalRisk.Medium).Sum(a => a.Arr);
            var assessed = inBand.Where(a => a.Risk.Value != RenewalRisk.None).Sum(a => a.Arr);
            var numbers = new Dictionary<string, decimal>(StringComparer.Ordinal)
            {
                ["accounts"] = inBand.Count,
                ["arr"] = arr,
                ["arr_renewal_assessed"] = assessed,
                ["arr_high_risk"] = high,
                ["arr_medium_risk"] = medium,
                ["arr_at_renewal_risk"] = high + medium,
            };
            string statement;
            if (inBand.Count == 0)
                statement = $"{Wire.Name(band)}: no account in this band.";
            else
            {
                var share = arr == 0m ? 0m : (high + medium) / arr;
                numbers["share_at_renewal_risk"] = share;
                statement = $"{Wire.Name(band)}: {Accounts(inBand.Count)}, ARR {M(arr)}; {M(high + medium)} ({Pct(share)} of the band's ARR) is at high or medium renewal risk " +
                    $"(high {M(high)}, medium {M(medium)}; {M(assessed)} renews within the risk horizon).";
            }
            yield return new Insight(RiskByFulfilmentBand, Wire.Name(band), statement, numbers);
        }
    }

    private static IEnumerable<Insight> TtfvBreaches(IReadOnlyCollection<AccountScore> accounts, ScoringPolicy policy)
    {
        foreach (var g in By(accounts, a => a.Profile.Segment))
        {
            var total = g.Count();
            var breaches = g.Where(a => a.TtfvBreach).ToList();
            var share = (decimal)breaches.Count / total;
            var numbers = new Dictionary<string, decimal>(StringComparer.Ordinal)
            {
                ["accounts"] = total,
                ["ttfv_breaches"] = breaches.Count,
                ["share_breaching"] = share,
                ["arr_breaching"] = breaches.Sum(a => a.Arr),
                ["breach_days"] = policy.TtfvBreachDays,
            };
            var statement = breaches.Count == 0
                ? $"{Label(g.Key)}: no TTFV breach among its {Accounts(total)}."
                : $"{Label(g.Key)}: {breaches.Count} of {total} accounts ({Pct(share)}) breach time to first value (no first value more than {policy.TtfvBreachDays} days after contract start), ARR {M(breaches.Sum(a => a.Arr))}.";
            yield return new Insight(TtfvBreachBySegment, g.Key, statement, numbers);
        }
    }

    private static string Accounts(int n) => n == 1 ? "1 account" : $"{n} accounts";

    private static string Label(string group) => group.Length == 0 ? "(none)" : group;

    private static string Threshold(decimal v) => v.ToString("0.00##", CultureInfo.InvariantCulture);

    internal static string M(decimal v) => v.ToString("#,##0.##", CultureInfo.InvariantCulture);

    internal static string Pct(decimal v) => (v * 100m).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
