namespace ValueMcp.DemoData.Internal;

internal sealed record MovementRow(DateOnly Date, string Kind, decimal? Amount, string? Lane, string? Note);

internal sealed record EvidenceRow(DateOnly CapturedAt, string? Source, decimal? Observed, bool? Achieved, string? Note, string? CapturedBy);

internal sealed record SignalRow(DateOnly ObservedAt, string Category, string Kind, int Polarity, string Note);

internal sealed record MilestoneRow(string Kind, DateOnly ReachedAt);

internal sealed class OutcomeRow
{
    public required string Title { get; init; }
    public string? Metric { get; init; }
    public string? Unit { get; init; }
    public decimal? Baseline { get; init; }
    public decimal? Target { get; init; }
    public string? Direction { get; init; }
    public DateOnly PromisedAt { get; init; }
    public DateOnly? DueDate { get; init; }
    public string? Source { get; init; }
    public List<EvidenceRow> Evidence { get; } = [];
}

/// <summary>Everything generated for one account; small, built and written one account at a time.</summary>
internal sealed class AccountFacts
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Segment { get; init; }
    public string? Tier { get; init; }
    public required string Csm { get; init; }
    public string? AccountManager { get; init; }
    public DateOnly ContractStart { get; init; }
    public DateOnly RenewalDate { get; init; }
    public int? ContractedCapacity { get; init; }
    public int? UsedCapacity { get; init; }
    public string? ExecutiveSponsor { get; init; }
    public required Archetype Archetype { get; init; }
    public LaneKind Lane { get; init; }
    public List<MovementRow> Movements { get; } = [];
    public List<OutcomeRow> Outcomes { get; } = [];
    public List<SignalRow> Signals { get; } = [];
    public List<MilestoneRow> Milestones { get; } = [];
    /// <summary>The cause and note recorded with a past renewal, by renewal date (RenewalHistory.Decide).</summary>
    public Dictionary<DateOnly, (string Reason, string Note)> RenewalCauses { get; } = [];
}
