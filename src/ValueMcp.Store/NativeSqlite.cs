using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ValueMcp.Store;

/// <summary>
/// The few SQLite C functions a row read calls for every column, bound directly: through SQLitePCL each call also
/// takes and releases a reference on the statement's SafeHandle (two interlocked operations), which cost more than
/// the column read itself over millions of rows. The column functions only read the current row (no callback, no
/// blocking), so they skip the GC transition. The statement stays owned, and finalized, by SQLitePCL.
/// </summary>
internal static unsafe partial class NativeSqlite
{
    private const string Library = "e_sqlite3";

    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    public static partial int Step(IntPtr statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_type")]
    [SuppressGCTransition]
    public static partial int ColumnType(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_text")]
    [SuppressGCTransition]
    public static partial byte* ColumnText(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_bytes")]
    [SuppressGCTransition]
    public static partial int ColumnBytes(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_int64")]
    [SuppressGCTransition]
    public static partial long ColumnInt64(IntPtr statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_double")]
    [SuppressGCTransition]
    public static partial double ColumnDouble(IntPtr statement, int column);
}
