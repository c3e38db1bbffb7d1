using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ValueMcp.Store;

/// <summary>
/// A prepared statement on a connection's native handle, bound by position: the hot paths (the bulk import's inserts,
/// one per table; the fact streams' reads), without the per-execution reader, name lookups and allocations of
/// SqliteCommand. Text is bound from a reused UTF-8 buffer (SQLite copies it); columns are read as UTF-8 spans where
/// no string is needed.
/// </summary>
internal sealed class RawStatement : IFactRow, IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;
    private readonly IntPtr _native; // the same statement, for the per-row calls (NativeSqlite); _stmt keeps it alive
    private bool _disposed;
    private byte[] _utf8 = new byte[512];

    public RawStatement(SqliteConnection connection, string sql)
        : this(connection.Handle ?? throw new InvalidOperationException("the connection is not open"), sql)
    {
    }

    public RawStatement(sqlite3 db, string sql)
    {
        _db = db;
        Check(raw.sqlite3_prepare_v2(_db, sql, out var stmt));
        _stmt = stmt;
        _native = stmt.DangerousGetHandle();
    }

    public void Bind(int index, object? value)
    {
        var rc = value switch
        {
            null => raw.sqlite3_bind_null(_stmt, index),
            string s => BindText(index, s),
            long l => raw.sqlite3_bind_int64(_stmt, index, l),
            int i => raw.sqlite3_bind_int64(_stmt, index, i),
            double d => raw.sqlite3_bind_double(_stmt, index, d),
            _ => throw new ArgumentException($"cannot bind a {value.GetType().Name}", nameof(value)),
        };
        Check(rc);
    }

    /// <summary>Binds a named parameter (@name) of the statement; a name it does not have is ignored.</summary>
    public void Bind(string name, object? value)
    {
        var index = raw.sqlite3_bind_parameter_index(_stmt, name);
        if (index > 0) Bind(index, value);
    }

    private int BindText(int index, string s)
    {
        var max = Encoding.UTF8.GetMaxByteCount(s.Length);
        if (_utf8.Length < max) _utf8 = new byte[Math.Max(max, _utf8.Length * 2)];
        var n = Encoding.UTF8.GetBytes(s, _utf8);
        return raw.sqlite3_bind_text(_stmt, index, _utf8.AsSpan(0, n));
    }

    /// <summary>Steps to the next row of a query; false at its end.</summary>
    public bool Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var rc = NativeSqlite.Step(_native);
        if (rc == raw.SQLITE_ROW) return true;
        if (rc == raw.SQLITE_DONE) return false;
        throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
    }

    public bool IsNull(int column) => NativeSqlite.ColumnType(_native, column) == raw.SQLITE_NULL;

    /// <summary>The storage class of the column's value in this row (raw.SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB, SQLITE_NULL).</summary>
    public int Type(int column) => NativeSqlite.ColumnType(_native, column);

    /// <summary>The column's text as UTF-8 bytes, valid until the next Read (empty for NULL).</summary>
    public unsafe ReadOnlySpan<byte> Utf8(int column)
    {
        var text = NativeSqlite.ColumnText(_native, column); // text first, then its length (sqlite3.h)
        return text is null ? default : new ReadOnlySpan<byte>(text, NativeSqlite.ColumnBytes(_native, column));
    }

    public string Text(int column) => IsNull(column) ? "" : Encoding.UTF8.GetString(Utf8(column));

    public long Int64(int column) => NativeSqlite.ColumnInt64(_native, column);

    public double? Double(int column) => IsNull(column) ? null : NativeSqlite.ColumnDouble(_native, column);

    /// <summary>A REAL column: a number (SQLite keeps an integral value as an integer), or NULL; anything else is refused.</summary>
    public decimal? Number(int column, string what) => Type(column) switch
    {
        raw.SQLITE_NULL => null,
        raw.SQLITE_FLOAT or raw.SQLITE_INTEGER => (decimal)NativeSqlite.ColumnDouble(_native, column),
        _ => throw NotANumber(column, what),
    };

    /// <summary>An INTEGER column: an integer; anything else (a text, a real, a blob, NULL) is refused.</summary>
    public long Integer(int column, string what) =>
        Type(column) == raw.SQLITE_INTEGER ? Int64(column) : throw NotANumber(column, what);

    public StoreException NotANumber(int column, string what) =>
        new($"the store holds a {what} that is not a number: \"{(IsNull(column) ? "NULL" : Encoding.UTF8.GetString(Utf8(column)))}\"");

    /// <summary>Resets a query to run again (with its bindings, which Bind may change).</summary>
    public void Reset() => raw.sqlite3_reset(_stmt);

    /// <summary>Runs the statement to completion and resets it; returns the number of rows it changed.</summary>
    public int Execute()
    {
        var rc = raw.sqlite3_step(_stmt);
        if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
        {
            var error = new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
            raw.sqlite3_reset(_stmt);
            throw error;
        }
        var changes = raw.sqlite3_changes(_db);
        raw.sqlite3_reset(_stmt);
        return changes;
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        raw.sqlite3_finalize(_stmt);
    }
}
