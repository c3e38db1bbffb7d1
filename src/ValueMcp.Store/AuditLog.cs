using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ValueMcp.Store;

/// <summary>One audited write: when (UTC, ISO 8601 with milliseconds), what, with which arguments (a JSON object), by whom.</summary>
public sealed record AuditEntry(long Id, string At, string Operation, string Arguments, string Author);

/// <summary>
/// The audit log: every write (a tool call or an import) appends one row in the same transaction as the facts it
/// writes, so an entry exists exactly when its write was committed.
/// </summary>
public sealed class AuditLog(Database db)
{
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Entries at or after since (all when null), newest first, at most limit.</summary>
    public IReadOnlyList<AuditEntry> Entries(DateTimeOffset? since, int limit)
    {
        using var c = db.OpenRead();
        return c.Query<AuditEntry>("""
            SELECT id, at, operation, arguments, author FROM audit_log
            WHERE @since IS NULL OR at >= @since
            ORDER BY at DESC, id DESC LIMIT @limit
            """, new { since = since is { } s ? Format(s) : null, limit }).AsList();
    }

    /// <summary>Appends an entry inside the caller's write transaction.</summary>
    internal static void Append(SqliteConnection c, SqliteTransaction tx, DateTimeOffset at, string operation, string argumentsJson, string author)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO audit_log (at, operation, arguments, author) VALUES ($at, $op, $args, $author)";
        cmd.Parameters.AddWithValue("$at", Format(at));
        cmd.Parameters.AddWithValue("$op", operation);
        cmd.Parameters.AddWithValue("$args", argumentsJson);
        cmd.Parameters.AddWithValue("$author", author);
        cmd.ExecuteNonQuery();
    }
}
