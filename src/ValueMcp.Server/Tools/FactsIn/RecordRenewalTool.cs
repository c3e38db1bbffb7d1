using System.ComponentModel;
using System.Security.Claims;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Store;
using static ValueMcp.Server.App.WriteText;
using static ValueMcp.Server.Tools.ParameterDocs;

namespace ValueMcp.Server.Tools;

/// <summary>record_renewal: records how a renewal was decided. Appends (a renewal is recorded once), in one transaction with its
/// audit entry; readOnlyHint false, so read-only mode leaves it out; not idempotent: a repeated call is refused.</summary>
[McpServerToolType]
public sealed class RecordRenewalTool(WriteService writes, ILogger<RecordRenewalTool> logger)
{
    [McpServerTool(Name = "record_renewal", Title = "Record a renewal outcome", ReadOnly = false, Destructive = false,
        Idempotent = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(RenewalWritten))]
    [Description("Records how an account's renewal was decided: renewed (in full), contracted (renewed for less ARR) or churned, with the ARR of the renewed contract, the next renewal date it opens and the cause (reason). From decided_at on, the account's renewal in force moves to the next renewal date, and forecast_accuracy backtests this renewal. A renewal date is recorded once. Answers with the renewal and the account card after the write.")]
    public Task<CallToolResult> RecordRenewal(
        RequestContext<CallToolRequestParams> context,
        [Description(AccountDoc)] string account_id,
        [Description("The date of the renewal decided, ISO yyyy-MM-dd (usually the card's renewal_date).")] string renewal_date,
        [Description("renewed, contracted or churned.")] string outcome,
        [Description("The ARR of the renewed contract: required for contracted; leave out for renewed to mean the ARR due in full; leave out (or 0) for churned. At most 2 decimal places.")] decimal? renewed_arr = null,
        [Description("The renewal the new contract opens, ISO yyyy-MM-dd, after renewal_date: required for renewed and contracted, left out for churned.")] string? next_renewal_date = null,
        [Description("The cause: sponsor_change, budget, competitor, value_not_realised, product_gap, price or other. Leave out when none is known.")] string? reason = null,
        [Description(NoteDoc)] string? note = null,
        [Description("The day the outcome was known, ISO yyyy-MM-dd, not after today. Default today (UTC).")] string? decided_at = null,
        CancellationToken ct = default) =>
        ToolResults.RunAsync(logger, "record_renewal",
            () => Write(writes, context.User, account_id, renewal_date, outcome, renewed_arr, next_renewal_date, reason, note, decided_at, ct), Render);

    public static async Task<RenewalWritten> Write(WriteService writes, ClaimsPrincipal? user, string? accountId, string? renewalDate, string? outcome,
        decimal? renewedArr, string? nextRenewalDate, string? reason, string? note, string? decidedAt, CancellationToken ct)
    {
        var today = writes.Today;
        var account = writes.KnownAccount(accountId);
        var date = Inputs.OptionalDate(renewalDate, "renewal_date")
            ?? throw new InputException("renewal_date is required; accepted: an ISO date yyyy-MM-dd (the date of the renewal decided)");
        var o = Inputs.Enum<RenewalOutcome>(outcome, "outcome")
            ?? throw new InputException($"outcome is required; accepted: {string.Join(", ", Wire.Names<RenewalOutcome>())}");
        if (renewedArr is decimal a && (decimal.Round(a, 2) != a || Math.Abs(a) > Money.MaxCents / 100m))
            throw new InputException($"renewed_arr: {a.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not accepted; accepted: a number >= 0 with at most 2 decimal places");
        var why = Inputs.Enum<RenewalReason>(reason, "reason");
        var author = writes.Author(user);
        var fact = WriteInputs.Valid(FactRules.Renewal, new RenewalFact(account, date, o, renewedArr, WriteInputs.OptionalDate(nextRenewalDate, "next_renewal_date"),
            why, WriteInputs.PastDate(decidedAt, "decided_at", today), WriteInputs.Note(note, "note")));
        await writes.Writer.RecordRenewal(fact, writes.Audit("record_renewal", author, new RenewalAudit(
            fact.AccountId, fact.RenewalDate, fact.Outcome, fact.RenewedArr, fact.NextRenewalDate, fact.Reason, fact.DecidedAt, fact.Note)), ct);

        var card = ScorecardTool.Answer(writes.Values, account, today);
        return new RenewalWritten(new RenewalDto(fact.AccountId, fact.RenewalDate, fact.Outcome, fact.RenewedArr, fact.NextRenewalDate, fact.Reason,
            fact.DecidedAt, fact.Note), card, today);
    }

    public static string Render(RenewalWritten r) => string.Join("\n",
        $"Recorded the renewal of {Text.Date(r.Renewal.RenewalDate)} for {r.Renewal.AccountId}: {Text.N(r.Renewal.Outcome)}" +
        (r.Renewal.RenewedArr is decimal arr ? $", renewed ARR {Text.Money(arr)}" : "") +
        (r.Renewal.NextRenewalDate is DateOnly n ? $", next renewal {Text.Date(n)}" : "") +
        (r.Renewal.Reason is RenewalReason why ? $", reason {Text.N(why)}" : "") + $", decided {Text.Date(r.Renewal.DecidedAt)}.",
        Account(r.Account, r.AsOf));
}

public sealed record RenewalDto(
    string AccountId,
    DateOnly RenewalDate,
    RenewalOutcome Outcome,
    [property: Description("the ARR of the renewed contract; null: the ARR due, in full (renewed)")] decimal? RenewedArr,
    DateOnly? NextRenewalDate,
    RenewalReason? Reason,
    DateOnly DecidedAt,
    string Note);

public sealed record RenewalWritten(
    [property: Description("the renewal as stored")] RenewalDto Renewal,
    [property: Description("the account card after the write, as of as_of: its renewal in force and state")] AccountCard Account,
    DateOnly AsOf);
