using Dapper;
using Microsoft.Data.Sqlite;

namespace ValueMcp.Store;

/// <summary>
/// Raising the data version, inside the transaction of the write or import that changes the facts: readers that keep
/// scored portfolios compare it with theirs (FactReader.ChangesSince) and rescore what changed.
/// </summary>
public static class DataVersions
{
    /// <summary>How many versions of account changes the store keeps listed; a reader further behind rescores everything.</summary>
    public const long KeptChanges = 10_000;

    /// <summary>Raises the version; accountId names the one account changed, null any account (an import).</summary>
    internal static long Raise(SqliteConnection c, SqliteTransaction tx, string? accountId)
    {
        var version = c.ExecuteScalar<long>("UPDATE data_version SET version = version + 1 WHERE id = 1 RETURNING version", transaction: tx);
        c.Execute("INSERT INTO account_changes (version, account_id) VALUES (@version, @accountId)", new { version, accountId }, tx);
        if (version % 1000 == 0)
        {
            var from = version - KeptChanges;
            c.Execute("DELETE FROM account_changes WHERE version < @from", new { from }, tx);
            c.Execute("UPDATE data_version SET changes_from = max(changes_from, @from) WHERE id = 1", new { from }, tx);
        }
        return version;
    }
}
