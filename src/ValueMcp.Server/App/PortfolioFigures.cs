using System.ComponentModel;
using System.Text.Json.Serialization;
using ValueMcp.Scoring;

namespace ValueMcp.Server.App;

// The figures several answers share: KPIs, counts and ARR per value, and the filters an answer was computed over.

// Kept apart from Scoring.PortfolioKpis: the schema describes three fields and names arr_renewing_90d/180d explicitly.
public sealed record KpisDto(
    decimal ArrManaged,
    int AccountCount,
    [property: Description("accounts on_track / accounts, 0..1; null when there are none")] decimal? OnTrackPct,
    int ExpansionReadyCount,
    decimal ExpansionReadyArr,
    [property: Description("ARR of accounts in band at_risk or critical")] decimal ArrAtRisk,
    decimal ArrWithoutValueContract,
    [property: JsonPropertyName("arr_renewing_90d")] decimal ArrRenewing90d,
    [property: JsonPropertyName("arr_renewing_180d")] decimal ArrRenewing180d);

public sealed record FiltersDto(
    string? Segment, string? Tier, string? Csm, LifecycleStage? LifecycleStage, Band? Band, Readiness? Readiness,
    RenewalFlag? RenewalFlag, int? RenewalWithinDays, decimal? MinArr,
    [property: Description("YYYY: contract started in this year")] string? CohortYear,
    [property: Description("YYYY-Qn: contract started in this quarter")] string? CohortQuarter);
