using System.CommandLine;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using ValueMcp.DemoData;
using ValueMcp.Store;

namespace ValueMcp.Server.Cli;

/// <summary>
/// The import benchmark: the same CSVs loaded, in one run, by the import (every check, one transaction) and by the
/// sqlite3 command-line shell's .import into tables shaped like the CSVs (the floor: parsing and inserting, no
/// checks). Prints rows per second and the ratio of the import's rate to the floor's.
/// </summary>
public static class BenchImport
{
    public static Command Command()
    {
        var accounts = new Option<int>("--accounts") { Description = "Portfolio size (generated when the work folder has no CSVs).", DefaultValueFactory = _ => 100_000 };
        var work = new Option<string?>("--work") { Description = "Working folder; its csv/ subfolder is reused when present. Default: a temporary folder, deleted after." };
        var sqlite3 = new Option<string>("--sqlite3") { Description = "The sqlite3 command-line shell for the floor.", DefaultValueFactory = _ => "sqlite3" };
        var runs = new Option<int>("--runs") { Description = "Rounds (import, floors) in the run; the best time of each is kept (the machines are shared and noisy).", DefaultValueFactory = _ => 1 };
        var cmd = new Command("bench-import", "Benchmark the import against the sqlite3 shell's .import of the same CSVs (rows/s and ratio, in one run).")
            { accounts, work, sqlite3, runs };
        cmd.SetAction(parse => Run(parse.GetValue(accounts), parse.GetValue(work), parse.GetValue(sqlite3)!, parse.GetValue(runs)));
        return cmd;
    }

    // Tables shaped like the CSV files (the shell's .import maps columns by position), with the store's keys.
    private static readonly string[] StagingTables =
    [
        "CREATE TABLE accounts (id TEXT PRIMARY KEY, name TEXT, segment TEXT, tier TEXT, csm TEXT, account_manager TEXT, contract_start TEXT, renewal_date TEXT, contracted_capacity REAL, used_capacity REAL, executive_sponsor TEXT)",
        "CREATE TABLE arr_movements (account_id TEXT, effective_date TEXT, kind TEXT, amount TEXT, lane TEXT, note TEXT, UNIQUE (account_id, effective_date, kind, amount))",
        "CREATE TABLE outcomes (id TEXT PRIMARY KEY, account_id TEXT, title TEXT, metric TEXT, unit TEXT, baseline REAL, target REAL, direction TEXT, promised_at TEXT, due_date TEXT, source TEXT)",
        "CREATE TABLE evidence (id TEXT PRIMARY KEY, outcome_id TEXT, captured_at TEXT, source TEXT, observed_value REAL, achieved TEXT, note TEXT, captured_by TEXT)",
        "CREATE TABLE signals (id TEXT PRIMARY KEY, account_id TEXT, observed_at TEXT, category TEXT, kind TEXT, polarity TEXT, note TEXT)",
        "CREATE TABLE milestones (account_id TEXT, kind TEXT, reached_at TEXT, PRIMARY KEY (account_id, kind))",
    ];

    // The store's secondary indexes (migrations 0001 and 0002) on the same columns.
    private static readonly string[] StagingIndexes =
    [
        "CREATE INDEX outcomes_by_account ON outcomes (account_id, promised_at)",
        "CREATE INDEX evidence_by_outcome ON evidence (outcome_id, captured_at)",
        "CREATE INDEX signals_by_account ON signals (account_id, observed_at)",
        "CREATE INDEX signals_by_date ON signals (observed_at, account_id, category, polarity, kind, id)",
        "CREATE INDEX evidence_cover ON evidence (outcome_id, captured_at, achieved, observed_value, source)",
        "CREATE INDEX outcomes_cover ON outcomes (id, promised_at, target, direction)",
    ];

    public static int Run(int accounts, string? workDir, string sqlite3, int runs = 1)
    {
        if (accounts < 1 || runs < 1) { Console.Error.WriteLine("bench-import: --accounts and --runs must be positive"); return Commands.Usage; }
        var temp = workDir is null;
        var work = workDir ?? Path.Combine(Path.GetTempPath(), $"valuemcp-bench-import-{Guid.NewGuid():N}");
        var csv = Path.Combine(work, "csv");
        try
        {
            Directory.CreateDirectory(work);
            if (!File.Exists(Path.Combine(csv, "accounts.csv")))
            {
                var sw = Stopwatch.StartNew();
                PortfolioGenerator.Write(csv, new GeneratorOptions(accounts));
                Console.WriteLine($"generated {accounts:N0} accounts in {sw.Elapsed.TotalSeconds:F1} s");
            }
            var files = FactImporter.FileOrder.Where(f => File.Exists(Path.Combine(csv, f))).ToList();
            foreach (var f in files) File.ReadAllBytes(Path.Combine(csv, f)); // the same warm page cache for every contender

            var contenders = new (string Label, bool? Indexes)[]
            {
                ("import (all checks, one transaction)", null),
                ("floor: sqlite3 .import, same keys and indexes", true),
                ("floor: sqlite3 .import, same keys, no other index", false),
            };
            var best = new TimeSpan?[contenders.Length];
            long rows = 0;
            for (var round = 0; round < runs; round++)
            {
                for (var k = 0; k < contenders.Length; k++)
                {
                    TimeSpan? t;
                    if (contenders[k].Indexes is bool indexes) t = Floor(sqlite3, work, csv, files, indexes);
                    else
                    {
                        var (report, time) = Ours(work, csv);
                        if (!report.Ok) { foreach (var e in report.Errors.Take(10)) Console.Error.WriteLine(e); return Commands.Refused; }
                        if (round == 0)
                            Console.WriteLine($"rows: {report.Files.Sum(f => f.Rows):N0} in {files.Count} files ({string.Join(", ", report.Files.Select(f => $"{f.File} {f.Rows:N0}"))})");
                        rows = report.Files.Sum(f => f.Rows);
                        t = time;
                    }
                    if (t is TimeSpan v && (best[k] is not TimeSpan b || v < b)) best[k] = v;
                    Console.WriteLine($"  round {round + 1}: {contenders[k].Label}: {(t is TimeSpan x ? $"{x.TotalSeconds:F1} s" : "skipped")}");
                }
            }

            var rate = rows / best[0]!.Value.TotalSeconds;
            Console.WriteLine($"import: {best[0]!.Value.TotalSeconds:F1} s, {rate:N0} rows/s (best of {runs})");
            for (var k = 1; k < contenders.Length; k++)
            {
                if (best[k] is not TimeSpan t)
                {
                    Console.WriteLine($"{contenders[k].Label}: skipped (no working {sqlite3}; install sqlite3 or pass --sqlite3 PATH)");
                    continue;
                }
                var floorRate = rows / t.TotalSeconds;
                Console.WriteLine($"{contenders[k].Label}: {t.TotalSeconds:F1} s, {floorRate:N0} rows/s; ratio import / floor: {rate / floorRate:F2} (target >= 0.5)");
            }
            return Commands.Ok;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (temp) try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// The import into a new database (schema by the migrations, not timed); timed: the import, its commit and the
    /// closing of the database (as the shell's run includes its own).
    /// </summary>
    private static (ImportReport Report, TimeSpan Time) Ours(string work, string csv)
    {
        var path = Path.Combine(work, "import.db");
        Delete(path);
        var db = Database.Open(path);
        var sw = Stopwatch.StartNew();
        ImportReport report;
        using (db) report = new FactImporter(db).Import(ImportSource.FromFolder(csv), new ImportOptions());
        SqliteConnection.ClearAllPools();
        return (report, sw.Elapsed);
    }

    /// <summary>Loads the CSVs with the shell into a new database of staging tables; the time of the shell's run, or null without a shell.</summary>
    private static TimeSpan? Floor(string sqlite3, string work, string csv, IReadOnlyList<string> files, bool indexes)
    {
        var path = Path.Combine(work, indexes ? "floor-indexed.db" : "floor.db");
        Delete(path);
        using (var c = new SqliteConnection($"Data Source={path}"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode=WAL;" + string.Join(";", StagingTables) + ";" + (indexes ? string.Join(";", StagingIndexes) : "");
            cmd.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();

        // The same settings as the store's writer; the shell runs each .import in one transaction.
        var args = new List<string> { path, "PRAGMA synchronous=NORMAL;", ".mode csv" };
        args.AddRange(files.Select(f => $".import --skip 1 '{Path.Combine(csv, f)}' {Path.GetFileNameWithoutExtension(f)}"));
        var start = new ProcessStartInfo(sqlite3) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var elapsed = sw.Elapsed;
            if (process.ExitCode != 0)
            {
                Console.Error.WriteLine($"bench-import: {sqlite3} failed: {stderr.Result.Trim()}");
                return null;
            }
            return elapsed;
        }
    }

    private static void Delete(string path)
    {
        foreach (var p in new[] { path, path + "-wal", path + "-shm" })
            if (File.Exists(p)) File.Delete(p);
    }
}
