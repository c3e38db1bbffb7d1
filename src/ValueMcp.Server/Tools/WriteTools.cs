using System.ComponentModel;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Server.App;

namespace ValueMcp.Server.Tools;

/// <summary>
/// The write tools: each appends one fact (never updates or deletes), in one transaction with its audit entry, and
/// answers with the fact and the account card after the write. Annotated readOnlyHint false, so read-only mode
/// (serve --read-only) leaves them out. None is idempotent: a repeated call appends another fact. Plus the audit log.
/// </summary>
[McpServerToolType]
public sealed class WriteTools(WriteService writes, ILogger<WriteTools> logger)
{
    private const string NoteDoc = "Free text (up to 4,000 characters; line breaks allowed), e.g. where the figure comes from.";
    private const string AccountDoc = "The account id (the CRM key), as list_accounts shows it.";

    [McpServerTool(Name = "record_evidence", Title = "Record evidence for a promised outcome", ReadOnly = false, Destructive = false,
        Idempotent = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(EvidenceWritten))]
    [Description("Appends a piece of evidence to a promised outcome, e.g. 'the customer told me forecast cycle time is down 45%': the measured value of the outcome's metric (observed_value) and/or an explicit verdict (achieved), with its source. Evidence achieves the outcome when achieved is true, or, with achieved left out, when observed_value meets the target in the outcome's direction. Answers with the outcome (evidenced, progress, confidence) and the account card after the write. Recorded in the audit log with its author.")]
    public Task<CallToolResult> RecordEvidence(
        RequestContext<CallToolRequestParams> context,
        [Description("The promised outcome's id, as get_account_scorecard lists it.")] string outcome_id,
        [Description("The measured value of the outcome's metric, in its unit (e.g. 12.5 for 12.5 days). Give it, achieved, or both.")] decimal? observed_value = null,
        [Description("true when the outcome is achieved, false when it is explicitly not (false never achieves, whatever the value). Leave out to let observed_value decide.")] bool? achieved = null,
        [Description("Where the evidence comes from: usage or import (measured by a system: high confidence), survey or communication (stated by the customer: medium), meeting or manual (reported by the team: low). Default manual.")] string? source = null,
        [Description(NoteDoc)] string? note = null,
        [Description("The day the evidence was captured, ISO yyyy-MM-dd, not after today. Default today (UTC).")] string? captured_at = null,
        CancellationToken ct = default) =>
        ToolResults.RunAsync(logger, "record_evidence",
            () => writes.RecordEvidence(context.User, outcome_id, observed_value, achieved, source, note, captured_at, ct), WriteText.Evidence);

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
            () => writes.AddPromisedOutcome(context.User, account_id, title, metric, unit, baseline, target, direction, due_date, promised_at, source, ct),
            WriteText.Outcome);

    [McpServerTool(Name = "log_signal", Title = "Log an account signal", ReadOnly = false, Destructive = false,
        Idempotent = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(SignalWritten))]
    [Description("Appends a signal observed on an account: usage and success signals drive engagement; negative risk and usage signals block expansion readiness and raise renewal risk while they are in the recent window (90 days by default; value://glossary gives the value in force); positive usage, data and capacity signals point to the expansion lane. Answers with the signal and the account card after the write.")]
    public Task<CallToolResult> LogSignal(
        RequestContext<CallToolRequestParams> context,
        [Description(AccountDoc)] string account_id,
        [Description("usage, data, success, capacity, risk or timing.")] string category,
        [Description("1 for a positive signal, -1 for a negative one.")] int polarity,
        [Description("What was seen, snake_case (up to 100 characters), e.g. dau_growth, new_department, source_request, roi_documented, ticket_spike, sponsor_change, login_decline, budget_cycle.")] string? kind = null,
        [Description(NoteDoc)] string? note = null,
        [Description("The day it was observed, ISO yyyy-MM-dd, not after today. Default today (UTC).")] string? observed_at = null,
        CancellationToken ct = default) =>
        ToolResults.RunAsync(logger, "log_signal",
            () => writes.LogSignal(context.User, account_id, category, kind, polarity, note, observed_at, ct), WriteText.Signal);

    [McpServerTool(Name = "set_override", Title = "Override band, readiness or risk", ReadOnly = false, Destructive = false,
        Idempotent = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(OverrideWritten))]
    [Description("Records a human judgement that replaces the computed band, readiness or renewal risk of an account from created_at until expires_at (the most recent override of a field wins). The computed value is never deleted: answers show it next to the override, with author and reason. Answers with the override and the account card after the write.")]
    public Task<CallToolResult> SetOverride(
        RequestContext<CallToolRequestParams> context,
        [Description(AccountDoc)] string account_id,
        [Description("band, readiness or risk.")] string field,
        [Description("The value in force: for band on_track, at_risk, critical, no_contract; for readiness ready, emerging, not_ready, blocked; for risk none, low, medium, high.")] string value,
        [Description("Why (required, up to 4,000 characters): shown with the override wherever the value is.")] string reason,
        [Description("The day it stops applying, ISO yyyy-MM-dd, after created_at. Leave out for no expiry.")] string? expires_at = null,
        [Description("The day it starts applying, ISO yyyy-MM-dd, not after today. Default today (UTC).")] string? created_at = null,
        CancellationToken ct = default) =>
        ToolResults.RunAsync(logger, "set_override",
            () => writes.SetOverride(context.User, account_id, field, value, reason, expires_at, created_at, ct), WriteText.Override);

    [McpServerTool(Name = "get_audit_log", Title = "Audit log of writes", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(AuditLogResult))]
    [Description("Every write to the facts (write tool calls and imports), newest first: when, which operation, its arguments (as written, with the ids the server gave) and its author (the server's operator or the authenticated client).")]
    public CallToolResult GetAuditLog(
        [Description("Only entries at or after this: an ISO date yyyy-MM-dd (from the start of that UTC day) or a time yyyy-MM-ddTHH:mm:ssZ. Default: all.")] string? since = null,
        [Description("Most entries to return, 1-200. Default 50.")] int? limit = null) =>
        ToolResults.Run(logger, "get_audit_log", () => writes.AuditLog(since, limit), WriteText.AuditLog);
}
