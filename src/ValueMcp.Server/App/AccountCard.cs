using System.ComponentModel;
using ValueMcp.Scoring;
using static ValueMcp.Server.App.Text;

namespace ValueMcp.Server.App;

// The account card: the record most answers are made of (list_accounts, list_renewal_risks, expansion_ready_accounts,
// portfolio_movers, csm_book, the scorecard and every write tool's answer), its shaping and its one-line text.

// Not Scoring.NextAction: it would add an explanation field next to reason (null while the account is not explained).
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

    /// <summary>The card of a scored account (the policy gives the computed probability shown beside a probability override).</summary>
    public static AccountCard Of(AccountScore a, ScoringPolicy policy) => new()
    {
        Id = a.Id,
        Name = a.Profile.Name,
        Segment = a.Profile.Segment,
        Tier = a.Profile.Tier,
        Csm = a.Profile.Csm,
        Arr = a.Arr,
        Fulfilment = a.Fulfilment,
        Band = a.Band.Value,
        OutcomesPromised = a.Facts.OutcomesPromised,
        OutcomesEvidenced = a.Facts.OutcomesEvidenced,
        OutcomesOverdue = a.Facts.OutcomesOverdue,
        EvidencedLowConfidenceOnly = a.Facts.EvidencedLowConfidenceOnly,
        Readiness = a.Readiness.Value,
        Lane = a.Lane?.Lane,
        RenewalDate = a.Profile.RenewalDate,
        DaysToRenewal = a.DaysToRenewal,
        RenewalFlag = a.RenewalFlag,
        RenewalRisk = a.Risk.Value,
        LifecycleStage = a.Stage,
        Engagement = a.Engagement,
        Utilisation = a.Utilisation,
        TtfvDays = a.TimeToFirstValueDays,
        TtfvBreach = a.TtfvBreach,
        NextAction = new NextActionDto(a.NextAction.Kind, a.NextAction.Reason),
        Overrides = OverridesOf(a, policy),
    };

    private static IReadOnlyList<OverrideDto> OverridesOf(AccountScore a, ScoringPolicy policy)
    {
        var list = new List<OverrideDto>(0);
        void Add<T>(Verdict<T> v) where T : struct, Enum
        {
            if (v.Override is { } o)
                list.Add(new OverrideDto(o.Field, Wire.Name(v.Value), Wire.Name(v.Computed), o.Author, o.Reason, o.CreatedAt, o.ExpiresAt));
        }
        Add(a.Band);
        Add(a.Readiness);
        Add(a.Risk);
        if (Forecast.ProbabilityOverride(a) is { } p)
        {
            var computed = Forecast.TableProbability(a, policy).Probability;
            list.Add(new OverrideDto(p.Field, p.Value, computed.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Author, p.Reason, p.CreatedAt, p.ExpiresAt));
        }
        return list;
    }

    /// <summary>The card as one line of text.</summary>
    public static string Line(AccountCard a) =>
        $"- {a.Name} [{a.Id}] {a.Segment}, ARR {Money(a.Arr)}: fulfilment {Frac(a.Fulfilment)} ({a.OutcomesEvidenced}/{a.OutcomesPromised}, band {N(a.Band)}), " +
        $"readiness {N(a.Readiness)}{(a.Lane is { } l ? $" ({N(l)})" : "")}, {Renewal(a.RenewalDate, a.DaysToRenewal)} ({N(a.RenewalFlag)}), risk {N(a.RenewalRisk)}; " +
        $"next: {N(a.NextAction.Kind)}: {a.NextAction.Reason}" +
        (a.Overrides.Count > 0 ? $" [override: {string.Join("; ", a.Overrides.Select(o => $"{N(o.Field)} {o.Value} (computed {o.Computed}) by {o.Author}: {o.Reason}"))}]" : "");
}
