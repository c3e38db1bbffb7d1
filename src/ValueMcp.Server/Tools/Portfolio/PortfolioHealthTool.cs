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
    [Description("The four portfolio KPIs over the active accounts matching the filters: ARR managed, share on track, expansion-ready accounts and their ARR, and ARR at risk (bands at_risk + critical); plus ARR without a value contract, ARR renewing in 90/180 days, and counts and ARR per band, readiness, renewal flag, lifecycle stage and segment. Start here for 'how is the portfolio doing'; drill down with list_accounts.")]
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
        [Description(ParameterDocs.AsOfDoc)] string? as_of = null) =>
        ToolResults.Run(logger, "get_portfolio_health", () =>
        {
            var asOf = service.AsOf(as_of);
            var filter = Inputs.Filter(service.Known(asOf), segment, tier, csm, lifecycle_stage, band, readiness, renewal_flag, renewal_within_days, min_arr);
            return Answer(service, asOf, filter);
        }, Render);

    public static PortfolioHealthResult Answer(ValueService service, DateOnly asOf, PortfolioFilter filter)
    {
        var health = service.Scored(asOf).Health(filter);
        return new PortfolioHealthResult(asOf, Shape.Filters(filter), Shape.Kpis(health.Kpis),
            Shape.Breakdown(health.ByBand), Shape.Breakdown(health.ByReadiness), Shape.Breakdown(health.ByRenewalFlag),
            Shape.Breakdown(health.ByLifecycleStage),
            health.BySegment.Select(s => new SegmentKpisDto(s.Segment, Shape.Kpis(s.Kpis))).ToList());
    }

    public static string Render(PortfolioHealthResult h) => string.Join("\n",
        $"Portfolio health as of {Date(h.AsOf)} ({Filters(h.Filters)}):",
        Kpis(h.Kpis) + ".",
        $"Bands: {Counts(h.ByBand)}. Readiness: {Counts(h.ByReadiness)}. Renewal flags: {Counts(h.ByRenewalFlag)}.",
        "By segment: " + string.Join("; ", h.BySegment.Select(s =>
            $"{(s.Segment.Length == 0 ? "(none)" : s.Segment)} {s.Kpis.AccountCount} accounts, ARR {Money(s.Kpis.ArrManaged)}, on track {Pct(s.Kpis.OnTrackPct)}, at risk {Money(s.Kpis.ArrAtRisk)}")));
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
    IReadOnlyList<SegmentKpisDto> BySegment);
