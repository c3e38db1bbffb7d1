using System.ComponentModel;
using System.Text.Json;
using ValueMcp.Scoring;

namespace ValueMcp.Server.App;

// The structured results of the write tools, of the audit log and of import_facts (../shared/spec/tools.md).

public sealed record EvidenceWritten(
    [property: Description("the evidence as stored (its new id, captured_by = the author)")] EvidenceDto Evidence,
    [property: Description("the outcome after the write (evidenced, progress, confidence, all its evidence); null when it is promised after today")] OutcomeDto? Outcome,
    [property: Description("the account card after the write, as of as_of")] AccountCard Account,
    [property: Description("the date the card is computed as of: today (UTC)")] DateOnly AsOf);

public sealed record OutcomeWritten(
    [property: Description("the outcome as stored (its new id) and scored")] OutcomeDto Outcome,
    [property: Description("the account card after the write, as of as_of")] AccountCard Account,
    DateOnly AsOf);

public sealed record SignalWritten(
    [property: Description("the signal as stored (its new id)")] SignalDto Signal,
    [property: Description("the account card after the write, as of as_of")] AccountCard Account,
    DateOnly AsOf);

public sealed record OverrideWritten(
    [property: Description("the override's id")] long Id,
    [property: Description("the override as stored; in_force says whether it replaces the computed value at as_of")] OverrideHistoryDto Override,
    [property: Description("the account card after the write, as of as_of: the value in force and, in overrides, the computed one")] AccountCard Account,
    DateOnly AsOf);

public sealed record AuditEntryDto(
    [property: Description("when the write was committed, UTC, ISO 8601")] string At,
    [property: Description("the tool (record_evidence, add_promised_outcome, log_signal, set_override, import_facts) or import")] string Operation,
    [property: Description("the arguments as written (ids the server gave included); for an import, its source and per-file counts")] JsonElement Arguments,
    [property: Description("the operator or the authenticated client")] string Author);

public sealed record AuditLogResult(
    [property: Description("entries at or after this time (UTC); null for all")] string? Since,
    int Limit,
    [property: Description("newest first")] IReadOnlyList<AuditEntryDto> Entries);

public sealed record ImportFileDto(string File, long Rows, long Inserted, long Updated, long Unchanged);

public sealed record ImportResult(
    [property: Description("the folder, relative to the import root")] string Folder,
    bool DryRun,
    [property: Description("true when the facts were written (no error, not a dry run)")] bool Committed,
    IReadOnlyList<ImportFileDto> Files,
    long ErrorCount,
    [property: Description("the first bad rows, one per line as FILE:LINE: COLUMN: message (what is accepted)")] IReadOnlyList<string> Errors,
    [property: Description("e.g. unknown columns, which are ignored")] IReadOnlyList<string> Warnings);
