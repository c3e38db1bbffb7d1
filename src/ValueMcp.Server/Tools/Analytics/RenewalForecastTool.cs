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
    [Description("For the active accounts (matching the filters) whose renewal date falls in [period_start, period_end): the ARR due and a range of renewed ARR (downside <= base <= upside), from per-account renewal probabilities given by the policy's probability table (renewal risk, band, engagement, risk signals), or with probabilities=measured by the table measured on the renewals of the past year (each cell's observed renewal rate where it has enough renewals; the answer names the table and each cell's count); a probability override replaces an account's probability, the computed one kept beside it. Each account comes with its probability, the table cells that produced it, its downside/base/upside amounts and what would move it between scenarios. Probabilities, not certainties: state the range and name the accounts that move it.")]
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
        [Description("Which probability table: policy (default: the policy's table) or measured (each cell, renewal risk x band, set from the backtest of the renewals dated in the measured_lookback_days before as_of when it has at least measured_min_count of them; the others keep the policy's). The answer says which table it used.")] string? probabilities = null,
        [Description(ParameterDocs.AsOfDoc)] string? as_of = null) =>
        ToolResults.Run(logger, "renewal_forecast", () =>
        {
            var asOf = service.AsOf(as_of);
            var start = Inputs.Date(Inputs.RequiredText(period_start, "period_start"), "period_start", default);
            var end = Inputs.Date(Inputs.RequiredText(period_end, "period_end"), "period_end", default);
            var filter = Inputs.Filter(service.Known(asOf), segment, tier, csm, lifecycle_stage, band, readiness, renewal_flag, renewal_within_days, min_arr, cohort_year, cohort_quarter);
            var measured = (probabilities?.Trim().ToLowerInvariant()) switch
            {
                null or "" or "policy" => false,
                "measured" => true,
                _ => throw new InputException($"probabilities: \"{Inputs.Show(probabilities)}\" is not accepted; accepted: policy, measured"),
            };
            return Answer(service, start, end, filter, asOf, Inputs.Limit(limit, Inputs.MaxLimit), measured);
        }, Render);

    /// <summary>Renewals dated in [start, end) among the accounts active at asOf that match the filter.</summary>
    public static RenewalForecastResult Answer(ValueService values, DateOnly start, DateOnly end, PortfolioFilter filter, DateOnly asOf, int limit, bool measured = false)
    {
        if (start >= end)
            throw new InputException($"period_end: {FactReader.Iso(end)} must be after period_start {FactReader.Iso(start)} (renewals dated in [period_start, period_end) are forecast)");
        var renewing = values.Portfolio(asOf, filter).Where(a => a.Profile.RenewalDate >= start && a.Profile.RenewalDate < end).Select(values.Explain);
        var table = measured ? Measured(values, asOf) : null;
        var forecast = Forecast.Of(renewing, values.Policy, table);
        var byRole = Enum.GetValues<ScenarioRole>().ToDictionary(Wire.Name, r =>
        {
            var inRole = forecast.Accounts.Where(f => f.Odds.Role == r).ToList();
            return new CountAndArr(inRole.Count, inRole.Sum(f => f.Arr));
        });
        return new RenewalForecastResult(asOf, start, end, Shape.Filters(filter), forecast.Accounts.Count,
            forecast.ArrDue, forecast.Downside, forecast.Base, forecast.Upside, byRole,
            Forecast.Movers(forecast).Select(Mover).ToList(),
            forecast.Accounts.Take(limit).Select(ForecastAccount).ToList(), ProbabilityTable(values.Policy))
        {
            Probabilities = table is null ? "policy: the probability table of the policy in force (probability_table)" : table.Describe(),
            MeasuredTable = table,
        };
    }

    /// <summary>The measured table at asOf: the renewals dated in the lookback before asOf, backtested with the policy's horizon.</summary>
    public static MeasuredTable Measured(ValueService values, DateOnly asOf)
    {
        var p = values.Policy;
        var from = asOf.AddDays(-p.MeasuredLookbackDays);
        var (rows, _) = ForecastAccuracyTool.Run(values, from, asOf, p.ForecastHorizonDays, asOf);
        return Backtest.Measure(rows, from, asOf, p.ForecastHorizonDays, p);
    }

    private static ForecastAccountDto ForecastAccount(ForecastAccount f)
    {
        var a = f.Account;
        return new ForecastAccountDto(a.Id, a.Profile.Name, a.Profile.Segment, a.Profile.Csm, f.Arr, a.Profile.RenewalDate, a.DaysToRenewal,
            a.Band.Value, a.Risk.Value, a.Engagement, f.Odds.Probability, f.Odds.ComputedProbability, a.Facts.Renewal?.State ?? RenewalState.Open, f.Odds.DownsideProbability, f.Odds.UpsideProbability, f.Odds.Role,
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
                $"{f.Total} accounts, ARR due {Money(f.ArrDue)}. Probabilities: {f.Probabilities}.",
            $"Renewed ARR: downside {Money(f.Downside)}, base {Money(f.Base)}, upside {Money(f.Upside)} " +
                $"({Ratio(Share(f.Downside, f.ArrDue))} / {Ratio(Share(f.Base, f.ArrDue))} / {Ratio(Share(f.Upside, f.ArrDue))} of ARR due).",
            "Scenario roles: " + string.Join(", ", f.ByScenarioRole.Select(kv => $"{kv.Key} {kv.Value.Count} (ARR {Money(kv.Value.Arr)})")) +
                ". Downside loses high_risk and exposed accounts; upside renews every account except high_risk ones in full.",
        };
        lines.AddRange(f.Accounts.Select(a =>
            $"- {a.Name} [{a.Id}] ARR {Money(a.Arr)}, renews {Date(a.RenewalDate)}{(a.RenewalState == RenewalState.Open ? "" : $" ({N(a.RenewalState)})")}: p {Frac(a.Probability)} ({a.Reason}); {a.ScenarioNote}"));
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
    [property: Description("renewal probability in force, 0..1: the table's, or a probability override")] decimal Probability,
    [property: Description("the probability the table gave (equal to probability without an override)")] decimal ComputedProbability,
    [property: Description("open, overdue_renewal (its date passed with no outcome recorded), renewed or churned")] RenewalState RenewalState,
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
    ProbabilityTableDto ProbabilityTable)
{
    [Description("which probability table the probabilities come from: policy, or measured (with its renewals, period and horizon)")]
    public string Probabilities { get; init; } = "";

    [Description("with probabilities measured: every cell (renewal risk x band) with its renewals, how many renewed, its rate and whether it was used")]
    public MeasuredTable? MeasuredTable { get; init; }
}
