using System.Globalization;
using ValueMcp.Scoring;

namespace ValueMcp.Server.App;

/// <summary>Short text renderings of the results: a few lines a person could paste into a board deck.</summary>
public static class Text
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Money(decimal v) => v.ToString("#,##0.##", Inv);
    public static string Pct(decimal? v) => v is decimal d ? (d * 100m).ToString("0.#", Inv) + "%" : "n/a";
    public static string Frac(decimal? v) => v is decimal d ? Math.Round(d, 2).ToString("0.00", Inv) : "n/a";
    public static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", Inv);
    public static string N<T>(T v) where T : struct, Enum => Wire.Name(v);

    public static string Renewal(DateOnly date, int days) =>
        days < 0 ? $"renewal date {Date(date)} passed {-days} days ago" : $"renews {Date(date)} (in {days} days)";

    public static string Filters(FiltersDto f)
    {
        var parts = new List<string>();
        if (f.Segment is not null) parts.Add($"segment={f.Segment}");
        if (f.Tier is not null) parts.Add($"tier={f.Tier}");
        if (f.Csm is not null) parts.Add($"csm={f.Csm}");
        if (f.LifecycleStage is { } s) parts.Add($"stage={N(s)}");
        if (f.Band is { } b) parts.Add($"band={N(b)}");
        if (f.Readiness is { } r) parts.Add($"readiness={N(r)}");
        if (f.RenewalFlag is { } fl) parts.Add($"renewal_flag={N(fl)}");
        if (f.RenewalWithinDays is int d) parts.Add($"renewing within {d} days");
        if (f.MinArr is decimal m) parts.Add($"ARR >= {Money(m)}");
        if (f.CohortYear is not null) parts.Add($"contract started in {f.CohortYear}");
        if (f.CohortQuarter is not null) parts.Add($"contract started in {f.CohortQuarter}");
        return parts.Count == 0 ? "whole portfolio" : string.Join(", ", parts);
    }

    public static string Kpis(KpisDto k) =>
        $"{k.AccountCount} accounts, ARR managed {Money(k.ArrManaged)}; on track {Pct(k.OnTrackPct)}; " +
        $"expansion ready {k.ExpansionReadyCount} (ARR {Money(k.ExpansionReadyArr)}); ARR at risk {Money(k.ArrAtRisk)} (bands at_risk + critical); " +
        $"without a value contract {Money(k.ArrWithoutValueContract)}; renewing in 90 days {Money(k.ArrRenewing90d)}, in 180 days {Money(k.ArrRenewing180d)}";

    public static string Counts(IReadOnlyDictionary<string, CountAndArr> counts) =>
        string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value.Count}"));

    /// <summary>A ratio such as NRR as a percentage with one decimal (1.0422 -> 104.2%).</summary>
    public static string Ratio(decimal? v) => v is decimal d ? (d * 100m).ToString("0.0", Inv) + "%" : "n/a";
}
