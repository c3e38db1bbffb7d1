using System.Security.Claims;
using ModelContextProtocol;
using ValueMcp.Store;

namespace ValueMcp.Server.App;

/// <summary>import_facts: an import of a folder inside the operator's import root, with progress as MCP notifications.</summary>
public sealed class ImportService(Database db, ImportRoot root, IAuthorProvider authors, TimeProvider clock, ValueService values)
{
    public async Task<ImportResult> Import(ClaimsPrincipal? user, string? folder, bool dryRun, IProgress<ProgressNotificationValue>? progress, CancellationToken ct)
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
        var options = new ImportOptions { DryRun = dryRun, Author = authors.Author(user), Clock = clock };
        var report = await Task.Run(() => new FactImporter(db).Import(source, options, reporter, ct), ct).ConfigureAwait(false);
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

    /// <summary>Reports on the importing thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Relay(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
