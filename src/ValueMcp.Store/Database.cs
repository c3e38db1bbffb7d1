using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ValueMcp.Store;

/// <summary>
/// The SQLite file that holds the facts: opens connections (WAL, foreign keys), applies the embedded migrations
/// in order, and serialises writes through one writer connection.
/// </summary>
public sealed partial class Database : IFactStore
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private SqliteConnection? _writer;

    private Database(string path, bool readOnly, bool immutable)
    {
        Path = path;
        ReadOnly = readOnly;
        Immutable = immutable;
        _connectionString = new SqliteConnectionStringBuilder
        {
            // immutable=1 (a URI parameter) tells SQLite the file cannot change: it then reads it without locks and
            // without the -shm file a WAL database otherwise needs beside it.
            DataSource = immutable ? new Uri(System.IO.Path.GetFullPath(path)).AbsoluteUri + "?immutable=1" : path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }
    public bool ReadOnly { get; }

    /// <summary>
    /// Read-only and read as a file that does not change: the database is in a folder this user cannot write, so SQLite
    /// cannot make the -shm file through which readers of a WAL database see a writer's changes. A change another
    /// process makes while this one reads is not seen (restart to see it).
    /// </summary>
    public bool Immutable { get; }

    // SQLite's extended result codes for "cannot make or use the -shm file" (sqlite3.h).
    private const int ReadOnlyCantInit = 1288, ReadOnlyDirectory = 1544;

    /// <summary>
    /// Opens (creating when needed) and upgrades the database at path; read-only, opens it as it is (no migration,
    /// nothing written, nothing created beside it). A file that cannot be used is a StoreException saying why.
    /// </summary>
    public static Database Open(string path, bool readOnly = false)
    {
        if (!readOnly)
        {
            var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            try
            {
                if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StoreException($"cannot create the folder of {path}: {e.Message}");
            }
        }
        else if (!File.Exists(path))
        {
            throw new StoreException($"database not found: {path}");
        }
        if (Directory.Exists(path)) throw new StoreException($"{path} is a folder, not a database file");
        try
        {
            try
            {
                return OpenAs(path, readOnly, immutable: false);
            }
            catch (SqliteException e) when (readOnly && e.SqliteExtendedErrorCode is ReadOnlyDirectory or ReadOnlyCantInit && !HasLog(path))
            {
                // A folder this user cannot write, and no write-ahead log beside the file (no writer has it open, and
                // every change is in the file): read the file as it is.
                return OpenAs(path, readOnly: true, immutable: true);
            }
        }
        catch (SqliteException e)
        {
            throw new StoreException(Explain(e, path, readOnly));
        }
    }

    /// <summary>
    /// Whether no other connection has the database at path open. When none has, the file is left in rollback-journal
    /// mode with its write-ahead log folded in and removed, so that the file alone holds the database and may be
    /// replaced. (Leaving WAL mode needs the only connection: an open one elsewhere, even idle, makes it fail.)
    /// </summary>
    public static bool TryCloseForReplacement(string path)
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString();
        using (var c = new SqliteConnection(connectionString))
        {
            try
            {
                c.Open();
                using var pragma = c.CreateCommand();
                pragma.CommandText = "PRAGMA journal_mode = DELETE";
                pragma.CommandTimeout = 1; // a moment for a transaction in flight elsewhere to end; an open connection stays open
                pragma.ExecuteNonQuery();
            }
            catch (SqliteException e) when (e.SqliteErrorCode is SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED)
            {
                return false;
            }
            catch (SqliteException e) when (e.SqliteErrorCode is SQLitePCL.raw.SQLITE_NOTADB or SQLitePCL.raw.SQLITE_CORRUPT)
            {
                return true; // not a database SQLite can read: nothing can be using it as one
            }
        }
        foreach (var beside in new[] { path + "-wal", path + "-shm" }) File.Delete(beside);
        return true;
    }

    private static Database OpenAs(string path, bool readOnly, bool immutable)
    {
        var db = new Database(path, readOnly, immutable);
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

    private static bool HasLog(string path) => new FileInfo(path + "-wal") is { Exists: true, Length: > 0 };

    /// <summary>What SQLite's refusal to open path means, in one line.</summary>
    private static string Explain(SqliteException e, string path, bool readOnly)
    {
        var name = System.IO.Path.GetFileName(path);
        var sqlite = $"(SQLite: {SQLitePCL.raw.sqlite3_errstr(e.SqliteErrorCode).utf8_to_string()})";
        return e.SqliteErrorCode switch
        {
            SQLitePCL.raw.SQLITE_NOTADB =>
                $"{path} is not a database {sqlite}: --db takes the SQLite file that `valuemcp import` writes (CSV files go in the folder given to import)",
            SQLitePCL.raw.SQLITE_READONLY when readOnly && HasLog(path) =>
                $"cannot read {path}: its write-ahead log {name}-wal holds changes that SQLite can read only by writing {name}-shm beside it, " +
                $"and this user cannot write that folder {sqlite}; open it once as a user who can, to fold the log into the file",
            SQLitePCL.raw.SQLITE_READONLY or SQLitePCL.raw.SQLITE_CANTOPEN when !readOnly =>
                $"cannot write {path}: this user may not write the file or its folder (SQLite writes {name}-wal and {name}-shm beside it) {sqlite}; " +
                "reading needs no write: serve --read-only, portfolio, import --dry-run",
            SQLitePCL.raw.SQLITE_CANTOPEN or SQLitePCL.raw.SQLITE_PERM or SQLitePCL.raw.SQLITE_AUTH =>
                $"cannot open {path}: this user may not read it {sqlite}",
            SQLitePCL.raw.SQLITE_CORRUPT => $"{path} is damaged {sqlite}",
            SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED => $"{path} is locked by another process {sqlite}; try again when it is done",
            SQLitePCL.raw.SQLITE_FULL => $"the disk holding {path} is full {sqlite}",
            _ => $"cannot open {path} {sqlite}",
        };
    }

    /// <summary>
    /// A native read-only handle for one thread at a time (the fact streams' readers): opened without SQLite's per-call
    /// mutex, which otherwise costs a lock on every column read. Close it with Close.
    /// </summary>
    internal SQLitePCL.sqlite3 OpenStreamHandle()
    {
        var uri = new Uri(System.IO.Path.GetFullPath(Path)).AbsoluteUri + (Immutable ? "?immutable=1" : "");
        var rc = SQLitePCL.raw.sqlite3_open_v2(uri, out var handle,
            SQLitePCL.raw.SQLITE_OPEN_READONLY | SQLitePCL.raw.SQLITE_OPEN_NOMUTEX | SQLitePCL.raw.SQLITE_OPEN_URI, null);
        if (rc != SQLitePCL.raw.SQLITE_OK)
        {
            var message = handle is null ? SQLitePCL.raw.sqlite3_errstr(rc).utf8_to_string() : SQLitePCL.raw.sqlite3_errmsg(handle).utf8_to_string();
            handle?.Dispose();
            throw new StoreException($"cannot read {Path}: {message}");
        }
        SQLitePCL.raw.sqlite3_busy_timeout(handle, 30_000);
        SQLitePCL.raw.sqlite3_exec(handle, "PRAGMA cache_size = -4096"); // 4 MiB: each reads its table once, in order
        return handle;
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

    /// <summary>The schema version of the file at path, read without opening it as a store (0: none yet).</summary>
    public static int SchemaVersionOf(string path)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        try
        {
            using var c = new SqliteConnection(cs);
            c.Open();
            return CurrentVersion(c);
        }
        catch (SqliteException e)
        {
            throw new StoreException(Explain(e, path, readOnly: true));
        }
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
