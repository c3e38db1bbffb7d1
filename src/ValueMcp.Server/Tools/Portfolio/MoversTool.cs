using System.ComponentModel;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Store;
using static ValueMcp.Server.App.Text;

namespace ValueMcp.Server.Tools;

/// <summary>portfolio_movers: the accounts whose band, readiness or renewal risk changed between two dates, and why.</summary>
[McpServerToolType]
public sealed class MoversTool(ValueService service, ILogger<MoversTool> logger)
{
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
        [Description(ParameterDocs.CohortYearDoc)] string? cohort_year = null,
        [Description(ParameterDocs.CohortQuarterDoc)] string? cohort_quarter = null,
        [Description(ParameterDocs.AsOfDoc)] string? as_of = null) =>
        ToolResults.Run(logger, "portfolio_movers", () =>
        {
            var asOf = service.AsOf(as_of);
            var filter = Inputs.Filter(service.Known(asOf), segment, tier, csm, lifecycle_stage, band, readiness, renewal_flag, renewal_within_days, min_arr, cohort_year, cohort_quarter);
            var back = Inputs.Days(days, "days", 7, min: 1); // checked even when since is given
            var from = Inputs.OptionalDate(since, "since") ?? asOf.AddDays(-back);
            return Answer(service, from, asOf, filter);
        }, Render);

    public static MoversResult Answer(ValueService service, DateOnly since, DateOnly asOf, PortfolioFilter filter)
    {
        if (since >= asOf) throw new InputException($"since: {FactReader.Iso(since)} must be before as_of ({FactReader.Iso(asOf)})");
        var atA = service.Scored(since);
        var movers = Scoring.Movers.Between(atA.Find, service.Scored(asOf).All, service.Policy, filter);
        var newSignals = service.Store.Signals(movers.Select(m => m.After.Id), since, asOf);
        var shaped = movers.Select(m =>
        {
            var before = m.Before.Facts.OverdueOutcomes.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
            var fellBehind = m.After.Facts.OverdueOutcomes.Where(o => !before.Contains(o.Id))
                .Select(o => new OutcomeRefDto(o.Id, o.Title, o.DueDate)).ToList();
            var signals = newSignals[m.After.Id].Select(Shape.Signal).ToList();
            return new MoverDto(AccountCard.Of(service.Explain(m.After), service.Policy), m.BeforeState, m.AfterState, m.Changes, m.Causes, fellBehind, signals);
        }).ToList();
        return new MoversResult(since, asOf, Shape.Filters(filter), shaped.Count, shaped);
    }

    public static string Render(MoversResult r) => string.Join("\n",
        new[] { $"{r.Total} movers between {Date(r.Since)} and {Date(r.AsOf)} ({Filters(r.Filters)}):" }
            .Concat(r.Movers.Select(m =>
                $"- {m.Account.Name} [{m.Account.Id}] ARR {Money(m.Account.Arr)}: {string.Join(", ", m.Changes)}" +
                (m.Causes.Count > 0 ? $"; because: {string.Join("; ", m.Causes)}" : "") +
                (m.OutcomesFellBehind.Count > 0 ? $"; fell behind: {string.Join("; ", m.OutcomesFellBehind.Select(o => o.Title))}" : "") +
                (m.NewSignals.Count > 0 ? $"; new signals: {string.Join(", ", m.NewSignals.Select(s => $"{s.Kind} ({(s.Polarity > 0 ? "+" : "-")})"))}" : ""))));
}

public sealed record OutcomeRefDto(string Id, string Title, DateOnly? DueDate);

public sealed record MoverDto(
    AccountCard Account, MoverState Before, MoverState After, IReadOnlyList<string> Changes,
    [property: Description("the facts that changed between since and as_of and drive the change, each a short statement with its numbers (renewal entered a window, risk signals new or aged out of the recent window, an outcome fell overdue, evidence captured and the fulfilment threshold crossed, engagement, an override started or expired)")] IReadOnlyList<string> Causes,
    [property: Description("outcomes overdue at as_of that were not overdue at since")] IReadOnlyList<OutcomeRefDto> OutcomesFellBehind,
    [property: Description("signals observed after since and on or before as_of")] IReadOnlyList<SignalDto> NewSignals);

public sealed record MoversResult(DateOnly Since, DateOnly AsOf, FiltersDto Filters, int Total,
    [property: Description("worst first: toward higher renewal risk, then a lower band, then lower readiness (improvements last), then ARR, then id")] IReadOnlyList<MoverDto> Movers);
