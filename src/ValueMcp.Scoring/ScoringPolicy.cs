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

    // Evidence and signals from product usage (metric readings).

    [Description("Usage trends: the mean of a metric's readings over this many days ending on as_of is compared with its mean over the same number of days just before.")]
    public int TrendWindowDays { get; init; } = 30;

    [Description("Usage trends: a rise of the mean by at least this share of the prior mean is a computed usage signal with polarity +1.")]
    public decimal TrendRise { get; init; } = 0.20m;

    [Description("Usage trends: a fall of the mean by at least this share of the prior mean is a computed usage signal with polarity -1.")]
    public decimal TrendFall { get; init; } = 0.20m;

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

    // Renewals: what decides one, the backtest of the forecast, and the measured probability table.

    [Description("Renewals: a renewed milestone or a churn movement decides the renewal in force when dated from this many days before its date onwards.")]
    public int RenewalDecisionWindowDays { get; init; } = 90;

    [Description("forecast_accuracy: the default horizon, in days: each renewal is forecast as of its date minus this (also the horizon of the measured probability table).")]
    public int ForecastHorizonDays { get; init; } = 90;

    [Description("forecast_accuracy: a renewal forecast at this probability or more that churned or contracted is a miss.")]
    public decimal MissHighProbability { get; init; } = 0.70m;

    [Description("forecast_accuracy: a renewal forecast at this probability or less that renewed in full is a miss.")]
    public decimal MissLowProbability { get; init; } = 0.40m;

    [Description("forecast_accuracy: the reliability table splits probabilities 0..1 into this many bins of equal width.")]
    public int ReliabilityBins { get; init; } = 10;

    [Description("renewal_forecast probabilities=measured: the renewals dated in this many days before as_of are backtested to measure the table.")]
    public int MeasuredLookbackDays { get; init; } = 365;

    [Description("renewal_forecast probabilities=measured: a cell (renewal risk and band) measured on fewer renewals than this keeps the policy's probability.")]
    public int MeasuredMinCount { get; init; } = 10;

    // Segment insights and the measured forward model.

    [Description("segment_insights: the share of accounts below this fulfilment is reported per segment and per CSM.")]
    public decimal InsightLowFulfilment { get; init; } = 0.50m;

    [Description("model_expansion_scenario from_portfolio: renewal rate and lane attach rates are measured over this many days ending on as_of.")]
    public int MeasuredRatesWindowDays { get; init; } = 365;

    [Description("model_expansion_scenario from_portfolio: stage rates are measured on accounts whose contract started at least this many days before as_of.")]
    public int StageMeasurementMinAgeDays { get; init; } = 180;

    /// <summary>First day of the recent window that ends on asOf.</summary>
    public DateOnly RecentWindowStart(DateOnly asOf) => asOf.AddDays(1 - RecentWindowDays);

    /// <summary>First day of the recent trend window that ends on asOf (the prior one ends the day before it).</summary>
    public DateOnly TrendWindowStart(DateOnly asOf) => asOf.AddDays(1 - TrendWindowDays);

    /// <summary>First day of the prior trend window (the TrendWindowDays just before the recent one).</summary>
    public DateOnly PriorTrendWindowStart(DateOnly asOf) => asOf.AddDays(1 - 2 * TrendWindowDays);

    /// <summary>First day of the advocacy window that ends on asOf.</summary>
    public DateOnly AdvocacyWindowStart(DateOnly asOf) => asOf.AddDays(1 - AdvocacyWindowDays);

    /// <summary>First day of the measured-rates window that ends on asOf.</summary>
    public DateOnly MeasuredRatesWindowStart(DateOnly asOf) => asOf.AddDays(1 - MeasuredRatesWindowDays);

    /// <summary>The longest span, in days, any day-count threshold accepts (ten years, as the tools' day arguments).</summary>
    public const int MaxDays = 3650;

    /// <summary>A threshold's accepted values: a closed range, and how to say it.</summary>
    private sealed record Range(string Property, Func<ScoringPolicy, decimal> Value, decimal Min, decimal Max, string Accepts);

    private static Range Fraction(string property, Func<ScoringPolicy, decimal> value) =>
        new(property, value, 0m, 1m, "a number from 0 to 1");

    private static Range Adjustment(string property, Func<ScoringPolicy, decimal> value) =>
        new(property, value, -1m, 1m, "a number from -1 to 1");

    private static Range Ratio(string property, Func<ScoringPolicy, decimal> value) =>
        new(property, value, 0m, 10m, "a number from 0 to 10");

    private static Range Days(string property, Func<ScoringPolicy, int> value, int min) =>
        new(property, p => value(p), min, MaxDays, $"a whole number of days from {min} to {MaxDays}");

    private static Range Count(string property, Func<ScoringPolicy, int> value, int min, int max) =>
        new(property, p => value(p), min, max, $"a whole number from {min} to {max}");

    /// <summary>Every threshold with what it accepts. PolicyAndWireTests checks that no property is missing here.</summary>
    private static readonly Range[] Ranges =
    [
        Fraction(nameof(OnTrackFulfilment), p => p.OnTrackFulfilment),
        Fraction(nameof(AtRiskFulfilment), p => p.AtRiskFulfilment),
        Days(nameof(RenewalRedDays), p => p.RenewalRedDays, 0),
        Days(nameof(RenewalAmberDays), p => p.RenewalAmberDays, 0),
        Days(nameof(RenewalRiskHorizonDays), p => p.RenewalRiskHorizonDays, 0),
        Days(nameof(RecentWindowDays), p => p.RecentWindowDays, 1),
        Fraction(nameof(ReadyFulfilment), p => p.ReadyFulfilment),
        Ratio(nameof(ReadyUtilisation), p => p.ReadyUtilisation),
        Fraction(nameof(EmergingFulfilment), p => p.EmergingFulfilment),
        Ratio(nameof(EmergingUtilisation), p => p.EmergingUtilisation),
        Ratio(nameof(ExceededMargin), p => p.ExceededMargin),
        Days(nameof(TtfvBreachDays), p => p.TtfvBreachDays, 0),
        Fraction(nameof(AdvocacyFulfilment), p => p.AdvocacyFulfilment),
        Days(nameof(AdvocacyWindowDays), p => p.AdvocacyWindowDays, 1),
        Days(nameof(TrendWindowDays), p => p.TrendWindowDays, 1),
        Ratio(nameof(TrendRise), p => p.TrendRise),
        Fraction(nameof(TrendFall), p => p.TrendFall),
        Fraction(nameof(RenewalProbabilityHighRisk), p => p.RenewalProbabilityHighRisk),
        Fraction(nameof(RenewalProbabilityMediumRisk), p => p.RenewalProbabilityMediumRisk),
        Fraction(nameof(RenewalProbabilityLowRisk), p => p.RenewalProbabilityLowRisk),
        Fraction(nameof(RenewalProbabilityUnassessed), p => p.RenewalProbabilityUnassessed),
        Adjustment(nameof(ProbabilityAdjustmentOnTrack), p => p.ProbabilityAdjustmentOnTrack),
        Adjustment(nameof(ProbabilityAdjustmentAtRisk), p => p.ProbabilityAdjustmentAtRisk),
        Adjustment(nameof(ProbabilityAdjustmentCritical), p => p.ProbabilityAdjustmentCritical),
        Adjustment(nameof(ProbabilityAdjustmentNoContract), p => p.ProbabilityAdjustmentNoContract),
        Adjustment(nameof(ProbabilityAdjustmentGrowing), p => p.ProbabilityAdjustmentGrowing),
        Adjustment(nameof(ProbabilityAdjustmentDeclining), p => p.ProbabilityAdjustmentDeclining),
        Adjustment(nameof(ProbabilityAdjustmentRiskSignals), p => p.ProbabilityAdjustmentRiskSignals),
        Fraction(nameof(RenewalProbabilityFloor), p => p.RenewalProbabilityFloor),
        Fraction(nameof(RenewalProbabilityCeiling), p => p.RenewalProbabilityCeiling),
        Days(nameof(RenewalDecisionWindowDays), p => p.RenewalDecisionWindowDays, 0),
        Days(nameof(ForecastHorizonDays), p => p.ForecastHorizonDays, 0),
        Fraction(nameof(MissHighProbability), p => p.MissHighProbability),
        Fraction(nameof(MissLowProbability), p => p.MissLowProbability),
        Count(nameof(ReliabilityBins), p => p.ReliabilityBins, 1, 100),
        Days(nameof(MeasuredLookbackDays), p => p.MeasuredLookbackDays, 1),
        Count(nameof(MeasuredMinCount), p => p.MeasuredMinCount, 1, 1_000_000),
        Fraction(nameof(InsightLowFulfilment), p => p.InsightLowFulfilment),
        Days(nameof(MeasuredRatesWindowDays), p => p.MeasuredRatesWindowDays, 1),
        Days(nameof(StageMeasurementMinAgeDays), p => p.StageMeasurementMinAgeDays, 0),
    ];

    /// <summary>What each threshold accepts, by its snake_case name (as the glossary prints it and a policy file spells it).</summary>
    public static IReadOnlyDictionary<string, string> Accepted { get; } =
        Ranges.ToDictionary(r => Wire.ToSnake(r.Property), r => r.Accepts, StringComparer.Ordinal);

    /// <summary>
    /// Problems with a configured policy, empty when it is coherent: each names the threshold (snake_case) and what it
    /// accepts. Every value must lie in its range; at_risk_fulfilment may not exceed on_track_fulfilment, renewal_red_days
    /// may not exceed renewal_amber_days, and renewal_probability_floor may not exceed renewal_probability_ceiling.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var r in Ranges)
        {
            var v = r.Value(this);
            if (v < r.Min || v > r.Max) problems.Add($"{Wire.ToSnake(r.Property)}: accepted: {r.Accepts} (got {v.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        }
        void NotAbove(string low, decimal lowValue, string high, decimal highValue)
        {
            if (lowValue > highValue)
                problems.Add($"{Wire.ToSnake(low)}: accepted: at most {Wire.ToSnake(high)} ({highValue.ToString(System.Globalization.CultureInfo.InvariantCulture)}) (got {lowValue.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        }
        NotAbove(nameof(AtRiskFulfilment), AtRiskFulfilment, nameof(OnTrackFulfilment), OnTrackFulfilment);
        NotAbove(nameof(RenewalRedDays), RenewalRedDays, nameof(RenewalAmberDays), RenewalAmberDays);
        NotAbove(nameof(RenewalProbabilityFloor), RenewalProbabilityFloor, nameof(RenewalProbabilityCeiling), RenewalProbabilityCeiling);
        NotAbove(nameof(MissLowProbability), MissLowProbability, nameof(MissHighProbability), MissHighProbability);
        return problems;
    }
}
