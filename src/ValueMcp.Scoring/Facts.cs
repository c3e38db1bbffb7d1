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

/// <summary>Signal sums over the recent window (as_of - (window - 1) .. as_of).</summary>
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
/// Everything the per-account rules need about one account as of a date, derived from its stored facts by
/// AccountDerivation (the rules of "Per-account scores" that turn facts into counts, dates and windows).
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
    IReadOnlyList<OverrideFact> Overrides,
    DateOnly? AdoptedAt = null,
    RenewalStatus? Renewal = null)
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
    string CapturedBy,
    bool Computed = false);

/// <summary>An ARR movement as stored. Amount is positive; a churn's amount is ignored (churn removes whatever is left).</summary>
public sealed record MovementFact(
    string AccountId,
    DateOnly EffectiveDate,
    MovementKind Kind,
    decimal Amount,
    string Lane,
    string Note);

/// <summary>A signal as stored.</summary>
public sealed record SignalFact(
    string Id,
    string AccountId,
    DateOnly ObservedAt,
    SignalCategory Category,
    string Kind,
    int Polarity,
    string Note,
    bool Computed = false);

/// <summary>A lifecycle milestone as stored (one per account and kind).</summary>
public sealed record MilestoneFact(string AccountId, MilestoneKind Kind, DateOnly ReachedAt);

/// <summary>
/// A recorded renewal: the renewal dated RenewalDate was decided on DecidedAt with this outcome. RenewedArr is the ARR
/// of the renewed contract (null: the ARR due, in full, for renewed; 0 for churned); NextRenewalDate is the renewal it
/// opens (required for renewed and contracted, none for churned). Its date (renewal_date) is a term of the contract,
/// known before the renewal is decided; its outcome counts from DecidedAt.
/// </summary>
public sealed record RenewalFact(
    string AccountId,
    DateOnly RenewalDate,
    RenewalOutcome Outcome,
    decimal? RenewedArr,
    DateOnly? NextRenewalDate,
    RenewalReason? Reason,
    DateOnly DecidedAt,
    string Note);

/// <summary>
/// The stored facts of one account, as the store reads them: each list in the store's order (movements by date then
/// storage order, outcomes by promise date then id, evidence by outcome then capture date, signals by observation date then
/// id, milestones by date then kind, overrides by creation date then id). The store may leave out facts dated after
/// the as_of it was asked for; every rule here still filters by date itself, so a fuller history scores the same.
/// </summary>
public sealed record AccountHistory(
    AccountProfile Profile,
    IReadOnlyList<MovementFact> Movements,
    IReadOnlyList<OutcomeFact> Outcomes,
    IReadOnlyList<EvidenceFact> Evidence,
    IReadOnlyList<SignalFact> Signals,
    IReadOnlyList<MilestoneFact> Milestones,
    IReadOnlyList<OverrideFact> Overrides)
{
    public string Id => Profile.Id;

    /// <summary>
    /// The account's metric readings, by metric then date. The store may give only the readings the rules need at the
    /// as_of it was asked for (the portfolio stream gives, per outcome, its first achieving reading; the trends come
    /// summed in <see cref="TrendWindows"/>); one account read whole carries all of them.
    /// </summary>
    public IReadOnlyList<MetricReading> Readings { get; init; } = [];

    /// <summary>The trend windows summed by the store for one as_of (null: the rules sum <see cref="Readings"/>).</summary>
    public TrendWindows? TrendWindows { get; init; }

    /// <summary>The recorded renewals, by renewal date: all of them, whatever the as_of (their dates are contract terms; their outcomes are dated by decided_at).</summary>
    public IReadOnlyList<RenewalFact> Renewals { get; init; } = [];

    public static AccountHistory Empty(AccountProfile profile) => new(profile, [], [], [], [], [], []);
}

/// <summary>A reading of a product-usage metric of an account on a day (one per account, metric and day).</summary>
public sealed record MetricReading(string AccountId, string Metric, DateOnly ObservedAt, decimal Value, string Source);

/// <summary>
/// One metric's readings summed over the two trend windows: the recent one (the last trend_window_days ending on
/// as_of) and the prior one (the same number of days just before it).
/// </summary>
public sealed record MetricWindow(string Metric, decimal RecentSum, int RecentCount, decimal PriorSum, int PriorCount);

/// <summary>Every metric's two trend windows of one account, summed at AsOf over windows of WindowDays days.</summary>
public sealed record TrendWindows(DateOnly AsOf, int WindowDays, IReadOnlyList<MetricWindow> Metrics);
