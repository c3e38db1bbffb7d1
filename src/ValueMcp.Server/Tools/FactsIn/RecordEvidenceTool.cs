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

/// <summary>record_evidence: appends a piece of evidence to a promised outcome. Appends (never updates or deletes), in one transaction with its audit entry;
/// readOnlyHint false, so read-only mode leaves it out; not idempotent: a repeated call appends another fact.</summary>
[McpServerToolType]
public sealed class RecordEvidenceTool(WriteService writes, ILogger<RecordEvidenceTool> logger)
{

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
            () => Write(writes, context.User, outcome_id, observed_value, achieved, source, note, captured_at, ct), Render);

    public static async Task<EvidenceWritten> Write(WriteService writes, ClaimsPrincipal? user, string? outcomeId, decimal? observedValue, bool? achieved,
        string? source, string? note, string? capturedAt, CancellationToken ct)
    {
        var today = writes.Today;
        var outcome = WriteInputs.Id(outcomeId, "outcome_id");
        var account = writes.Writer.AccountOfOutcome(outcome)
            ?? throw new InputException($"outcome_id: unknown outcome \"{Inputs.Show(outcome)}\"; get_account_scorecard lists an account's outcomes with their ids");
        if (observedValue is null && achieved is null)
            throw new InputException("record_evidence needs observed_value (the measured value of the outcome's metric) or achieved (true or false), or both");
        var evidence = WriteInputs.Valid(FactRules.Evidence, new EvidenceFact(
            FactWriter.NewId("EV-", writes.Now), outcome,
            WriteInputs.PastDate(capturedAt, "captured_at", today),
            Inputs.Enum<EvidenceSource>(source, "source") ?? EvidenceSource.Manual,
            observedValue, achieved,
            WriteInputs.Note(note, "note"),
            writes.Author(user)));
        await writes.Writer.RecordEvidence(evidence, writes.Audit("record_evidence", evidence.CapturedBy, new EvidenceAudit(
            evidence.Id, outcome, account, evidence.CapturedAt, evidence.Source, evidence.ObservedValue, evidence.Achieved, evidence.Note)), ct);

        var card = ScorecardTool.Answer(writes.Values, account, today);
        var written = card.Outcomes.FirstOrDefault(o => o.Id == outcome);
        var dto = written?.Evidence.First(e => e.Id == evidence.Id)
            ?? new EvidenceDto(evidence.Id, evidence.CapturedAt, evidence.Source, OutcomeScoring.ConfidenceOf(evidence.Source),
                evidence.ObservedValue, evidence.Achieved, false, evidence.Note, evidence.CapturedBy, false);
        return new EvidenceWritten(dto, written, card, today);
    }

    public static string Render(EvidenceWritten r) => string.Join("\n",
        $"Recorded evidence {r.Evidence.Id} (captured {Text.Date(r.Evidence.CapturedAt)}, source {Text.N(r.Evidence.Source)}, " +
        $"observed {V(r.Evidence.ObservedValue)}, achieved {(r.Evidence.Achieved is bool b ? (b ? "true" : "false") : "n/a")}, by {r.Evidence.CapturedBy}): " +
        (r.Evidence.Achieves ? "it achieves the outcome." : "it does not achieve the outcome."),
        r.Outcome is { } o ? OutcomeLine(o) : "The outcome is promised after today: not scored yet.",
        Account(r.Account, r.AsOf));

    private static string OutcomeLine(OutcomeDto o) =>
        $"Outcome \"{o.Title}\" [{o.Id}]: {(o.Evidenced ? $"evidenced (confidence {Text.N(o.Confidence ?? Confidence.Low)})" : "not evidenced")}, " +
        $"progress {Text.Frac(o.Progress)}{(o.Overdue ? ", overdue" : "")}{(o.Exceeded ? ", exceeded" : "")}, {o.Evidence.Count} piece(s) of evidence.";
}

public sealed record EvidenceWritten(
    [property: Description("the evidence as stored (its new id, captured_by = the author)")] EvidenceDto Evidence,
    [property: Description("the outcome after the write (evidenced, progress, confidence, all its evidence); null when it is promised after today")] OutcomeDto? Outcome,
    [property: Description("the account card after the write, as of as_of")] AccountCard Account,
    [property: Description("the date the card is computed as of: today (UTC)")] DateOnly AsOf);
