using System.ComponentModel;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Server.Ui;
using static ValueMcp.Server.App.Text;

namespace ValueMcp.Server.Tools;

/// <summary>get_portfolio_health: the four KPIs and the breakdowns over the active accounts matching the filters.</summary>
[McpServerToolType]
public sealed class PortfolioHealthTool(ValueService service, ILogger<PortfolioHealthTool> logger)
{
    [McpServerTool(Name = "get_portfolio_health", Title = "Portfolio health (KPIs)", ReadOnly = true, OpenWorld = false,
        Idempotent = true, Destructive = false, UseStructuredContent = true, OutputSchemaType = typeof(PortfolioHealthResult))]
    [McpMeta("ui", JsonValue = PortfolioApp.ToolMetaJson)]
    [McpMeta(PortfolioApp.LegacyMetaKey, PortfolioApp.Uri)]
    [Description("The four portfolio KPIs over the active accounts matching the filters: ARR managed, share on track, expansion-ready accounts and their ARR, and ARR at risk (bands at_risk + critical); plus ARR without a value contract, ARR renewing in 90/180 days, and counts and ARR per band, readiness, renewal flag, lifecycle stage and segment; the fulfilment distribution (tenths of fulfilment, no_contract apart) and the renewals by month from as_of's month (count and ARR per renewal risk; renewal dates already passed apart). Start here for 'how is the portfolio doing'; drill down with list_accounts.")]
    public CallToolResult GetPortfolioHealth(
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
        [Description(ParameterDocs.AsOfDoc)] string? as_of = null) =>
        ToolResults.Run(logger, "get_portfolio_health", () =>
        {
            var scored = service.Scored(service.AsOf(as_of));
            var filter = Inputs.Filter(scored.Known, segment, tier, csm, lifecycle_stage, band, readiness, renewal_flag, renewal_within_days, min_arr, cohort_year, cohort_quarter);
            return Answer(service, scored, filter);
        }, Render);

    public static PortfolioHealthResult Answer(ValueService service, DateOnly asOf, PortfolioFilter filter) => Answer(service, service.Scored(asOf), filter);

    /// <summary>The answer from one scored portfolio (one check of the store's data version for the whole answer).</summary>
    public static PortfolioHealthResult Answer(ValueService service, ScoredPortfolio scored, PortfolioFilter filter)
    {
        var asOf = scored.AsOf;
        var health = scored.Health(filter);
        var accounts = scored.Select(filter);
        var calendar = PortfolioShape.RenewalsByMonth(accounts, asOf);
        return new PortfolioHealthResult(asOf, Shape.Filters(filter), Shape.Kpis(health.Kpis),
            Shape.Breakdown(health.ByBand), Shape.Breakdown(health.ByReadiness), Shape.Breakdown(health.ByRenewalFlag),
            Shape.Breakdown(health.ByLifecycleStage),
            health.BySegment.Select(s => new SegmentKpisDto(s.Segment, Shape.Kpis(s.Kpis))).ToList(),
            PortfolioShape.FulfilmentDistribution(accounts, service.Policy),
            Due(calendar.Passed),
            calendar.Months.Select(m => new RenewalMonthDto(m.Month, m.From, m.To, m.Due.Count, m.Due.Arr, Shape.Breakdown(m.Due.ByRisk))).ToList());
    }

    private static RenewalsDueDto Due(RenewalsDue d) => new(d.Count, d.Arr, Shape.Breakdown(d.ByRisk));

    public static string Render(PortfolioHealthResult h) => string.Join("\n",
        $"Portfolio health as of {Date(h.AsOf)} ({Filters(h.Filters)}):",
        Kpis(h.Kpis) + ".",
        $"Bands: {Counts(h.ByBand)}. Readiness: {Counts(h.ByReadiness)}. Renewal flags: {Counts(h.ByRenewalFlag)}.",
        "By segment: " + string.Join("; ", h.BySegment.Select(s =>
            $"{(s.Segment.Length == 0 ? "(none)" : s.Segment)} {s.Kpis.AccountCount} accounts, ARR {Money(s.Kpis.ArrManaged)}, on track {Pct(s.Kpis.OnTrackPct)}, at risk {Money(s.Kpis.ArrAtRisk)}")),
        "Fulfilment: " + string.Join(", ", h.FulfilmentDistribution.Where(r => r.Count > 0).Select(r => $"{r.Range} {r.Count}")) + ".",
        $"Renewals: passed and still open {h.RenewalsPassed.Count} (ARR {Money(h.RenewalsPassed.Arr)}); " +
            string.Join(", ", h.RenewalsByMonth.Select(m => $"{m.Month} {m.Count} (ARR {Money(m.Arr)}, high risk {m.ByRisk["high"].Count})")) + ".");
}

public sealed record SegmentKpisDto(string Segment, KpisDto Kpis);

public sealed record PortfolioHealthResult(
    DateOnly AsOf,
    FiltersDto Filters,
    KpisDto Kpis,
    IReadOnlyDictionary<string, CountAndArr> ByBand,
    IReadOnlyDictionary<string, CountAndArr> ByReadiness,
    IReadOnlyDictionary<string, CountAndArr> ByRenewalFlag,
    IReadOnlyDictionary<string, CountAndArr> ByLifecycleStage,
    IReadOnlyList<SegmentKpisDto> BySegment,
    [property: Description("accounts by tenth of fulfilment, range [low, high) (1.0 in the last), with the band of its low end under the policy; no_contract apart (low and high null)")] IReadOnlyList<FulfilmentRange> FulfilmentDistribution,
    [property: Description("renewal dates before as_of of accounts still active (neither renewed nor churned): count, ARR and per renewal risk")] RenewalsDueDto RenewalsPassed,
    [property: Description("renewals per calendar month from as_of's month (from as_of on) through the sixth month after it: count, ARR and per renewal risk (none beyond the 180-day risk horizon)")] IReadOnlyList<RenewalMonthDto> RenewalsByMonth);

// Kept apart from Scoring.RenewalsDue and RenewalMonth: the per-risk keys are wire names (the enum dictionary would not be).
public sealed record RenewalsDueDto(int Count, decimal Arr, IReadOnlyDictionary<string, CountAndArr> ByRisk);

public sealed record RenewalMonthDto(
    [property: Description("yyyy-MM")] string Month,
    [property: Description("first renewal date counted (as_of in as_of's month)")] DateOnly From,
    [property: Description("last renewal date counted (the month's last day)")] DateOnly To,
    int Count, decimal Arr, IReadOnlyDictionary<string, CountAndArr> ByRisk);
