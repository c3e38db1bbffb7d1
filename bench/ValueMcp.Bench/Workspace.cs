using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ValueMcp.DemoData;

namespace ValueMcp.Bench;

/// <summary>
/// The benchmark's working folder: csv/ (the generated portfolio), bench.db (it imported, with a few overrides set
/// through the server), kept and reused when the folder is given; a temporary folder, deleted after, otherwise.
/// </summary>
public sealed class Workspace : IDisposable
{
    private readonly bool _temporary;

    private Workspace(string dir, bool temporary)
    {
        Dir = dir;
        _temporary = temporary;
    }

    public string Dir { get; }

    /// <summary>A temporary folder (no --work): nothing built in it is reused by a later run.</summary>
    public bool Temporary => _temporary;
    public string Csv => Path.Combine(Dir, "csv");
    public string Database => Path.Combine(Dir, Metrics ? "bench-metrics.db" : "bench.db");

    /// <summary>Whether the portfolio has metric readings (set by EnsureCsv; the database with them is bench-metrics.db).</summary>
    public bool Metrics { get; private set; }

    /// <summary>The folder given (made when missing), or a new temporary one.</summary>
    public static Workspace Open(string? dir, string command)
    {
        var temporary = dir is null;
        var path = Path.GetFullPath(dir ?? Path.Combine(Path.GetTempPath(), $"valuemcp-{command}-{Guid.NewGuid():N}"));
        if (File.Exists(path)) throw new BenchException($"--work: {path} is a file; give a folder (made when missing, reused when it holds a portfolio)");
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BenchException($"cannot make the working folder {path}: {e.Message}");
        }
        return new Workspace(path, temporary);
    }

    /// <summary>
    /// Generates the portfolio's CSV files unless csv/ holds them already; a line saying which. metrics: with
    /// metrics.csv (5 metrics per account, a reading a week for the full year before the anchor, whatever the
    /// account's contract dates: 260 rows an account), generated when csv/ has none of those; without it, an existing metrics.csv is set aside (the benchmarks of the facts as they were before readings).
    /// </summary>
    public string EnsureCsv(int accounts, bool metrics = false)
    {
        Metrics = metrics;
        var readings = Path.Combine(Csv, "metrics.csv");
        // Written after a generation with readings for the full year (GeneratorOptions.FullYearReadings): a metrics.csv
        // of an earlier generator (readings from contract start until a churn only) is not reused.
        var fullYear = Path.Combine(Csv, "metrics.full-year");
        if (!metrics && File.Exists(readings)) File.Move(readings, readings + ".set-aside", overwrite: true);
        if (metrics && !File.Exists(readings) && File.Exists(readings + ".set-aside")) File.Move(readings + ".set-aside", readings);
        if (File.Exists(Path.Combine(Csv, "accounts.csv")) && (!metrics || (File.Exists(readings) && File.Exists(fullYear))))
            return $"reusing the CSV files in {Csv} ({CountLines(Path.Combine(Csv, "accounts.csv")) - 1:N0} accounts{(metrics ? ", with metrics.csv" : "")}; --accounts applies when generating)";
        var watch = Stopwatch.StartNew();
        try
        {
            if (File.Exists(fullYear)) File.Delete(fullYear);
            PortfolioGenerator.Write(Csv, new GeneratorOptions(accounts, Metrics: metrics, FullYearReadings: metrics));
            if (metrics) File.WriteAllText(fullYear, "metrics.csv: 5 metrics x 52 weekly readings for every account (GeneratorOptions.FullYearReadings)\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BenchException($"cannot write the portfolio to {Csv}: {e.Message}");
        }
        return $"generated {accounts:N0} accounts into {Csv} in {watch.Elapsed.TotalSeconds:F1} s";
    }

    /// <summary>
    /// Imports csv/ with `valuemcp import` into bench.db and sets the benchmark's overrides through the server, unless
    /// bench.db exists already; a line saying what was done. Built under another name and renamed when complete, so
    /// that an interrupted run leaves no half-built database to reuse.
    /// </summary>
    public async Task<string> EnsureDatabase(ServerProgram server, CancellationToken ct)
    {
        if (File.Exists(Database)) return $"reusing the database {Database}";
        var building = Database + ".building";
        DeleteDatabase(building);
        var run = await server.Run(["import", Csv, "--db", building], TimeSpan.FromHours(2));
        if (run.ExitCode != 0) throw new BenchException($"valuemcp import refused the portfolio: {run.LastError}", Exit.Failed);
        var rows = RowCounts(building).Values.Sum();
        var line = $"imported {rows:N0} rows with valuemcp import in {run.Elapsed.TotalSeconds:F1} s ({rows / run.Elapsed.TotalSeconds:N0} rows/s, process start included)";

        List<string> ids;
        using (var c = Floor.Open(building)) ids = AccountIds(c);
        await using (var serving = await server.Serve(building, [], ct))
        {
            var set = await Overrides.Apply(serving.Client, ids, PortfolioGenerator.DemoAnchorDate, ct);
            line += $"; {set} overrides set through set_override";
        }
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "-wal", "-shm" })
            if (File.Exists(building + suffix)) File.Move(building + suffix, Database + suffix, overwrite: true);
        File.Move(building, Database);
        return line;
    }

    /// <summary>A fresh copy of bench.db for one run (the benchmark writes to it).</summary>
    public string FreshCopy()
    {
        var copy = Path.Combine(Dir, "run.db");
        DeleteDatabase(copy);
        File.Copy(Database, copy);
        foreach (var suffix in new[] { "-wal", "-shm" })
            if (File.Exists(Database + suffix)) File.Copy(Database + suffix, copy + suffix);
        return copy;
    }

    /// <summary>The rows of each fact table the import fills.</summary>
    public static Dictionary<string, long> RowCounts(string dbPath)
    {
        using var c = Floor.Open(dbPath);
        var counts = new Dictionary<string, long>();
        foreach (var table in new[] { "accounts", "arr_movements", "outcomes", "evidence", "signals", "milestones", "renewals", "metric_readings" })
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT COUNT(*) FROM {table}"; // a table name of the list above, not input
            counts[table] = (long)cmd.ExecuteScalar()!;
        }
        return counts;
    }

    private static List<string> AccountIds(SqliteConnection c)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id FROM accounts ORDER BY id";
        using var r = cmd.ExecuteReader();
        var ids = new List<string>();
        while (r.Read()) ids.Add(r.GetString(0));
        return ids;
    }

    public static void DeleteDatabase(string path)
    {
        foreach (var p in new[] { path, path + "-wal", path + "-shm" })
            if (File.Exists(p)) File.Delete(p);
    }

    private static long CountLines(string path)
    {
        long n = 0;
        foreach (var _ in File.ReadLines(path)) n++;
        return n;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (!_temporary) return;
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}

/// <summary>
/// Overrides of every field, set through the server's set_override tool on accounts spread over the portfolio: some
/// without expiry, some expiring after the benchmark's dates, some expired before them, some expiring in between, and
/// a later override of the same field on a few accounts (the most recent wins). Generated portfolios have none.
/// </summary>
public static class Overrides
{
    private static readonly string[] Bands = ["on_track", "at_risk", "critical"];
    private static readonly string[] Readiness = ["ready", "emerging", "not_ready", "blocked"];
    private static readonly string[] Risks = ["high", "medium", "low"];

    /// <summary>How many accounts get one: 1 in 500, at least 12 (a small portfolio still has every kind), at most 200.</summary>
    public static int CountFor(int accounts) => Math.Min(accounts, Math.Clamp(accounts / 500, 12, 200));

    /// <summary>Sets the overrides; the number set. Throws when the server refuses one.</summary>
    public static async Task<int> Apply(McpClient client, IReadOnlyList<string> accountIds, DateOnly anchor, CancellationToken ct)
    {
        var n = CountFor(accountIds.Count);
        var set = 0;
        for (var i = 0; i < n; i++)
        {
            var account = accountIds[(int)((long)i * accountIds.Count / n)];
            var (field, value) = (i % 3) switch
            {
                0 => ("band", Bands[i / 3 % Bands.Length]),
                1 => ("readiness", Readiness[i / 3 % Readiness.Length]),
                _ => ("risk", Risks[i / 3 % Risks.Length]),
            };
            var created = anchor.AddDays(-(30 + i * 7 % 300));
            DateOnly? expires = (i % 4) switch
            {
                0 => null,
                1 => anchor.AddDays(30),
                2 => created.AddDays(10),
                _ => anchor.AddDays(-2),
            };
            await Set(client, account, field, value, created, expires, $"benchmark override {i}", ct);
            set++;
            if (i % 10 == 0)
            {
                // A later judgement of the same field replaces the first while both are in force.
                var later = field switch
                {
                    "band" => Bands[(Array.IndexOf(Bands, value) + 1) % Bands.Length],
                    "readiness" => Readiness[(Array.IndexOf(Readiness, value) + 1) % Readiness.Length],
                    _ => Risks[(Array.IndexOf(Risks, value) + 1) % Risks.Length],
                };
                await Set(client, account, field, later, created.AddDays(5), null, $"benchmark override {i}, revised", ct);
                set++;
            }
        }
        return set;
    }

    public static async Task Set(McpClient client, string account, string field, string value, DateOnly created, DateOnly? expires, string reason, CancellationToken ct)
    {
        var args = new Dictionary<string, object?>
        {
            ["account_id"] = account,
            ["field"] = field,
            ["value"] = value,
            ["reason"] = reason,
            ["created_at"] = Floor.Iso(created),
        };
        if (expires is DateOnly x) args["expires_at"] = Floor.Iso(x);
        var result = await client.CallToolAsync("set_override", args, cancellationToken: ct);
        if (result.IsError == true) throw new BenchException($"set_override refused {account} {field}={value}: {Tool.Text(result)}", Exit.Failed);
    }
}

/// <summary>Calling the server's tools.</summary>
public static class Tool
{
    public static string Text(CallToolResult result) =>
        string.Join(" ", result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    /// <summary>Calls a tool that must answer without error; its structured content and the time the call took.</summary>
    public static async Task<(JsonElement Structured, double Ms)> Call(McpClient client, string tool, Dictionary<string, object?> args, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var result = await client.CallToolAsync(tool, args, cancellationToken: ct);
        var ms = watch.Elapsed.TotalMilliseconds;
        if (result.IsError == true) throw new BenchException($"{tool} answered an error: {Tool.Text(result)}", Exit.Failed);
        if (result.StructuredContent is not JsonElement structured) throw new BenchException($"{tool} answered without structured content", Exit.Failed);
        return (structured, ms);
    }
}
