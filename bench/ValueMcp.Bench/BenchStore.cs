using System.CommandLine;
using System.Data.Common;
using System.Diagnostics;
using Npgsql;
using ValueMcp.DemoData;
using ValueMcp.Store.Postgres;

namespace ValueMcp.Bench;

/// <summary>
/// The database `bench` measures: the SQLite file of the working folder (the default), or a database on PostgreSQL
/// (`--db postgres`: a throwaway cluster started by scripts/pg-cluster.sh and stopped by its PID at the end; `--db
/// postgres://USER:PASSWORD@HOST:PORT/postgres`: a cluster's maintenance database, on which the benchmark makes its
/// own databases). Either way the portfolio is imported once by `valuemcp import` with the benchmark's overrides set
/// through the server, and each run measures a fresh copy of it (a file copy; on PostgreSQL a database made from it
/// as a template), which the server is given as --db and the floor reads.
/// </summary>
public abstract class BenchStore : IDisposable
{
    public static Option<string?> Option() => new("--db")
    {
        Description = "The store to measure: sqlite (default: a file in the working folder), postgres (a throwaway cluster, scripts/pg-cluster.sh), " +
                      "or postgres://USER:PASSWORD@HOST:PORT/postgres (a cluster's maintenance database; the benchmark makes databases valuemcp_bench*).",
        HelpName = "sqlite|postgres|URL",
    };

    /// <summary>The store's name in the report.</summary>
    public abstract string Describe { get; }

    /// <summary>The target of the first health at a new as_of, as a ratio to the floor on the same store.</summary>
    public abstract double FirstHealthTarget { get; }

    /// <summary>Imports the portfolio and sets the overrides unless that was done before; a line saying what was done.</summary>
    public abstract Task<string> EnsureDatabase(ServerProgram server, CancellationToken ct);

    /// <summary>A fresh copy of the imported portfolio for one run: what the server's --db and the floor are given.</summary>
    public abstract string FreshCopy();

    public virtual void Dispose()
    {
    }

    public static BenchStore Open(string? db, Workspace work) => db switch
    {
        null or "sqlite" => new SqliteBenchStore(work),
        "postgres" => PgBenchStore.Throwaway(work),
        _ when PgStore.IsTarget(db) && db.Contains("://", StringComparison.Ordinal) => new PgBenchStore(db, work, cluster: null),
        _ => throw new BenchException("--db accepts sqlite, postgres (a throwaway cluster) or a postgres:// URL of a cluster's maintenance database"),
    };

    /// <summary>
    /// Brings a kept database (built by an earlier run, perhaps by an older release) to the server's schema with
    /// `valuemcp migrate`, before the floor reads it: the floor is written against the current schema. The line the
    /// server printed (schema already at, or migrated from, a version); null when the server refuses it (a database
    /// from a newer release): build it again.
    /// </summary>
    protected static async Task<string?> Migrate(ServerProgram server, string db)
    {
        var run = await server.Run(["migrate", "--db", db], TimeSpan.FromMinutes(30));
        return run.ExitCode == 0 ? run.Stdout.Trim() : null;
    }

    /// <summary>The ids of every account, in order (where the overrides go).</summary>
    protected static List<string> AccountIds(DbConnection c)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id FROM accounts ORDER BY id";
        using var r = cmd.ExecuteReader();
        var ids = new List<string>();
        while (r.Read()) ids.Add(r.GetString(0));
        return ids;
    }
}

/// <summary>SQLite: bench.db in the working folder, kept and reused when the folder is given.</summary>
public sealed class SqliteBenchStore(Workspace work) : BenchStore
{
    public override string Describe => "SQLite";

    public override double FirstHealthTarget => ScaleBench.FirstHealthTarget;

    public override async Task<string> EnsureDatabase(ServerProgram server, CancellationToken ct)
    {
        if (File.Exists(work.Database))
        {
            if (await Migrate(server, work.Database) is { } migrated) return $"reusing the database {work.Database} ({migrated})";
            Workspace.DeleteDatabase(work.Database);
        }
        return await work.EnsureDatabase(server, ct);
    }

    public override string FreshCopy() => work.FreshCopy();
}

/// <summary>
/// PostgreSQL: the portfolio in the database valuemcp_bench (built as valuemcp_bench_building, renamed when complete,
/// so that an interrupted run leaves nothing to reuse), reused when --work is given and its postgres.built names that
/// database (it was built there from the folder's CSVs); each run's copy is
/// valuemcp_bench_run, made with valuemcp_bench as its template (the rows, indexes and statistics, no import).
/// </summary>
public sealed class PgBenchStore : BenchStore
{
    /// <summary>The target on PostgreSQL: the first health answer within 1.5x the single-SQL floor there.</summary>
    public const double PgFirstHealthTarget = 1.5;

    private const string Imported = "valuemcp_bench", Building = "valuemcp_bench_building", RunCopy = "valuemcp_bench_run";

    private readonly string _url;
    private readonly Workspace _work;
    private readonly string? _cluster;

    public PgBenchStore(string url, Workspace work, string? cluster)
    {
        _url = url;
        _work = work;
        _cluster = cluster;
        try
        {
            PgImportBench.Execute(url, "SELECT 1");
        }
        catch (Exception e) when (e is NpgsqlException or ValueMcp.Store.StoreException)
        {
            Dispose();
            throw new BenchException($"--db: cannot reach {PgStore.Describe(PgStore.Settings(url))}: {e.Message}");
        }
    }

    /// <summary>Starts a throwaway cluster with scripts/pg-cluster.sh (found above the current folder or the benchmark).</summary>
    public static PgBenchStore Throwaway(Workspace work)
    {
        var script = FindScript() ?? throw new BenchException("--db postgres: scripts/pg-cluster.sh not found above the current folder; run from the repository, or pass --db postgres://...");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, "start" }) start.ArgumentList.Add(a);
        using var p = Process.Start(start) ?? throw new BenchException("--db postgres: cannot run bash");
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        var lines = stdout.Split('\n');
        var dir = lines.FirstOrDefault(l => l.StartsWith("DIR=", StringComparison.Ordinal))?[4..];
        var url = lines.FirstOrDefault(l => l.StartsWith("URL=", StringComparison.Ordinal))?[4..];
        if (p.ExitCode != 0 || dir is null || url is null)
            throw new BenchException($"--db postgres: the throwaway cluster did not start (scripts/pg-cluster.sh exit {p.ExitCode}): {stderr.Trim()}");
        Console.Error.WriteLine($"bench: throwaway PostgreSQL cluster in {dir} at {PgStore.Describe(PgStore.Settings(url))}");
        return new PgBenchStore(url, work, dir);
    }

    private static string? FindScript()
    {
        foreach (var from in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(from); d is not null; d = d.Parent)
            {
                var path = Path.Combine(d.FullName, "scripts", "pg-cluster.sh");
                if (File.Exists(path)) return path;
            }
        }
        return null;
    }

    public override string Describe
    {
        get
        {
            using var c = Floor.OpenPostgres(_url);
            return $"PostgreSQL {c.ServerVersion} at {PgStore.Describe(PgStore.Settings(_url))}" + (_cluster is null ? "" : " (throwaway cluster)");
        }
    }

    public override double FirstHealthTarget => PgFirstHealthTarget;

    public override async Task<string> EnsureDatabase(ServerProgram server, CancellationToken ct)
    {
        // Reused only when this working folder says it was built here, from its CSVs, on this cluster.
        var marker = Path.Combine(_work.Dir, "postgres.built");
        var here = PgStore.Describe(PgStore.Settings(PgImportBench.DatabaseUrl(_url, Imported))) + (_work.Metrics ? " with metric readings" : "");
        if (!_work.Temporary && _cluster is null && Exists(Imported) && File.Exists(marker) && (await File.ReadAllTextAsync(marker, ct)).Trim() == here
            && await Migrate(server, PgImportBench.DatabaseUrl(_url, Imported)) is { } migrated)
        {
            PgImportBench.Execute(PgImportBench.DatabaseUrl(_url, Imported), "ANALYZE");
            return $"reusing the database {here} (built from {_work.Csv}; {migrated}; analyzed)";
        }
        File.Delete(marker);
        var building = PgImportBench.Recreate(_url, Building);
        var run = await server.Run(["import", _work.Csv, "--db", building], TimeSpan.FromHours(2));
        if (run.ExitCode != 0) throw new BenchException($"valuemcp import refused the portfolio: {run.LastError}", Exit.Failed);
        var rows = PgImportBench.Rows(building);
        var line = $"imported {rows:N0} rows into PostgreSQL with valuemcp import in {run.Elapsed.TotalSeconds:F1} s ({rows / run.Elapsed.TotalSeconds:N0} rows/s, process start included)";
        List<string> ids;
        using (var c = Floor.OpenPostgres(building)) ids = AccountIds(c);
        await using (var serving = await server.Serve(building, [], ct))
        {
            var set = await Overrides.Apply(serving.Client, ids, PortfolioGenerator.DemoAnchorDate, ct);
            line += $"; {set} overrides set through set_override";
        }
        // Statistics before the copies: a copy made from this database as a template keeps its statistics, and its
        // own activity counters start at zero, so autovacuum would never analyze it; the planner would plan every read
        // (and the floor) with the statistics of the empty tables the schema was made with. A deployment's database is
        // analyzed by autovacuum within a minute or so of an import.
        PgImportBench.Execute(building, "ANALYZE");
        line += "; analyzed";
        PgImportBench.Drop(_url, Imported);
        Retrying(() => PgImportBench.Execute(_url, $"ALTER DATABASE {Building} RENAME TO {Imported}"));
        if (!_work.Temporary) await File.WriteAllTextAsync(marker, here + "\n", ct);
        return line;
    }

    public override string FreshCopy()
    {
        PgImportBench.Drop(_url, RunCopy);
        Retrying(() => PgImportBench.Execute(_url, $"CREATE DATABASE {RunCopy} TEMPLATE {Imported}"));
        return PgImportBench.DatabaseUrl(_url, RunCopy);
    }

    /// <summary>Renaming a database or copying it as a template waits for the sessions of the server just stopped to end.</summary>
    private static void Retrying(Action action)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                action();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 50)
            {
                Thread.Sleep(200);
            }
        }
    }

    private bool Exists(string name)
    {
        var b = PgStore.Settings(_url);
        b.Pooling = false;
        using var c = new NpgsqlConnection(b.ConnectionString);
        c.Open();
        using var cmd = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", c);
        cmd.Parameters.AddWithValue("name", name);
        return cmd.ExecuteScalar() is not null;
    }

    public override void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        if (_cluster is null) return;
        var script = FindScript();
        if (script is null) return;
        var stop = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, "stop", _cluster }) stop.ArgumentList.Add(a);
        using var p = Process.Start(stop);
        p?.WaitForExit(30_000);
    }
}
