using System.ComponentModel;
using ValueMcp.Scoring;

namespace ValueMcp.Server.App;

// An account's facts as answers show them (the scorecard, the write tools' answers, portfolio_movers): outcomes with
// their evidence, signals and overrides.

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

public sealed record OverrideHistoryDto(OverrideField Field, string Value, string Reason, string Author, DateOnly CreatedAt, DateOnly? ExpiresAt,
    [property: Description("whether it is in force at as_of")] bool InForce);
