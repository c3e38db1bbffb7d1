namespace ValueMcp.Scoring;

/// <summary>
/// Accounts whose fulfilment is in [Low, High) (the last range includes 1), with the band a fulfilment of Low gets
/// under the policy; the accounts without a value contract are the range "no_contract" (Low and High null).
/// </summary>
public sealed record FulfilmentRange(string Range, decimal? Low, decimal? High, Band Band, int Count, decimal Arr);

/// <summary>Renewals of active accounts in a span of renewal dates: count and ARR, and the same per renewal risk.</summary>
public sealed record RenewalsDue(int Count, decimal Arr, IReadOnlyDictionary<RenewalRisk, CountAndArr> ByRisk);

/// <summary>The renewals of one calendar month (yyyy-MM) from From to To, both included.</summary>
public sealed record RenewalMonth(string Month, DateOnly From, DateOnly To, RenewalsDue Due);

/// <summary>The renewal calendar: renewal dates already passed (accounts still active), then month by month.</summary>
public sealed record RenewalCalendar(RenewalsDue Passed, IReadOnlyList<RenewalMonth> Months);

/// <summary>The shape of a portfolio for the board charts: where fulfilment stands and when renewals fall.</summary>
public static class PortfolioShape
{
    /// <summary>The fulfilment distribution's ranges: tenths of fulfilment.</summary>
    public const int FulfilmentRanges = 10;

    /// <summary>The renewal calendar covers the month of as_of and this many months after it (past the 180-day horizon).</summary>
    public const int RenewalMonthsAhead = 6;

    /// <summary>Accounts by tenth of fulfilment (0.0-0.1 ... 0.9-1.0, 1.0 in the last), then no_contract.</summary>
    public static IReadOnlyList<FulfilmentRange> FulfilmentDistribution(IEnumerable<AccountScore> accounts, ScoringPolicy policy)
    {
        var count = new int[FulfilmentRanges + 1];
        var arr = new decimal[FulfilmentRanges + 1];
        foreach (var a in accounts)
        {
            var i = a.Fulfilment is decimal f ? Math.Clamp((int)Math.Floor(f * FulfilmentRanges), 0, FulfilmentRanges - 1) : FulfilmentRanges;
            count[i]++;
            arr[i] += a.Arr;
        }
        var ranges = new List<FulfilmentRange>(FulfilmentRanges + 1);
        for (var i = 0; i < FulfilmentRanges; i++)
        {
            var low = (decimal)i / FulfilmentRanges;
            var high = (decimal)(i + 1) / FulfilmentRanges;
            ranges.Add(new FulfilmentRange($"{low:0.0}-{high:0.0}", low, high, AccountScoring.BandOf(low, policy), count[i], arr[i]));
        }
        ranges.Add(new FulfilmentRange("no_contract", null, null, Band.NoContract, count[FulfilmentRanges], arr[FulfilmentRanges]));
        return ranges;
    }

    /// <summary>
    /// Renewals by calendar month from as_of's month (counting renewal dates from as_of on) through RenewalMonthsAhead
    /// more months; renewal dates before as_of (the account still active: neither renewed nor churned) are Passed.
    /// Each with its count and ARR per renewal risk in force.
    /// </summary>
    public static RenewalCalendar RenewalsByMonth(IEnumerable<AccountScore> accounts, DateOnly asOf)
    {
        var first = new DateOnly(asOf.Year, asOf.Month, 1);
        // Near the end of the calendar (as_of in 9999) the months run out: the calendar stops at 9999-12.
        var monthsLeft = (DateOnly.MaxValue.Year - first.Year) * 12 + DateOnly.MaxValue.Month - first.Month + 1;
        var count = Math.Min(RenewalMonthsAhead + 1, monthsLeft);
        var passed = new Dictionary<RenewalRisk, CountAndArr>(Zero());
        var months = Enumerable.Range(0, count).Select(_ => new Dictionary<RenewalRisk, CountAndArr>(Zero())).ToArray();
        foreach (var a in accounts)
        {
            var date = a.Profile.RenewalDate;
            var risk = a.Risk.Value;
            if (date < asOf) passed[risk] = passed[risk].Add(a.Arr);
            else
            {
                var m = (date.Year - first.Year) * 12 + date.Month - first.Month;
                if (m < count) months[m][risk] = months[m][risk].Add(a.Arr);
            }
        }
        var list = months.Select((byRisk, i) =>
        {
            var from = first.AddMonths(i);
            var to = from.Year == DateOnly.MaxValue.Year && from.Month == DateOnly.MaxValue.Month ? DateOnly.MaxValue : from.AddMonths(1).AddDays(-1);
            return new RenewalMonth($"{from:yyyy-MM}", i == 0 ? asOf : from, to, Due(byRisk));
        }).ToList();
        return new RenewalCalendar(Due(passed), list);
    }

    private static RenewalsDue Due(Dictionary<RenewalRisk, CountAndArr> byRisk) =>
        new(byRisk.Values.Sum(c => c.Count), byRisk.Values.Sum(c => c.Arr), byRisk);

    private static IEnumerable<KeyValuePair<RenewalRisk, CountAndArr>> Zero() =>
        Enum.GetValues<RenewalRisk>().Select(r => KeyValuePair.Create(r, CountAndArr.Zero));
}
