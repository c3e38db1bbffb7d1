using System.Security.Cryptography;
using Dapper;
using Microsoft.Data.Sqlite;
using ValueMcp.Scoring;

namespace ValueMcp.Store;

/// <summary>Who wrote, when, and the arguments to record in the audit log (a JSON object).</summary>
public sealed record WriteAudit(string Operation, string ArgumentsJson, string Author, DateTimeOffset At);

/// <summary>
/// Appends single facts (the write tools). Each call is one transaction on the single writer: the fact, its audit
/// entry and the raised data version (naming the account written) are committed together or not at all. Arguments are checked by the caller; SQL is parameterised; nothing is
/// ever updated or deleted.
/// </summary>
public sealed class FactWriter(Database db)
{
    public Task RecordEvidence(EvidenceFact e, WriteAudit audit, CancellationToken ct = default) =>
        Append((c, tx) => c.ExecuteScalar<string>("SELECT account_id FROM outcomes WHERE id = @OutcomeId", new { e.OutcomeId }, tx), audit, ct, """
            INSERT INTO evidence (id, outcome_id, captured_at, source, observed_value, achieved, note, captured_by)
            VALUES ($a, $b, $c, $d, $e, $f, $g, $h)
            """, e.Id, e.OutcomeId, FactReader.Iso(e.CapturedAt), Wire.Name(e.Source), Real(e.ObservedValue),
            e.Achieved is bool b ? (b ? 1L : 0L) : null, e.Note, e.CapturedBy);

    public Task AddOutcome(OutcomeFact o, WriteAudit audit, CancellationToken ct = default) =>
        Append((_, _) => o.AccountId, audit, ct, """
            INSERT INTO outcomes (id, account_id, title, metric, unit, baseline, target, direction, promised_at, due_date, source)
            VALUES ($a, $b, $c, $d, $e, $f, $g, $h, $i, $j, $k)
            """, o.Id, o.AccountId, o.Title, o.Metric, o.Unit, Real(o.Baseline), Real(o.Target),
            o.Direction is Direction d ? Wire.Name(d) : null, FactReader.Iso(o.PromisedAt),
            o.DueDate is DateOnly due ? FactReader.Iso(due) : null, o.Source);

    public Task LogSignal(SignalFact s, WriteAudit audit, CancellationToken ct = default) =>
        Append((_, _) => s.AccountId, audit, ct, """
            INSERT INTO signals (id, account_id, observed_at, category, kind, polarity, note)
            VALUES ($a, $b, $c, $d, $e, $f, $g)
            """, s.Id, s.AccountId, FactReader.Iso(s.ObservedAt), Wire.Name(s.Category), s.Kind, (long)s.Polarity, s.Note);

    /// <summary>Records an override; returns its id. The store assigns the id: audit makes the entry that records it.</summary>
    public Task<long> SetOverride(string accountId, OverrideFact o, Func<long, WriteAudit> audit, CancellationToken ct = default) =>
        db.WriteAsync((c, tx) =>
        {
            var id = Insert(c, tx, """
                INSERT INTO overrides (account_id, field, value, reason, author, created_at, expires_at)
                VALUES ($a, $b, $c, $d, $e, $f, $g) RETURNING id
                """, accountId, Wire.Name(o.Field), o.Value, o.Reason, o.Author, FactReader.Iso(o.CreatedAt),
                o.ExpiresAt is DateOnly x ? FactReader.Iso(x) : null);
            var entry = audit(id);
            AuditLog.Append(c, tx, entry.At, entry.Operation, entry.ArgumentsJson, entry.Author);
            DataVersions.Raise(c, tx, accountId);
            return id;
        }, ct);

    /// <summary>The account of an outcome, or null when no outcome has this id.</summary>
    public string? AccountOfOutcome(string outcomeId)
    {
        using var c = db.OpenRead();
        return c.ExecuteScalar<string?>("SELECT account_id FROM outcomes WHERE id = @outcomeId", new { outcomeId });
    }

    /// <summary>Inserts one fact with its audit entry, and raises the data version naming the account (accountOf, in the transaction).</summary>
    private Task Append(Func<SqliteConnection, SqliteTransaction, string?> accountOf, WriteAudit audit, CancellationToken ct, string sql, params object?[] values) =>
        db.WriteAsync((c, tx) =>
        {
            Insert(c, tx, sql, values);
            AuditLog.Append(c, tx, audit.At, audit.Operation, audit.ArgumentsJson, audit.Author);
            DataVersions.Raise(c, tx, accountOf(c, tx));
            return 0;
        }, ct);

    private static long Insert(SqliteConnection c, SqliteTransaction tx, string sql, params object?[] values)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        for (var i = 0; i < values.Length; i++) cmd.Parameters.AddWithValue("$" + (char)('a' + i), values[i] ?? DBNull.Value);
        return cmd.ExecuteScalar() is long id ? id : 0;
    }

    private static object? Real(decimal? d) => d is decimal v ? (double)v : null;

    /// <summary>
    /// A new fact id: prefix + 26 characters (Crockford base 32) of the time in milliseconds and 80 random bits, so
    /// ids sort by creation time and never collide with one another or with the numbered ids of an import.
    /// </summary>
    public static string NewId(string prefix, DateTimeOffset now)
    {
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        Span<byte> random = stackalloc byte[10];
        RandomNumberGenerator.Fill(random);
        var chars = new char[26];
        var ms = (ulong)Math.Max(0, now.ToUnixTimeMilliseconds());
        for (var i = 9; i >= 0; i--) { chars[i] = alphabet[(int)(ms & 31)]; ms >>= 5; }
        // 80 random bits as 16 characters of 5 bits.
        var bits = new System.Numerics.BigInteger(random, isUnsigned: true);
        for (var i = 25; i >= 10; i--) { chars[i] = alphabet[(int)(bits & 31)]; bits >>= 5; }
        return prefix + new string(chars);
    }
}
