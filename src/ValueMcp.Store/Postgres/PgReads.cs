using System.Data;
using System.Text;
using Npgsql;
using ValueMcp.Scoring;

namespace ValueMcp.Store.Postgres;

/// <summary>
/// The reads: the same SQL as the SQLite store's (Sql), rows parsed by the same FactRows (through PgRow). A portfolio
/// read takes one connection per table, each in a repeatable-read transaction on one snapshot exported by the first:
/// every table, and the data version, are read as of the same moment, whatever the other instances write meanwhile.
/// One account's history is one round trip (a batch of its tables' queries).
/// </summary>
public sealed partial class PgStore
{
    /// <summary>
    /// The evidence stream in SQLite's order, asked for: SQLite reads the evidence of one outcome in the order of its
    /// covering index evidence_stream (captured_at, source, observed_value, achieved; NULL first), which the shared
    /// query does not spell out; PostgreSQL promises no order that a query does not ask for (rows equal in all of these
    /// differ only in what the stream leaves out).
    /// </summary>
    private static readonly string EvidenceStream = Sql.Evidence + ", e.captured_at, e.source, e.observed_value NULLS FIRST, e.achieved NULLS FIRST, e.id";

    public DataVersion Version() => Run(c => ReadVersion(c, null));

    private static DataVersion ReadVersion(NpgsqlConnection c, NpgsqlTransaction? tx)
    {
        using var cmd = new NpgsqlCommand(Sql.DataVersion, c, tx);
        using var r = cmd.ExecuteReader();
        if (!r.Read()) throw new StoreException("the database has no data version (is its schema complete?)");
        return new DataVersion(r.GetInt64(0), r.GetInt64(1));
    }

    private static NpgsqlTransaction Snapshot(NpgsqlConnection c) => c.BeginTransaction(IsolationLevel.RepeatableRead);

    public (DataVersion Now, IReadOnlyList<AccountHistory>? Changed) ChangesSince(long version, int maxAccounts) => Run(c =>
    {
        using var tx = Snapshot(c);
        var now = ReadVersion(c, tx);
        if (now.Version == version) return (now, (IReadOnlyList<AccountHistory>?)[]);
        if (version + 1 < now.ChangesFrom || version > now.Version) return (now, null);
        var ids = new List<string?>();
        using (var cmd = new NpgsqlCommand(Sql.ChangedAccounts, c, tx))
        {
            cmd.Parameters.AddWithValue("version", version);
            using var r = cmd.ExecuteReader();
            while (r.Read()) ids.Add(r.IsDBNull(0) ? null : r.GetString(0));
        }
        if (ids.Count > maxAccounts || ids.Any(id => id is null)) return (now, null);
        var symbols = new Symbols();
        return (now, ids.OfType<string>().Select(id => ReadHistory(c, tx, id, symbols)).OfType<AccountHistory>().ToList());
    });

    public (AccountHistory? History, DataVersion Version) History(string accountId) => Run(c =>
    {
        using var tx = Snapshot(c);
        var version = ReadVersion(c, tx);
        return (ReadHistory(c, tx, accountId, new Symbols()), version);
    });

    public IReadOnlyDictionary<string, IReadOnlyList<SignalFact>> Signals(IEnumerable<string> accountIds, DateOnly after, DateOnly until) => Run(c =>
    {
        using var tx = Snapshot(c);
        var symbols = new Symbols();
        var found = new Dictionary<string, IReadOnlyList<SignalFact>>(StringComparer.Ordinal);
        using var cmd = new NpgsqlCommand(Sql.SignalsOfAccountBetween, c, tx);
        var id = cmd.Parameters.Add(new NpgsqlParameter("accountId", NpgsqlTypes.NpgsqlDbType.Text));
        cmd.Parameters.AddWithValue("after", FactReader.Iso(after));
        cmd.Parameters.AddWithValue("until", FactReader.Iso(until));
        foreach (var account in accountIds)
        {
            id.Value = account;
            using var r = cmd.ExecuteReader();
            var row = new PgRow(r);
            var rows = new List<SignalFact>();
            while (r.Read()) rows.Add(FactRows.Signal(row, account, symbols));
            found[account] = rows;
        }
        return (IReadOnlyDictionary<string, IReadOnlyList<SignalFact>>)found;
    });

    /// <summary>One account's profile and every fact, in one round trip: the account's queries in one batch.</summary>
    private static AccountHistory? ReadHistory(NpgsqlConnection c, NpgsqlTransaction tx, string accountId, Symbols symbols)
    {
        using var batch = new NpgsqlBatch(c, tx);
        foreach (var sql in HistoryQueries)
        {
            var command = new NpgsqlBatchCommand(sql);
            command.Parameters.AddWithValue("accountId", NpgsqlTypes.NpgsqlDbType.Text, accountId);
            batch.BatchCommands.Add(command);
        }
        using var r = batch.ExecuteReader();
        var row = new PgRow(r);
        var profile = r.Read() ? FactRows.Account(row, symbols) : null;
        if (profile is null) return null;
        List<T> Rows<T>(Func<PgRow, string, Symbols, T> parse)
        {
            if (!r.NextResult()) throw new StoreException("the store answered fewer result sets than an account's history asks");
            var rows = new List<T>();
            while (r.Read()) rows.Add(parse(row, profile.Id, symbols));
            return rows;
        }
        return new AccountHistory(profile,
            Rows(FactRows.Movement), Rows(FactRows.Outcome), Rows(FactRows.Evidence), Rows(FactRows.Signal),
            Rows(FactRows.Milestone), Rows(FactRows.Override))
        {
            Renewals = Rows(FactRows.Renewal),
            Readings = Rows(FactRows.MetricReading),
        };
    }

    /// <summary>The queries of one account's history, in the order ReadHistory reads their results.</summary>
    private static readonly string[] HistoryQueries =
    [
        Sql.Account, Sql.MovementsOfAccount, Sql.OutcomesOfAccount, Sql.EvidenceOfAccount, Sql.SignalsOfAccount,
        Sql.MilestonesOfAccount, Sql.OverridesOfAccount, Sql.RenewalsOfAccount, Sql.MetricReadingsOfAccount,
    ];

    public IPortfolioStream Histories(DateOnly asOf) => Histories(asOf, ScoringPolicy.Default.TrendWindowDays);

    public IPortfolioStream Histories(DateOnly asOf, int trendWindowDays) => OpenStream(asOf, ledgerOnly: false, trendWindowDays);

    public IPortfolioStream Ledgers(DateOnly asOf) => OpenStream(asOf, ledgerOnly: true, trendWindowDays: 1);

    private IPortfolioStream OpenStream(DateOnly asOf, bool ledgerOnly, int trendWindowDays)
    {
        var tables = new List<FactReader.ITableReader>();
        try
        {
            var accounts = new PgTableReader<AccountProfile>(this, Sql.Accounts, asOf, null, (r, _, s) => FactRows.Account(r, s));
            tables.Add(accounts);
            var snapshot = accounts.ExportSnapshot();
            tables.Add(new PgTableReader<MovementFact>(this, Sql.Movements, asOf, snapshot, FactRows.Movement));
            if (!ledgerOnly)
            {
                tables.Add(new PgTableReader<OutcomeFact>(this, Sql.Outcomes, asOf, snapshot, FactRows.Outcome));
                tables.Add(new PgTableReader<EvidenceFact>(this, EvidenceStream, asOf, snapshot, FactRows.Evidence, settings: StreamedJoin));
                tables.Add(new PgTableReader<SignalFact>(this, Sql.Signals, asOf, snapshot, FactRows.Signal));
                tables.Add(new PgTableReader<MilestoneFact>(this, Sql.Milestones, asOf, snapshot, FactRows.Milestone));
                tables.Add(new PgTableReader<OverrideFact>(this, Sql.Overrides, asOf, snapshot, FactRows.Override));
                tables.Add(new PgTableReader<RenewalFact>(this, Sql.Renewals, asOf, snapshot, FactRows.Renewal));
                tables.Add(new PgTableReader<MetricReading>(this, Sql.UsageEvidenceReadings, asOf, snapshot, FactRows.MetricReading));
                tables.Add(new PgTableReader<MetricWindow>(this, Sql.TrendWindows, asOf, snapshot, FactRows.MetricWindow,
                    FactReader.PortfolioStream.WindowBounds(asOf, trendWindowDays)));
            }
            if (tables.Any(t => t.Version != accounts.Version))
                throw new StoreException("the portfolio's tables were not read from one snapshot");
            return FactReader.PortfolioStream.Of(tables, ledgerOnly, accounts.Version, asOf, trendWindowDays);
        }
        catch
        {
            foreach (var t in tables) t.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The evidence stream joins outcomes (for the account and the order): joined by hash and sorted, its first row
    /// comes only when the whole sort is done (about 4 s at 100,000 accounts, with every other stream of the read
    /// waiting on it); joined by a nested loop over the outcomes' index in order and the evidence's index, its rows
    /// come from the start, at about the same cost in all.
    /// </summary>
    private const string StreamedJoin = "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off";

    /// <summary>One table of the portfolio read, on a connection and thread of its own, in the snapshot it was given.</summary>
    private sealed class PgTableReader<T> : FactReader.TableStream<T>
    {
        private readonly PgStore _store;
        private readonly NpgsqlConnection _c;
        private readonly NpgsqlTransaction _tx;
        private readonly string _sql;
        private readonly DateOnly _asOf;
        private readonly Func<PgRow, string, Symbols, T> _parse;
        private readonly (string Name, string Value)[] _parameters;

        public PgTableReader(PgStore store, string sql, DateOnly asOf, string? snapshot, Func<PgRow, string, Symbols, T> parse,
            (string Name, string Value)[]? parameters = null, string? settings = null)
        {
            _parameters = parameters ?? [];
            _store = store;
            _sql = sql;
            _asOf = asOf;
            _parse = parse;
            _c = store.Connect();
            try
            {
                _tx = _c.BeginTransaction(IsolationLevel.RepeatableRead);
                var set = StreamSettings + (settings is null ? "" : "; " + settings);
                if (snapshot is not null) set = "SET TRANSACTION SNAPSHOT '" + snapshot.Replace("'", "''", StringComparison.Ordinal) + "'; " + set;
                using (var command = new NpgsqlCommand(set, _c, _tx)) command.ExecuteNonQuery();
                Version = ReadVersion(_c, _tx).Version;
            }
            catch (Exception e) when (e is NpgsqlException)
            {
                _c.Dispose();
                throw new StoreException(store.Explain(e));
            }
            catch
            {
                _c.Dispose();
                throw;
            }
        }

        public override long Version { get; }

        /// <summary>
        /// How this transaction plans its one query: ten of them run at once, one per table, so no parallel workers of
        /// their own; the tables are read in their indexes' order rather than sorted (the data is in memory: a page read
        /// at random costs about as much as one read in order), and a sort that is left fits in memory.
        /// </summary>
        private const string StreamSettings =
            "SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL random_page_cost = 1.1; SET LOCAL work_mem = '64MB'";

        /// <summary>The snapshot of this reader's transaction, for the other tables' readers.</summary>
        public string ExportSnapshot()
        {
            using var cmd = new NpgsqlCommand("SELECT pg_export_snapshot()", _c, _tx);
            return (string)cmd.ExecuteScalar()!;
        }

        protected override void Produce()
        {
            var symbols = new Symbols();
            using var cmd = new NpgsqlCommand(_sql, _c, _tx);
            cmd.Parameters.AddWithValue("asOf", NpgsqlTypes.NpgsqlDbType.Text, FactReader.Iso(_asOf));
            foreach (var (name, value) in _parameters) cmd.Parameters.AddWithValue(name.TrimStart('@'), NpgsqlTypes.NpgsqlDbType.Text, value);
            try
            {
                using var r = cmd.ExecuteReader();
                var row = new PgRow(r);
                var rows = new List<T>(); // the current account's rows (reused; each group keeps an exact copy)
                string? account = null;
                var key = new byte[64]; // the UTF-8 id of the current account
                var keyLength = 0;
                while (r.Read())
                {
                    Stopping.ThrowIfCancellationRequested();
                    var id = row.Utf8(0);
                    if (account is null || !id.SequenceEqual(key.AsSpan(0, keyLength)))
                    {
                        if (account is not null)
                        {
                            Emit(account, rows.ToArray());
                            rows.Clear();
                        }
                        if (id.Length > key.Length) key = new byte[Math.Max(id.Length, key.Length * 2)];
                        id.CopyTo(key);
                        keyLength = id.Length;
                        account = Encoding.UTF8.GetString(id);
                    }
                    rows.Add(_parse(row, account, symbols));
                }
                if (account is not null) Emit(account, rows.ToArray());
            }
            catch (NpgsqlException e)
            {
                throw new StoreException(_store.Explain(e));
            }
        }

        protected override void Close()
        {
            try
            {
                _tx.Rollback();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // a stopped read: the connection is reset when it goes back to the pool
            }
            _c.Dispose();
        }
    }
}
