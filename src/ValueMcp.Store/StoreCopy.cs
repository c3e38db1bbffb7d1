using System.Globalization;

namespace ValueMcp.Store;

/// <summary>Rows of one table copied (and found equal in both stores).</summary>
public sealed record TableCopy(string Table, long Rows);

/// <summary>
/// A store's tables as plain rows, for copying one store into another: the columns of a table, its rows in a given
/// order (values as long, double, string or null), and a load of many tables in one write transaction.
/// </summary>
internal interface IRawTables
{
    IReadOnlyList<string> ColumnsOf(string table);

    IEnumerable<object?[]> Rows(string table, IReadOnlyList<string> columns, string orderBy);

    /// <summary>Inserts every table's rows in one transaction (ids kept), and raises the data version (any account).</summary>
    void Load(IReadOnlyList<(string Table, IReadOnlyList<string> Columns, IEnumerable<object?[]> Rows)> tables);
}

/// <summary>
/// `valuemcp copy`: every table of one store (facts of every kind of the registry, the audit log) into an empty store of
/// either kind, in one transaction, then every table of both compared row by row in the same order.
/// </summary>
public static class StoreCopy
{
    /// <summary>The tables copied: each fact kind's, then the audit log (the data version is the destination's own).</summary>
    public static IReadOnlyList<string> Tables => [.. FactKinds.All.Select(k => k.Table), "audit_log"];

    public static IReadOnlyList<TableCopy> Copy(IFactStore from, IFactStore to)
    {
        if (from is not IRawTables source || to is not IRawTables destination)
            throw new StoreException("both stores must be SQLite files or PostgreSQL databases");
        if (to.ReadOnly) throw new StoreException($"{to.Display} is open read-only");
        var held = to.Counts().Where(kv => kv.Value > 0).Select(kv => $"{kv.Key} ({kv.Value:N0})").ToList();
        if (held.Count > 0)
            throw new StoreException($"{to.Display} is not empty ({string.Join(", ", held)}); copy into a new database");

        var plan = Tables.Select(t =>
        {
            var columns = source.ColumnsOf(t);
            var missing = columns.Except(destination.ColumnsOf(t), StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
                throw new StoreException($"{to.Display} has no column {string.Join(", ", missing.Select(m => $"{t}.{m}"))}; run `valuemcp migrate` on both");
            return (Table: t, Columns: columns, Order: OrderOf(t, columns));
        }).ToList();

        destination.Load(plan.Select(p => (p.Table, p.Columns, source.Rows(p.Table, p.Columns, p.Order))).ToList());

        var copied = new List<TableCopy>();
        foreach (var (table, columns, order) in plan)
        {
            long n = 0;
            using var a = source.Rows(table, columns, order).GetEnumerator();
            using var b = destination.Rows(table, columns, order).GetEnumerator();
            while (true)
            {
                var moreA = a.MoveNext();
                var moreB = b.MoveNext();
                if (!moreA && !moreB) break;
                if (moreA != moreB)
                    throw new StoreException($"copy check failed: {table} has {(moreA ? "fewer" : "more")} rows in {to.Display} than in {from.Display}");
                n++;
                for (var i = 0; i < columns.Count; i++)
                {
                    if (!Same(a.Current[i], b.Current[i]))
                        throw new StoreException($"copy check failed: {table} row {n:N0} ({order}) differs in {columns[i]}: " +
                                                 $"{Show(a.Current[i])} in {from.Display}, {Show(b.Current[i])} in {to.Display}");
                }
            }
            copied.Add(new TableCopy(table, n));
        }
        return copied;
    }

    /// <summary>The order both stores read a table in: its id, else the registry's key, else every column.</summary>
    private static string OrderOf(string table, IReadOnlyList<string> columns)
    {
        if (columns.Contains("id")) return "id";
        var kind = FactKinds.All.FirstOrDefault(k => k.Table == table);
        var key = kind is null ? [] : kind.KeyIndexes.Select(i => kind.DbColumns[i]).ToList();
        return string.Join(", ", key.Count > 0 ? key : columns);
    }

    private static bool Same(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (long x, long y) => x == y,
        (double x, double y) => x.Equals(y),
        (long x, double y) => ((double)x).Equals(y),
        (double x, long y) => x.Equals(y),
        (string x, string y) => string.Equals(x, y, StringComparison.Ordinal),
        _ => false,
    };

    private static string Show(object? v) => v is null ? "NULL" : "\"" + Convert.ToString(v, CultureInfo.InvariantCulture) + "\"";

    /// <summary>A stored value as one of long, double, string or null (the kinds both stores hold).</summary>
    internal static object? Plain(object? v) => v switch
    {
        null or DBNull => null,
        int i => (long)i,
        short s => (long)s,
        float f => (double)f,
        decimal d => (double)d,
        _ => v,
    };
}
