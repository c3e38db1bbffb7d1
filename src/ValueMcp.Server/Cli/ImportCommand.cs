using System.CommandLine;
using Microsoft.Data.Sqlite;
using Spectre.Console;
using ValueMcp.Server.App;
using ValueMcp.Store;

namespace ValueMcp.Server.Cli;

/// <summary>
/// valuemcp import FOLDER [--db PATH] [--dry-run] [--operator NAME]: exit 0 imported (or a clean dry run), 1 refused
/// for bad rows (nothing written), 2 usage (no such folder, no import file, a database that cannot be opened).
/// Progress: a bar per file on an interactive terminal, plain lines on stderr otherwise.
/// </summary>
public static class ImportCommand
{
    public static Option<string?> OperatorOption() => new("--operator")
    {
        Description = $"The name writes are recorded under in the audit log (and as the author of overrides and evidence). Default: ${OperatorAuthor.Variable}, else the OS user name.",
        HelpName = "NAME",
    };

    public static Command Command()
    {
        var folder = new Argument<DirectoryInfo>("FOLDER") { Description = "Folder with accounts.csv, arr_movements.csv, outcomes.csv, evidence.csv, signals.csv, milestones.csv, renewals.csv, metrics.csv (any may be absent)." };
        var db = new Option<string?>("--db")
        {
            Description = $"SQLite database file, or a PostgreSQL database (postgres://USER:PASSWORD@HOST:PORT/DB, or Host=...;Database=...). Default: ${Paths.DbVariable}, else valuemcp.db in the user's data directory.",
            HelpName = "PATH|URL",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check everything (against the stored facts too) and write nothing: the database is opened read-only (and not created)." };
        var operatorName = OperatorOption();
        var cache = new Option<int>("--cache-mb")
        {
            Description = "Page cache of the import in MiB, 1-65536 (more is faster on a large import; beyond it, pages spill to the WAL before the commit).",
            DefaultValueFactory = _ => new ImportOptions().CacheMiB,
        };
        var cmd = new Command("import", "Load CSV exports into the database: all or nothing, idempotent, every bad row reported as FILE:LINE: COLUMN: message. Exit 0 imported, 1 refused, 2 usage.")
            { folder, db, dryRun, operatorName, cache };
        cmd.SetAction(parse =>
        {
            var dir = parse.GetValue(folder)!;
            if (!dir.Exists)
            {
                Console.Error.WriteLine(File.Exists(dir.FullName)
                    ? $"valuemcp import: {dir.FullName} is a file; {ImportSource.FolderHint}"
                    : $"valuemcp import: folder not found: {dir.FullName}");
                return Commands.Usage;
            }
            var path = Paths.Database(parse.GetValue(db));
            var dry = parse.GetValue(dryRun);
            var cacheMiB = parse.GetValue(cache);
            if (cacheMiB is < 1 or > 65_536)
            {
                Console.Error.WriteLine("valuemcp import: --cache-mb accepts 1 to 65536");
                return Commands.Usage;
            }
            string? scratch = null;
            try
            {
                var author = new OperatorAuthor(parse.GetValue(operatorName)).Operator;
                var source = ImportSource.FromFolder(dir.FullName);
                IFactStore database;
                if (Store.Postgres.PgStore.IsTarget(path))
                {
                    // The schema is made when missing (not by a dry run, which writes nothing).
                    database = Store.Postgres.PgStore.Open(path, readOnly: dry, create: !dry);
                    path = database.Display; // never the password
                }
                else if (dry && !File.Exists(path))
                {
                    // Nothing stored yet: check the files against an empty store, without creating the database.
                    scratch = Path.Combine(Path.GetTempPath(), $"valuemcp-dry-run-{Guid.NewGuid():N}.db");
                    database = Database.Open(scratch);
                    Console.Error.WriteLine($"valuemcp import: no database at {path} yet: checking against an empty store");
                }
                else
                {
                    var created = !dry && !File.Exists(path);
                    database = Database.Open(path, readOnly: dry);
                    if (created) Console.Error.WriteLine($"valuemcp import: created a new database at {path}");
                }
                ImportReport report;
                using (database)
                    report = Run(source, progress => database.Import(source, new ImportOptions { DryRun = dry, Author = author, CacheMiB = cacheMiB }, progress));
                Commands.PrintReport(report, path);
                return report.Ok ? Commands.Ok : Commands.Refused;
            }
            catch (Exception e) when (CliErrors.IsExpected(e))
            {
                return CliErrors.Report("valuemcp import", e);
            }
            finally
            {
                SqliteConnection.ClearAllPools(); // closes the last connection: SQLite checkpoints the WAL into the file
                if (scratch is not null)
                    foreach (var p in new[] { scratch, scratch + "-wal", scratch + "-shm" }) File.Delete(p);
            }
        });
        return cmd;
    }

    private static bool Interactive =>
        !Console.IsOutputRedirected && !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs the import with a progress bar per file (interactive terminal) or plain progress lines on stderr.</summary>
    public static ImportReport Run(ImportSource source, Func<IProgress<ImportProgress>, ImportReport> import)
    {
        if (!Interactive)
        {
            const long every = 262_144;
            return import(new Relay(p =>
            {
                if (p.Done) Console.Error.WriteLine($"  {p.File}: {p.Rows:N0} rows read");
                else if (p.Rows % every == 0) Console.Error.WriteLine($"  {p.File}: {p.Rows:N0} rows...");
            }));
        }
        ImportReport? report = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var tasks = source.Files.ToDictionary(f => f, f => ctx.AddTask(Markup.Escape(f), maxValue: Math.Max(1, source.Get(f).Length ?? 1)));
                report = import(new Relay(p =>
                {
                    var task = tasks[p.File];
                    task.Value = p.Done ? task.MaxValue : Math.Min(p.Bytes, task.MaxValue - 1);
                    task.Description = Markup.Escape($"{p.File}: {p.Rows:N0} rows");
                    if (p.Done) task.StopTask();
                }));
            });
        return report!;
    }

    /// <summary>Reports on the importing thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Relay(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
