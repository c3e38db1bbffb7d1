namespace ValueMcp.Scoring;

/// <summary>
/// A verdict: the value in force, the value the rules computed, the rule that fired with the facts it used
/// (ComputedReason, which starts with the computed value: "high: ..."), and the override that replaced the computed
/// value, if any. A score made without its explanations (AccountScoring.Score with explain false: a whole portfolio
/// kept in memory) has the values only; asking it for a reason is a mistake the caller must not make silently.
/// </summary>
public sealed record Verdict<T>(T Value, T Computed, string? Explanation, OverrideFact? Override) where T : struct, Enum
{
    public bool Overridden => Override is not null;

    /// <summary>The rule that fired, with the facts it used.</summary>
    public string ComputedReason => Explanation ?? throw Unexplained.Error();

    private static readonly Verdict<T>[] BareVerdicts = Enum.GetValues<T>().Select(v => new Verdict<T>(v, v, null, null)).ToArray();

    /// <summary>The verdict value without an explanation or an override: one shared instance per value.</summary>
    public static Verdict<T> Bare(T value)
    {
        foreach (var v in BareVerdicts)
            if (EqualityComparer<T>.Default.Equals(v.Value, value)) return v;
        throw new ArgumentOutOfRangeException(nameof(value));
    }

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

public sealed record NextAction(ActionKind Kind, string? Explanation)
{
    public string Reason => Explanation ?? throw Unexplained.Error();

    private static readonly NextAction[] BareActions = Enum.GetValues<ActionKind>().Select(k => new NextAction(k, null)).ToArray();

    /// <summary>The action without its explanation: one shared instance per kind.</summary>
    public static NextAction Bare(ActionKind kind) => BareActions.First(a => a.Kind == kind);
}

public sealed record LaneSuggestion(ExpansionLane Lane, string? Explanation, string Timing)
{
    public string Reason => Explanation ?? throw Unexplained.Error();

    private static readonly LaneSuggestion[] BareLanes =
        Enum.GetValues<ExpansionLane>().Select(l => new LaneSuggestion(l, null, AccountScoring.TimingOf(l))).ToArray();

    /// <summary>The lane without its explanation: one shared instance per lane.</summary>
    public static LaneSuggestion Bare(ExpansionLane lane) => BareLanes.First(l => l.Lane == lane);
}

internal static class Unexplained
{
    public static InvalidOperationException Error() =>
        new("this score was made without its explanations: score the account again with explain true (ScoredPortfolio.Explained)");
}

/// <summary>
/// Every per-account score of domain.md at one as_of. What follows from the facts by arithmetic alone (fulfilment,
/// days to renewal, utilisation, engagement, first value) is computed when read, by the same functions the rules use,
/// so that a whole portfolio kept in memory holds only the verdicts.
/// </summary>
public sealed record AccountScore(
    AccountFacts Facts,
    DateOnly AsOf,
    Verdict<Band> Band,
    RenewalFlag RenewalFlag,
    Verdict<Readiness> Readiness,
    LaneSuggestion? Lane,
    Verdict<RenewalRisk> Risk,
    bool TtfvBreach,
    LifecycleStage Stage,
    NextAction NextAction,
    bool Explained = true)
{
    public string Id => Facts.Id;
    public AccountProfile Profile => Facts.Profile;
    public decimal Arr => Facts.Arr;
    public bool Active => Facts.Arr > 0m;

    /// <summary>evidenced / promised; null without a promised outcome.</summary>
    public decimal? Fulfilment => AccountScoring.Fulfilment(Facts.OutcomesPromised, Facts.OutcomesEvidenced);

    public int DaysToRenewal => AccountScoring.DaysToRenewal(Facts.Profile.RenewalDate, AsOf);

    public decimal? Utilisation => AccountScoring.Utilisation(Facts.Profile.ContractedCapacity, Facts.Profile.UsedCapacity);

    public Engagement Engagement => AccountScoring.EngagementOf(Facts.Recent.EngagementSum);

    /// <summary>The earlier of the first evidenced outcome and the first_value milestone.</summary>
    public DateOnly? FirstValueAt => AccountScoring.FirstValue(Facts);

    /// <summary>Days from contract start to first value.</summary>
    public int? TimeToFirstValueDays => FirstValueAt is DateOnly fv ? fv.DayNumber - Facts.Profile.ContractStart.DayNumber : null;
}
