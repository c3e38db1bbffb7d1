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
        Append((c, tx) => c.ExecuteScalar<string>("SELECT account_id FROM outcomes WHERE id = @OutcomeId", new { e.OutcomeId }, tx), audit, ct,
            FactKinds.Evidence.InsertSql, FactKinds.Evidence.Values(e));

    public Task AddOutcome(OutcomeFact o, WriteAudit audit, CancellationToken ct = default) =>
        Append((_, _) => o.AccountId, audit, ct, FactKinds.Outcomes.InsertSql, FactKinds.Outcomes.Values(o));

    public Task LogSignal(SignalFact s, WriteAudit audit, CancellationToken ct = default) =>
        Append((_, _) => s.AccountId, audit, ct, FactKinds.Signals.InsertSql, FactKinds.Signals.Values(s));

    /// <summary>
    /// Records a metric reading: one per account, metric and day. A reading already stored with the same value and
    /// source is left as it is (nothing written, no audit entry: returns the stored one); one with another value or
    /// source is refused (a reading is corrected by importing metrics.csv, which updates it and says so).
    /// </summary>
    public Task<MetricReading> RecordMetric(MetricReading m, WriteAudit audit, CancellationToken ct = default) =>
        db.WriteAsync((c, tx) =>
        {
            var stored = c.QueryFirstOrDefault<StoredReading>(
                "SELECT value AS Value, source AS Source FROM metric_readings WHERE account_id = @AccountId AND metric = @Metric AND observed_at = @Day",
                new { m.AccountId, m.Metric, Day = FactReader.Iso(m.ObservedAt) }, tx);
            if (stored is not null)
            {
                if (stored.Value == (double)m.Value && stored.Source == m.Source) return m;
                throw ReadingStored(m, stored.Value, stored.Source);
            }
            Insert(c, tx, FactKinds.Metrics.InsertSql, FactKinds.Metrics.Values(m));
            AuditLog.Append(c, tx, audit.At, audit.Operation, audit.ArgumentsJson, audit.Author);
            DataVersions.Raise(c, tx, m.AccountId);
            return m;
        }, ct);

    /// <summary>The refusal of a reading whose account, metric and day are stored with another value or source.</summary>
    internal static StoreException ReadingStored(MetricReading m, double value, string source) => new(
        $"observed_at: a reading of {m.Metric} on {FactReader.Iso(m.ObservedAt)} is already stored for this account (value {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}" +
        $"{(source.Length > 0 ? ", source " + source : "")}); accepted: one reading per account, metric and day (import metrics.csv to correct a stored reading)");

    // Internal, not private: Dapper.AOT's generated code cannot name a private nested type, and then leaves the call to
    // Dapper's Reflection.Emit path, which the Native AOT build does not have (PlatformNotSupportedException).
    internal sealed class StoredReading
    {
        public double Value { get; set; }
        public string Source { get; set; } = "";
    }

    /// <summary>Records an override; returns its id. The store assigns the id: audit makes the entry that records it.</summary>
    public Task<long> SetOverride(string accountId, OverrideFact o, Func<long, WriteAudit> audit, CancellationToken ct = default) =>
        db.WriteAsync((c, tx) =>
        {
            var id = Insert(c, tx, FactKinds.Overrides.InsertSql + " RETURNING id", FactKinds.Overrides.Values((accountId, o)));
            var entry = audit(id);
            AuditLog.Append(c, tx, entry.At, entry.Operation, entry.ArgumentsJson, entry.Author);
            DataVersions.Raise(c, tx, accountId);
            return id;
        }, ct);

    /// <summary>
    /// Records a renewal's outcome. A renewal is recorded once: a second record of the same account and renewal date is
    /// refused (the import, which is keyed, may correct it).
    /// </summary>
    public Task RecordRenewal(RenewalFact r, WriteAudit audit, CancellationToken ct = default) =>
        db.WriteAsync((c, tx) =>
        {
            var recorded = c.ExecuteScalar<string?>("SELECT outcome FROM renewals WHERE account_id = @AccountId AND renewal_date = @Date",
                new { r.AccountId, Date = FactReader.Iso(r.RenewalDate) }, tx);
            if (recorded is not null) throw AlreadyRecorded(r, recorded);
            Insert(c, tx, FactKinds.Renewals.InsertSql, FactKinds.Renewals.Values(r));
            AuditLog.Append(c, tx, audit.At, audit.Operation, audit.ArgumentsJson, audit.Author);
            DataVersions.Raise(c, tx, r.AccountId);
            return 0;
        }, ct);

    /// <summary>The refusal of a second record of one renewal (the same words on every store).</summary>
    internal static StoreException AlreadyRecorded(RenewalFact r, string recorded) =>
        new($"renewal_date: the renewal of {FactReader.Iso(r.RenewalDate)} of account {r.AccountId} is already recorded ({recorded}); " +
            "accepted: a renewal date not recorded yet (renewals.csv, imported, corrects a recorded one)");

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
        for (var i = 0; i < values.Length; i++) cmd.Parameters.AddWithValue("@" + (char)('a' + i), values[i] ?? DBNull.Value);
        return cmd.ExecuteScalar() is long id ? id : 0;
    }

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
