using ValueMcp.Scoring;

namespace ValueMcp.Store;

/// <summary>
/// The store as the server sees it, whatever holds the facts: a SQLite file (<see cref="Database"/>, the embedded
/// default) or a PostgreSQL database (<see cref="Postgres.PgStore"/>, shared by several server instances). Both keep
/// the same tables (one migration set per dialect), read them with the same SQL where the dialects agree (Sql, the
/// registry's column lists), parse rows by the same rules and check imports with the same code, so every answer is the
/// same on both.
/// </summary>
public interface IFactStore : IDisposable
{
    /// <summary>"sqlite" or "postgres".</summary>
    string Kind { get; }

    /// <summary>Where the facts are, fit for a log line: the file's path, or host, port and database (never a password).</summary>
    string Display { get; }

    /// <summary>Opened read-only: every write is refused.</summary>
    bool ReadOnly { get; }

    /// <summary>One round trip to the store (for /healthz); a StoreException when it cannot be reached.</summary>
    void Check();

    /// <summary>The data version now: raised by every write and every import, whichever server made it.</summary>
    DataVersion Version();

    /// <summary>What changed since version (see FactReader.ChangesSince).</summary>
    (DataVersion Now, IReadOnlyList<AccountHistory>? Changed) ChangesSince(long version, int maxAccounts);

    /// <summary>Every account with its facts dated on or before asOf, in account id order, from one snapshot.</summary>
    IPortfolioStream Histories(DateOnly asOf);

    /// <summary>
    /// The same, with each account's metric readings as the rules need them at asOf: per outcome its first achieving
    /// reading, and its metrics summed over the two trend windows of trendWindowDays (the policy's) ending on asOf.
    /// </summary>
    IPortfolioStream Histories(DateOnly asOf, int trendWindowDays);

    /// <summary>The ARR ledger for retention: accounts with a movement on or before asOf, with their movements.</summary>
    IPortfolioStream Ledgers(DateOnly asOf);

    /// <summary>One account with every fact and every column, and the data version it was read at.</summary>
    (AccountHistory? History, DataVersion Version) History(string accountId);

    /// <summary>The signals of each of these accounts observed in (after, until].</summary>
    IReadOnlyDictionary<string, IReadOnlyList<SignalFact>> Signals(IEnumerable<string> accountIds, DateOnly after, DateOnly until);

    bool AccountExists(string accountId);

    /// <summary>The account of an outcome, or null when no outcome has this id.</summary>
    string? AccountOfOutcome(string outcomeId);

    /// <summary>Rows per table (the fact tables and the audit log).</summary>
    IReadOnlyDictionary<string, long> Counts();

    Task RecordEvidence(EvidenceFact e, WriteAudit audit, CancellationToken ct = default);

    Task AddOutcome(OutcomeFact o, WriteAudit audit, CancellationToken ct = default);

    Task LogSignal(SignalFact s, WriteAudit audit, CancellationToken ct = default);

    /// <summary>Records a metric reading (one per account, metric and day; the same one again writes nothing).</summary>
    Task<MetricReading> RecordMetric(MetricReading m, WriteAudit audit, CancellationToken ct = default);

    /// <summary>Records an override; returns the id the store gave it.</summary>
    Task<long> SetOverride(string accountId, OverrideFact o, Func<long, WriteAudit> audit, CancellationToken ct = default);

    /// <summary>Records how a renewal was decided; a renewal already recorded is refused.</summary>
    Task RecordRenewal(RenewalFact r, WriteAudit audit, CancellationToken ct = default);

    /// <summary>Audit entries at or after since (all when null), newest first, at most limit.</summary>
    IReadOnlyList<AuditEntry> AuditEntries(DateTimeOffset? since, int limit);

    /// <summary>The CSV import: all or nothing, the same checks and error lines on every store.</summary>
    ImportReport Import(ImportSource source, ImportOptions options, IProgress<ImportProgress>? progress = null, CancellationToken ct = default);
}

/// <summary>The portfolio read: enumerate once; Version is the data version of the snapshot it reads.</summary>
public interface IPortfolioStream : IEnumerable<AccountHistory>, IDisposable
{
    long Version { get; }
}
