using System.Globalization;
using System.Text.Json;

namespace ValueMcp.Bench;

/// <summary>The four KPIs of the portfolio at as_of (domain.md), with the account count they are over.</summary>
public sealed record Kpis(decimal ArrManaged, int AccountCount, decimal? OnTrackPct, int ExpansionReadyCount, decimal ExpansionReadyArr, decimal ArrAtRisk)
{
    /// <summary>The kpis object of a get_portfolio_health answer.</summary>
    public static Kpis FromHealth(JsonElement structured)
    {
        var k = structured.GetProperty("kpis");
        var pct = k.GetProperty("on_track_pct");
        return new Kpis(
            k.GetProperty("arr_managed").GetDecimal(),
            k.GetProperty("account_count").GetInt32(),
            pct.ValueKind == JsonValueKind.Null ? null : pct.GetDecimal(),
            k.GetProperty("expansion_ready_count").GetInt32(),
            k.GetProperty("expansion_ready_arr").GetDecimal(),
            k.GetProperty("arr_at_risk").GetDecimal());
    }

    /// <summary>Where the two differ, field by field (money exactly, the on-track share to 12 decimal places); empty when equal.</summary>
    public IReadOnlyList<string> Differences(Kpis other)
    {
        var d = new List<string>();
        if (ArrManaged != other.ArrManaged) d.Add($"arr_managed {Money(ArrManaged)} vs {Money(other.ArrManaged)}");
        if (AccountCount != other.AccountCount) d.Add($"account_count {AccountCount} vs {other.AccountCount}");
        if (Round(OnTrackPct) != Round(other.OnTrackPct)) d.Add($"on_track_pct {Share(OnTrackPct)} vs {Share(other.OnTrackPct)}");
        if (ExpansionReadyCount != other.ExpansionReadyCount) d.Add($"expansion_ready_count {ExpansionReadyCount} vs {other.ExpansionReadyCount}");
        if (ExpansionReadyArr != other.ExpansionReadyArr) d.Add($"expansion_ready_arr {Money(ExpansionReadyArr)} vs {Money(other.ExpansionReadyArr)}");
        if (ArrAtRisk != other.ArrAtRisk) d.Add($"arr_at_risk {Money(ArrAtRisk)} vs {Money(other.ArrAtRisk)}");
        return d;
    }

    public override string ToString() =>
        $"arr_managed {Money(ArrManaged)}, accounts {AccountCount}, on_track_pct {Share(OnTrackPct)}, " +
        $"expansion_ready {ExpansionReadyCount} (ARR {Money(ExpansionReadyArr)}), arr_at_risk {Money(ArrAtRisk)}";

    private static decimal? Round(decimal? v) => v is decimal x ? Math.Round(x, 12) : null;
    private static string Money(decimal v) => v.ToString("#,##0.00", CultureInfo.InvariantCulture);
    private static string Share(decimal? v) => v is decimal x ? Math.Round(x, 6).ToString("0.######", CultureInfo.InvariantCulture) : "null";
}
