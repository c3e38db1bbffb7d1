namespace ValueMcp.Store;

/// <summary>The keys one file of an import has given so far, with the line of each: a key given twice is an error.</summary>
internal interface IImportKeys : IDisposable
{
    /// <summary>Adds the key seen on line; false (and the line it was first given on) when it was given before.</summary>
    bool TryAdd(string key, long line, out long firstLine);
}

/// <summary>The keys in memory (the files whose keys other files refer to: accounts, outcomes, ...).</summary>
internal sealed class MemoryImportKeys(Dictionary<string, long> keys) : IImportKeys
{
    public bool TryAdd(string key, long line, out long firstLine)
    {
        if (keys.TryAdd(key, line))
        {
            firstLine = 0;
            return true;
        }
        firstLine = keys[key];
        return false;
    }

    public void Dispose() { }
}

/// <summary>
/// The keys on disk: a private temporary SQLite database (deleted when closed) holding each key once, with its line, in
/// a keyed table. For files of tens of millions of rows (metric readings): the import's memory stays flat (a bounded
/// page cache), and the check is SQLite's key constraint.
/// </summary>
internal sealed class DiskImportKeys : IImportKeys
{
    private readonly SQLitePCL.sqlite3 _db;
    private readonly RawStatement _insert;
    private readonly RawStatement _first;

    public DiskImportKeys()
    {
        // SQLite's native provider is set up by Microsoft.Data.Sqlite's first connection; a PostgreSQL server may import
        // before any SQLite connection was made in its process: run that set-up first (once; later calls do nothing).
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(Microsoft.Data.Sqlite.SqliteConnection).TypeHandle);
        // An empty file name: a private temporary database on disk, deleted when the connection closes.
        var rc = SQLitePCL.raw.sqlite3_open_v2("", out _db,
            SQLitePCL.raw.SQLITE_OPEN_READWRITE | SQLitePCL.raw.SQLITE_OPEN_CREATE | SQLitePCL.raw.SQLITE_OPEN_NOMUTEX, null);
        if (rc != SQLitePCL.raw.SQLITE_OK)
        {
            _db?.Dispose();
            throw new StoreException($"cannot open a temporary key set for the import: {SQLitePCL.raw.sqlite3_errstr(rc).utf8_to_string()}");
        }
        Exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -16384; PRAGMA temp_store = FILE");
        Exec("CREATE TABLE keys (key TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID; BEGIN");
        _insert = new RawStatement(_db, "INSERT INTO keys (key, line) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
        _first = new RawStatement(_db, "SELECT line FROM keys WHERE key = ?1");
    }

    private void Exec(string sql)
    {
        if (SQLitePCL.raw.sqlite3_exec(_db, sql) != SQLitePCL.raw.SQLITE_OK)
            throw new StoreException($"the import's temporary key set failed: {SQLitePCL.raw.sqlite3_errmsg(_db).utf8_to_string()}");
    }

    public bool TryAdd(string key, long line, out long firstLine)
    {
        _insert.Bind(1, key);
        _insert.Bind(2, line);
        if (_insert.Execute() == 1)
        {
            firstLine = 0;
            return true;
        }
        _first.Bind(1, key);
        firstLine = _first.Read() ? _first.Int64(0) : 0;
        _first.Reset();
        return false;
    }

    public void Dispose()
    {
        _insert.Dispose();
        _first.Dispose();
        _db.Dispose();
    }
}
