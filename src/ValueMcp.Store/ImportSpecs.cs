using Microsoft.Data.Sqlite;
using ValueMcp.Scoring;

namespace ValueMcp.Store;

/// <summary>The snake_case names of an enum, in order, and the value of each (one lookup, no allocation per row).</summary>
internal static class Vocabulary<T> where T : struct, Enum
{
    private static readonly Dictionary<string, T> ByName = Enum.GetValues<T>().ToDictionary(v => Wire.Name(v), StringComparer.Ordinal);

    public static IReadOnlyList<string> Names { get; } = Wire.Names<T>();

    /// <summary>The value named name (a name of Names, as Row.OneOf returns it).</summary>
    public static T Of(string name) => ByName[name];
}

internal enum UpsertResult { Inserted, Updated, Unchanged }

/// <summary>
/// Keyed insert-or-update of one file's rows, telling inserted / updated / unchanged apart. Writing, a row is first
/// inserted (ON CONFLICT DO NOTHING, through a native prepared statement) and only compared with the stored row when
/// its key is taken; into an empty table, the secondary indexes are set aside and rebuilt once at the end (all in the
/// import's transaction). A dry run only reads: it compares each row with the stored one.
/// </summary>
internal sealed class TableWriter : IDisposable
{
    private readonly SqliteConnection _c;
    private readonly SqliteTransaction _tx;
    private readonly FactEntry _spec;
    private readonly RawStatement? _insert;
    private readonly SqliteCommand _select;
    private readonly SqliteCommand? _update;
    private readonly List<string> _setAside = [];

    public TableWriter(SqliteConnection c, SqliteTransaction tx, FactEntry spec, bool write)
    {
        _c = c;
        _tx = tx;
        _spec = spec;
        var cols = spec.DbColumns;
        var keys = spec.KeyIndexes.Select(i => cols[i]).ToList();
        var others = cols.Where((_, i) => !spec.KeyIndexes.Contains(i)).ToList();
        string Where() => string.Join(" AND ", keys.Select(k => $"{k} = ${k}"));
        _select = Command(c, tx, $"SELECT {string.Join(", ", cols)} FROM {spec.Table} WHERE {Where()}", keys);
        if (!write) return;
        _update = others.Count == 0
            ? null
            : Command(c, tx, $"UPDATE {spec.Table} SET {string.Join(", ", others.Select(o => $"{o} = ${o}"))} WHERE {Where()}", cols);
        if (IsEmpty())
        {
            foreach (var (name, sql) in SecondaryIndexes())
            {
                Execute($"DROP INDEX \"{name}\"");
                _setAside.Add(sql);
            }
        }
        _insert = new RawStatement(c,
            $"INSERT INTO {spec.Table} ({string.Join(", ", cols)}) VALUES ({string.Join(", ", cols.Select(_ => "?"))}) ON CONFLICT DO NOTHING");
    }

    private bool IsEmpty()
    {
        using var cmd = _c.CreateCommand();
        cmd.Transaction = _tx;
        cmd.CommandText = $"SELECT NOT EXISTS (SELECT 1 FROM {_spec.Table})";
        return (long)cmd.ExecuteScalar()! == 1;
    }

    /// <summary>The table's own indexes (not those behind its keys), in the order they were created.</summary>
    private List<(string Name, string Sql)> SecondaryIndexes()
    {
        using var cmd = _c.CreateCommand();
        cmd.Transaction = _tx;
        cmd.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $t AND sql IS NOT NULL ORDER BY rowid";
        cmd.Parameters.AddWithValue("$t", _spec.Table);
        using var r = cmd.ExecuteReader();
        var list = new List<(string, string)>();
        while (r.Read()) list.Add((r.GetString(0), r.GetString(1)));
        return list;
    }

    private void Execute(string sql)
    {
        using var cmd = _c.CreateCommand();
        cmd.Transaction = _tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction tx, string sql, IReadOnlyList<string> parameters)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var p in parameters) cmd.Parameters.Add(new SqliteParameter("$" + p, null));
        cmd.Prepare();
        return cmd;
    }

    public UpsertResult Apply(object?[] values)
    {
        if (_insert is not null)
        {
            for (var i = 0; i < values.Length; i++) _insert.Bind(i + 1, values[i]);
            if (_insert.Execute() == 1) return UpsertResult.Inserted;
        }
        var existing = Stored(values);
        if (existing is null) return UpsertResult.Inserted; // a dry run: it would be inserted
        var same = true;
        for (var i = 0; i < existing.Length && same; i++) same = SameValue(existing[i], values[i]);
        if (same) return UpsertResult.Unchanged;
        if (_update is not null)
        {
            Bind(_update, values);
            _update.ExecuteNonQuery();
        }
        return UpsertResult.Updated;
    }

    /// <summary>Rebuilds the indexes set aside for a bulk load. Call once the file is loaded.</summary>
    public void Finish()
    {
        foreach (var sql in _setAside) Execute(sql);
        _setAside.Clear();
    }

    private object?[]? Stored(object?[] values)
    {
        var cols = _spec.DbColumns;
        foreach (var i in _spec.KeyIndexes) _select.Parameters["$" + cols[i]].Value = values[i] ?? DBNull.Value;
        using var r = _select.ExecuteReader();
        if (!r.Read()) return null;
        var existing = new object?[cols.Count];
        for (var i = 0; i < cols.Count; i++) existing[i] = r.IsDBNull(i) ? null : r.GetValue(i);
        return existing;
    }

    private void Bind(SqliteCommand cmd, object?[] values)
    {
        for (var i = 0; i < _spec.DbColumns.Count; i++)
        {
            var name = "$" + _spec.DbColumns[i];
            if (cmd.Parameters.Contains(name)) cmd.Parameters[name].Value = values[i] ?? DBNull.Value;
        }
    }

    private static bool SameValue(object? stored, object? incoming) => (stored, incoming) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (long a, long b) => a == b,
        (double a, double b) => a.Equals(b),
        (long a, double b) => ((double)a).Equals(b),
        (double a, long b) => a.Equals(b),
        _ => string.Equals(Convert.ToString(stored, System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToString(incoming, System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal),
    };

    public void Dispose()
    {
        _insert?.Dispose();
        _select.Dispose();
        _update?.Dispose();
    }
}
