using System.ComponentModel;

namespace ValueMcp.Scoring;

/// <summary>
/// Every threshold of domain.md in one place, with its default. Each property carries a [Description]: the glossary
/// (value://glossary) is generated from this record by reflection, so a field added here shows up there with the
/// value in force.
/// </summary>
public sealed record ScoringPolicy
{
    public static ScoringPolicy Default { get; } = new();

    // Bands, renewal flag and windows.

    [Description("Band on_track when fulfilment (evidenced / promised outcomes) is at least this.")]
    public decimal OnTrackFulfilment { get; init; } = 0.70m;

    [Description("Band at_risk when fulfilment is at least this (and below on_track); critical below.")]
    public decimal AtRiskFulfilment { get; init; } = 0.40m;

    [Description("Renewal flag red when days to renewal is at most this (a passed renewal date is red).")]
    public int RenewalRedDays { get; init; } = 90;

    [Description("Renewal flag amber when days to renewal is at most this.")]
    public int RenewalAmberDays { get; init; } = 180;

    [Description("Renewal risk is assessed only for accounts renewing within this many days; beyond it the risk is none.")]
    public int RenewalRiskHorizonDays { get; init; } = 180;

    [Description("The recent window: this many days ending on as_of, both ends included (engagement, risk signals, lane).")]
    public int RecentWindowDays { get; init; } = 90;

    // Expansion readiness.

    [Description("Expansion readiness ready: fulfilment at least this, engagement not declining, and utilisation at least ready_utilisation.")]
    public decimal ReadyFulfilment { get; init; } = 0.80m;

    [Description("Expansion readiness ready: utilisation (used / contracted capacity) at least this (unknown utilisation: a positive usage, data or capacity signal instead).")]
    public decimal ReadyUtilisation { get; init; } = 0.85m;

    [Description("Expansion readiness emerging: fulfilment at least this, and utilisation at least emerging_utilisation or engagement growing.")]
    public decimal EmergingFulfilment { get; init; } = 0.60m;

    [Description("Expansion readiness emerging: utilisation at least this (or engagement growing).")]
    public decimal EmergingUtilisation { get; init; } = 0.70m;

    // Outcomes, first value, advocacy.

    [Description("An evidenced outcome is exceeded when its latest value is beyond the target by this share of (target - baseline).")]
    public decimal ExceededMargin { get; init; } = 0.10m;

    [Description("TTFV breach: no first value and more than this many days since contract start.")]
    public int TtfvBreachDays { get; init; } = 75;

    [Description("Next action request_advocacy: band on_track and fulfilment at least this, with a recent win.")]
    public decimal AdvocacyFulfilment { get; init; } = 0.90m;

    [Description("Next action request_advocacy: the recent win (an expansion movement or a renewed milestone) falls within this many days ending on as_of.")]
    public int AdvocacyWindowDays { get; init; } = 60;

    // Renewal forecast: the probability table. An account's renewal probability is the base for its renewal risk,
    // plus the adjustment for its band, plus the one for its engagement, plus the risk-signal adjustment when it has
    // a risk signal in the recent window, clamped to [floor, ceiling].

    [Description("Renewal forecast: base renewal probability of an account at renewal risk high.")]
    public decimal RenewalProbabilityHighRisk { get; init; } = 0.40m;

    [Description("Renewal forecast: base renewal probability of an account at renewal risk medium.")]
    public decimal RenewalProbabilityMediumRisk { get; init; } = 0.70m;

    [Description("Renewal forecast: base renewal probability of an account at renewal risk low.")]
    public decimal RenewalProbabilityLowRisk { get; init; } = 0.90m;

    [Description("Renewal forecast: base renewal probability of an account whose risk is not assessed yet (renewal beyond the risk horizon: risk none).")]
    public decimal RenewalProbabilityUnassessed { get; init; } = 0.85m;

    [Description("Renewal forecast: adjustment to the probability for band on_track.")]
    public decimal ProbabilityAdjustmentOnTrack { get; init; } = 0.05m;

    [Description("Renewal forecast: adjustment to the probability for band at_risk.")]
    public decimal ProbabilityAdjustmentAtRisk { get; init; } = -0.05m;

    [Description("Renewal forecast: adjustment to the probability for band critical.")]
    public decimal ProbabilityAdjustmentCritical { get; init; } = -0.15m;

    [Description("Renewal forecast: adjustment to the probability for band no_contract (no promised outcome).")]
    public decimal ProbabilityAdjustmentNoContract { get; init; } = -0.10m;

    [Description("Renewal forecast: adjustment to the probability for engagement growing.")]
    public decimal ProbabilityAdjustmentGrowing { get; init; } = 0.05m;

    [Description("Renewal forecast: adjustment to the probability for engagement declining.")]
    public decimal ProbabilityAdjustmentDeclining { get; init; } = -0.10m;

    [Description("Renewal forecast: adjustment to the probability when the account has one or more risk signals in the recent window.")]
    public decimal ProbabilityAdjustmentRiskSignals { get; init; } = -0.10m;

    [Description("Renewal forecast: no account's renewal probability is below this.")]
    public decimal RenewalProbabilityFloor { get; init; } = 0.05m;

    [Description("Renewal forecast: no account's renewal probability is above this.")]
    public decimal RenewalProbabilityCeiling { get; init; } = 0.97m;

    // Segment insights and the measured forward model.

    [Description("segment_insights: the share of accounts below this fulfilment is reported per segment and per CSM.")]
    public decimal InsightLowFulfilment { get; init; } = 0.50m;

    [Description("model_expansion_scenario from_portfolio: renewal rate and lane attach rates are measured over this many days ending on as_of.")]
    public int MeasuredRatesWindowDays { get; init; } = 365;

    [Description("model_expansion_scenario from_portfolio: stage rates are measured on accounts whose contract started at least this many days before as_of.")]
    public int StageMeasurementMinAgeDays { get; init; } = 180;

    /// <summary>First day of the recent window that ends on asOf.</summary>
    public DateOnly RecentWindowStart(DateOnly asOf) => asOf.AddDays(1 - RecentWindowDays);

    /// <summary>First day of the advocacy window that ends on asOf.</summary>
    public DateOnly AdvocacyWindowStart(DateOnly asOf) => asOf.AddDays(1 - AdvocacyWindowDays);

    /// <summary>First day of the measured-rates window that ends on asOf.</summary>
    public DateOnly MeasuredRatesWindowStart(DateOnly asOf) => asOf.AddDays(1 - MeasuredRatesWindowDays);

    /// <summary>Problems with a configured policy, empty when it is coherent.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Fraction(string name, decimal v)
        {
            if (v < 0m || v > 1m) problems.Add($"{name} must be between 0 and 1 (got {v})");
        }
        void Adjustment(string name, decimal v)
        {
            if (v < -1m || v > 1m) problems.Add($"{name} must be between -1 and 1 (got {v})");
        }
        Fraction(nameof(OnTrackFulfilment), OnTrackFulfilment);
        Fraction(nameof(AtRiskFulfilment), AtRiskFulfilment);
        Fraction(nameof(ReadyFulfilment), ReadyFulfilment);
        Fraction(nameof(EmergingFulfilment), EmergingFulfilment);
        Fraction(nameof(AdvocacyFulfilment), AdvocacyFulfilment);
        if (ReadyUtilisation < 0m) problems.Add($"{nameof(ReadyUtilisation)} must be >= 0");
        if (EmergingUtilisation < 0m) problems.Add($"{nameof(EmergingUtilisation)} must be >= 0");
        if (ExceededMargin < 0m) problems.Add($"{nameof(ExceededMargin)} must be >= 0");
        if (AtRiskFulfilment > OnTrackFulfilment) problems.Add($"{nameof(AtRiskFulfilment)} must not exceed {nameof(OnTrackFulfilment)}");
        if (RenewalRedDays > RenewalAmberDays) problems.Add($"{nameof(RenewalRedDays)} must not exceed {nameof(RenewalAmberDays)}");
        if (RecentWindowDays < 1) problems.Add($"{nameof(RecentWindowDays)} must be at least 1");
        if (AdvocacyWindowDays < 1) problems.Add($"{nameof(AdvocacyWindowDays)} must be at least 1");
        if (TtfvBreachDays < 0) problems.Add($"{nameof(TtfvBreachDays)} must be >= 0");

        Fraction(nameof(RenewalProbabilityHighRisk), RenewalProbabilityHighRisk);
        Fraction(nameof(RenewalProbabilityMediumRisk), RenewalProbabilityMediumRisk);
        Fraction(nameof(RenewalProbabilityLowRisk), RenewalProbabilityLowRisk);
        Fraction(nameof(RenewalProbabilityUnassessed), RenewalProbabilityUnassessed);
        Adjustment(nameof(ProbabilityAdjustmentOnTrack), ProbabilityAdjustmentOnTrack);
        Adjustment(nameof(ProbabilityAdjustmentAtRisk), ProbabilityAdjustmentAtRisk);
        Adjustment(nameof(ProbabilityAdjustmentCritical), ProbabilityAdjustmentCritical);
        Adjustment(nameof(ProbabilityAdjustmentNoContract), ProbabilityAdjustmentNoContract);
        Adjustment(nameof(ProbabilityAdjustmentGrowing), ProbabilityAdjustmentGrowing);
        Adjustment(nameof(ProbabilityAdjustmentDeclining), ProbabilityAdjustmentDeclining);
        Adjustment(nameof(ProbabilityAdjustmentRiskSignals), ProbabilityAdjustmentRiskSignals);
        Fraction(nameof(RenewalProbabilityFloor), RenewalProbabilityFloor);
        Fraction(nameof(RenewalProbabilityCeiling), RenewalProbabilityCeiling);
        if (RenewalProbabilityFloor > RenewalProbabilityCeiling)
            problems.Add($"{nameof(RenewalProbabilityFloor)} must not exceed {nameof(RenewalProbabilityCeiling)}");

        Fraction(nameof(InsightLowFulfilment), InsightLowFulfilment);
        if (MeasuredRatesWindowDays < 1) problems.Add($"{nameof(MeasuredRatesWindowDays)} must be at least 1");
        if (StageMeasurementMinAgeDays < 0) problems.Add($"{nameof(StageMeasurementMinAgeDays)} must be >= 0");
        return problems;
    }
}
