using System.ComponentModel;
using System.Security.Claims;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Server.App;
using ValueMcp.Store;

namespace ValueMcp.Server.Tools;

/// <summary>
/// import_facts: the CSV import of a folder inside the operator's import root. destructiveHint is true: an import
/// updates stored rows that have the same key (an account's renewal date, say). idempotentHint is true: importing the
/// same folder again changes no fact (it is audited again).
/// </summary>
[McpServerToolType]
public sealed class ImportFactsTool(IFactStore db, ImportRoot root, IAuthorProvider authors, TimeProvider clock, ValueService values, ILogger<ImportFactsTool> logger)
{
    [McpServerTool(Name = "import_facts", Title = "Import CSV exports", ReadOnly = false, Destructive = true,
        Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(ImportResult))]
    [Description("Imports a folder of CSV exports (accounts.csv, arr_movements.csv, outcomes.csv, evidence.csv, signals.csv, milestones.csv, renewals.csv, metrics.csv; any may be absent) from inside the directory the server's operator configured (--import-root). All or nothing in one transaction: if any row is bad nothing is written and the answer lists the bad rows as FILE:LINE: COLUMN: message with what is accepted. Rows are keyed, so importing the same folder twice changes nothing (counts inserted / updated / unchanged per file); a keyed row that differs from the stored one updates it. dry_run checks everything and writes nothing. Sends progress notifications when the request has a progress token.")]
    public Task<CallToolResult> ImportFacts(
        RequestContext<CallToolRequestParams> context,
        McpServer server,
        [Description("The folder to import, relative to the import root (\".\" for the root itself); a path leading outside it is refused.")] string folder,
        [Description("true to run every check (against the stored facts too) and write nothing. Default false.")] bool? dry_run = null,
        CancellationToken ct = default)
    {
        var progress = context.Params?.ProgressToken is { } token ? new Notifier(server, token, ct) : null;
        return ToolResults.RunAsync(logger, "import_facts",
            () => Import(context.User, folder, dry_run ?? false, progress, ct), Render, r => r.ErrorCount > 0);
    }

    private async Task<ImportResult> Import(ClaimsPrincipal? user, string? folder, bool dryRun, IProgress<ProgressNotificationValue>? progress, CancellationToken ct)
    {
        var real = root.Resolve(folder);
        var source = ImportSource.FromFolder(real);
        if (source.Files.Count == 0)
            throw new InputException($"folder: \"{Inputs.Show(root.Relative(real))}\" holds no import files; expected one or more of: {string.Join(", ", FactImporter.FileOrder)}");
        var total = source.Files.Sum(f => source.Get(f).Length ?? 0);
        var finished = 0L; // bytes of the files already done
        var reporter = new Relay(p =>
        {
            var at = p.Done ? finished + (p.TotalBytes ?? p.Bytes) : finished + Math.Min(p.Bytes, p.TotalBytes ?? p.Bytes);
            if (p.Done) finished = at;
            progress?.Report(new ProgressNotificationValue
            {
                Progress = at,
                Total = total,
                Message = $"{p.File}: {p.Rows:N0} rows{(p.Done ? " done" : "")}",
            });
        });
        var options = new ImportOptions { DryRun = dryRun, Author = authors.Author(user), Clock = clock, RenewalWindowDays = values.Policy.RenewalDecisionWindowDays };
        var report = await Task.Run(() => db.Import(source, options, reporter, ct), ct).ConfigureAwait(false);
        if (report.Committed) values.Warm(values.Today); // today's portfolio is scored again in the background
        return Result(root.Relative(real), report);
    }

    /// <summary>The answer: bounded as the report is (its first errors and warnings, with how many more).</summary>
    public static ImportResult Result(string folder, ImportReport report) => new(
        folder, report.DryRun, report.Committed,
        report.Files.Select(f => new ImportFileDto(f.File, f.Rows, f.Inserted, f.Updated, f.Unchanged)).ToList(),
        report.ErrorCount,
        report.Errors.Select(e => e.ToString()).ToList(),
        report.Warnings);

    public static string Render(ImportResult r) => string.Join("\n",
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

    /// <summary>
    /// Sends each progress notification before the import goes on (the import runs on a thread of its own), so that
    /// they arrive in order and all before the answer.
    /// </summary>
    private sealed class Notifier(McpServer server, ProgressToken token, CancellationToken ct) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) =>
            server.NotifyProgressAsync(token, value, cancellationToken: ct).GetAwaiter().GetResult();
    }

    /// <summary>Reports on the importing thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Relay(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}

public sealed record ImportFileDto(string File, long Rows, long Inserted, long Updated, long Unchanged);

public sealed record ImportResult(
    [property: Description("the folder, relative to the import root")] string Folder,
    bool DryRun,
    [property: Description("true when the facts were written (no error, not a dry run)")] bool Committed,
    IReadOnlyList<ImportFileDto> Files,
    long ErrorCount,
    [property: Description("the first bad rows, one per line as FILE:LINE: COLUMN: message (what is accepted)")] IReadOnlyList<string> Errors,
    [property: Description("e.g. unknown columns, which are ignored")] IReadOnlyList<string> Warnings);
