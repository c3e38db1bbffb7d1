namespace ValueMcp.Scoring;

/// <summary>
/// A verdict: the value in force, the value the rules computed, the rule that fired with the facts it used,
/// and the override that replaced the computed value, if any.
/// </summary>
public sealed record Verdict<T>(T Value, T Computed, string Reason, OverrideFact? Override) where T : struct, Enum
{
    public bool Overridden => Override is not null;
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
