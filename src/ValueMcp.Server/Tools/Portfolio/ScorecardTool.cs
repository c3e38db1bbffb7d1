using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using static ValueMcp.Server.App.Text;

namespace ValueMcp.Server.Tools;

/// <summary>
/// get_account_scorecard: one account in full. The write tools and the value://account resource answer with the same
/// scorecard (Answer), read back after the write.
/// </summary>
[McpServerToolType]
public sealed class ScorecardTool(ValueService service, ILogger<ScorecardTool> logger)
{
    [McpServerTool(Name = "get_account_scorecard", Title = "Account scorecard", ReadOnly = true, OpenWorld = false,
        Idempotent = true, Destructive = false, UseStructuredContent = true, OutputSchemaType = typeof(ScorecardResult))]
    [Description("One account in full: its card, every promised outcome with its evidence (confidence, progress, overdue, exceeded; evidence computed from readings of the outcome's metric is marked computed) and its metric's latest readings, the signals of the recent window (90 days by default; usage trends computed from metric readings are marked computed), the ARR ledger, milestones, the reasons behind band, readiness, risk and next action, and any human overrides next to the computed values.")]
    public CallToolResult GetAccountScorecard(
        [Description("The account id (the CRM key), as list_accounts shows it.")] string account_id,
        [Description(ParameterDocs.AsOfDoc)] string? as_of = null) =>
        ToolResults.Run(logger, "get_account_scorecard", () =>
        {
            var asOf = service.AsOf(as_of);
            return Answer(service, Inputs.RequiredText(account_id, "account_id"), asOf);
        }, Render);

    public static ScorecardResult Answer(ValueService service, string accountId, DateOnly asOf)
    {
        var policy = service.Policy;
        var history = service.Store.History(accountId).History
            ?? throw new InputException($"account_id: unknown account \"{Inputs.Show(accountId)}\"; use list_accounts to find account ids");
        var facts = AccountDerivation.Derive(history, asOf, policy);
        var score = AccountScoring.Score(facts, asOf, policy);
        // Evidence recorded and computed from metric readings; signals recorded and computed usage trends.
        var evidence = UsageEvidence.WithRecorded(history, asOf);
        var outcomes = history.Outcomes
            .Select(o => OutcomeScoring.Score(o, evidence, asOf, policy))
            .OfType<OutcomeScore>()
            .Select(o => Shape.Outcome(o, history.Readings, asOf))
            .ToList();
        var windowStart = policy.RecentWindowStart(asOf);
        var signals = UsageTrends.WithRecorded(history, asOf, policy)
            .Where(s => s.ObservedAt >= windowStart && s.ObservedAt <= asOf).Select(Shape.Signal).ToList();
        var card = AccountCard.Of(score, policy);
        return new ScorecardResult(card)
        {
            AsOf = asOf,
            Active = score.Active,
            AccountManager = facts.Profile.AccountManager,
            ExecutiveSponsor = facts.Profile.ExecutiveSponsor,
            ContractStart = facts.Profile.ContractStart,
            ContractedCapacity = facts.Profile.ContractedCapacity,
            UsedCapacity = facts.Profile.UsedCapacity,
            FirstValueAt = score.FirstValueAt,
            LaneTiming = score.Lane?.Timing,
            Outcomes = outcomes,
            SignalsRecent = signals,
            ArrHistory = ArrHistory(Ledger.Replay(history.Movements, asOf)),
            Milestones = history.Milestones.Where(m => m.ReachedAt <= asOf).Select(m => new MilestoneDto(m.Kind, m.ReachedAt)).ToList(),
            Reasons = new ReasonsDto(score.Band.Reason, score.Readiness.Reason, score.Risk.Reason, score.NextAction.Reason, score.Lane?.Reason,
                facts.Renewal?.Reason ?? $"open: the next renewal is {Date(facts.Profile.RenewalDate)}"),
            // The renewals recorded or decided on or before as_of, by date.
            Renewals = Renewals.Decided(history, asOf, policy).Select(d => new RenewalDecisionDto(d.RenewalDate, d.Outcome, d.RenewedArr, d.DecidedAt,
                d.DecidedBy, d.Reason, d.Note)).ToList(),
            // The overrides recorded on or before as_of (an override is a dated fact: created later, it did not exist yet).
            OverrideHistory = history.Overrides.Where(o => o.CreatedAt <= asOf).Select(o => new OverrideHistoryDto(o.Field, o.Value, o.Reason, o.Author, o.CreatedAt, o.ExpiresAt,
                AccountScoring.OverrideInForce(o, asOf))).ToList(),
        };
    }

    /// <summary>The ledger with the ARR after each movement (churn brings it to 0).</summary>
    private static IReadOnlyList<ArrPointDto> ArrHistory(IReadOnlyList<LedgerEntry> ledger) =>
        ledger.Select(e => new ArrPointDto(e.Movement.EffectiveDate, e.Movement.Kind, e.Movement.Amount, e.Movement.Lane, e.Movement.Note, e.ArrAfter)).ToList();

    public static string Render(ScorecardResult s) => string.Join("\n",
        new[]
        {
            $"{s.Name} [{s.Id}] as of {Date(s.AsOf)}: {s.Segment}, tier {(s.Tier.Length == 0 ? "-" : s.Tier)}, CSM {s.Csm}, ARR {Money(s.Arr)}{(s.Active ? "" : " (not active: churned or not started)")}.",
            $"Fulfilment {Frac(s.Fulfilment)}: {s.OutcomesEvidenced} of {s.OutcomesPromised} outcomes evidenced, {s.OutcomesOverdue} overdue; band {N(s.Band)} ({s.Reasons.Band}).",
            $"Readiness {N(s.Readiness)} ({s.Reasons.Readiness}){(s.Lane is { } l ? $"; lane {N(l)}, {s.LaneTiming}" : "")}.",
            $"{Renewal(s.RenewalDate, s.DaysToRenewal)} (flag {N(s.RenewalFlag)}; {s.Reasons.Renewal}); risk {N(s.RenewalRisk)} ({s.Reasons.Risk}).",
            $"Next action: {N(s.NextAction.Kind)}: {s.NextAction.Reason}.",
        }
        .Concat(s.Outcomes.Select(o =>
            $"  * {o.Title} [{o.Id}]: {(o.Evidenced ? $"evidenced ({N(o.Confidence ?? Confidence.Low)} confidence){(o.Exceeded ? ", exceeded" : "")}" : o.Overdue ? "OVERDUE" : $"progress {Frac(o.Progress)}")}" +
            (o.DueDate is DateOnly d ? $", due {Date(d)}" : "") +
            (o.LatestReading is { } r ? $"; latest {o.Metric} {WriteText.V(r.Value)} on {Date(r.ObservedAt)}" : "") +
            (o.ComputedEvidence > 0 ? $" ({o.ComputedEvidence} reading(s) counted as usage evidence)" : "")))
        .Concat(s.Overrides.Select(o => $"Override: {N(o.Field)} = {o.Value} (computed {o.Computed}) by {o.Author}: {o.Reason}")));
}

public sealed record ArrPointDto(DateOnly EffectiveDate, MovementKind Kind, decimal Amount, string Lane, string Note,
    [property: Description("ARR after this movement")] decimal ArrAfter);

public sealed record MilestoneDto(MilestoneKind Kind, DateOnly ReachedAt);

public sealed record ReasonsDto(string Band, string Readiness, string Risk, string Action, string? Lane,
    [property: Description("the renewal in force and its state, with what decided it")] string Renewal);

public sealed record RenewalDecisionDto(DateOnly RenewalDate, RenewalOutcome Outcome,
    [property: Description("the ARR of the renewed contract as recorded; null: the ARR due, in full")] decimal? RenewedArr,
    DateOnly DecidedAt,
    [property: Description("recorded (a renewal recorded, or the renewal date moving on), renewed_milestone or churn")] RenewalDecider DecidedBy,
    RenewalReason? Reason, string Note);

/// <summary>The card plus the detail behind every number on it.</summary>
public sealed record ScorecardResult : AccountCard
{
    [SetsRequiredMembers] public ScorecardResult(AccountCard card) : base(card) { }
    public DateOnly AsOf { get; init; } = default!;
    public bool Active { get; init; } = default!;
    public string AccountManager { get; init; } = default!;
    public string ExecutiveSponsor { get; init; } = default!;
    public DateOnly ContractStart { get; init; } = default!;
    public decimal? ContractedCapacity { get; init; } = default!;
    public decimal? UsedCapacity { get; init; } = default!;
    public DateOnly? FirstValueAt { get; init; } = default!;
    public string? LaneTiming { get; init; } = default!;
    public IReadOnlyList<OutcomeDto> Outcomes { get; init; } = default!;
    [Description("signals observed in the recent window: recent_window_days (90 by default) ending on as_of, both ends included")]
    public IReadOnlyList<SignalDto> SignalsRecent { get; init; } = default!;
    public IReadOnlyList<ArrPointDto> ArrHistory { get; init; } = default!;
    public IReadOnlyList<MilestoneDto> Milestones { get; init; } = default!;
    public ReasonsDto Reasons { get; init; } = default!;
    [Description("the renewals decided on or before as_of (recorded, or decided by a renewed milestone or a churn), by renewal date")]
    public IReadOnlyList<RenewalDecisionDto> Renewals { get; init; } = default!;
    [Description("every override of the account created on or before as_of, whether in force at as_of or expired")]
    public IReadOnlyList<OverrideHistoryDto> OverrideHistory { get; init; } = default!;
}
