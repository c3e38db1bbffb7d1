using System.ComponentModel;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Server.Ui;

namespace ValueMcp.Server.Tools;

/// <summary>The read tools over the portfolio. Each is: check arguments, ask the service, render.</summary>
[McpServerToolType]
public sealed class PortfolioTools(ValueService service, ILogger<PortfolioTools> logger)
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
            return service.Health(asOf, filter);
        }, Text.Health);

    [McpServerTool(Name = "list_accounts", Title = "List account cards", ReadOnly = true, OpenWorld = false,
        Idempotent = true, Destructive = false, UseStructuredContent = true, OutputSchemaType = typeof(AccountListResult))]
    [McpMeta("ui", JsonValue = PortfolioApp.ToolMetaJson)]
    [McpMeta(PortfolioApp.LegacyMetaKey, PortfolioApp.Uri)]
    [Description("Account cards (ARR, fulfilment and band, outcomes promised/evidenced/overdue, readiness and lane, renewal date, flag and risk, lifecycle stage, next recommended action with its reason) for the active accounts matching the filters, sorted and paged. Use next_cursor to page.")]
    public CallToolResult ListAccounts(
        [Description(ParameterDocs.SegmentDoc)] string? segment = null,
        [Description(ParameterDocs.TierDoc)] string? tier = null,
        [Description(ParameterDocs.CsmDoc)] string? csm = null,
        [Description(ParameterDocs.StageDoc)] string? lifecycle_stage = null,
        [Description(ParameterDocs.BandDoc)] string? band = null,
        [Description(ParameterDocs.ReadinessDoc)] string? readiness = null,
        [Description(ParameterDocs.FlagDoc)] string? renewal_flag = null,
        [Description(ParameterDocs.WithinDoc)] int? renewal_within_days = null,
        [Description(ParameterDocs.MinArrDoc)] decimal? min_arr = null,
        [Description("Sort key: arr (default, largest first), fulfilment (lowest first; no_contract always last), readiness (ready, emerging, not_ready, blocked), renewal_date (soonest first). Ties are broken by account id.")] string? sort_by = null,
        [Description("true or false to set the sort direction explicitly; left out, each key uses its default direction.")] bool? descending = null,
        [Description("Page size, 1-200. Default 25.")] int? limit = null,
        [Description("The next_cursor of a previous answer, to get the next page. Leave out for the first page.")] string? cursor = null,
        [Description(ParameterDocs.AsOfDoc)] string? as_of = null) =>
        ToolResults.Run(logger, "list_accounts", () =>
        {
            var asOf = service.AsOf(as_of);
            var filter = Inputs.Filter(service.Known(asOf), segment, tier, csm, lifecycle_stage, band, readiness, renewal_flag, renewal_within_days, min_arr);
            var sort = Inputs.Enum<SortKey>(sort_by, "sort_by") ?? SortKey.Arr;
            return service.List(asOf, filter, sort, descending, Inputs.Limit(limit), Inputs.Offset(cursor));
        }, Text.List);

    [McpServerTool(Name = "get_account_scorecard", Title = "Account scorecard", ReadOnly = true, OpenWorld = false,
        Idempotent = true, Destructive = false, UseStructuredContent = true, OutputSchemaType = typeof(ScorecardResult))]
    [Description("One account in full: its card, every promised outcome with its evidence (confidence, progress, overdue, exceeded), the signals of the recent window (90 days by default), the ARR ledger, milestones, the reasons behind band, readiness, risk and next action, and any human overrides next to the computed values.")]
    public CallToolResult GetAccountScorecard(
        [Description("The account id (the CRM key), as list_accounts shows it.")] string account_id,
        [Description(ParameterDocs.AsOfDoc)] string? as_of = null) =>
        ToolResults.Run(logger, "get_account_scorecard", () =>
        {
            var asOf = service.AsOf(as_of);
            return service.Scorecard(Inputs.RequiredText(account_id, "account_id"), asOf);
        }, Text.Scorecard);

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
        [Description("Most accounts to list, 1-200. Default 25. Totals cover all.")] int? limit = null,
        [Description(ParameterDocs.AsOfDoc)] string? as_of = null) =>
        ToolResults.Run(logger, "list_renewal_risks", () =>
        {
            var asOf = service.AsOf(as_of);
            var filter = Inputs.Filter(service.Known(asOf), segment, tier, csm, lifecycle_stage, band, readiness, renewal_flag, null, min_arr);
            var minRisk = Inputs.Enum<RenewalRisk>(min_risk, "min_risk") ?? RenewalRisk.Low;
            if (minRisk == RenewalRisk.None) throw new InputException("min_risk: accepted: low, medium, high");
            return service.RenewalRisks(asOf, filter, Inputs.Days(within_days, "within_days", 180), minRisk, Inputs.Limit(limit));
        }, Text.Risks);

    [McpServerTool(Name = "expansion_ready_accounts", Title = "Expansion-ready accounts", ReadOnly = true, OpenWorld = false,
        Idempotent = true, Destructive = false, UseStructuredContent = true, OutputSchemaType = typeof(ExpansionResult))]
    [Description("Accounts whose expansion readiness is ready (optionally also emerging), largest ARR first, each with the suggested lane (modules, data_integration, managed_services), the signal counts behind it and the typical timing; plus the ready ARR.")]
    public CallToolResult ExpansionReadyAccounts(
        [Description("Also list accounts whose readiness is emerging. Default false.")] bool? include_emerging = null,
        [Description(ParameterDocs.SegmentDoc)] string? segment = null,
        [Description(ParameterDocs.TierDoc)] string? tier = null,
        [Description(ParameterDocs.CsmDoc)] string? csm = null,
        [Description(ParameterDocs.StageDoc)] string? lifecycle_stage = null,
        [Description(ParameterDocs.BandDoc)] string? band = null,
        [Description(ParameterDocs.FlagDoc)] string? renewal_flag = null,
        [Description(ParameterDocs.WithinDoc)] int? renewal_within_days = null,
        [Description(ParameterDocs.MinArrDoc)] decimal? min_arr = null,
        [Description("Most accounts to list, 1-200. Default 25. Totals cover all.")] int? limit = null,
        [Description(ParameterDocs.AsOfDoc)] string? as_of = null) =>
        ToolResults.Run(logger, "expansion_ready_accounts", () =>
        {
            var asOf = service.AsOf(as_of);
            var filter = Inputs.Filter(service.Known(asOf), segment, tier, csm, lifecycle_stage, band, null, renewal_flag, renewal_within_days, min_arr);
            return service.Expansion(asOf, filter, include_emerging ?? false, Inputs.Limit(limit));
        }, Text.Expansion);

    [McpServerTool(Name = "portfolio_movers", Title = "Portfolio movers", ReadOnly = true, OpenWorld = false,
        Idempotent = true, Destructive = false, UseStructuredContent = true, OutputSchemaType = typeof(MoversResult))]
    [Description("What changed: active accounts whose band, readiness or renewal risk differs between since (or as_of minus days) and as_of, worst first (toward higher renewal risk, then a lower band, then lower readiness), with the before and after values, the causes (the facts that changed and drive it, with their numbers: a renewal entering the red or amber renewal window, risk signals new or aged out of the recent window, an outcome falling overdue, evidence moving fulfilment across a threshold, an override starting or expiring), the outcomes that fell overdue in between and the signals observed in between. For the weekly at-risk review.")]
    public CallToolResult PortfolioMovers(
        [Description("Compare against this date (ISO yyyy-MM-dd, before as_of). Overrides days.")] string? since = null,
        [Description("Compare against as_of minus this many days, 1-3650. Default 7.")] int? days = null,
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
        ToolResults.Run(logger, "portfolio_movers", () =>
        {
            var asOf = service.AsOf(as_of);
            var filter = Inputs.Filter(service.Known(asOf), segment, tier, csm, lifecycle_stage, band, readiness, renewal_flag, renewal_within_days, min_arr);
            var back = Inputs.Days(days, "days", 7, min: 1); // checked even when since is given
            var from = Inputs.OptionalDate(since, "since") ?? asOf.AddDays(-back);
            return service.Movers(from, asOf, filter);
        }, Text.Movers);

    [McpServerTool(Name = "csm_book", Title = "CSM book of business", ReadOnly = true, OpenWorld = false,
        Idempotent = true, Destructive = false, UseStructuredContent = true, OutputSchemaType = typeof(CsmBookResult))]
    [Description("One customer success manager's book: the KPIs over their active accounts, the accounts needing attention ordered by next-action priority (escalate renewal risk, establish value contract, capture missing evidence, schedule impact review, initiate expansion, request advocacy), then renewal risk (high first), then ARR, and the fulfilment distribution. For CSM coaching.")]
    public CallToolResult CsmBook(
        [Description("The CSM's name as stored (case-insensitive). An unknown name is an error listing the known ones.")] string csm,
        [Description(ParameterDocs.AsOfDoc)] string? as_of = null) =>
        ToolResults.Run(logger, "csm_book", () =>
        {
            var asOf = service.AsOf(as_of);
            var name = Inputs.Known(Inputs.RequiredText(csm, "csm"), "csm", service.Known(asOf).Csms)!;
            return service.CsmBook(name, asOf);
        }, Text.Book);
}
