namespace ValueMcp.DemoData.Internal;

/// <summary>Fulfilment plan: which (promised, evidenced) pairs an account may get.</summary>
internal enum Fulfil
{
    /// <summary>Every outcome evidenced (1.0).</summary>
    Perfect,
    /// <summary>&gt;= 0.80 (on_track, can be ready).</summary>
    AtLeast80,
    /// <summary>&gt;= 0.80 but below 1, so one outcome is open.</summary>
    AtLeast80Partial,
    /// <summary>[0.70, 0.80): on_track, never ready.</summary>
    From70To80,
    /// <summary>[0.60, 0.70): at_risk but can be emerging.</summary>
    From60To70,
    /// <summary>[0.40, 0.60): at_risk.</summary>
    From40To60,
    /// <summary>(0, 0.40): critical with some evidence.</summary>
    CriticalSome,
    /// <summary>0: critical, nothing evidenced.</summary>
    CriticalZero,
    /// <summary>CriticalSome or CriticalZero.</summary>
    Critical,
    /// <summary>No promised outcome (no_contract).</summary>
    None,
}

/// <summary>Where the renewal date falls relative to the anchor.</summary>
internal enum Window
{
    /// <summary>Already passed, 1-30 days ago (red).</summary>
    Passed,
    /// <summary>0-90 days ahead (red).</summary>
    Red,
    RedOrPassed,
    /// <summary>91-180 days ahead.</summary>
    Amber,
    /// <summary>Beyond 180 days, no renewal in the last 60 days.</summary>
    Far,
    /// <summary>Renewed at an anniversary in the last 60 days (next renewal 306-364 days ahead).</summary>
    Renewed,
    /// <summary>A young account (age between MinAge and MaxAge days), renewing a year after its start.</summary>
    Young,
}

internal enum UtilBand { High, Mid, Low, Unknown }

internal enum Engage { Growing, Steady, Declining }

internal enum LaneKind { Modules, Data, Managed }

internal enum OverduePlan { None, Some }

internal enum MilestonePlan { Auto, KickoffOnly, KickoffLive, KickoffLiveFirstValue }

/// <summary>What the rules of domain.md give for an account of the archetype at the anchor.</summary>
internal sealed record Expectation(
    string Band, string Readiness, string Flag, string Risk, string Action, string Stage,
    bool HasLane, bool? TtfvBreach);

/// <summary>
/// A recipe for an account: the fact-level choices that decide its verdicts, with the verdicts
/// they give (checked by the tests with an independent implementation of the rules).
/// Every option listed in Util / Engage / Lanes / Risk=null must lead to the same expectation.
/// </summary>
internal sealed record Archetype(
    string Name,
    int Weight,
    Fulfil Fulfil,
    Window Window,
    UtilBand[] Util,
    Engage[] Engage,
    LaneKind[] Lanes,
    bool? Risk,
    OverduePlan Overdue,
    Expectation? Expect,
    bool RecentExpansion = false,
    MilestonePlan Milestones = MilestonePlan.Auto,
    int MinAge = 150,
    int MaxAge = 1095,
    bool QuietSignals = false)
{
    public bool Churned => Expect is null;
}

internal static class Archetypes
{
    private static readonly UtilBand[] AnyUtil = [UtilBand.High, UtilBand.Mid, UtilBand.Low, UtilBand.Low, UtilBand.High, UtilBand.Mid, UtilBand.Unknown];
    private static readonly Engage[] AnyEngage = [Engage.Growing, Engage.Steady, Engage.Declining];
    private static readonly LaneKind[] AnyLane = [LaneKind.Modules, LaneKind.Modules, LaneKind.Data, LaneKind.Managed];

    private const string OnTrack = "on_track", AtRisk = "at_risk", Critical = "critical", NoContract = "no_contract";
    private const string Ready = "ready", Emerging = "emerging", NotReady = "not_ready", Blocked = "blocked";
    private const string Red = "red", Amber = "amber", NoFlag = "none";
    private const string High = "high", Medium = "medium", Low = "low", NoRisk = "none";
    private const string Escalate = "escalate_renewal_risk", Establish = "establish_value_contract", Capture = "capture_missing_evidence",
        Review = "schedule_impact_review", Expand = "initiate_expansion_conversation", Advocacy = "request_advocacy", Monitor = "monitor";
    private const string Onboarding = "onboarding", FirstValue = "first_value", Adoption = "adoption", Renewal = "renewal", Expansion = "expansion";

    /// <summary>Weights are in thousandths of the portfolio.</summary>
    public static readonly Archetype[] All =
    [
        // --- expansion ready (initiate_expansion_conversation), one per lane ---
        new("ready_modules", 50, Fulfil.AtLeast80, Window.Far, [UtilBand.High, UtilBand.High, UtilBand.Unknown], [Engage.Growing, Engage.Steady], [LaneKind.Modules], false, OverduePlan.None,
            new(OnTrack, Ready, NoFlag, NoRisk, Expand, Expansion, true, false)),
        new("ready_data_integration", 30, Fulfil.AtLeast80, Window.Far, [UtilBand.High, UtilBand.Unknown], [Engage.Growing, Engage.Steady], [LaneKind.Data], false, OverduePlan.None,
            new(OnTrack, Ready, NoFlag, NoRisk, Expand, Expansion, true, false)),
        new("ready_managed_services", 30, Fulfil.AtLeast80, Window.Far, [UtilBand.High], [Engage.Growing, Engage.Steady], [LaneKind.Managed], false, OverduePlan.None,
            new(OnTrack, Ready, NoFlag, NoRisk, Expand, Expansion, true, false)),

        // --- emerging ---
        new("emerging_at_risk", 40, Fulfil.From60To70, Window.Far, AnyUtil, [Engage.Growing], [LaneKind.Modules, LaneKind.Data, LaneKind.Managed], false, OverduePlan.None,
            new(AtRisk, Emerging, NoFlag, NoRisk, Review, Adoption, true, false)),
        new("emerging_data_on_track", 30, Fulfil.From70To80, Window.Far, [UtilBand.High, UtilBand.Mid], [Engage.Steady, Engage.Growing], [LaneKind.Data], false, OverduePlan.None,
            new(OnTrack, Emerging, NoFlag, NoRisk, Monitor, Adoption, true, false)),
        new("emerging_managed_growing", 30, Fulfil.AtLeast80, Window.Far, [UtilBand.Low], [Engage.Growing], [LaneKind.Managed, LaneKind.Modules], false, OverduePlan.None,
            new(OnTrack, Emerging, NoFlag, NoRisk, Monitor, Adoption, true, false)),

        // --- advocacy: on track, >= 0.90, just expanded or just renewed ---
        new("advocate_after_expansion", 30, Fulfil.Perfect, Window.Far, [UtilBand.Mid], [Engage.Growing, Engage.Steady], AnyLane, false, OverduePlan.None,
            new(OnTrack, Emerging, NoFlag, NoRisk, Advocacy, Adoption, true, false), RecentExpansion: true, MinAge: 200),
        new("advocate_after_renewal", 20, Fulfil.Perfect, Window.Renewed, [UtilBand.Low], [Engage.Steady], AnyLane, false, OverduePlan.None,
            new(OnTrack, NotReady, NoFlag, NoRisk, Advocacy, Adoption, false, false)),

        // --- the steady middle of the book ---
        new("steady_on_track", 90, Fulfil.AtLeast80, Window.Far, [UtilBand.Low], [Engage.Steady, Engage.Declining], AnyLane, false, OverduePlan.None,
            new(OnTrack, NotReady, NoFlag, NoRisk, Monitor, Adoption, false, false)),
        new("steady_on_track_70", 20, Fulfil.From70To80, Window.Far, [UtilBand.Low, UtilBand.Unknown], [Engage.Steady, Engage.Declining], AnyLane, false, OverduePlan.None,
            new(OnTrack, NotReady, NoFlag, NoRisk, Monitor, Adoption, false, false)),
        new("blocked_on_track", 40, Fulfil.AtLeast80, Window.Far, AnyUtil, AnyEngage, AnyLane, true, OverduePlan.None,
            new(OnTrack, Blocked, NoFlag, NoRisk, Monitor, Adoption, false, false)),
        new("overdue_at_risk", 60, Fulfil.From40To60, Window.Far, AnyUtil, AnyEngage, AnyLane, false, OverduePlan.Some,
            new(AtRisk, NotReady, NoFlag, NoRisk, Capture, Adoption, false, false), MinAge: 200),
        new("at_risk_no_overdue", 20, Fulfil.From40To60, Window.Far, AnyUtil, AnyEngage, AnyLane, true, OverduePlan.None,
            new(AtRisk, Blocked, NoFlag, NoRisk, Review, Adoption, false, false)),
        new("stalled_critical", 40, Fulfil.CriticalSome, Window.Far, AnyUtil, AnyEngage, AnyLane, null, OverduePlan.Some,
            new(Critical, Blocked, NoFlag, NoRisk, Capture, Adoption, false, false), MinAge: 200),
        new("critical_no_overdue", 30, Fulfil.CriticalSome, Window.Far, AnyUtil, AnyEngage, AnyLane, null, OverduePlan.None,
            new(Critical, Blocked, NoFlag, NoRisk, Review, Adoption, false, false)),

        // --- early life ---
        new("ttfv_breach", 20, Fulfil.CriticalZero, Window.Young, AnyUtil, AnyEngage, AnyLane, null, OverduePlan.None,
            new(Critical, Blocked, NoFlag, NoRisk, Review, FirstValue, false, true), Milestones: MilestonePlan.KickoffLive, MinAge: 80, MaxAge: 180),
        new("first_value_reached", 15, Fulfil.CriticalZero, Window.Young, AnyUtil, AnyEngage, AnyLane, null, OverduePlan.None,
            new(Critical, Blocked, NoFlag, NoRisk, Review, FirstValue, false, false), Milestones: MilestonePlan.KickoffLiveFirstValue, MinAge: 90, MaxAge: 180),
        new("onboarding", 30, Fulfil.CriticalZero, Window.Young, AnyUtil, AnyEngage, AnyLane, false, OverduePlan.None,
            new(Critical, Blocked, NoFlag, NoRisk, Review, Onboarding, false, false), Milestones: MilestonePlan.KickoffOnly, MinAge: 5, MaxAge: 60, QuietSignals: true),
        new("onboarding_no_contract", 8, Fulfil.None, Window.Young, AnyUtil, AnyEngage, AnyLane, false, OverduePlan.None,
            new(NoContract, NotReady, NoFlag, NoRisk, Establish, Onboarding, false, false), Milestones: MilestonePlan.KickoffOnly, MinAge: 5, MaxAge: 45, QuietSignals: true),

        // --- no value contract ---
        new("no_contract_live", 8, Fulfil.None, Window.Far, AnyUtil, AnyEngage, AnyLane, false, OverduePlan.None,
            new(NoContract, NotReady, NoFlag, NoRisk, Establish, FirstValue, false, true), Milestones: MilestonePlan.KickoffLive),
        new("no_contract_amber", 8, Fulfil.None, Window.Amber, AnyUtil, AnyEngage, AnyLane, false, OverduePlan.None,
            new(NoContract, NotReady, Amber, Low, Establish, Renewal, false, null)),
        new("no_contract_red", 12, Fulfil.None, Window.RedOrPassed, AnyUtil, AnyEngage, AnyLane, false, OverduePlan.None,
            new(NoContract, NotReady, Red, High, Escalate, Renewal, false, null)),

        // --- renewals in the next 180 days (or just passed) ---
        new("renewal_critical_red", 30, Fulfil.Critical, Window.RedOrPassed, AnyUtil, AnyEngage, AnyLane, null, OverduePlan.None,
            new(Critical, Blocked, Red, High, Escalate, Renewal, false, null)),
        new("renewal_passed_at_risk", 20, Fulfil.From40To60, Window.Passed, AnyUtil, AnyEngage, AnyLane, false, OverduePlan.None,
            new(AtRisk, NotReady, Red, High, Escalate, Renewal, false, false)),
        new("renewal_red_on_track_risk_signal", 25, Fulfil.AtLeast80, Window.Red, AnyUtil, AnyEngage, AnyLane, true, OverduePlan.None,
            new(OnTrack, Blocked, Red, Medium, Monitor, Renewal, false, false)),
        new("renewal_amber_at_risk", 35, Fulfil.From40To60, Window.Amber, AnyUtil, AnyEngage, AnyLane, false, OverduePlan.None,
            new(AtRisk, NotReady, Amber, Medium, Review, Renewal, false, false)),
        new("renewal_amber_critical", 20, Fulfil.CriticalSome, Window.Amber, AnyUtil, AnyEngage, AnyLane, null, OverduePlan.None,
            new(Critical, Blocked, Amber, High, Escalate, Renewal, false, false)),
        new("renewal_red_ready", 20, Fulfil.AtLeast80, Window.Red, [UtilBand.High], [Engage.Growing], [LaneKind.Modules, LaneKind.Data, LaneKind.Managed], false, OverduePlan.None,
            new(OnTrack, Ready, Red, Low, Expand, Renewal, true, false)),
        new("renewal_amber_overdue_on_track", 20, Fulfil.AtLeast80Partial, Window.Amber, [UtilBand.Low], [Engage.Steady], AnyLane, false, OverduePlan.Some,
            new(OnTrack, NotReady, Amber, Medium, Capture, Renewal, false, false)),
        new("renewal_amber_emerging", 30, Fulfil.AtLeast80, Window.Amber, [UtilBand.Mid], [Engage.Growing], [LaneKind.Modules, LaneKind.Data, LaneKind.Managed], false, OverduePlan.None,
            new(OnTrack, Emerging, Amber, Low, Monitor, Renewal, true, false)),
        new("renewal_amber_at_risk_risk_signal", 15, Fulfil.From40To60, Window.Amber, AnyUtil, AnyEngage, AnyLane, true, OverduePlan.None,
            new(AtRisk, Blocked, Amber, High, Escalate, Renewal, false, false)),
        new("renewal_red_on_track", 30, Fulfil.AtLeast80, Window.Red, [UtilBand.Low], [Engage.Steady], AnyLane, false, OverduePlan.None,
            new(OnTrack, NotReady, Red, Low, Monitor, Renewal, false, false)),
        new("renewal_passed_on_track", 10, Fulfil.AtLeast80, Window.Passed, [UtilBand.Low], [Engage.Steady], AnyLane, false, OverduePlan.None,
            new(OnTrack, NotReady, Red, Low, Monitor, Renewal, false, false)),

        // --- lost customers (inactive at the anchor) ---
        new("churned", 90, Fulfil.Critical, Window.Far, AnyUtil, [Engage.Declining], AnyLane, true, OverduePlan.Some, null, MinAge: 240),
    ];
}
