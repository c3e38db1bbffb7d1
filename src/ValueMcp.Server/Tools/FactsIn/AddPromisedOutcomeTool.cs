using System.ComponentModel;
using System.Security.Claims;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Store;
using static ValueMcp.Server.App.Text;
using static ValueMcp.Server.App.WriteText;
using static ValueMcp.Server.Tools.ParameterDocs;

namespace ValueMcp.Server.Tools;

/// <summary>add_promised_outcome: appends a promised outcome to an account's value contract. Appends (never updates or deletes), in one transaction with its audit entry;
/// readOnlyHint false, so read-only mode leaves it out; not idempotent: a repeated call appends another fact.</summary>
[McpServerToolType]
public sealed class AddPromisedOutcomeTool(WriteService writes, ILogger<AddPromisedOutcomeTool> logger)
{

    [McpServerTool(Name = "add_promised_outcome", Title = "Add a promised outcome to a value contract", ReadOnly = false, Destructive = false,
        Idempotent = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(OutcomeWritten))]
    [Description("Appends a measurable outcome promised to a customer (e.g. 'Reduce forecast cycle time by 40%') to the account's value contract; fulfilment is evidenced / promised outcomes. With a target, direction is required (increase: achieved at the target or above; decrease: at the target or below). Answers with the new outcome and the account card after the write.")]
    public Task<CallToolResult> AddPromisedOutcome(
        RequestContext<CallToolRequestParams> context,
        [Description(AccountDoc)] string account_id,
        [Description("What was promised, in the customer's words (up to 300 characters), e.g. Reduce forecast cycle time by 40%.")] string title,
        [Description("The metric measured, e.g. forecast_cycle_time (up to 100 characters).")] string? metric = null,
        [Description("Its unit, e.g. days, percent, hours (up to 100 characters).")] string? unit = null,
        [Description("The metric's value when it was promised.")] decimal? baseline = null,
        [Description("The value that achieves the outcome. Requires direction.")] decimal? target = null,
        [Description("increase or decrease: which way the metric must move to reach the target. Required with a target.")] string? direction = null,
        [Description("When it is due, ISO yyyy-MM-dd, on or after promised_at. An outcome past due and not evidenced is overdue.")] string? due_date = null,
        [Description("The day it was promised, ISO yyyy-MM-dd, not after today. Default today (UTC).")] string? promised_at = null,
        [Description("Where the promise comes from, e.g. the deal or opportunity id (up to 200 characters).")] string? source = null,
        CancellationToken ct = default) =>
        ToolResults.RunAsync(logger, "add_promised_outcome",
            () => Write(writes, context.User, account_id, title, metric, unit, baseline, target, direction, due_date, promised_at, source, ct),
            Render);

    public static async Task<OutcomeWritten> Write(WriteService writes, ClaimsPrincipal? user, string? accountId, string? title, string? metric, string? unit,
        decimal? baseline, decimal? target, string? direction, string? dueDate, string? promisedAt, string? source, CancellationToken ct)
    {
        var today = writes.Today;
        var account = writes.KnownAccount(accountId);
        var promised = WriteInputs.PastDate(promisedAt, "promised_at", today);
        var due = WriteInputs.OptionalDate(dueDate, "due_date");
        var dir = Inputs.Enum<Direction>(direction, "direction");
        var author = writes.Author(user);
        var outcome = WriteInputs.Valid(FactRules.Outcome, new OutcomeFact(
            FactWriter.NewId("OUT-", writes.Now), account,
            WriteInputs.RequiredLine(title, "title"),
            WriteInputs.Line(metric, "metric"), WriteInputs.Line(unit, "unit"),
            baseline, target, dir,
            promised, due, WriteInputs.Line(source, "source", WriteInputs.MaxId)));
        await writes.Writer.AddOutcome(outcome, writes.Audit("add_promised_outcome", author, new OutcomeAudit(
            outcome.Id, account, outcome.Title, outcome.Metric, outcome.Unit, outcome.Baseline, outcome.Target,
            outcome.Direction, outcome.PromisedAt, outcome.DueDate, outcome.Source)), ct);

        var card = ScorecardTool.Answer(writes.Values, account, today);
        return new OutcomeWritten(card.Outcomes.First(o => o.Id == outcome.Id), card, today);
    }

    public static string Render(OutcomeWritten r) => string.Join("\n",
        $"Added promised outcome {r.Outcome.Id} to {r.Account.Name} [{r.Account.Id}]: \"{r.Outcome.Title}\"" +
        (r.Outcome.Target is decimal t ? $", target {V(t)} {r.Outcome.Unit} ({Text.N(r.Outcome.Direction ?? Direction.Increase)} from {V(r.Outcome.Baseline)})" : "") +
        $", promised {Text.Date(r.Outcome.PromisedAt)}{(r.Outcome.DueDate is DateOnly d ? $", due {Text.Date(d)}" : "")}.",
        Account(r.Account, r.AsOf));
}

public sealed record OutcomeWritten(
    [property: Description("the outcome as stored (its new id) and scored")] OutcomeDto Outcome,
    [property: Description("the account card after the write, as of as_of")] AccountCard Account,
    DateOnly AsOf);
