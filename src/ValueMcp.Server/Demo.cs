using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using ValueMcp.DemoData;
using ValueMcp.Server.App;
using ValueMcp.Store;

namespace ValueMcp.Server;

/// <summary>The demo database: built from the embedded demo portfolio on first use, by the same import as real data.</summary>
public static class Demo
{
    /// <summary>The demo database path, one per version of the embedded CSVs and the demo's overrides (a changed demo never reuses a stale file).</summary>
    public static string DefaultPath
    {
        get
        {
            using var sha = SHA256.Create();
            foreach (var (name, open) in DemoPortfolio.EmbeddedFiles().OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                using var s = open();
                var nameBytes = System.Text.Encoding.UTF8.GetBytes(name);
                sha.TransformBlock(nameBytes, 0, nameBytes.Length, null, 0);
                var buffer = new byte[81920];
                int n;
                while ((n = s.Read(buffer, 0, buffer.Length)) > 0) sha.TransformBlock(buffer, 0, n, null, 0);
            }
            // The overrides the build sets come from the generator, not from a file: a change to them is a new demo too.
            var overrides = System.Text.Encoding.UTF8.GetBytes(string.Join("\n", PortfolioGenerator.ProbabilityOverrides(new GeneratorOptions()).Select(o =>
                $"{o.AccountId}|{o.Override.Field}|{o.Override.Value}|{o.Override.Reason}|{o.Override.Author}|{FactReader.Iso(o.Override.CreatedAt)}|{(o.Override.ExpiresAt is DateOnly x ? FactReader.Iso(x) : "")}")));
            sha.TransformFinalBlock(overrides, 0, overrides.Length);
            return Path.Combine(Paths.DataDirectory, $"demo-{Convert.ToHexString(sha.Hash!)[..12].ToLowerInvariant()}.db");
        }
    }

    /// <summary>Creates the demo database at path unless it already holds the demo. Safe against concurrent first runs.</summary>
    public static string Ensure(string path, TextWriter log)
    {
        if (File.Exists(path)) return path;
        log.WriteLine($"valuemcp: building the demo database at {path} (first use)...");
        var building = BuildBeside(path, log);
        try
        {
            File.Move(building, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(building); // another process built it first
        }
        return path;
    }

    /// <summary>What `valuemcp demo --reset` did, or why it did nothing.</summary>
    public sealed record ResetOutcome(bool Done, string Message);

    /// <summary>
    /// Rebuilds the demo database at path from the embedded demo portfolio, dropping every write made to it since it
    /// was built; the message says what was dropped. Does nothing while another process has it open (a server serving
    /// it would go on with a file that is no longer there).
    /// </summary>
    public static ResetOutcome Reset(string path)
    {
        var existed = File.Exists(path);
        var before = existed ? CountsOrNull(path, readOnly: true) : null;
        var building = BuildBeside(path, TextWriter.Null);
        // Counted read-write: its last connection then folds the log into the file, and nothing is left beside it.
        var after = CountsOrNull(building, readOnly: false) ?? throw new StoreException($"the rebuilt demo database {building} cannot be read");
        if (existed && !Database.TryCloseForReplacement(path))
        {
            File.Delete(building);
            return new ResetOutcome(false, $"the demo database {path} is in use (a valuemcp serve --demo or portfolio --demo has it open): " +
                                           "stop it, then run valuemcp demo --reset again; nothing was changed");
        }
        File.Move(building, path, overwrite: true);
        var built = $"the demo database {path} from the embedded demo portfolio ({after["accounts"]:N0} accounts)";
        if (!existed) return new ResetOutcome(true, $"built {built}");
        if (before is null) return new ResetOutcome(true, $"rebuilt {built}; the file it replaced was not a readable database");
        var writes = before["audit_log"] - after["audit_log"];
        var dropped = before.Where(kv => kv.Key != "audit_log" && kv.Value > after[kv.Key]).Select(kv => $"{kv.Key}: {kv.Value - after[kv.Key]:N0}").ToList();
        return new ResetOutcome(true, writes <= 0 && dropped.Count == 0
            ? $"rebuilt {built}; no writes had been made to it"
            : $"rebuilt {built}; dropped {writes:N0} write{(writes == 1 ? "" : "s")} made to it since it was built" +
              (dropped.Count > 0 ? $" (rows dropped: {string.Join(", ", dropped)})" : ""));
    }

    /// <summary>A new demo database beside path (path.building-PID), imported from the embedded CSVs; its path.</summary>
    private static string BuildBeside(string path, TextWriter log)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var building = path + $".building-{Environment.ProcessId}";
        foreach (var leftover in new[] { building, building + "-wal", building + "-shm" }) File.Delete(leftover);
        var report = Load(building);
        if (!report.Ok)
        {
            foreach (var e in report.Errors.Take(20)) log.WriteLine(e.ToString());
            File.Delete(building);
            throw new StoreException("the embedded demo portfolio did not import cleanly");
        }
        return building;
    }

    private static IReadOnlyDictionary<string, long>? CountsOrNull(string path, bool readOnly)
    {
        try
        {
            using var db = Database.Open(path, readOnly);
            return new FactReader(db).Counts();
        }
        catch (StoreException)
        {
            return null;
        }
        finally
        {
            SqliteConnection.ClearAllPools(); // no connection of ours may keep the file open
        }
    }

    /// <summary>
    /// Imports the embedded demo portfolio into the database at path, then sets the demo's probability overrides
    /// (<see cref="SetOverrides"/>).
    /// </summary>
    public static ImportReport Load(string path)
    {
        ImportReport report;
        if (Store.Postgres.PgStore.IsTarget(path))
        {
            using var pg = Store.Postgres.PgStore.Open(path);
            report = pg.Import(ImportSource.FromStreams("demo portfolio (embedded)", DemoPortfolio.EmbeddedFiles()), new ImportOptions { Author = "demo" });
            if (report.Ok) SetOverrides(pg);
            return report;
        }
        using (var db = Database.Open(path))
        {
            report = new FactImporter(db).Import(ImportSource.FromStreams("demo portfolio (embedded)", DemoPortfolio.EmbeddedFiles()),
                new ImportOptions { Author = "demo" });
            if (report.Ok) SetOverrides(db);
        }
        SqliteConnection.ClearAllPools(); // closes the last connection: SQLite checkpoints the WAL into the file
        return report;
    }

    /// <summary>
    /// Sets the demo portfolio's probability overrides (judgements its CSMs made on renewals of the year before
    /// 2026-11-24, some right and some wrong; none in force on that day) through the writer set_override uses, each
    /// with its audit entry: overrides have no import file. The demo database build calls it after the import; a
    /// store holding the demo CSVs imported by hand gets the same overrides from it. An override already stored (the
    /// same account, field, value, reason, author and dates) is not set again, so loading the demo twice sets them once.
    /// </summary>
    /// <returns>How many overrides were set.</returns>
    public static int SetOverrides(IFactStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var set = 0;
        foreach (var (account, o) in PortfolioGenerator.ProbabilityOverrides(new GeneratorOptions()))
        {
            if (store.History(account).History is not { } history || history.Overrides.Contains(o)) continue;
            set++;
            store.SetOverride(account, o, id => new WriteAudit("set_override",
                Json.Serialize(new OverrideAudit(id, account, o.Field, o.Value, o.Reason, o.CreatedAt, o.ExpiresAt)), o.Author, DateTimeOffset.UtcNow))
                .GetAwaiter().GetResult();
        }
        return set;
    }
}
