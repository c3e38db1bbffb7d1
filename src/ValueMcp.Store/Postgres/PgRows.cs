using System.Globalization;
using Npgsql;

namespace ValueMcp.Store.Postgres;

/// <summary>
/// The current row of a PostgreSQL query as FactRows reads it (the same parser as the SQLite rows): text columns
/// copied as UTF-8 bytes into a buffer of the row's own (no string for a date, a name of the vocabulary or a text
/// that repeats), numbers read as the schema types them (double precision or bigint). One per query and thread.
/// </summary>
internal sealed class PgRow(NpgsqlDataReader reader) : IFactRow
{
    private byte[] _bytes = new byte[256];

    public NpgsqlDataReader Reader => reader;

    public bool IsNull(int column) => reader.IsDBNull(column);

    /// <summary>The column's text as UTF-8 bytes (empty for NULL), valid until the next call of Utf8.</summary>
    public ReadOnlySpan<byte> Utf8(int column)
    {
        if (reader.IsDBNull(column)) return default;
        var n = (int)reader.GetBytes(column, 0, _bytes, 0, _bytes.Length);
        if (n == _bytes.Length)
        {
            var length = (int)reader.GetBytes(column, 0, null, 0, 0);
            if (length > n)
            {
                _bytes = new byte[Math.Max(length, _bytes.Length * 2)];
                n = (int)reader.GetBytes(column, 0, _bytes, 0, length);
            }
        }
        return _bytes.AsSpan(0, n);
    }

    public string Text(int column) => reader.IsDBNull(column) ? "" : reader.GetString(column);

    public decimal? Number(int column, string what)
    {
        if (reader.IsDBNull(column)) return null;
        var type = reader.GetFieldType(column);
        if (type == typeof(double)) return (decimal)reader.GetDouble(column);
        if (type == typeof(long)) return reader.GetInt64(column);
        throw NotANumber(column, what);
    }

    public long Integer(int column, string what) =>
        !reader.IsDBNull(column) && reader.GetFieldType(column) == typeof(long) ? reader.GetInt64(column) : throw NotANumber(column, what);

    public StoreException NotANumber(int column, string what) =>
        new($"the store holds a {what} that is not a number: \"{(reader.IsDBNull(column) ? "NULL" : Convert.ToString(reader.GetValue(column), CultureInfo.InvariantCulture))}\"");
}
