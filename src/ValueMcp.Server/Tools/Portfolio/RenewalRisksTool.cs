using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using static ValueMcp.Server.App.Text;

namespace ValueMcp.Server.Tools;

/// <summary>list_renewal_risks: the accounts renewing in a window at or above a risk level, with the rule that fired.</summary>
[McpServerToolType]
public sealed class RenewalRisksTool(ValueService service, ILogger<RenewalRisksTool> logger)
{
    [McpServerTool(Name = "list_renewal_risks", Title = "Renewal risks", ReadOnly = true, OpenWorld = false,
        Idempotent = true, Destructive = false, UseStructuredContent = true, OutputSchemaType = typeof(RenewalRisksResult))]
    [Description("Accounts renewing within within_days whose renewal risk is at least min_risk, highest risk first, each with the rule that fired (flag, band, risk signals, overdue outcomes); plus the ARR renewing in the window by risk level. Answers 'what is our ARR at risk this quarter and why'.")]
    public CallToolResult ListRenewalRisks(
        [Description("Renewal window in days from as_of, 0-3650. Default 180. Renewal dates already passed are included.")] int? within_days = null,
        [Description("Lowest risk level to list: low, medium or high. Default low (every account with a risk).")] string? min_risk = null,
        [Description(ParameterDocs.SegmentDoc)] string? segment = null,
        [Description(ParameterDocs.TierDoc)] string? tier = null,
        [Description(ParameterDocs.CsmDoc)] string? csm = null,
        [Description(ParameterDocs.StageDoc)] string? lifecycle_stage = null,
        [Description(ParameterDocs.BandDoc)] string? band = null,
        [Description(ParameterDocs.ReadinessDoc)] string? readiness = null,
        [Description(ParameterDocs.FlagDoc)] string? renewal_flag = null,
        [Description(ParameterDocs.MinArrDoc)] decimal? min_arr = null,
        [Description(ParameterDocs.CohortYearDoc)] string? cohort_year = null,
        [Description(ParameterDocs.CohortQuarterDoc)] string? cohort_quarter = null,
        [Description("Most accounts to list, 1-200. Default 25. Totals cover all.")] int? limit = null,
        [Description(ParameterDocs.AsOfDoc)] string? as_of = null) =>
        ToolResults.Run(logger, "list_renewal_risks", () =>
        {
            var asOf = service.AsOf(as_of);
            var filter = Inputs.Filter(service.Known(asOf), segment, tier, csm, lifecycle_stage, band, readiness, renewal_flag, null, min_arr, cohort_year, cohort_quarter);
            var minRisk = Inputs.Enum<RenewalRisk>(min_risk, "min_risk") ?? RenewalRisk.Low;
            if (minRisk == RenewalRisk.None) throw new InputException("min_risk: accepted: low, medium, high");
            return Answer(service, asOf, filter, Inputs.Days(within_days, "within_days", 180), minRisk, Inputs.Limit(limit));
        }, Render);

    public static RenewalRisksResult Answer(ValueService service, DateOnly asOf, PortfolioFilter filter, int withinDays, RenewalRisk minRisk, int limit)
    {
        var scored = service.Scored(asOf);
        var renewing = scored.Select(filter).Where(a => a.DaysToRenewal <= withinDays).ToList();
        var listed = scored.Ordered("renewal_risk", RiskOrder)
            .Where(a => a.Risk.Value != RenewalRisk.None && a.Risk.Value >= minRisk && a.DaysToRenewal <= withinDays && filter.Matches(a))
            .ToList();
        decimal ArrOf(RenewalRisk r) => renewing.Where(a => a.Risk.Value == r).Sum(a => a.Arr);
        return new RenewalRisksResult(asOf, Shape.Filters(filter), withinDays, minRisk, listed.Count,
            listed.Take(limit).Select(service.Explain).Select(a => new RiskAccount(AccountCard.Of(a, service.Policy)) { Risk = a.Risk.Value, RiskReasons = a.Risk.Reason }).ToList(),
            new RiskArr(ArrOf(RenewalRisk.High), ArrOf(RenewalRisk.Medium), ArrOf(RenewalRisk.Low)));
    }

    /// <summary>Highest risk first, then the soonest renewal, then the largest ARR, then id.</summary>
    private static int RiskOrder(AccountScore x, AccountScore y)
    {
        var c = y.Risk.Value.CompareTo(x.Risk.Value);
        if (c == 0) c = x.DaysToRenewal.CompareTo(y.DaysToRenewal);
        if (c == 0) c = y.Arr.CompareTo(x.Arr);
        return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
    }

    public static string Render(RenewalRisksResult r) => string.Join("\n",
        new[]
        {
            $"Renewal risks as of {Date(r.AsOf)}, renewing within {r.WithinDays} days ({Filters(r.Filters)}): {r.Total} accounts at {N(r.MinRisk)} risk or above.",
            $"ARR by risk: high {Money(r.ArrByRisk.High)}, medium {Money(r.ArrByRisk.Medium)}, low {Money(r.ArrByRisk.Low)}.",
        }
        .Concat(r.Accounts.Select(a => AccountCard.Line(a) + $" | risk: {a.RiskReasons}")));
}

public sealed record RiskAccount : AccountCard
{
    [SetsRequiredMembers] public RiskAccount(AccountCard card) : base(card) { }
    public RenewalRisk Risk { get; init; } = default!;
    public string RiskReasons { get; init; } = default!;
}

public sealed record RiskArr(decimal High, decimal Medium, decimal Low);

public sealed record RenewalRisksResult(
    DateOnly AsOf, FiltersDto Filters, int WithinDays, RenewalRisk MinRisk, int Total,
    IReadOnlyList<RiskAccount> Accounts,
    [property: Description("ARR of the accounts renewing within within_days (and matching the filters) by risk level")] RiskArr ArrByRisk);
