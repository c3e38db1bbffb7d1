namespace ValueMcp.Scoring;

/// <summary>
/// A verdict: the value in force, the value the rules computed, the rule that fired with the facts it used
/// (ComputedReason, which starts with the computed value: "high: ..."), and the override that replaced the computed
/// value, if any.
/// </summary>
public sealed record Verdict<T>(T Value, T Computed, string ComputedReason, OverrideFact? Override) where T : struct, Enum
{
    public bool Overridden => Override is not null;

    /// <summary>
    /// Why the value in force is what it is: the rule's reason, or, under an override, who overrode it to what, when and
    /// why, followed by the computed value and its reason (never hidden).
    /// </summary>
    public string Reason => Override is not { } o
        ? ComputedReason
        : $"{Wire.Name(o.Field)} overridden to {Wire.Name(Value)} by {o.Author} on {AccountScoring.D(o.CreatedAt)}" +
          (o.ExpiresAt is DateOnly x ? $" until {AccountScoring.D(x)}" : "") +
          $" ({o.Reason}); computed {ComputedReason}";
}

public sealed record NextAction(ActionKind Kind, string Reason);

public sealed record LaneSuggestion(ExpansionLane Lane, string Reason, string Timing);

/// <summary>Every per-account score of domain.md at one as_of.</summary>
public sealed record AccountScore(
    AccountFacts Facts,
    DateOnly AsOf,
    decimal? Fulfilment,
    Verdict<Band> Band,
    int DaysToRenewal,
    RenewalFlag RenewalFlag,
    decimal? Utilisation,
    Engagement Engagement,
    Verdict<Readiness> Readiness,
    LaneSuggestion? Lane,
    Verdict<RenewalRisk> Risk,
    DateOnly? FirstValueAt,
    int? TimeToFirstValueDays,
    bool TtfvBreach,
    LifecycleStage Stage,
    NextAction NextAction)
{
    public string Id => Facts.Id;
    public AccountProfile Profile => Facts.Profile;
    public decimal Arr => Facts.Arr;
    public bool Active => Facts.Arr > 0m;
}
