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

/// <summary>retention_metrics: NRR, GRR and logo retention over a period, from the ARR-movement ledger.</summary>
[McpServerToolType]
public sealed class RetentionMetricsTool(ValueService service, ILogger<RetentionMetricsTool> logger)
{
    [McpMeta("ui", JsonValue = PortfolioApp.ToolMetaJson)]
    [McpMeta(PortfolioApp.LegacyMetaKey, PortfolioApp.Uri)]
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
            return Answer(service, start, end, groupBy, asOf);
        }, Render);

    public static IReadOnlyList<string> Benchmarks { get; } =
    [
        "enterprise NRR above 1.20 is best in class",
        "mid-market NRR 1.10-1.20 is strong",
        "SMB NRR 1.00-1.10 is healthy",
        "median B2B SaaS NRR is 1.01 (2026)",
    ];

    public static IReadOnlyDictionary<string, string> RetentionDefinitions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["period"] = "[period_start, period_end): movements dated on period_start count, movements dated on period_end do not",
        ["cohort"] = "accounts active just before period_start (ARR from movements dated before it above 0); new logos of the period are excluded",
        ["nrr"] = "(S + E - C - X) / S: starting ARR plus expansion minus contraction minus churned ARR, over starting ARR",
        ["grr"] = "(S - C - X) / S, never above 1",
        ["logo_retention"] = "cohort accounts still active from movements dated before period_end / cohort accounts",
    };

    /// <summary>Retention over [start, end), counting movements dated on or before asOf only.</summary>
    public static RetentionResult Answer(ValueService values, DateOnly start, DateOnly end, RetentionGrouping groupBy, DateOnly asOf)
    {
        if (start >= end)
            throw new InputException($"period_end: {FactReader.Iso(end)} must be after period_start {FactReader.Iso(start)} (the period is [period_start, period_end), end excluded)");
        if (asOf < start)
            throw new InputException($"as_of: {FactReader.Iso(asOf)} is before period_start {FactReader.Iso(start)}: the period has not started at as_of; pass a later as_of or an earlier period");
        var measuredEnd = end <= asOf ? end : asOf.AddDays(1);
        RetentionReport report;
        using (var ledgers = values.Store.Ledgers(measuredEnd.AddDays(-1)))
            report = Scoring.Retention.Measure(ledgers, new RetentionPeriod(start, measuredEnd), groupBy);
        return new RetentionResult(start, end, asOf, measuredEnd.AddDays(-1), measuredEnd == end, groupBy,
            Row(report.Total), report.Rows.Select(Row).ToList(), RetentionDefinitions, Benchmarks);
    }

    public static RetentionRowDto Row(RetentionRow r) => new(r.Group, r.StartingArr, r.Expansion, r.ExpansionByLane, r.ExpandingLogosByLane,
        r.Contraction, r.Churn, r.EndingArr, r.Nrr, r.Grr, r.LogosStart, r.LogosRetained, r.LogoRetention, r.NewLogos, r.NewLogoArr);

    public static string Line(RetentionRowDto r) =>
        $"NRR {Ratio(r.Nrr)}, GRR {Ratio(r.Grr)}, logo retention {Ratio(r.LogoRetention)} ({r.LogosRetained} of {r.LogosStart}); " +
        $"starting ARR {Money(r.StartingArr)} + expansion {Money(r.Expansion)} - contraction {Money(r.Contraction)} - churn {Money(r.Churn)} = {Money(r.EndingArr)}" +
        (r.NewLogos > 0 ? $"; {r.NewLogos} new logos ({Money(r.NewLogoArr)}) excluded" : "");

    public static string Render(RetentionResult r)
    {
        var lines = new List<string>
        {
            $"Retention {Date(r.PeriodStart)} to {Date(r.PeriodEnd)} (end excluded){(r.Complete ? "" : $", to date: measured through {Date(r.MeasuredThrough)}")}, grouped by {N(r.GroupBy)}.",
            $"All: {Line(r.Total)}.",
        };
        var lanes = r.Total.ExpansionByLane.Where(kv => kv.Value != 0m).Select(kv => $"{(kv.Key.Length == 0 ? "(no lane)" : kv.Key)} {Money(kv.Value)}").ToList();
        if (lanes.Count > 0) lines.Add("Expansion by lane: " + string.Join(", ", lanes) + ".");
        if (r.GroupBy != RetentionGrouping.None)
            lines.AddRange(r.Rows.Select(row => $"- {(row.Group.Length == 0 ? "(none)" : row.Group)}: {Line(row)}"));
        lines.Add("NRR = (S + E - C - X) / S over the accounts active before the period; GRR = (S - C - X) / S, at most 100%. Benchmarks: " +
            string.Join("; ", r.Benchmarks) + ".");
        return string.Join("\n", lines);
    }
}

// Kept apart from Scoring.RetentionRow: the schema describes every field (descriptions Scoring does not carry).
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
