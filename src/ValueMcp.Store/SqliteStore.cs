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

    public IPortfolioStream Histories(DateOnly asOf, int trendWindowDays) => Reader.Histories(asOf, trendWindowDays);

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

    public Task RecordRenewal(RenewalFact r, WriteAudit audit, CancellationToken ct = default) => FactWriter.RecordRenewal(r, audit, ct);

    public Task<MetricReading> RecordMetric(MetricReading m, WriteAudit audit, CancellationToken ct = default) => FactWriter.RecordMetric(m, audit, ct);

    public Task<long> SetOverride(string accountId, OverrideFact o, Func<long, WriteAudit> audit, CancellationToken ct = default) =>
        FactWriter.SetOverride(accountId, o, audit, ct);

    public IReadOnlyList<AuditEntry> AuditEntries(DateTimeOffset? since, int limit) => new AuditLog(this).Entries(since, limit);

    public ImportReport Import(ImportSource source, ImportOptions options, IProgress<ImportProgress>? progress = null, CancellationToken ct = default) =>
        new FactImporter(this).Import(source, options, progress, ct);
}

/// <summary>The SQLite file's tables as plain rows (valuemcp copy).</summary>
public sealed partial class Database : IRawTables
{
    IReadOnlyList<string> IRawTables.ColumnsOf(string table)
    {
        using var c = OpenRead();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name FROM pragma_table_info($t) ORDER BY cid";
        cmd.Parameters.AddWithValue("$t", table);
        using var r = cmd.ExecuteReader();
        var names = new List<string>();
        while (r.Read()) names.Add(r.GetString(0));
        return names;
    }

    IEnumerable<object?[]> IRawTables.Rows(string table, IReadOnlyList<string> columns, string orderBy)
    {
        using var c = OpenRead();
        using var tx = c.BeginTransaction(deferred: true);
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"SELECT {string.Join(", ", columns)} FROM {table} ORDER BY {orderBy}"; // names from the registry and the schema
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var row = new object?[columns.Count];
            for (var i = 0; i < row.Length; i++) row[i] = StoreCopy.Plain(r.IsDBNull(i) ? null : r.GetValue(i));
            yield return row;
        }
    }

    void IRawTables.Load(IReadOnlyList<(string Table, IReadOnlyList<string> Columns, IEnumerable<object?[]> Rows)> tables) =>
        Write((c, tx) =>
        {
            foreach (var (table, columns, rows) in tables)
            {
                using var cmd = c.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
                var parameters = columns.Select((_, i) => cmd.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$p" + i, null))).ToArray();
                cmd.Prepare();
                foreach (var row in rows)
                {
                    for (var i = 0; i < row.Length; i++) parameters[i].Value = row[i] ?? DBNull.Value;
                    cmd.ExecuteNonQuery();
                }
            }
            DataVersions.Raise(c, tx, accountId: null);
            return 0;
        });
}
