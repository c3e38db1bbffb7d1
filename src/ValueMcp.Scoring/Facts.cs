namespace ValueMcp.Scoring;

/// <summary>The stored attributes of an account (not dated: an account is one row).</summary>
public sealed record AccountProfile(
    string Id,
    string Name,
    string Segment,
    string Tier,
    string Csm,
    string AccountManager,
    string ExecutiveSponsor,
    DateOnly ContractStart,
    DateOnly RenewalDate,
    decimal? ContractedCapacity,
    decimal? UsedCapacity);

/// <summary>An outcome named in a reason.</summary>
public sealed record OutcomeRef(string Id, string Title, DateOnly? DueDate);

/// <summary>A signal named in a reason.</summary>
public sealed record SignalRef(string Id, string Category, string Kind, int Polarity, DateOnly ObservedAt);

/// <summary>
/// Signal sums over the recent window (as_of - (window - 1) .. as_of). Computed by the store in SQL.
/// </summary>
public sealed record RecentSignals(
    int EngagementSum,
    int PositiveUsage,
    int PositiveSuccess,
    int PositiveData,
    int PositiveCapacity,
    IReadOnlyList<SignalRef> RiskSignals)
{
    public static RecentSignals None { get; } = new(0, 0, 0, 0, 0, []);
}

/// <summary>A human judgement in force at as_of.</summary>
public sealed record OverrideFact(
    OverrideField Field,
    string Value,
    string Reason,
    string Author,
    DateOnly CreatedAt,
    DateOnly? ExpiresAt);

/// <summary>
/// Everything the per-account rules need about one account as of a date. The store computes it in SQL
/// (aggregates, not rows); scoring only decides.
/// </summary>
public sealed record AccountFacts(
    AccountProfile Profile,
    decimal Arr,
    int OutcomesPromised,
    int OutcomesEvidenced,
    int EvidencedLowConfidenceOnly,
    IReadOnlyList<OutcomeRef> OverdueOutcomes,
    DateOnly? FirstEvidencedAt,
    DateOnly? FirstValueMilestoneAt,
    bool LiveOrLaterMilestone,
    DateOnly? LastExpansionAt,
    DateOnly? LastRenewedAt,
    RecentSignals Recent,
    IReadOnlyList<OverrideFact> Overrides)
{
    public string Id => Profile.Id;
    public int OutcomesOverdue => OverdueOutcomes.Count;
}

/// <summary>A promised outcome as stored.</summary>
public sealed record OutcomeFact(
    string Id,
    string AccountId,
    string Title,
    string Metric,
    string Unit,
    decimal? Baseline,
    decimal? Target,
    Direction? Direction,
    DateOnly PromisedAt,
    DateOnly? DueDate,
    string Source);

/// <summary>A piece of evidence as stored. An empty source is read as manual.</summary>
public sealed record EvidenceFact(
    string Id,
    string OutcomeId,
    DateOnly CapturedAt,
    EvidenceSource Source,
    decimal? ObservedValue,
    bool? Achieved,
    string Note,
    string CapturedBy);
