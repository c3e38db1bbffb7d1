using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ValueMcp.Store;

/// <summary>
/// A prepared statement on a connection's native handle, bound by position: the bulk import's hot path (one per
/// table), without the per-execution reader, name lookups and allocations of SqliteCommand. Text is bound from a
/// reused UTF-8 buffer (SQLite copies it). Used only inside a transaction the caller owns.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;
    private bool _disposed;
    private byte[] _utf8 = new byte[512];

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(_db, sql, out var stmt));
        _stmt = stmt;
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

    private int BindText(int index, string s)
    {
        var max = Encoding.UTF8.GetMaxByteCount(s.Length);
        if (_utf8.Length < max) _utf8 = new byte[Math.Max(max, _utf8.Length * 2)];
        var n = Encoding.UTF8.GetBytes(s, _utf8);
        return raw.sqlite3_bind_text(_stmt, index, _utf8.AsSpan(0, n));
    }

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
