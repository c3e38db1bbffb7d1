using ValueMcp.Scoring;

namespace ValueMcp.Store;

/// <summary>The SQLite file as an <see cref="IFactStore"/>: each operation is the SQLite reader's, writer's, audit log's or importer's.</summary>
public sealed partial class Database
{
    private FactReader? _reader;
    private FactWriter? _factWriter;

    private FactReader Reader => _reader ??= new FactReader(this);
    private FactWriter FactWriter => _factWriter ??= new FactWriter(this);

    public string Kind => "sqlite";

    public string Display => Path;

    public void Check()
    {
        using var c = OpenRead();
    }

    DataVersion IFactStore.Version() => Reader.Version();

    public (DataVersion Now, IReadOnlyList<AccountHistory>? Changed) ChangesSince(long version, int maxAccounts) => Reader.ChangesSince(version, maxAccounts);

    public IPortfolioStream Histories(DateOnly asOf) => Reader.Histories(asOf);

    public IPortfolioStream Ledgers(DateOnly asOf) => Reader.Ledgers(asOf);

    public (AccountHistory? History, DataVersion Version) History(string accountId) => Reader.History(accountId);

    public IReadOnlyDictionary<string, IReadOnlyList<SignalFact>> Signals(IEnumerable<string> accountIds, DateOnly after, DateOnly until) =>
        Reader.Signals(accountIds, after, until);

    public bool AccountExists(string accountId) => Reader.AccountExists(accountId);

    public string? AccountOfOutcome(string outcomeId) => FactWriter.AccountOfOutcome(outcomeId);

    public IReadOnlyDictionary<string, long> Counts() => Reader.Counts();

    public Task RecordEvidence(EvidenceFact e, WriteAudit audit, CancellationToken ct = default) => FactWriter.RecordEvidence(e, audit, ct);

    public Task AddOutcome(OutcomeFact o, WriteAudit audit, CancellationToken ct = default) => FactWriter.AddOutcome(o, audit, ct);

    public Task LogSignal(SignalFact s, WriteAudit audit, CancellationToken ct = default) => FactWriter.LogSignal(s, audit, ct);

    public Task<long> SetOverride(string accountId, OverrideFact o, Func<long, WriteAudit> audit, CancellationToken ct = default) =>
        FactWriter.SetOverride(accountId, o, audit, ct);

    public IReadOnlyList<AuditEntry> AuditEntries(DateTimeOffset? since, int limit) => new AuditLog(this).Entries(since, limit);

    public ImportReport Import(ImportSource source, ImportOptions options, IProgress<ImportProgress>? progress = null, CancellationToken ct = default) =>
        new FactImporter(this).Import(source, options, progress, ct);
}
