using System.Data;
using Npgsql;
using ValueMcp.Scoring;

namespace ValueMcp.Store.Postgres;

/// <summary>
/// The reads: the same SQL as the SQLite store's (Sql), rows parsed by PgRows. A portfolio read takes one connection
/// per table, each in a repeatable-read transaction on one snapshot exported by the first: every table, and the data
/// version, are read as of the same moment, whatever the other instances write meanwhile.
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
        var symbols = new PgSymbols();
        return (now, ids.OfType<string>().Select(id => ReadHistory(c, tx, id, symbols)).OfType<AccountHistory>().ToList());
    });

    public (AccountHistory? History, DataVersion Version) History(string accountId) => Run(c =>
    {
        using var tx = Snapshot(c);
        var version = ReadVersion(c, tx);
        return (ReadHistory(c, tx, accountId, new PgSymbols()), version);
    });

    public IReadOnlyDictionary<string, IReadOnlyList<SignalFact>> Signals(IEnumerable<string> accountIds, DateOnly after, DateOnly until) => Run(c =>
    {
        using var tx = Snapshot(c);
        var symbols = new PgSymbols();
        var found = new Dictionary<string, IReadOnlyList<SignalFact>>(StringComparer.Ordinal);
        using var cmd = new NpgsqlCommand(Sql.SignalsOfAccountBetween, c, tx);
        var id = cmd.Parameters.Add(new NpgsqlParameter("accountId", NpgsqlTypes.NpgsqlDbType.Text));
        cmd.Parameters.AddWithValue("after", FactReader.Iso(after));
        cmd.Parameters.AddWithValue("until", FactReader.Iso(until));
        foreach (var account in accountIds)
        {
            id.Value = account;
            using var r = cmd.ExecuteReader();
            var rows = new List<SignalFact>();
            while (r.Read()) rows.Add(PgRows.Signal(r, account, symbols));
            found[account] = rows;
        }
        return (IReadOnlyDictionary<string, IReadOnlyList<SignalFact>>)found;
    });

    private static AccountHistory? ReadHistory(NpgsqlConnection c, NpgsqlTransaction tx, string accountId, PgSymbols symbols)
    {
        AccountProfile? profile = null;
        using (var cmd = Query(c, tx, Sql.Account, accountId))
        using (var r = cmd.ExecuteReader())
            if (r.Read()) profile = PgRows.Account(r, symbols);
        if (profile is null) return null;
        List<T> Rows<T>(string sql, Func<NpgsqlDataReader, string, PgSymbols, T> parse)
        {
            using var cmd = Query(c, tx, sql, accountId);
            using var r = cmd.ExecuteReader();
            var rows = new List<T>();
            while (r.Read()) rows.Add(parse(r, profile.Id, symbols));
            return rows;
        }
        return new AccountHistory(profile,
            Rows(Sql.MovementsOfAccount, PgRows.Movement), Rows(Sql.OutcomesOfAccount, PgRows.Outcome),
            Rows(Sql.EvidenceOfAccount, PgRows.Evidence), Rows(Sql.SignalsOfAccount, PgRows.Signal),
            Rows(Sql.MilestonesOfAccount, PgRows.Milestone), Rows(Sql.OverridesOfAccount, PgRows.Override))
        {
            Renewals = Rows(Sql.RenewalsOfAccount, PgRows.Renewal),
            Readings = Rows(Sql.MetricReadingsOfAccount, PgRows.MetricReading),
        };
    }

    private static NpgsqlCommand Query(NpgsqlConnection c, NpgsqlTransaction tx, string sql, string accountId)
    {
        var cmd = new NpgsqlCommand(sql, c, tx);
        cmd.Parameters.AddWithValue("accountId", NpgsqlTypes.NpgsqlDbType.Text, accountId);
        return cmd;
    }

    public IPortfolioStream Histories(DateOnly asOf) => Histories(asOf, ScoringPolicy.Default.TrendWindowDays);

    public IPortfolioStream Histories(DateOnly asOf, int trendWindowDays) => OpenStream(asOf, ledgerOnly: false, trendWindowDays);

    public IPortfolioStream Ledgers(DateOnly asOf) => OpenStream(asOf, ledgerOnly: true, trendWindowDays: 1);

    private IPortfolioStream OpenStream(DateOnly asOf, bool ledgerOnly, int trendWindowDays)
    {
        var tables = new List<FactReader.ITableReader>();
        try
        {
            var accounts = new PgTableReader<AccountProfile>(this, Sql.Accounts, asOf, null, (r, _, s) => PgRows.Account(r, s));
            tables.Add(accounts);
            var snapshot = accounts.ExportSnapshot();
            tables.Add(new PgTableReader<MovementFact>(this, Sql.Movements, asOf, snapshot, PgRows.Movement));
            if (!ledgerOnly)
            {
                tables.Add(new PgTableReader<OutcomeFact>(this, Sql.Outcomes, asOf, snapshot, PgRows.Outcome));
                tables.Add(new PgTableReader<EvidenceFact>(this, EvidenceStream, asOf, snapshot, PgRows.Evidence));
                tables.Add(new PgTableReader<SignalFact>(this, Sql.Signals, asOf, snapshot, PgRows.Signal));
                tables.Add(new PgTableReader<MilestoneFact>(this, Sql.Milestones, asOf, snapshot, PgRows.Milestone));
                tables.Add(new PgTableReader<OverrideFact>(this, Sql.Overrides, asOf, snapshot, PgRows.Override));
                tables.Add(new PgTableReader<RenewalFact>(this, Sql.Renewals, asOf, snapshot, PgRows.Renewal));
                tables.Add(new PgTableReader<MetricReading>(this, Sql.UsageEvidenceReadings, asOf, snapshot, PgRows.MetricReading));
                tables.Add(new PgTableReader<MetricWindow>(this, Sql.TrendWindows, asOf, snapshot, PgRows.MetricWindow,
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

    /// <summary>One table of the portfolio read, on a connection and thread of its own, in the snapshot it was given.</summary>
    private sealed class PgTableReader<T> : FactReader.TableStream<T>
    {
        private readonly PgStore _store;
        private readonly NpgsqlConnection _c;
        private readonly NpgsqlTransaction _tx;
        private readonly string _sql;
        private readonly DateOnly _asOf;
        private readonly Func<NpgsqlDataReader, string, PgSymbols, T> _parse;
        private readonly (string Name, string Value)[] _parameters;

        public PgTableReader(PgStore store, string sql, DateOnly asOf, string? snapshot, Func<NpgsqlDataReader, string, PgSymbols, T> parse,
            (string Name, string Value)[]? parameters = null)
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
                if (snapshot is not null)
                {
                    using var set = new NpgsqlCommand("SET TRANSACTION SNAPSHOT '" + snapshot.Replace("'", "''", StringComparison.Ordinal) + "'", _c, _tx);
                    set.ExecuteNonQuery();
                }
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

        /// <summary>The snapshot of this reader's transaction, for the other tables' readers.</summary>
        public string ExportSnapshot()
        {
            using var cmd = new NpgsqlCommand("SELECT pg_export_snapshot()", _c, _tx);
            return (string)cmd.ExecuteScalar()!;
        }

        protected override void Produce()
        {
            var symbols = new PgSymbols();
            using var cmd = new NpgsqlCommand(_sql, _c, _tx);
            cmd.Parameters.AddWithValue("asOf", NpgsqlTypes.NpgsqlDbType.Text, FactReader.Iso(_asOf));
            foreach (var (name, value) in _parameters) cmd.Parameters.AddWithValue(name.TrimStart('@'), NpgsqlTypes.NpgsqlDbType.Text, value);
            try
            {
                using var r = cmd.ExecuteReader();
                var rows = new List<T>();
                string? account = null;
                while (r.Read())
                {
                    Stopping.ThrowIfCancellationRequested();
                    var id = r.GetString(0);
                    if (account is null || !string.Equals(id, account, StringComparison.Ordinal))
                    {
                        if (account is not null)
                        {
                            Emit(account, rows.ToArray());
                            rows.Clear();
                        }
                        account = symbols.Of(id);
                    }
                    rows.Add(_parse(r, account, symbols));
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
