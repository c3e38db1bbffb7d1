using System.Globalization;

namespace ValueMcp.Scoring;

/// <summary>
/// Trend signals computed from product usage. For every metric of an account: the mean of its readings over the last
/// trend_window_days ending on as_of (the recent window) against the mean over the same number of days just before
/// (the prior window); both windows need at least one reading and the prior mean must not be 0. A change of
/// (recent - prior) / |prior| of at least +trend_rise is a usage signal with polarity +1, of -trend_fall or worse one
/// with polarity -1; kind METRIC_trend, observed on as_of, the two means in its note, marked computed. Means are
/// rounded to 6 decimal places.
/// </summary>
public static class UsageTrends
{
    /// <summary>The prefix of a computed trend signal's id: trend:METRIC.</summary>
    public const string IdPrefix = "trend:";

    /// <summary>The suffix of a trend signal's kind: METRIC_trend.</summary>
    public const string KindSuffix = "_trend";

    /// <summary>The trend signals of an account at asOf, by metric (ordinal order).</summary>
    public static IReadOnlyList<SignalFact> Signals(AccountHistory history, DateOnly asOf, ScoringPolicy policy)
    {
        var windows = history.TrendWindows is { } t && t.AsOf == asOf && t.WindowDays == policy.TrendWindowDays
            ? t.Metrics
            : Windows(history.Readings, asOf, policy);
        if (windows.Count == 0) return [];
        List<SignalFact>? signals = null;
        foreach (var w in windows)
        {
            if (Signal(history.Id, w, asOf, policy) is { } s) (signals ??= []).Add(s);
        }
        if (signals is null) return [];
        signals.Sort((a, b) => string.CompareOrdinal(a.Kind, b.Kind));
        return signals;
    }

    /// <summary>Sums the readings of each metric over the two windows at asOf (metrics without a reading in either are left out).</summary>
    public static IReadOnlyList<MetricWindow> Windows(IReadOnlyList<MetricReading> readings, DateOnly asOf, ScoringPolicy policy)
    {
        if (readings.Count == 0) return [];
        var recentStart = policy.TrendWindowStart(asOf);
        var priorStart = policy.PriorTrendWindowStart(asOf);
        var sums = new SortedDictionary<string, (decimal RecentSum, int RecentCount, decimal PriorSum, int PriorCount)>(StringComparer.Ordinal);
        foreach (var r in readings)
        {
            if (r.ObservedAt < priorStart || r.ObservedAt > asOf) continue;
            sums.TryGetValue(r.Metric, out var s);
            sums[r.Metric] = r.ObservedAt >= recentStart
                ? (s.RecentSum + r.Value, s.RecentCount + 1, s.PriorSum, s.PriorCount)
                : (s.RecentSum, s.RecentCount, s.PriorSum + r.Value, s.PriorCount + 1);
        }
        return sums.Select(kv => new MetricWindow(kv.Key, kv.Value.RecentSum, kv.Value.RecentCount, kv.Value.PriorSum, kv.Value.PriorCount)).ToArray();
    }

    /// <summary>The mean of a window, rounded to 6 decimal places; null without readings.</summary>
    public static decimal? Mean(decimal sum, int count) => count > 0 ? Math.Round(sum / count, 6) : null;

    /// <summary>(recent - prior) / |prior| of the two means; null when a window has no reading or the prior mean is 0.</summary>
    public static decimal? Change(MetricWindow w)
    {
        if (Mean(w.RecentSum, w.RecentCount) is not decimal recent || Mean(w.PriorSum, w.PriorCount) is not decimal prior || prior == 0m) return null;
        return (recent - prior) / Math.Abs(prior);
    }

    /// <summary>The trend signal of one metric's windows, or null when the change is within the thresholds or unknown.</summary>
    public static SignalFact? Signal(string accountId, MetricWindow w, DateOnly asOf, ScoringPolicy policy)
    {
        if (Change(w) is not decimal change) return null;
        int polarity;
        if (change >= policy.TrendRise) polarity = 1;
        else if (change <= -policy.TrendFall) polarity = -1;
        else return null;
        var recent = Mean(w.RecentSum, w.RecentCount)!.Value;
        var prior = Mean(w.PriorSum, w.PriorCount)!.Value;
        var days = policy.TrendWindowDays;
        var note = string.Create(CultureInfo.InvariantCulture,
            $"computed: mean {N(recent)} over the last {days} days ({w.RecentCount} reading(s)) against {N(prior)} over the {days} days before ({w.PriorCount} reading(s)): {(change >= 0 ? "+" : "")}{Math.Round(change * 100m, 1):0.0}%");
        return new SignalFact(IdPrefix + w.Metric, accountId, asOf, SignalCategory.Usage, w.Metric + KindSuffix, polarity, note, Computed: true);
    }

    /// <summary>The recorded signals of the account and its trend signals at asOf (these dated asOf, so last).</summary>
    public static IReadOnlyList<SignalFact> WithRecorded(AccountHistory history, DateOnly asOf, ScoringPolicy policy)
    {
        var trends = Signals(history, asOf, policy);
        if (trends.Count == 0) return history.Signals;
        return [.. history.Signals, .. trends];
    }

    private static string N(decimal d) => d.ToString("0.######", CultureInfo.InvariantCulture);
}
