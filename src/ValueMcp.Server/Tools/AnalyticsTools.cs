using System.ComponentModel;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;

namespace ValueMcp.Server.Tools;

/// <summary>An expansion lane of the forward model, as an argument.</summary>
public sealed record LaneInput(
    [property: Description("The lane's name, e.g. modules, data_integration, managed_services (any label, up to 40 characters).")] string? Lane,
    [property: Description("Share of the renewing customers that buy in this lane each year, 0 to 1 (0.35 = 35%).")] decimal? AttachRate,
    [property: Description("Average expansion per buying customer, in the portfolio currency (0 or more).")] decimal? AvgValue);

/// <summary>The stage rates of the forward model, as an argument; a rate left out takes its default.</summary>
public sealed record StageRatesInput
{
    [Description("Share of customers completing onboarding, 0 to 1. Default 0.90.")]
    public decimal? Onboarding { get; init; }

    [Description("Share of those reaching first value, 0 to 1. Default 0.85.")]
    public decimal? FirstValue { get; init; }

    [Description("Share of those adopting, 0 to 1. Default 0.78.")]
    public decimal? Adoption { get; init; }

    [Description("Share of those renewing, 0 to 1. Default 0.85.")]
    public decimal? Renewal { get; init; }
}

/// <summary>Retention, renewal forecast, the forward model and segment insights. Each is: check arguments, ask the service, render.</summary>
[McpServerToolType]
public sealed class AnalyticsTools(AnalyticsService analytics, ValueService service, ILogger<AnalyticsTools> logger)
{
    private const decimal MaxAmount = 1_000_000_000_000m;

    [McpServerTool(Name = "retention_metrics", Title = "Retention: NRR, GRR, logo retention", ReadOnly = true, OpenWorld = false,
        Idempotent = true, Destructive = false, UseStructuredContent = true, OutputSchemaType = typeof(RetentionResult))]
    [Description("Net and gross revenue retention and logo retention over a period [period_start, period_end), from the ARR-movement ledger: starting ARR of the accounts active before the period, their expansion (also by lane), contraction and churned ARR, NRR = (S + E - C - X) / S, GRR (at most 1), logos at start and retained; new logos of the period are excluded (reported apart). Optionally grouped by segment, tier, csm, cohort_year or cohort_quarter (of contract start). For board numbers: quote NRR with its definition and the benchmarks given.")]
    public CallToolResult RetentionMetrics(
        [Description("First day of the period, ISO yyyy-MM-dd (included), e.g. 2026-07-01.")] string period_start,
        [Description("Day after the period, ISO yyyy-MM-dd (excluded), e.g. 2026-10-01 for Q3 2026. Must be after period_start.")] string period_end,
        [Description("Rows per: none (one row, \"all\"; default), segment, tier, csm, cohort_year or cohort_quarter (year or quarter of contract start).")] string? group_by = null,
        [Description(ParameterDocs.AsOfDoc + " Movements dated after as_of are ignored, so a period that has not ended is measured to date.")] string? as_of = null) =>
        ToolResults.Run(logger, "retention_metrics", () =>
        {
            var asOf = service.AsOf(as_of);
            var start = Inputs.Date(Inputs.RequiredText(period_start, "period_start"), "period_start", default);
            var end = Inputs.Date(Inputs.RequiredText(period_end, "period_end"), "period_end", default);
            var groupBy = Inputs.Enum<RetentionGrouping>(group_by, "group_by") ?? RetentionGrouping.None;
            return analytics.Retention(start, end, groupBy, asOf);
        }, AnalyticsText.Retention);

    [McpServerTool(Name = "renewal_forecast", Title = "Renewal forecast (downside / base / upside)", ReadOnly = true, OpenWorld = false,
        Idempotent = true, Destructive = false, UseStructuredContent = true, OutputSchemaType = typeof(RenewalForecastResult))]
    [Description("For the active accounts (matching the filters) whose renewal date falls in [period_start, period_end): the ARR due and a range of renewed ARR (downside <= base <= upside), from per-account renewal probabilities given by the policy's probability table (renewal risk, band, engagement, risk signals). Each account comes with its probability, the table cells that produced it, its downside/base/upside amounts and what would move it between scenarios. Probabilities, not certainties: state the range and name the accounts that move it.")]
    public CallToolResult RenewalForecast(
        [Description("First day of the renewal window, ISO yyyy-MM-dd (included).")] string period_start,
        [Description("Day after the renewal window, ISO yyyy-MM-dd (excluded). Must be after period_start.")] string period_end,
        [Description(ParameterDocs.SegmentDoc)] string? segment = null,
        [Description(ParameterDocs.TierDoc)] string? tier = null,
        [Description(ParameterDocs.CsmDoc)] string? csm = null,
        [Description(ParameterDocs.StageDoc)] string? lifecycle_stage = null,
        [Description(ParameterDocs.BandDoc)] string? band = null,
        [Description(ParameterDocs.ReadinessDoc)] string? readiness = null,
        [Description(ParameterDocs.FlagDoc)] string? renewal_flag = null,
        [Description(ParameterDocs.WithinDoc)] int? renewal_within_days = null,
        [Description(ParameterDocs.MinArrDoc)] decimal? min_arr = null,
        [Description("Most accounts to list, 1-200, lowest probability first. Default 200. The totals cover all.")] int? limit = null,
        [Description(ParameterDocs.AsOfDoc)] string? as_of = null) =>
        ToolResults.Run(logger, "renewal_forecast", () =>
        {
            var asOf = service.AsOf(as_of);
            var start = Inputs.Date(Inputs.RequiredText(period_start, "period_start"), "period_start", default);
            var end = Inputs.Date(Inputs.RequiredText(period_end, "period_end"), "period_end", default);
            var filter = Inputs.Filter(service.Known(asOf), segment, tier, csm, lifecycle_stage, band, readiness, renewal_flag, renewal_within_days, min_arr);
            return analytics.RenewalForecast(start, end, filter, asOf, Inputs.Limit(limit, Inputs.MaxLimit));
        }, AnalyticsText.Forecast);

    [McpServerTool(Name = "model_expansion_scenario", Title = "Forward model: funnel, ARR, NRR and LTV by year", ReadOnly = true, OpenWorld = false,
        Idempotent = true, Destructive = false, UseStructuredContent = true, OutputSchemaType = typeof(ScenarioResultDto))]
    [Description("Projects a customer cohort year by year: year 1 starts with customers x acv; each year end renewal_rate of the customers renew (churn takes the same share of ARR) and each lane adds renewing customers x attach_rate x avg_value; reports ARR, churn, expansion and NRR per year, cumulative revenue and LTV per customer, the stage funnel product (onboarding x first value x adoption x renewal) and what a 10-point NRR spread is worth. With from_portfolio: true the assumptions are measured on the stored portfolio as of as_of (active accounts, average ARR, 12-month logo retention, per-lane attach rates, stage rates from milestones); any argument you also give overrides its measured value. Every assumption is returned with its source.")]
    public CallToolResult ModelExpansionScenario(
        [Description("Customers in the cohort (more than 0), e.g. 100. Required unless from_portfolio is true.")] decimal? customers = null,
        [Description("Average contract value per customer per year (ACV), in the portfolio currency, e.g. 65000. Required unless from_portfolio is true.")] decimal? acv = null,
        [Description("Share of customers renewing each year, 0 to 1, e.g. 0.85. Default: the renewal stage rate (0.85), or the measured rate with from_portfolio.")] decimal? renewal_rate = null,
        [Description("Expansion lanes, each {lane, attach_rate (0-1), avg_value}, e.g. [{\"lane\": \"modules\", \"attach_rate\": 0.35, \"avg_value\": 42000}]. Default: none, or the measured lanes with from_portfolio.")] LaneInput[]? lanes = null,
        [Description("Years to project, 1-10. Default 3.")] int? years = null,
        [Description("Stage rates {onboarding, first_value, adoption, renewal}, each 0 to 1; a missing one takes its default (0.90, 0.85, 0.78, 0.85).")] StageRatesInput? stage_rates = null,
        [Description("true to measure customers, acv, renewal rate, lanes and stage rates on the stored portfolio as of as_of instead of typing them. Default false.")] bool? from_portfolio = null,
        [Description(ParameterDocs.AsOfDoc + " Used with from_portfolio.")] string? as_of = null) =>
        ToolResults.Run(logger, "model_expansion_scenario", () =>
        {
            var asOf = service.AsOf(as_of);
            var args = new AnalyticsService.ScenarioArgs(
                Positive(customers, "customers"),
                Positive(acv, "acv"),
                Rate(renewal_rate, "renewal_rate"),
                lanes is null ? null : Lanes(lanes),
                years is int y ? Inputs.Days(y, "years", 3, 1, ScenarioModel.MaxYears) : null,
                stage_rates is null ? null : Stages(stage_rates),
                from_portfolio ?? false,
                asOf);
            return analytics.Scenario(args);
        }, AnalyticsText.Scenario);

    [McpServerTool(Name = "segment_insights", Title = "Segment insights", ReadOnly = true, OpenWorld = false,
        Idempotent = true, Destructive = false, UseStructuredContent = true, OutputSchemaType = typeof(SegmentInsightsResult))]
    [Description("Portfolio patterns a per-account view hides, each as a statement with the numbers behind it: the share of each segment and of each CSM's book below the low-fulfilment threshold (insight_low_fulfilment, 0.50 by default), where expansion-ready accounts cluster (by segment and suggested lane), how much ARR is at high or medium renewal risk in each fulfilment band, and TTFV breaches by segment. For a VP's view of the book.")]
    public CallToolResult SegmentInsights(
        [Description(ParameterDocs.SegmentDoc)] string? segment = null,
        [Description(ParameterDocs.TierDoc)] string? tier = null,
        [Description(ParameterDocs.CsmDoc)] string? csm = null,
        [Description(ParameterDocs.StageDoc)] string? lifecycle_stage = null,
        [Description(ParameterDocs.BandDoc)] string? band = null,
        [Description(ParameterDocs.ReadinessDoc)] string? readiness = null,
        [Description(ParameterDocs.FlagDoc)] string? renewal_flag = null,
        [Description(ParameterDocs.WithinDoc)] int? renewal_within_days = null,
        [Description(ParameterDocs.MinArrDoc)] decimal? min_arr = null,
        [Description(ParameterDocs.AsOfDoc)] string? as_of = null) =>
        ToolResults.Run(logger, "segment_insights", () =>
        {
            var asOf = service.AsOf(as_of);
            var filter = Inputs.Filter(service.Known(asOf), segment, tier, csm, lifecycle_stage, band, readiness, renewal_flag, renewal_within_days, min_arr);
            return analytics.Insights(asOf, filter);
        }, AnalyticsText.Insights);

    private static decimal? Positive(decimal? value, string name)
    {
        if (value is not decimal v) return null;
        if (v <= 0m || v > MaxAmount) throw new InputException($"{name}: {v} is out of range; accepted: more than 0, up to {MaxAmount:#,##0}");
        return v;
    }

    private static decimal? Rate(decimal? value, string name)
    {
        if (value is not decimal v) return null;
        if (v < 0m || v > 1m) throw new InputException($"{name}: {v} is out of range; accepted: a fraction from 0 to 1 (0.85 = 85%)");
        return v;
    }

    private static List<LaneAssumption> Lanes(LaneInput?[] lanes)
    {
        if (lanes.Length > 20) throw new InputException($"lanes: {lanes.Length} lanes; accepted: at most 20");
        var result = new List<LaneAssumption>(lanes.Length);
        for (var i = 0; i < lanes.Length; i++)
        {
            var where = $"lanes[{i}]";
            var l = lanes[i] ?? throw new InputException($"{where}: expected an object {{lane, attach_rate, avg_value}}");
            var name = Inputs.RequiredText(l.Lane, $"{where}.lane", 40);
            if (result.Any(r => string.Equals(r.Lane, name, StringComparison.OrdinalIgnoreCase)))
                throw new InputException($"{where}.lane: \"{Inputs.Show(name)}\" is given twice; give each lane once");
            var attach = Rate(l.AttachRate, $"{where}.attach_rate") ?? throw new InputException($"{where}.attach_rate is required: a fraction from 0 to 1");
            var avg = l.AvgValue ?? throw new InputException($"{where}.avg_value is required: an amount of 0 or more");
            if (avg < 0m || avg > MaxAmount) throw new InputException($"{where}.avg_value: {avg} is out of range; accepted: 0 to {MaxAmount:#,##0}");
            result.Add(new LaneAssumption(name, attach, avg));
        }
        return result;
    }

    private static StageRates Stages(StageRatesInput s)
    {
        var d = StageRates.Default;
        return new StageRates(
            Rate(s.Onboarding, "stage_rates.onboarding") ?? d.Onboarding,
            Rate(s.FirstValue, "stage_rates.first_value") ?? d.FirstValue,
            Rate(s.Adoption, "stage_rates.adoption") ?? d.Adoption,
            Rate(s.Renewal, "stage_rates.renewal") ?? d.Renewal);
    }
}
