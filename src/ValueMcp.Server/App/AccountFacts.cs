using System.ComponentModel;
using ValueMcp.Scoring;

namespace ValueMcp.Server.App;

// An account's facts as answers show them (the scorecard, the write tools' answers, portfolio_movers): outcomes with
// their evidence, signals and overrides.

public sealed record EvidenceDto(
    string Id, DateOnly CapturedAt, EvidenceSource Source, Confidence Confidence, decimal? ObservedValue, bool? Achieved,
    [property: Description("whether this piece of evidence achieves the outcome")] bool Achieves,
    string Note, string CapturedBy,
    [property: Description("true when computed from a metric reading of the outcome's metric (source usage), not recorded")] bool Computed);

public sealed record OutcomeDto(
    string Id, string Title, string Metric, string Unit, decimal? Baseline, decimal? Target, Direction? Direction,
    DateOnly PromisedAt, DateOnly? DueDate, bool Evidenced, DateOnly? EvidencedAt, decimal Progress, bool Overdue, bool Exceeded,
    [property: Description("highest confidence among the evidence that achieves it; null when not evidenced")] Confidence? Confidence,
    decimal? LatestObservedValue,
    [property: Description("the recorded evidence, and of the evidence computed from metric readings the first that achieves the outcome and the latest")] IReadOnlyList<EvidenceDto> Evidence,
    [property: Description("how many pieces of evidence were computed from readings of the outcome's metric (on or after promised_at, on or before as_of)")] int ComputedEvidence,
    [property: Description("the latest reading of the outcome's metric on or before as_of; null when there is none")] MetricReadingDto? LatestReading,
    [property: Description("the outcome's metric: its last readings (up to 12) on or before as_of, oldest first")] IReadOnlyList<MetricReadingDto> Readings);

public sealed record MetricReadingDto(DateOnly ObservedAt, decimal Value, string Source);

public sealed record SignalDto(string Id, DateOnly ObservedAt, SignalCategory Category, string Kind, int Polarity, string Note,
    [property: Description("true for a usage trend computed from metric readings (kind METRIC_trend), not recorded")] bool Computed);

public sealed record OverrideHistoryDto(OverrideField Field, string Value, string Reason, string Author, DateOnly CreatedAt, DateOnly? ExpiresAt,
    [property: Description("whether it is in force at as_of")] bool InForce);
