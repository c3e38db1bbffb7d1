using System.Text;
using Microsoft.Data.Sqlite;
using ValueMcp.Scoring;

namespace ValueMcp.Store.Tests;

/// <summary>A database in a temp file, deleted (with its -wal and -shm) on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"valuemcp-test-{Guid.NewGuid():N}.db");
        Db = Database.Open(Path);
    }

    public string Path { get; }
    public Database Db { get; private set; }
    public FactReader Reader => new(Db);
    public FactImporter Importer => new(Db);

    /// <summary>Closes the database and opens the same file again (running the migrations again).</summary>
    public void Reopen(bool readOnly = false)
    {
        Close(Db);
        Db = Database.Open(Path, readOnly);
    }

    /// <summary>Imports files (name -> CSV text) and asserts the import went through.</summary>
    public ImportReport ImportOk(IReadOnlyDictionary<string, string> files, ImportOptions? options = null)
    {
        var report = Import(files, options);
        report.Errors.Should().BeEmpty();
        report.Ok.Should().BeTrue();
        return report;
    }

    public ImportReport Import(IReadOnlyDictionary<string, string> files, ImportOptions? options = null)
    {
        using var folder = CsvFolder.Write(files);
        return Importer.Import(ImportSource.FromFolder(folder.Path), options ?? new ImportOptions());
    }

    public ImportReport ImportBytes(IReadOnlyDictionary<string, byte[]> files, ImportOptions? options = null)
    {
        using var folder = CsvFolder.WriteBytes(files);
        return Importer.Import(ImportSource.FromFolder(folder.Path), options ?? new ImportOptions());
    }

    public AccountFacts Facts(string accountId, string asOf) =>
        Reader.AccountFacts(D(asOf), ScoringPolicy.Default, onlyActive: false, accountId: accountId).Should().ContainSingle().Subject;

    /// <summary>Every stored row of the fact tables, as text: a snapshot to prove that nothing changed.</summary>
    public IReadOnlyList<string> Snapshot()
    {
        var rows = new List<string>();
        using var c = Db.OpenRead();
        foreach (var table in new[] { "accounts", "arr_movements", "outcomes", "evidence", "signals", "milestones", "overrides" })
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"SELECT * FROM {table} ORDER BY 1, 2, 3";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var values = Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "NULL" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
                rows.Add(table + ": " + string.Join(" | ", values));
            }
        }
        return rows;
    }

    public static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static void Close(Database db)
    {
        try
        {
            using var c = db.OpenRead();
            SqliteConnection.ClearPool(c);
        }
        catch (SqliteException)
        {
            // The file may already be unreadable (a test's own doing); nothing to release then.
        }
        db.Dispose();
    }

    public static void DeleteFiles(string path)
    {
        foreach (var p in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            if (File.Exists(p)) File.Delete(p);
        }
    }

    public void Dispose()
    {
        Close(Db);
        DeleteFiles(Path);
    }
}

/// <summary>A temp folder of CSV files, deleted on dispose.</summary>
public sealed class CsvFolder : IDisposable
{
    private CsvFolder(string path) => Path = path;

    public string Path { get; }

    public static CsvFolder Write(IReadOnlyDictionary<string, string> files) =>
        WriteBytes(files.ToDictionary(kv => kv.Key, kv => new UTF8Encoding(false).GetBytes(kv.Value)));

    public static CsvFolder WriteBytes(IReadOnlyDictionary<string, byte[]> files)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"valuemcp-csv-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        foreach (var (name, bytes) in files) File.WriteAllBytes(System.IO.Path.Combine(path, name), bytes);
        return new CsvFolder(path);
    }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

/// <summary>Short builders for the CSV files of import.md (header first, one line per row).</summary>
public static class Csv
{
    public const string AccountsHeader = "id,name,segment,tier,csm,account_manager,contract_start,renewal_date,contracted_capacity,used_capacity,executive_sponsor";
    public const string MovementsHeader = "account_id,effective_date,kind,amount,lane,note";
    public const string OutcomesHeader = "id,account_id,title,metric,unit,baseline,target,direction,promised_at,due_date,source";
    public const string EvidenceHeader = "id,outcome_id,captured_at,source,observed_value,achieved,note,captured_by";
    public const string SignalsHeader = "id,account_id,observed_at,category,kind,polarity,note";
    public const string MilestonesHeader = "account_id,kind,reached_at";
    public const string MetricsHeader = "account_id,metric,observed_at,value,source";

    public static string Lines(string header, params string[] rows) => string.Join("\n", [header, .. rows]) + "\n";

    /// <summary>An accounts row with the given id and defaults for the rest.</summary>
    public static string Account(string id, string segment = "Enterprise", string tier = "1", string csm = "Dana",
        string contractStart = "2025-01-01", string renewalDate = "2026-12-31", string contracted = "", string used = "") =>
        $"{id},{id} Inc,{segment},{tier},{csm},Sam,{contractStart},{renewalDate},{contracted},{used},Pat";

    public static Dictionary<string, string> Files(
        string[]? accounts = null, string[]? movements = null, string[]? outcomes = null,
        string[]? evidence = null, string[]? signals = null, string[]? milestones = null)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        if (accounts is not null) files["accounts.csv"] = Lines(AccountsHeader, accounts);
        if (movements is not null) files["arr_movements.csv"] = Lines(MovementsHeader, movements);
        if (outcomes is not null) files["outcomes.csv"] = Lines(OutcomesHeader, outcomes);
        if (evidence is not null) files["evidence.csv"] = Lines(EvidenceHeader, evidence);
        if (signals is not null) files["signals.csv"] = Lines(SignalsHeader, signals);
        if (milestones is not null) files["milestones.csv"] = Lines(MilestonesHeader, milestones);
        return files;
    }
}
