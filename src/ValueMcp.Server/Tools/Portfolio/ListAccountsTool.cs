using System.ComponentModel;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Server.Ui;
using static ValueMcp.Server.App.Text;

namespace ValueMcp.Server.Tools;

/// <summary>list_accounts: the account cards of the filtered portfolio, sorted and paged.</summary>
[McpServerToolType]
public sealed class ListAccountsTool(ValueService service, ILogger<ListAccountsTool> logger)
{
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
        [Description(ParameterDocs.CohortYearDoc)] string? cohort_year = null,
        [Description(ParameterDocs.CohortQuarterDoc)] string? cohort_quarter = null,
        [Description("Sort key: arr (default, largest first), fulfilment (lowest first; no_contract always last), readiness (ready, emerging, not_ready, blocked), renewal_date (soonest first). Ties are broken by account id.")] string? sort_by = null,
        [Description("true or false to set the sort direction explicitly; left out, each key uses its default direction.")] bool? descending = null,
        [Description("Page size, 1-200. Default 25.")] int? limit = null,
        [Description("The next_cursor of a previous answer, to get the next page. Leave out for the first page.")] string? cursor = null,
        [Description(ParameterDocs.AsOfDoc)] string? as_of = null) =>
        ToolResults.Run(logger, "list_accounts", () =>
        {
            var asOf = service.AsOf(as_of);
            var filter = Inputs.Filter(service.Known(asOf), segment, tier, csm, lifecycle_stage, band, readiness, renewal_flag, renewal_within_days, min_arr, cohort_year, cohort_quarter);
            var sort = Inputs.Enum<SortKey>(sort_by, "sort_by") ?? SortKey.Arr;
            return Answer(service, asOf, filter, sort, descending, Inputs.Limit(limit), Inputs.Offset(cursor));
        }, Render);

    public static AccountListResult Answer(ValueService service, DateOnly asOf, PortfolioFilter filter, SortKey sortBy, bool? descending, int limit, int offset)
    {
        var sorted = service.Scored(asOf).Sorted(filter, sortBy, descending);
        if (offset > sorted.Count) throw new InputException($"cursor: points past the end of the listing ({sorted.Count} accounts); start again without a cursor");
        var page = Scoring.Portfolio.Paginate(sorted, offset, limit);
        return new AccountListResult(asOf, Shape.Filters(filter), sortBy, descending ?? sortBy == SortKey.Arr, page.Total,
            page.Items.Select(a => AccountCard.Of(service.Explain(a), service.Policy)).ToList(), page.NextOffset is int next ? Inputs.Cursor(next) : null);
    }

    public static string Render(AccountListResult r) => string.Join("\n",
        new[] { $"{r.Total} accounts as of {Date(r.AsOf)} ({Filters(r.Filters)}), sorted by {N(r.SortBy)} {(r.Descending ? "descending" : "ascending")}; showing {r.Accounts.Count}:" }
            .Concat(r.Accounts.Select(AccountCard.Line))
            .Concat(r.NextCursor is null ? [] : [$"More: pass cursor \"{r.NextCursor}\" for the next page."]));
}

public sealed record AccountListResult(
    DateOnly AsOf,
    FiltersDto Filters,
    SortKey SortBy,
    bool Descending,
    int Total,
    IReadOnlyList<AccountCard> Accounts,
    [property: Description("pass as cursor to get the next page; null on the last page")] string? NextCursor);
