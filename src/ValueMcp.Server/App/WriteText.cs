using System.Globalization;
using ValueMcp.Scoring;

namespace ValueMcp.Server.App;

/// <summary>Short text renderings of the write tools' answers, the audit log and an import.</summary>
public static class WriteText
{
    private static string V(decimal? v) => v is decimal d ? d.ToString("0.####", CultureInfo.InvariantCulture) : "n/a";

    private static string Outcome(OutcomeDto o) =>
        $"Outcome \"{o.Title}\" [{o.Id}]: {(o.Evidenced ? $"evidenced (confidence {Text.N(o.Confidence ?? Confidence.Low)})" : "not evidenced")}, " +
        $"progress {Text.Frac(o.Progress)}{(o.Overdue ? ", overdue" : "")}{(o.Exceeded ? ", exceeded" : "")}, {o.Evidence.Count} piece(s) of evidence.";

    private static string Account(AccountCard a, DateOnly asOf) => $"Account after the write (as of {Text.Date(asOf)}):\n{Text.Card(a)}";

    public static string Evidence(EvidenceWritten r) => string.Join("\n",
        $"Recorded evidence {r.Evidence.Id} (captured {Text.Date(r.Evidence.CapturedAt)}, source {Text.N(r.Evidence.Source)}, " +
        $"observed {V(r.Evidence.ObservedValue)}, achieved {(r.Evidence.Achieved is bool b ? (b ? "true" : "false") : "n/a")}, by {r.Evidence.CapturedBy}): " +
        (r.Evidence.Achieves ? "it achieves the outcome." : "it does not achieve the outcome."),
        r.Outcome is { } o ? Outcome(o) : "The outcome is promised after today: not scored yet.",
        Account(r.Account, r.AsOf));

    public static string Outcome(OutcomeWritten r) => string.Join("\n",
        $"Added promised outcome {r.Outcome.Id} to {r.Account.Name} [{r.Account.Id}]: \"{r.Outcome.Title}\"" +
        (r.Outcome.Target is decimal t ? $", target {V(t)} {r.Outcome.Unit} ({Text.N(r.Outcome.Direction ?? Direction.Increase)} from {V(r.Outcome.Baseline)})" : "") +
        $", promised {Text.Date(r.Outcome.PromisedAt)}{(r.Outcome.DueDate is DateOnly d ? $", due {Text.Date(d)}" : "")}.",
        Account(r.Account, r.AsOf));

    public static string Signal(SignalWritten r) => string.Join("\n",
        $"Logged signal {r.Signal.Id}: {Text.N(r.Signal.Category)} {r.Signal.Kind} ({(r.Signal.Polarity > 0 ? "+1" : "-1")}) observed {Text.Date(r.Signal.ObservedAt)}.",
        Account(r.Account, r.AsOf));

    public static string Override(OverrideWritten r) => string.Join("\n",
        $"Recorded override {r.Id}: {Text.N(r.Override.Field)} = {r.Override.Value} by {r.Override.Author} from {Text.Date(r.Override.CreatedAt)}" +
        (r.Override.ExpiresAt is DateOnly x ? $" until {Text.Date(x)}" : " (no expiry)") +
        $"{(r.Override.InForce ? "" : ", not in force today")}; reason: {r.Override.Reason}. The computed value is kept and shown next to it.",
        Account(r.Account, r.AsOf));

    public static string AuditLog(AuditLogResult r) => string.Join("\n",
        new[] { r.Entries.Count == 0 ? "No audited writes" + (r.Since is null ? "." : $" since {r.Since}.") : $"{r.Entries.Count} audited write(s), newest first:" }
            .Concat(r.Entries.Select(e => $"- {e.At} {e.Operation} by {e.Author}: {Short(e.Arguments.GetRawText())}")));

    public static string Import(ImportResult r) => string.Join("\n",
        new[]
        {
            r.ErrorCount > 0 ? $"Refused: {r.ErrorCount:N0} bad row(s) in {r.Folder}; nothing was written. Fix them and import again."
            : r.DryRun ? $"Dry run of {r.Folder}: no errors; nothing was written."
            : $"Imported {r.Folder}.",
        }
        .Concat(r.Files.Select(f => r.ErrorCount > 0
            ? $"{f.File}: {f.Rows:N0} rows read"
            : $"{f.File}: {f.Rows:N0} rows, {f.Inserted:N0} inserted, {f.Updated:N0} updated, {f.Unchanged:N0} unchanged"))
        .Concat(r.Errors)
        .Concat(r.ErrorCount > r.Errors.Count ? [$"... and {r.ErrorCount - r.Errors.Count:N0} more errors"] : [])
        .Concat(r.Warnings.Select(w => "warning: " + w)));

    private static string Short(string s) => s.Length <= 300 ? s : s[..297] + "...";
}
