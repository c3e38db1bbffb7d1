using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using ValueMcp.Scoring;

namespace ValueMcp.Server.App;

// The structured results of the tools (../shared/spec/tools.md). Property names go out in snake_case
// (Json.Options); fractions are numbers 0..1, money a number in the portfolio currency, dates yyyy-MM-dd.

public sealed record NextActionDto(ActionKind Kind, string Reason);

public sealed record OverrideDto(
    OverrideField Field, string Value, string Computed, string Author, string Reason, DateOnly CreatedAt, DateOnly? ExpiresAt);

/// <summary>An account card. Band, readiness and risk are the values in force (an override replaces the computed one; both are shown in overrides).</summary>
public record AccountCard
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Segment { get; init; }
    public required string Tier { get; init; }
    public required string Csm { get; init; }
    public required decimal Arr { get; init; }
    [Description("evidenced / promised outcomes, 0..1; null without a value contract")]
    public required decimal? Fulfilment { get; init; }
    public required Band Band { get; init; }
    public required int OutcomesPromised { get; init; }
    public required int OutcomesEvidenced { get; init; }
    public required int OutcomesOverdue { get; init; }
    [Description("evidenced outcomes whose achieving evidence is all low-confidence (meeting, manual)")]
    public required int EvidencedLowConfidenceOnly { get; init; }
    public required Readiness Readiness { get; init; }
    [Description("suggested expansion lane for ready and emerging accounts, else null")]
    public required ExpansionLane? Lane { get; init; }
    public required DateOnly RenewalDate { get; init; }
    public required int DaysToRenewal { get; init; }
    public required RenewalFlag RenewalFlag { get; init; }
    public required RenewalRisk RenewalRisk { get; init; }
    public required LifecycleStage LifecycleStage { get; init; }
    public required Engagement Engagement { get; init; }
    [Description("used / contracted capacity; null when either is unknown")]
    public required decimal? Utilisation { get; init; }
    [Description("days from contract start to first value; null when not reached")]
    public required int? TtfvDays { get; init; }
    public required bool TtfvBreach { get; init; }
    public required NextActionDto NextAction { get; init; }
    public required IReadOnlyList<OverrideDto> Overrides { get; init; }
}

public sealed record CountArr(int Count, decimal Arr);

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
    RenewalFlag? RenewalFlag, int? RenewalWithinDays, decimal? MinArr);

public sealed record SegmentKpisDto(string Segment, KpisDto Kpis);

public sealed record PortfolioHealthResult(
    DateOnly AsOf,
    FiltersDto Filters,
    KpisDto Kpis,
    IReadOnlyDictionary<string, CountArr> ByBand,
    IReadOnlyDictionary<string, CountArr> ByReadiness,
    IReadOnlyDictionary<string, CountArr> ByRenewalFlag,
    IReadOnlyDictionary<string, CountArr> ByLifecycleStage,
    IReadOnlyList<SegmentKpisDto> BySegment);

public sealed record AccountListResult(
    DateOnly AsOf,
    FiltersDto Filters,
    SortKey SortBy,
    bool Descending,
    int Total,
    IReadOnlyList<AccountCard> Accounts,
    [property: Description("pass as cursor to get the next page; null on the last page")] string? NextCursor);

public sealed record EvidenceDto(
    string Id, DateOnly CapturedAt, EvidenceSource Source, Confidence Confidence, decimal? ObservedValue, bool? Achieved,
    [property: Description("whether this piece of evidence achieves the outcome")] bool Achieves,
    string Note, string CapturedBy);

public sealed record OutcomeDto(
    string Id, string Title, string Metric, string Unit, decimal? Baseline, decimal? Target, Direction? Direction,
    DateOnly PromisedAt, DateOnly? DueDate, bool Evidenced, DateOnly? EvidencedAt, decimal Progress, bool Overdue, bool Exceeded,
    [property: Description("highest confidence among the evidence that achieves it; null when not evidenced")] Confidence? Confidence,
    decimal? LatestObservedValue, IReadOnlyList<EvidenceDto> Evidence);

public sealed record SignalDto(string Id, DateOnly ObservedAt, SignalCategory Category, string Kind, int Polarity, string Note);

public sealed record ArrPointDto(DateOnly EffectiveDate, MovementKind Kind, decimal Amount, string Lane, string Note,
    [property: Description("ARR after this movement")] decimal ArrAfter);

public sealed record MilestoneDto(MilestoneKind Kind, DateOnly ReachedAt);

public sealed record ReasonsDto(string Band, string Readiness, string Risk, string Action, string? Lane);

public sealed record OverrideHistoryDto(OverrideField Field, string Value, string Reason, string Author, DateOnly CreatedAt, DateOnly? ExpiresAt,
    [property: Description("whether it is in force at as_of")] bool InForce);

/// <summary>The card plus the detail behind every number on it.</summary>
public sealed record ScorecardResult : AccountCard
{
    [SetsRequiredMembers] public ScorecardResult(AccountCard card) : base(card) { }
    public DateOnly AsOf { get; init; } = default!;
    public bool Active { get; init; } = default!;
    public string AccountManager { get; init; } = default!;
    public string ExecutiveSponsor { get; init; } = default!;
    public DateOnly ContractStart { get; init; } = default!;
    public decimal? ContractedCapacity { get; init; } = default!;
    public decimal? UsedCapacity { get; init; } = default!;
    public DateOnly? FirstValueAt { get; init; } = default!;
    public string? LaneTiming { get; init; } = default!;
    public IReadOnlyList<OutcomeDto> Outcomes { get; init; } = default!;
    [Description("signals observed in the recent window: recent_window_days (90 by default) ending on as_of, both ends included")]
    public IReadOnlyList<SignalDto> SignalsRecent { get; init; } = default!;
    public IReadOnlyList<ArrPointDto> ArrHistory { get; init; } = default!;
    public IReadOnlyList<MilestoneDto> Milestones { get; init; } = default!;
    public ReasonsDto Reasons { get; init; } = default!;
    [Description("every override of the account created on or before as_of, whether in force at as_of or expired")]
    public IReadOnlyList<OverrideHistoryDto> OverrideHistory { get; init; } = default!;
}

public sealed record RiskAccount : AccountCard
{
    [SetsRequiredMembers] public RiskAccount(AccountCard card) : base(card) { }
    public RenewalRisk Risk { get; init; } = default!;
    public string RiskReasons { get; init; } = default!;
}

public sealed record RiskArr(decimal High, decimal Medium, decimal Low);

public sealed record RenewalRisksResult(
    DateOnly AsOf, FiltersDto Filters, int WithinDays, RenewalRisk MinRisk, int Total,
    IReadOnlyList<RiskAccount> Accounts,
    [property: Description("ARR of the accounts renewing within within_days (and matching the filters) by risk level")] RiskArr ArrByRisk);

public sealed record ExpansionAccount : AccountCard
{
    [SetsRequiredMembers] public ExpansionAccount(AccountCard card) : base(card) { }
    public string LaneReasons { get; init; } = default!;
    public string Timing { get; init; } = default!;
}

public sealed record ExpansionResult(
    DateOnly AsOf, FiltersDto Filters, bool IncludeEmerging, int Total,
    IReadOnlyList<ExpansionAccount> Accounts,
    [property: Description("ARR of the accounts with readiness ready in the filtered set")] decimal ExpansionReadyArr,
    decimal EmergingArr);

public sealed record MoverStateDto(Band Band, Readiness Readiness, RenewalRisk Risk);

public sealed record OutcomeRefDto(string Id, string Title, DateOnly? DueDate);

public sealed record MoverDto(
    AccountCard Account, MoverStateDto Before, MoverStateDto After, IReadOnlyList<string> Changes,
    [property: Description("the facts that changed between since and as_of and drive the change, each a short statement with its numbers (renewal entered a window, risk signals new or aged out of the recent window, an outcome fell overdue, evidence captured and the fulfilment threshold crossed, engagement, an override started or expired)")] IReadOnlyList<string> Causes,
    [property: Description("outcomes overdue at as_of that were not overdue at since")] IReadOnlyList<OutcomeRefDto> OutcomesFellBehind,
    [property: Description("signals observed after since and on or before as_of")] IReadOnlyList<SignalDto> NewSignals);

public sealed record MoversResult(DateOnly Since, DateOnly AsOf, FiltersDto Filters, int Total,
    [property: Description("worst first: toward higher renewal risk, then a lower band, then lower readiness (improvements last), then ARR, then id")] IReadOnlyList<MoverDto> Movers);

public sealed record FulfilmentBucket(string Range, int Count, decimal Arr);

public sealed record CsmBookResult(
    DateOnly AsOf, string Csm, KpisDto Kpis,
    [property: Description("accounts whose next action is not monitor, by action priority, then renewal risk (high first), then ARR (largest first), then id")] IReadOnlyList<AccountCard> NeedsAttention,
    IReadOnlyDictionary<string, CountArr> ByBand,
    [property: Description("accounts by fulfilment range; no_contract counted apart")] IReadOnlyList<FulfilmentBucket> FulfilmentDistribution,
    IReadOnlyDictionary<string, CountArr> ByAction);
