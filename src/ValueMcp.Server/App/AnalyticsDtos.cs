using System.ComponentModel;
using ValueMcp.Scoring;

namespace ValueMcp.Server.App;

// The structured results of retention_metrics, renewal_forecast, model_expansion_scenario and segment_insights
// (../shared/spec/tools.md). Fractions are numbers (1.0422 = 104.22%), money a number in the portfolio currency.

public sealed record RetentionRowDto(
    [property: Description("\"all\" without grouping; YYYY or YYYY-Qn of contract_start for cohorts; the segment, tier or CSM otherwise (\"\" for an empty one)")] string Group,
    [property: Description("S: ARR before period_start of the accounts active just before it (the cohort)")] decimal StartingArr,
    [property: Description("E: the cohort's expansion movements dated in the period")] decimal Expansion,
    [property: Description("E by lane: modules, data_integration, managed_services, seats, price, and \"\" for an expansion without a lane")] IReadOnlyDictionary<string, decimal> ExpansionByLane,
    [property: Description("cohort accounts with an expansion in the lane during the period")] IReadOnlyDictionary<string, int> ExpandingLogosByLane,
    [property: Description("C: the cohort's contraction movements dated in the period")] decimal Contraction,
    [property: Description("X: the ARR the cohort's churn movements in the period removed")] decimal Churn,
    [property: Description("S + E - C - X")] decimal EndingArr,
    [property: Description("net revenue retention (S + E - C - X) / S; null when S = 0")] decimal? Nrr,
    [property: Description("gross revenue retention (S - C - X) / S, never above 1; null when S = 0")] decimal? Grr,
    [property: Description("accounts in the cohort")] int LogosStart,
    [property: Description("cohort accounts still active from movements dated before period_end")] int LogosRetained,
    [property: Description("logos_retained / logos_start; null without a logo at start")] decimal? LogoRetention,
    [property: Description("accounts not active before period_start but active before period_end (excluded from NRR and GRR)")] int NewLogos,
    [property: Description("ARR of those new logos before period_end")] decimal NewLogoArr);

public sealed record RetentionResult(
    DateOnly PeriodStart,
    [property: Description("excluded: the period is [period_start, period_end)")] DateOnly PeriodEnd,
    DateOnly AsOf,
    [property: Description("the last day whose movements count: the day before period_end, or as_of when the period has not ended at as_of")] DateOnly MeasuredThrough,
    [property: Description("false when as_of falls before the period's last day (the figures are to date)")] bool Complete,
    RetentionGrouping GroupBy,
    [property: Description("the whole set, whatever the grouping")] RetentionRowDto Total,
    IReadOnlyList<RetentionRowDto> Rows,
    [property: Description("the definitions used, to quote with the numbers")] IReadOnlyDictionary<string, string> Definitions,
    [property: Description("NRR benchmarks from the seeds, for context (never verdicts)")] IReadOnlyList<string> Benchmarks);

public sealed record ForecastAccountDto(
    string Id,
    string Name,
    string Segment,
    string Csm,
    [property: Description("ARR at as_of: the ARR due at this renewal")] decimal Arr,
    DateOnly RenewalDate,
    int DaysToRenewal,
    Band Band,
    RenewalRisk RenewalRisk,
    Engagement Engagement,
    [property: Description("renewal probability from the probability table, 0..1")] decimal Probability,
    decimal DownsideProbability,
    decimal UpsideProbability,
    [property: Description("steady, exposed or high_risk: where the account sits in the scenarios")] ScenarioRole ScenarioRole,
    [property: Description("arr x downside_probability")] decimal Downside,
    [property: Description("arr x probability")] decimal Base,
    [property: Description("arr x upside_probability")] decimal Upside,
    [property: Description("what moves the account between scenarios")] string ScenarioNote,
    [property: Description("the probability table cells that applied")] string Reason);

public sealed record ProbabilityTableDto(
    [property: Description("base probability per renewal risk (none: renewal beyond the risk horizon, not assessed)")] IReadOnlyDictionary<string, decimal> BaseByRisk,
    IReadOnlyDictionary<string, decimal> BandAdjustment,
    IReadOnlyDictionary<string, decimal> EngagementAdjustment,
    [property: Description("added when the account has a risk signal in the recent window")] decimal RiskSignalAdjustment,
    decimal Floor,
    decimal Ceiling,
    string Rule,
    IReadOnlyList<string> ScenarioRules);

public sealed record RenewalForecastResult(
    DateOnly AsOf,
    DateOnly PeriodStart,
    [property: Description("excluded: renewals dated in [period_start, period_end)")] DateOnly PeriodEnd,
    FiltersDto Filters,
    [property: Description("accounts renewing in the period (active at as_of, matching the filters)")] int Total,
    [property: Description("their ARR at as_of")] decimal ArrDue,
    [property: Description("renewed ARR in the downside scenario (sum of the accounts' downside)")] decimal Downside,
    [property: Description("renewed ARR in the base scenario (sum of ARR x probability)")] decimal Base,
    [property: Description("renewed ARR in the upside scenario (sum of the accounts' upside)")] decimal Upside,
    [property: Description("count and ARR due per scenario role")] IReadOnlyDictionary<string, CountArr> ByScenarioRole,
    [property: Description("lowest probability first; at most limit of them (the totals cover all)")] IReadOnlyList<ForecastAccountDto> Accounts,
    ProbabilityTableDto ProbabilityTable);

public sealed record StageRatesDto(
    [property: Description("share of customers completing onboarding (going live)")] decimal Onboarding,
    [property: Description("share of those reaching first value")] decimal FirstValue,
    [property: Description("share of those adopting")] decimal Adoption,
    [property: Description("share of those renewing")] decimal Renewal);

public sealed record LaneDto(string Lane, decimal AttachRate, decimal AvgValue);

public sealed record ScenarioYearDto(
    int Year,
    decimal CustomersStart,
    [property: Description("customers_start x renewal_rate (kept unrounded)")] decimal CustomersRenewing,
    decimal ArrStart,
    [property: Description("arr_start x (1 - renewal_rate)")] decimal Churn,
    [property: Description("sum over lanes of customers_renewing x attach_rate x avg_value")] decimal Expansion,
    IReadOnlyDictionary<string, decimal> ExpansionByLane,
    [property: Description("arr_start - churn + expansion")] decimal ArrEnd,
    [property: Description("arr_end / arr_start")] decimal? Nrr);

public sealed record AssumptionDto(
    string Name,
    decimal Value,
    [property: Description("given (an argument), default (the seed's), or measured (on the stored portfolio)")] string Source,
    string How);

public sealed record ScenarioAssumptionsDto(
    decimal Customers,
    decimal Acv,
    decimal RenewalRate,
    StageRatesDto StageRates,
    IReadOnlyList<LaneDto> Lanes,
    int Years,
    bool FromPortfolio,
    [property: Description("the date the rates were measured at (from_portfolio), else null")] DateOnly? MeasuredAsOf,
    [property: Description("every assumption with where it came from and how it was measured")] IReadOnlyList<AssumptionDto> Sources);

public sealed record SensitivityDto(
    [property: Description("the NRR spread considered: 0.10 = ten points")] decimal NrrSpread,
    [property: Description("year 1 starting ARR")] decimal ArrBase,
    [property: Description("nrr_spread x arr_base: what the spread is worth each year")] decimal ValuePerYear,
    string Statement);

public sealed record ScenarioResultDto(
    [property: Description("product of the four stage rates, rounded to 4 decimals (0.90 x 0.85 x 0.78 x 0.85 = 0.5072)")] decimal FunnelProduct,
    [property: Description("the exact product (0.507195)")] decimal FunnelProductExact,
    [property: Description("customers x funnel_product_exact: customers expected to reach a renewal and renew")] decimal CustomersThroughFunnel,
    IReadOnlyList<ScenarioYearDto> Years,
    [property: Description("sum of each year's arr_start")] decimal CumulativeRevenue,
    [property: Description("cumulative_revenue / year 1 customers; null with no customer")] decimal? LtvPerCustomer,
    SensitivityDto Sensitivity,
    ScenarioAssumptionsDto Assumptions);

public sealed record InsightDto(
    [property: Description("low_fulfilment_by_segment, low_fulfilment_by_csm, expansion_ready_by_segment, renewal_risk_by_fulfilment_band, ttfv_breach_by_segment")] string Kind,
    [property: Description("the segment, CSM or band the insight is about")] string Group,
    [property: Description("one sentence quoting the numbers")] string Statement,
    [property: Description("the numbers behind the statement (counts, ARR, shares as fractions)")] IReadOnlyDictionary<string, decimal> Numbers);

public sealed record SegmentInsightsResult(DateOnly AsOf, FiltersDto Filters, int AccountCount, decimal ArrManaged, IReadOnlyList<InsightDto> Insights);
