using ValueMcp.Scoring;

namespace ValueMcp.Server.App;

// The arguments of each write as its audit entry stores them (snake_case JSON, in this order): named types, so that
// they are serialized from build-time metadata (WireJson) like every other answer.

internal sealed record EvidenceAudit(
    string Id, string OutcomeId, string AccountId, DateOnly CapturedAt, EvidenceSource Source, decimal? ObservedValue,
    bool? Achieved, string Note);

internal sealed record OutcomeAudit(
    string Id, string AccountId, string Title, string Metric, string Unit, decimal? Baseline, decimal? Target,
    Direction? Direction, DateOnly PromisedAt, DateOnly? DueDate, string Source);

internal sealed record SignalAudit(
    string Id, string AccountId, DateOnly ObservedAt, string Category, string Kind, int Polarity, string Note);

internal sealed record MetricAudit(
    string AccountId, string Metric, DateOnly ObservedAt, decimal Value, string Source);

internal sealed record OverrideAudit(
    long Id, string AccountId, OverrideField Field, string Value, string Reason, DateOnly CreatedAt, DateOnly? ExpiresAt);

internal sealed record RenewalAudit(
    string AccountId, DateOnly RenewalDate, RenewalOutcome Outcome, decimal? RenewedArr, DateOnly? NextRenewalDate, RenewalReason? Reason,
    DateOnly DecidedAt, string Note);

/// <summary>Stored arguments that were not JSON, kept as text.</summary>
internal sealed record TextAudit(string Text);
