using System.ComponentModel;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Server.Ui;
using ValueMcp.Store;
using static ValueMcp.Server.App.Text;

namespace ValueMcp.Server.Tools;

/// <summary>renewal_forecast: the ARR due in a renewal window and its downside / base / upside range.</summary>
[McpServerToolType]
public sealed class RenewalForecastTool(ValueService service, ILogger<RenewalForecastTool> logger)
{
    [McpMeta("ui", JsonValue = PortfolioApp.ToolMetaJson)]
    [McpMeta(PortfolioApp.LegacyMetaKey, PortfolioApp.Uri)]
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
        [Description(ParameterDocs.CohortYearDoc)] string? cohort_year = null,
        [Description(ParameterDocs.CohortQuarterDoc)] string? cohort_quarter = null,
        [Description("Most accounts to list, 1-200, lowest probability first. Default 200. The totals cover all.")] int? limit = null,
        [Description(ParameterDocs.AsOfDoc)] string? as_of = null) =>
        ToolResults.Run(logger, "renewal_forecast", () =>
        {
            var asOf = service.AsOf(as_of);
            var start = Inputs.Date(Inputs.RequiredText(period_start, "period_start"), "period_start", default);
            var end = Inputs.Date(Inputs.RequiredText(period_end, "period_end"), "period_end", default);
            var filter = Inputs.Filter(service.Known(asOf), segment, tier, csm, lifecycle_stage, band, readiness, renewal_flag, renewal_within_days, min_arr, cohort_year, cohort_quarter);
            return Answer(service, start, end, filter, asOf, Inputs.Limit(limit, Inputs.MaxLimit));
        }, Render);

    /// <summary>Renewals dated in [start, end) among the accounts active at asOf that match the filter.</summary>
    public static RenewalForecastResult Answer(ValueService values, DateOnly start, DateOnly end, PortfolioFilter filter, DateOnly asOf, int limit)
    {
        if (start >= end)
            throw new InputException($"period_end: {FactReader.Iso(end)} must be after period_start {FactReader.Iso(start)} (renewals dated in [period_start, period_end) are forecast)");
        var renewing = values.Portfolio(asOf, filter).Where(a => a.Profile.RenewalDate >= start && a.Profile.RenewalDate < end).Select(values.Explain);
        var forecast = Forecast.Of(renewing, values.Policy);
        var byRole = Enum.GetValues<ScenarioRole>().ToDictionary(Wire.Name, r =>
        {
            var inRole = forecast.Accounts.Where(f => f.Odds.Role == r).ToList();
            return new CountAndArr(inRole.Count, inRole.Sum(f => f.Arr));
        });
        return new RenewalForecastResult(asOf, start, end, Shape.Filters(filter), forecast.Accounts.Count,
            forecast.ArrDue, forecast.Downside, forecast.Base, forecast.Upside, byRole,
            Forecast.Movers(forecast).Select(Mover).ToList(),
            forecast.Accounts.Take(limit).Select(ForecastAccount).ToList(), ProbabilityTable(values.Policy));
    }

    private static ForecastAccountDto ForecastAccount(ForecastAccount f)
    {
        var a = f.Account;
        return new ForecastAccountDto(a.Id, a.Profile.Name, a.Profile.Segment, a.Profile.Csm, f.Arr, a.Profile.RenewalDate, a.DaysToRenewal,
            a.Band.Value, a.Risk.Value, a.Engagement, f.Odds.Probability, f.Odds.DownsideProbability, f.Odds.UpsideProbability, f.Odds.Role,
            f.Downside, f.Base, f.Upside, f.Odds.ScenarioNote, f.Odds.Reason);
    }

    private static ForecastMoverDto Mover(ForecastAccount f) =>
        new(f.Account.Id, f.Account.Profile.Name, f.Arr, f.Account.Profile.RenewalDate, f.Odds.Role, f.Downside, f.Base, f.Upside, f.Upside - f.Downside, f.Odds.ScenarioNote);

    public static ProbabilityTableDto ProbabilityTable(ScoringPolicy p) => new(
        new[] { RenewalRisk.High, RenewalRisk.Medium, RenewalRisk.Low, RenewalRisk.None }
            .ToDictionary(Wire.Name, r => Forecast.BaseProbability(r, p)),
        new[] { Band.OnTrack, Band.AtRisk, Band.Critical, Band.NoContract }.ToDictionary(Wire.Name, b => Forecast.BandAdjustment(b, p)),
        Enum.GetValues<Engagement>().ToDictionary(Wire.Name, e => Forecast.EngagementAdjustment(e, p)),
        p.ProbabilityAdjustmentRiskSignals, p.RenewalProbabilityFloor, p.RenewalProbabilityCeiling,
        Forecast.ProbabilityRule, Forecast.ScenarioRules);

    public static string Render(RenewalForecastResult f)
    {
        var lines = new List<string>
        {
            $"Renewal forecast as of {Date(f.AsOf)} for renewals dated {Date(f.PeriodStart)} to {Date(f.PeriodEnd)} (end excluded; {Filters(f.Filters)}): " +
                $"{f.Total} accounts, ARR due {Money(f.ArrDue)}.",
            $"Renewed ARR: downside {Money(f.Downside)}, base {Money(f.Base)}, upside {Money(f.Upside)} " +
                $"({Ratio(Share(f.Downside, f.ArrDue))} / {Ratio(Share(f.Base, f.ArrDue))} / {Ratio(Share(f.Upside, f.ArrDue))} of ARR due).",
            "Scenario roles: " + string.Join(", ", f.ByScenarioRole.Select(kv => $"{kv.Key} {kv.Value.Count} (ARR {Money(kv.Value.Arr)})")) +
                ". Downside loses high_risk and exposed accounts; upside renews every account except high_risk ones in full.",
        };
        lines.AddRange(f.Accounts.Select(a =>
            $"- {a.Name} [{a.Id}] ARR {Money(a.Arr)}, renews {Date(a.RenewalDate)}: p {Frac(a.Probability)} ({a.Reason}); {a.ScenarioNote}"));
        if (f.Movers.Count > 0)
            lines.Add("Accounts that move the range most (upside minus downside): " +
                string.Join(", ", f.Movers.Select(m => $"{m.Name} [{m.Id}] {Money(m.Swing)}")) + ".");
        if (f.Accounts.Count < f.Total) lines.Add($"Showing {f.Accounts.Count} of {f.Total} accounts; the totals cover all.");
        return string.Join("\n", lines);
    }

    private static decimal? Share(decimal part, decimal whole) => whole == 0m ? null : part / whole;
}

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

public sealed record ForecastMoverDto(
    string Id,
    string Name,
    [property: Description("ARR at as_of: the ARR due at this renewal")] decimal Arr,
    DateOnly RenewalDate,
    [property: Description("steady, exposed or high_risk: where the account sits in the scenarios")] ScenarioRole ScenarioRole,
    [property: Description("arr x downside_probability")] decimal Downside,
    [property: Description("arr x probability")] decimal Base,
    [property: Description("arr x upside_probability")] decimal Upside,
    [property: Description("upside - downside: how far this account moves the range")] decimal Swing,
    [property: Description("what moves the account between scenarios")] string ScenarioNote);

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
    [property: Description("count and ARR due per scenario role")] IReadOnlyDictionary<string, CountAndArr> ByScenarioRole,
    [property: Description("the accounts that move the range most, of all those renewing (not only the listed ones): largest swing (upside - downside) first, then larger ARR, then id; at most 5, none whose upside equals its downside")] IReadOnlyList<ForecastMoverDto> Movers,
    [property: Description("lowest probability first; at most limit of them (the totals cover all)")] IReadOnlyList<ForecastAccountDto> Accounts,
    ProbabilityTableDto ProbabilityTable);
