using System.ComponentModel;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Store;
using static ValueMcp.Server.App.Text;

namespace ValueMcp.Server.Tools;

/// <summary>segment_insights: portfolio patterns a per-account view hides, each a statement with its numbers.</summary>
[McpServerToolType]
public sealed class SegmentInsightsTool(ValueService service, ILogger<SegmentInsightsTool> logger)
{
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
        [Description(ParameterDocs.CohortYearDoc)] string? cohort_year = null,
        [Description(ParameterDocs.CohortQuarterDoc)] string? cohort_quarter = null,
        [Description(ParameterDocs.AsOfDoc)] string? as_of = null) =>
        ToolResults.Run(logger, "segment_insights", () =>
        {
            var asOf = service.AsOf(as_of);
            var filter = Inputs.Filter(service.Known(asOf), segment, tier, csm, lifecycle_stage, band, readiness, renewal_flag, renewal_within_days, min_arr, cohort_year, cohort_quarter);
            return Answer(service, asOf, filter);
        }, Render);

    public static SegmentInsightsResult Answer(ValueService values, DateOnly asOf, PortfolioFilter filter)
    {
        var accounts = values.Portfolio(asOf, filter);
        var insights = Scoring.Insights.Of(accounts.ToList(), values.Policy);
        return new SegmentInsightsResult(asOf, Shape.Filters(filter), accounts.Count, accounts.Sum(a => a.Arr),
            insights.Select(i => new InsightDto(i.Kind, i.Group, i.Statement, i.Numbers)).ToList());
    }

    public static string Render(SegmentInsightsResult r) => string.Join("\n",
        new[] { $"Segment insights as of {Date(r.AsOf)} ({Filters(r.Filters)}): {r.AccountCount} accounts, ARR {Money(r.ArrManaged)}." }
            .Concat(r.Insights.GroupBy(i => i.Kind).SelectMany(g =>
                new[] { $"{g.Key}:" }.Concat(g.Select(i => "- " + i.Statement)))));
}

// Kept apart from Scoring.Insight: the schema describes every field.
public sealed record InsightDto(
    [property: Description("low_fulfilment_by_segment, low_fulfilment_by_csm, expansion_ready_by_segment, renewal_risk_by_fulfilment_band, ttfv_breach_by_segment")] string Kind,
    [property: Description("the segment, CSM or band the insight is about")] string Group,
    [property: Description("one sentence quoting the numbers")] string Statement,
    [property: Description("the numbers behind the statement (counts, ARR, shares as fractions)")] IReadOnlyDictionary<string, decimal> Numbers);

public sealed record SegmentInsightsResult(DateOnly AsOf, FiltersDto Filters, int AccountCount, decimal ArrManaged, IReadOnlyList<InsightDto> Insights);
