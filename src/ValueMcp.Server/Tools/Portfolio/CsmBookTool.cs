using System.ComponentModel;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using static ValueMcp.Server.App.Text;

namespace ValueMcp.Server.Tools;

/// <summary>csm_book: one customer success manager's book of business.</summary>
[McpServerToolType]
public sealed class CsmBookTool(ValueService service, ILogger<CsmBookTool> logger)
{
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
            return Answer(service, name, asOf);
        }, Render);

    public static CsmBookResult Answer(ValueService service, string csm, DateOnly asOf)
    {
        var filter = new PortfolioFilter { Csm = csm };
        var accounts = service.Portfolio(asOf, filter);
        var attention = Scoring.Portfolio.NeedsAttention(accounts).Select(a => AccountCard.Of(service.Explain(a), service.Policy)).ToList();
        return new CsmBookResult(asOf, csm, Shape.Kpis(Scoring.Portfolio.Kpis(accounts)), attention,
            Shape.Breakdown(Scoring.Portfolio.Breakdown(accounts, a => a.Band.Value)),
            FulfilmentDistribution(accounts),
            Shape.Breakdown(Scoring.Portfolio.Breakdown(accounts, a => a.NextAction.Kind)));
    }

    /// <summary>Accounts by fulfilment range (lower bound inclusive), no_contract apart.</summary>
    private static IReadOnlyList<FulfilmentBucket> FulfilmentDistribution(IReadOnlyCollection<AccountScore> accounts)
    {
        (string Range, decimal Low, decimal High)[] ranges =
        [
            ("0.00-0.20", 0m, 0.2m), ("0.20-0.40", 0.2m, 0.4m), ("0.40-0.60", 0.4m, 0.6m),
            ("0.60-0.80", 0.6m, 0.8m), ("0.80-1.00", 0.8m, 1.01m),
        ];
        var buckets = ranges.Select(r =>
        {
            var inRange = accounts.Where(a => a.Fulfilment is decimal f && f >= r.Low && f < r.High).ToList();
            return new FulfilmentBucket(r.Range, inRange.Count, inRange.Sum(a => a.Arr));
        }).ToList();
        var none = accounts.Where(a => a.Fulfilment is null).ToList();
        buckets.Add(new FulfilmentBucket("no_contract", none.Count, none.Sum(a => a.Arr)));
        return buckets;
    }

    public static string Render(CsmBookResult b) => string.Join("\n",
        new[]
        {
            $"{b.Csm}'s book as of {Date(b.AsOf)}: {Kpis(b.Kpis)}.",
            $"Bands: {Counts(b.ByBand)}. Fulfilment: {string.Join(", ", b.FulfilmentDistribution.Select(f => $"{f.Range} {f.Count}"))}.",
            $"{b.NeedsAttention.Count} accounts need attention:",
        }
        .Concat(b.NeedsAttention.Select(AccountCard.Line)));
}

public sealed record FulfilmentBucket(string Range, int Count, decimal Arr);

public sealed record CsmBookResult(
    DateOnly AsOf, string Csm, KpisDto Kpis,
    [property: Description("accounts whose next action is not monitor, by action priority, then renewal risk (high first), then ARR (largest first), then id")] IReadOnlyList<AccountCard> NeedsAttention,
    IReadOnlyDictionary<string, CountAndArr> ByBand,
    [property: Description("accounts by fulfilment range; no_contract counted apart")] IReadOnlyList<FulfilmentBucket> FulfilmentDistribution,
    IReadOnlyDictionary<string, CountAndArr> ByAction);
