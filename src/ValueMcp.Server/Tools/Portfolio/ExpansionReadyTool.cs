using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using static ValueMcp.Server.App.Text;

namespace ValueMcp.Server.Tools;

/// <summary>expansion_ready_accounts: the ready (and optionally emerging) accounts with their suggested lane.</summary>
[McpServerToolType]
public sealed class ExpansionReadyTool(ValueService service, ILogger<ExpansionReadyTool> logger)
{
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
        [Description(ParameterDocs.CohortYearDoc)] string? cohort_year = null,
        [Description(ParameterDocs.CohortQuarterDoc)] string? cohort_quarter = null,
        [Description("Most accounts to list, 1-200. Default 25. Totals cover all.")] int? limit = null,
        [Description(ParameterDocs.AsOfDoc)] string? as_of = null) =>
        ToolResults.Run(logger, "expansion_ready_accounts", () =>
        {
            var asOf = service.AsOf(as_of);
            var filter = Inputs.Filter(service.Known(asOf), segment, tier, csm, lifecycle_stage, band, null, renewal_flag, renewal_within_days, min_arr, cohort_year, cohort_quarter);
            return Answer(service, asOf, filter, include_emerging ?? false, Inputs.Limit(limit));
        }, Render);

    public static ExpansionResult Answer(ValueService service, DateOnly asOf, PortfolioFilter filter, bool includeEmerging, int limit)
    {
        var scored = service.Scored(asOf);
        var accounts = scored.Select(filter);
        var listed = scored.Ordered("expansion", ExpansionOrder)
            .Where(a => (a.Readiness.Value == Readiness.Ready || (includeEmerging && a.Readiness.Value == Readiness.Emerging)) && filter.Matches(a))
            .ToList();
        return new ExpansionResult(asOf, Shape.Filters(filter), includeEmerging, listed.Count,
            listed.Take(limit).Select(service.Explain).Select(a =>
            {
                var lane = a.Lane ?? AccountScoring.SuggestLane(a.Facts.Recent);
                return new ExpansionAccount(AccountCard.Of(a, service.Policy) with { Lane = lane.Lane }) { LaneReasons = lane.Reason, Timing = lane.Timing };
            }).ToList(),
            accounts.Where(a => a.Readiness.Value == Readiness.Ready).Sum(a => a.Arr),
            accounts.Where(a => a.Readiness.Value == Readiness.Emerging).Sum(a => a.Arr));
    }

    /// <summary>Ready before emerging (then the rest), then the largest ARR, then id.</summary>
    private static int ExpansionOrder(AccountScore x, AccountScore y)
    {
        var c = Scoring.Portfolio.ReadinessRank(x.Readiness.Value).CompareTo(Scoring.Portfolio.ReadinessRank(y.Readiness.Value));
        if (c == 0) c = y.Arr.CompareTo(x.Arr);
        return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
    }

    public static string Render(ExpansionResult r) => string.Join("\n",
        new[]
        {
            $"Expansion as of {Date(r.AsOf)} ({Filters(r.Filters)}): {r.Total} accounts{(r.IncludeEmerging ? " ready or emerging" : " ready")}; ready ARR {Money(r.ExpansionReadyArr)}{(r.IncludeEmerging ? $", emerging ARR {Money(r.EmergingArr)}" : "")}.",
        }
        .Concat(r.Accounts.Select(a => $"- {a.Name} [{a.Id}] ARR {Money(a.Arr)}, {N(a.Readiness)}, lane {(a.Lane is { } l ? N(l) : "modules")} ({a.Timing}): {a.LaneReasons}")));
}

public sealed record ExpansionAccount : AccountCard
{
    [SetsRequiredMembers] public ExpansionAccount(AccountCard card) : base(card) { }
    public string LaneReasons { get; init; } = default!;
    public string Timing { get; init; } = default!;
}

public sealed record ExpansionResult(
    DateOnly AsOf, FiltersDto Filters, bool IncludeEmerging, int Total,
    IReadOnlyList<ExpansionAccount> Accounts,
    [property: Description("ARR of the accounts with readiness ready in the filtered set")] decimal ExpansionReadyArr,
    decimal EmergingArr);
