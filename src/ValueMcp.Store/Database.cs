using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ValueMcp.Store;

/// <summary>
/// The SQLite file that holds the facts: opens connections (WAL, foreign keys), applies the embedded migrations
/// in order, and serialises writes through one writer connection.
/// </summary>
public sealed class Database : IDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private SqliteConnection? _writer;

    private Database(string path, bool readOnly)
    {
        Path = path;
        ReadOnly = readOnly;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }
    public bool ReadOnly { get; }

    /// <summary>Opens (creating when needed) and upgrades the database at path.</summary>
    public static Database Open(string path, bool readOnly = false)
    {
        if (!readOnly)
        {
            var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        }
        else if (!File.Exists(path))
        {
            throw new StoreException($"database not found: {path}");
        }
        var db = new Database(path, readOnly);
        try
        {
            if (!readOnly) db.Migrate();
            else db.CheckVersion();
        }
        catch
        {
            // A refused file must not stay open (and locked) through the writer or a pooled connection.
            using (var c = new SqliteConnection(db._connectionString)) SqliteConnection.ClearPool(c);
            db.Dispose();
            throw;
        }
        return db;
    }

    /// <summary>A new pooled connection for reading. Readers never wait for the writer (WAL).</summary>
    public SqliteConnection OpenRead()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        using var pragma = c.CreateCommand();
        pragma.CommandText = "PRAGMA cache_size = -32768"; // 32 MiB of page cache per connection (pooled, so it stays warm)
        pragma.ExecuteNonQuery();
        return c;
    }

    /// <summary>
    /// Runs work in one write transaction (BEGIN IMMEDIATE) on the single writer connection. Either everything
    /// in work is committed, or nothing is.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken ct = default)
    {
        if (ReadOnly) throw new StoreException("the database is open read-only");
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var c = Writer();
            using var tx = c.BeginTransaction(deferred: false);
            var result = work(c, tx);
            tx.Commit();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work) => WriteAsync(work).GetAwaiter().GetResult();

    private SqliteConnection Writer()
    {
        if (_writer is null)
        {
            _writer = new SqliteConnection(_connectionString);
            _writer.Open();
            // busy_timeout: statements run on the native handle (the bulk import) wait for another process's lock too.
            _writer.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;");
        }
        return _writer;
    }

    public static IReadOnlyList<Migration> Migrations { get; } = LoadMigrations();

    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>The schema version recorded in the file (0 for a new file).</summary>
    public int Version()
    {
        using var c = OpenRead();
        return CurrentVersion(c);
    }

    private void Migrate()
    {
        _writeGate.Wait();
        try
        {
            var c = Writer();
            c.Execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
            var current = CurrentVersion(c);
            if (current > LatestVersion)
                throw new StoreException($"{Path} has schema version {current}, newer than this ValueMcp knows ({LatestVersion}); upgrade ValueMcp to open it");
            foreach (var m in Migrations.Where(m => m.Version > current))
            {
                using var tx = c.BeginTransaction(deferred: false);
                c.Execute(m.Sql, transaction: tx);
                c.Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
                    new { m.Version, m.Name, At = DateTime.UtcNow.ToString("O") }, tx);
                tx.Commit();
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private void CheckVersion()
    {
        var v = Version();
        if (v == 0) throw new StoreException($"{Path} is not a ValueMcp database (no schema); open it once read-write to create it");
        if (v > LatestVersion) throw new StoreException($"{Path} has schema version {v}, newer than this ValueMcp knows ({LatestVersion})");
        if (v < LatestVersion) throw new StoreException($"{Path} has schema version {v}; open it once read-write to upgrade it to {LatestVersion}");
    }

    private static int CurrentVersion(SqliteConnection c)
    {
        var exists = c.ExecuteScalar<long>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
        return exists == 0 ? 0 : c.ExecuteScalar<int?>("SELECT max(version) FROM schema_migrations") ?? 0;
    }

    private static IReadOnlyList<Migration> LoadMigrations()
    {
        var asm = typeof(Database).Assembly;
        const string prefix = "migrations/";
        return asm.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..];
                var version = int.Parse(file.Split('_')[0], System.Globalization.CultureInfo.InvariantCulture);
                using var s = asm.GetManifestResourceStream(n)!;
                using var r = new StreamReader(s);
                return new Migration(version, file, r.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
        _writeGate.Dispose();
    }
}

public sealed record Migration(int Version, string Name, string Sql);

/// <summary>A store problem with a message fit for the user (no SQL, no stack).</summary>
public sealed class StoreException(string message) : Exception(message);
