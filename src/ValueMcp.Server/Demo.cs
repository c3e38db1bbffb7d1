using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using ValueMcp.DemoData;
using ValueMcp.Store;

namespace ValueMcp.Server;

/// <summary>The demo database: built from the embedded demo portfolio on first use, by the same import as real data.</summary>
public static class Demo
{
    /// <summary>The demo database path, one per version of the embedded CSVs (a changed demo never reuses a stale file).</summary>
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
            sha.TransformFinalBlock([], 0, 0);
            return Path.Combine(Paths.DataDirectory, $"demo-{Convert.ToHexString(sha.Hash!)[..12].ToLowerInvariant()}.db");
        }
    }

    /// <summary>Creates the demo database at path unless it already holds the demo. Safe against concurrent first runs.</summary>
    public static string Ensure(string path, TextWriter log)
    {
        if (File.Exists(path)) return path;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var building = path + $".building-{Environment.ProcessId}";
        log.WriteLine($"valuemcp: building the demo database at {path} (first use)...");
        var report = Load(building);
        if (!report.Ok)
        {
            foreach (var e in report.Errors.Take(20)) log.WriteLine(e.ToString());
            throw new StoreException("the embedded demo portfolio did not import cleanly");
        }
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

    /// <summary>Imports the embedded demo portfolio into the database at path.</summary>
    public static ImportReport Load(string path)
    {
        ImportReport report;
        using (var db = Database.Open(path))
        {
            report = new FactImporter(db).Import(ImportSource.FromStreams("demo portfolio (embedded)", DemoPortfolio.EmbeddedFiles()),
                new ImportOptions { Author = "demo" });
        }
        SqliteConnection.ClearAllPools(); // closes the last connection: SQLite checkpoints the WAL into the file
        return report;
    }
}
