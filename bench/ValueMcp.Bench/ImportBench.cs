using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ValueMcp.Bench;

/// <summary>
/// `bench-import`: the same CSVs loaded, in one run, by `valuemcp import` (every check, one transaction) and by the
/// sqlite3 command-line shell's .import into tables shaped like the CSVs (the floor: parsing and inserting, no checks).
/// Each is timed as its own process. Prints rows per second and the ratio of the import's rate to each floor's, against
/// the target (at least 0.5 of the floor with the same keys and indexes).
/// </summary>
public static class ImportBench
{
    public const double Target = 0.5;

    public static Command Command()
    {
        var accounts = new Option<int>("--accounts") { Description = "Portfolio size (generated when the work folder has no CSVs; 1-1,000,000).", DefaultValueFactory = _ => 100_000 };
        var work = ScaleBench.WorkOption();
        var sqlite3 = new Option<string>("--sqlite3") { Description = "The sqlite3 command-line shell for the floor.", DefaultValueFactory = _ => "sqlite3" };
        var runs = new Option<int>("--runs") { Description = "Rounds (import, floors) in the run; the best time of each is kept (the machines are shared and noisy; 1-20).", DefaultValueFactory = _ => 1 };
        var server = ScaleBench.ServerOption();
        var metrics = new Option<bool>("--metrics") { Description = "Include metrics.csv: 5 metrics per account, a reading a week for a year (26 million rows at 100,000 accounts; SQLite only)." };
        var pg = PgImportBench.Option();
        var psql = new Option<string>("--psql") { Description = "The psql shell for the PostgreSQL floor (with --pg).", DefaultValueFactory = _ => "psql" };
        var cmd = new Command("bench-import", "The import against the sqlite3 shell's .import of the same CSVs (with --pg: into PostgreSQL, against psql's \\copy): rows/s and the ratio, in one run.")
            { accounts, work, sqlite3, runs, server, pg, psql, metrics };
        cmd.SetAction(parse => ScaleBench.Guarded(() => parse.GetValue(pg) is { } url
            ? PgImportBench.Run(url, parse.GetValue(psql)!, parse.GetValue(accounts), parse.GetValue(work), parse.GetValue(runs), parse.GetValue(server), Console.Out)
            : Run(parse.GetValue(accounts), parse.GetValue(work), parse.GetValue(sqlite3)!, parse.GetValue(runs),
            parse.GetValue(server), Console.Out, parse.GetValue(metrics)), "bench-import"));
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
        "CREATE TABLE renewals (account_id TEXT, renewal_date TEXT, outcome TEXT, renewed_arr REAL, next_renewal_date TEXT, reason TEXT, decided_at TEXT, note TEXT, PRIMARY KEY (account_id, renewal_date)) WITHOUT ROWID",
        "CREATE TABLE metrics (account_id TEXT, metric TEXT, observed_at TEXT, value REAL, source TEXT, PRIMARY KEY (account_id, metric, observed_at)) WITHOUT ROWID",
    ];

    // The store's secondary indexes (its migrations 0001 and 0002) on the same columns.
    private static readonly string[] StagingIndexes =
    [
        "CREATE INDEX outcomes_by_account ON outcomes (account_id, promised_at)",
        "CREATE INDEX evidence_by_outcome ON evidence (outcome_id, captured_at)",
        "CREATE INDEX signals_by_account ON signals (account_id, observed_at)",
        "CREATE INDEX signals_by_date ON signals (observed_at, account_id, category, polarity, kind, id)",
        "CREATE INDEX evidence_cover ON evidence (outcome_id, captured_at, achieved, observed_value, source)",
        "CREATE INDEX outcomes_cover ON outcomes (id, promised_at, target, direction)",
    ];

    /// <summary>The import's files, in the order the import reads them.</summary>
    internal static readonly string[] Files = ["accounts.csv", "arr_movements.csv", "outcomes.csv", "evidence.csv", "signals.csv", "milestones.csv", "metrics.csv"];

    /// <summary>The files the SQLite floor loads: the import's, renewals.csv included (its rows are counted in both).</summary>
    private static readonly string[] SqliteFiles = ["accounts.csv", "arr_movements.csv", "outcomes.csv", "evidence.csv", "signals.csv", "milestones.csv", "renewals.csv", "metrics.csv"];

    public static async Task<int> Run(int accounts, string? workDir, string sqlite3, int runs, string? serverPath, TextWriter output, bool metrics = false)
    {
        if (accounts is < 1 or > 1_000_000 || runs is < 1 or > 20) throw new BenchException("--accounts accepts 1 to 1,000,000, --runs 1 to 20");
        var server = ServerProgram.Resolve(serverPath);
        using var work = Workspace.Open(workDir, "bench-import");
        await Console.Error.WriteLineAsync("bench-import: " + work.EnsureCsv(accounts, metrics));
        var files = SqliteFiles.Where(f => File.Exists(Path.Combine(work.Csv, f))).ToList();
        var load = Machine.LoadAverage();
        foreach (var f in files) await File.ReadAllBytesAsync(Path.Combine(work.Csv, f)); // the same warm page cache for every contender

        var contenders = new (string Label, bool? Indexes)[]
        {
            ("import: valuemcp import (all checks, one transaction)", null),
            ("floor: sqlite3 .import, the same keys and indexes", true),
            ("floor: sqlite3 .import, the same keys only", false),
        };
        var best = new TimeSpan?[contenders.Length];
        var rows = new Dictionary<string, long>();
        for (var round = 0; round < runs; round++)
        {
            for (var k = 0; k < contenders.Length; k++)
            {
                TimeSpan? t;
                if (contenders[k].Indexes is bool indexes) t = await Floor(sqlite3, work.Dir, work.Csv, files, indexes);
                else (rows, t) = await Ours(server, work.Dir, work.Csv);
                if (t is TimeSpan v && (best[k] is not TimeSpan b || v < b)) best[k] = v;
                await Console.Error.WriteLineAsync($"  round {round + 1}: {contenders[k].Label}: {(t is TimeSpan x ? $"{x.TotalSeconds:F1} s" : "skipped")}");
            }
        }

        var total = rows.Values.Sum();
        var rate = total / best[0]!.Value.TotalSeconds;
        await output.WriteLineAsync($"valuemcp bench-import: {total:N0} rows ({string.Join(", ", rows.Select(r => $"{r.Key} {r.Value:N0}"))}); " +
                                    $"best of {runs} round(s); server {server.Description}");
        await output.WriteLineAsync(Machine.Describe(load, Machine.LoadAverage()));
        await output.WriteLineAsync($"{contenders[0].Label}: {best[0]!.Value.TotalSeconds:F1} s, {rate:N0} rows/s");
        for (var k = 1; k < contenders.Length; k++)
        {
            if (best[k] is not TimeSpan t)
            {
                await output.WriteLineAsync($"{contenders[k].Label}: skipped (no working {sqlite3}; install sqlite3 or pass --sqlite3 PATH)");
                continue;
            }
            var floorRate = total / t.TotalSeconds;
            var ratio = rate / floorRate;
            // The target is against the floor with the same indexes; the keys-only floor is shown for reference.
            var verdict = contenders[k].Indexes == true ? (ratio >= Target ? "met" : "NOT MET  <<<") : "reference";
            await output.WriteLineAsync($"{contenders[k].Label}: {t.TotalSeconds:F1} s, {floorRate:N0} rows/s; " +
                                        $"ratio import / floor {ratio.ToString("0.00", CultureInfo.InvariantCulture)} " +
                                        $"(target >= {Target.ToString("0.0", CultureInfo.InvariantCulture)}): {verdict}");
        }
        return Exit.Ok;
    }

    /// <summary>`valuemcp import` into a new database, timed as its process (start, migrations, import, commit, close).</summary>
    private static async Task<(Dictionary<string, long> Rows, TimeSpan Time)> Ours(ServerProgram server, string work, string csv)
    {
        var path = Path.Combine(work, "import.db");
        Workspace.DeleteDatabase(path);
        var run = await server.Run(["import", csv, "--db", path], TimeSpan.FromHours(2));
        if (run.ExitCode != 0) throw new BenchException($"valuemcp import refused the portfolio: {run.LastError}", Exit.Failed);
        return (Workspace.RowCounts(path), run.Elapsed);
    }

    /// <summary>Loads the CSVs with the shell into a new database of staging tables; the time of the shell's run, or null without a shell.</summary>
    private static async Task<TimeSpan?> Floor(string sqlite3, string work, string csv, IReadOnlyList<string> files, bool indexes)
    {
        var path = Path.Combine(work, indexes ? "floor-indexed.db" : "floor.db");
        Workspace.DeleteDatabase(path);
        using (var c = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA journal_mode=WAL;" + string.Join(";", StagingTables) + ";" + (indexes ? string.Join(";", StagingIndexes) : "");
            cmd.ExecuteNonQuery();
        }

        // The same settings as the store's writer; the shell runs each .import in one transaction.
        var start = new ProcessStartInfo(sqlite3);
        foreach (var a in new[] { path, "PRAGMA synchronous=NORMAL;", ".mode csv" }
                     .Concat(files.Select(f => $".import --skip 1 '{Path.Combine(csv, f)}' {Path.GetFileNameWithoutExtension(f)}")))
            start.ArgumentList.Add(a);
        ProcessRun run;
        try
        {
            run = await ProcessRun.ToExit(start, TimeSpan.FromHours(1));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        if (run.ExitCode == 0) return run.Elapsed;
        await Console.Error.WriteLineAsync($"bench-import: {sqlite3} failed: {run.Stderr.Trim()}");
        return null;
    }
}
