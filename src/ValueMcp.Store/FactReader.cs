using System.Collections.Concurrent;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using ValueMcp.Scoring;

namespace ValueMcp.Store;

/// <summary>
/// Reads facts: plain rows, typed, grouped by account. The whole portfolio is streamed (one account's facts at a
/// time, every table read once, in parallel, from one consistent snapshot of the store); one account is read whole.
/// What the facts mean is decided by the scoring library.
/// </summary>
public sealed class FactReader(Database db)
{
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>How many times a portfolio read starts over when a write lands while its snapshots are being taken.</summary>
    private const int SnapshotAttempts = 20;

    /// <summary>The data version now: raised by every write and every import.</summary>
    public DataVersion Version()
    {
        using var c = db.OpenRead();
        return ReadVersion(c);
    }

    /// <summary>
    /// What changed since version, read from one snapshot: the data version now and the whole history of each account
    /// written since (null: any account may have changed, as after an import, or the changes are older than the store
    /// still lists, or more than maxAccounts accounts changed: read the portfolio again).
    /// </summary>
    public (DataVersion Now, IReadOnlyList<AccountHistory>? Changed) ChangesSince(long version, int maxAccounts)
    {
        using var c = db.OpenRead();
        using var tx = c.BeginTransaction(deferred: true);
        var now = ReadVersion(c, tx);
        if (now.Version == version) return (now, []);
        if (version + 1 < now.ChangesFrom || version > now.Version) return (now, null);
        var ids = c.Query<string?>(Sql.ChangedAccounts, new { version }, tx).AsList();
        if (ids.Count > maxAccounts || ids.Any(id => id is null)) return (now, null);
        var symbols = new Symbols();
        return (now, ids.OfType<string>().Select(id => ReadHistory(c, id, symbols)).OfType<AccountHistory>().ToList());
    }

    /// <summary>
    /// Every account with its facts dated on or before asOf, ordered by account id (binary order of the UTF-8 id), read
    /// from one snapshot of the store: Version is the data version of that snapshot. Descriptive text that no rule
    /// reads (notes, metric and unit names, an outcome's source, who captured evidence, the evidence's id) is left
    /// empty; History reads
    /// one account whole. Enumerate once; dispose to stop early.
    /// </summary>
    /// <remarks>
    /// Metric readings are not streamed whole: each history carries the readings its outcomes' evidence needs at asOf
    /// (see <see cref="Sql.UsageEvidenceReadings"/>) and its metrics summed over the two trend windows of
    /// trendWindowDays ending on asOf (<see cref="AccountHistory.TrendWindows"/>).
    /// </remarks>
    public PortfolioStream Histories(DateOnly asOf) => Histories(asOf, ScoringPolicy.Default.TrendWindowDays);

    /// <summary>Every account with its facts at asOf, its metrics summed over trend windows of trendWindowDays (the policy's).</summary>
    public PortfolioStream Histories(DateOnly asOf, int trendWindowDays) => PortfolioStream.Open(db, asOf, ledgerOnly: false, trendWindowDays);

    /// <summary>
    /// The ARR ledger for retention: every account with a movement dated on or before asOf, with its profile and those
    /// movements (the other facts are not read). Ordered by account id.
    /// </summary>
    public PortfolioStream Ledgers(DateOnly asOf) => PortfolioStream.Open(db, asOf, ledgerOnly: true, trendWindowDays: 1);

    /// <summary>One account with every fact and every column, and the data version it was read at; null for an unknown id.</summary>
    public (AccountHistory? History, DataVersion Version) History(string accountId)
    {
        using var c = db.OpenRead();
        using var tx = c.BeginTransaction(deferred: true);
        var version = ReadVersion(c, tx);
        return (ReadHistory(c, accountId, new Symbols()), version);
    }

    /// <summary>
    /// The signals of each of these accounts observed in (after, until], by account then date then id, from one snapshot
    /// (what is new between two dates, for the accounts that moved).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<SignalFact>> Signals(IEnumerable<string> accountIds, DateOnly after, DateOnly until)
    {
        using var c = db.OpenRead();
        using var tx = c.BeginTransaction(deferred: true);
        var symbols = new Symbols();
        var found = new Dictionary<string, IReadOnlyList<SignalFact>>(StringComparer.Ordinal);
        using var q = new RawStatement(c, Sql.SignalsOfAccountBetween);
        foreach (var id in accountIds)
        {
            q.Bind("@accountId", id);
            q.Bind("@after", Iso(after));
            q.Bind("@until", Iso(until));
            var rows = new List<SignalFact>();
            while (q.Read()) rows.Add(FactRows.Signal(q, id, symbols));
            q.Reset();
            found[id] = rows;
        }
        return found;
    }

    private static AccountHistory? ReadHistory(SqliteConnection c, string accountId, Symbols symbols)
    {
        AccountProfile? profile = null;
        using (var q = Query(c, Sql.Account, accountId: accountId))
            if (q.Read()) profile = FactRows.Account(q, symbols);
        if (profile is null) return null;
        List<T> Rows<T>(string sql, Func<RawStatement, string, Symbols, T> parse)
        {
            using var q = Query(c, sql, accountId: accountId);
            var rows = new List<T>();
            while (q.Read()) rows.Add(parse(q, profile.Id, symbols));
            return rows;
        }
        return new AccountHistory(profile,
            Rows(Sql.MovementsOfAccount, FactRows.Movement), Rows(Sql.OutcomesOfAccount, FactRows.Outcome),
            Rows(Sql.EvidenceOfAccount, FactRows.Evidence), Rows(Sql.SignalsOfAccount, FactRows.Signal),
            Rows(Sql.MilestonesOfAccount, FactRows.Milestone), Rows(Sql.OverridesOfAccount, FactRows.Override))
        {
            Renewals = Rows(Sql.RenewalsOfAccount, FactRows.Renewal),
            Readings = Rows(Sql.MetricReadingsOfAccount, FactRows.MetricReading),
        };
    }

    public bool AccountExists(string accountId)
    {
        using var c = db.OpenRead();
        return c.ExecuteScalar<long>("SELECT count(*) FROM accounts WHERE id = @accountId", new { accountId }) > 0;
    }

    public IReadOnlyDictionary<string, long> Counts()
    {
        using var c = db.OpenRead();
        var tables = new[] { "accounts", "arr_movements", "outcomes", "evidence", "signals", "milestones", "renewals", "metric_readings", "overrides", "audit_log" };
        return tables.ToDictionary(t => t, t => c.ExecuteScalar<long>($"SELECT count(*) FROM {t}"));
    }

    public static string Iso(DateOnly d) => d.ToString(DateFormat, CultureInfo.InvariantCulture);

    internal static DateOnly ParseDate(string s) => DateOnly.ParseExact(s, DateFormat, CultureInfo.InvariantCulture);

    internal static DataVersion ReadVersion(SqliteConnection c, SqliteTransaction? tx = null)
    {
        var row = c.QuerySingle<VersionRow>(Sql.DataVersion, transaction: tx);
        return new DataVersion(row.Version, row.ChangesFrom);
    }

    internal static RawStatement Query(SqliteConnection c, string sql, DateOnly? asOf = null, string? accountId = null)
    {
        var q = new RawStatement(c, sql);
        if (asOf is DateOnly d) q.Bind("@asOf", Iso(d));
        if (accountId is not null) q.Bind("@accountId", accountId);
        return q;
    }

    internal sealed class VersionRow
    {
        public long Version { get; set; }
        public long ChangesFrom { get; set; }
    }

    /// <summary>
    /// The portfolio read: one reading thread and connection per table, each in a read transaction begun on the same
    /// data version (started again when a write lands in between), each handing batches of rows grouped by account to
    /// the enumerating thread, which merges them by account id.
    /// </summary>
    public sealed class PortfolioStream : IPortfolioStream
    {
        private readonly List<ITableReader> _tables;
        private readonly TableStream<AccountProfile> _accounts;
        private readonly TableStream<MovementFact> _movements;
        private readonly TableStream<OutcomeFact>? _outcomes;
        private readonly TableStream<EvidenceFact>? _evidence;
        private readonly TableStream<SignalFact>? _signals;
        private readonly TableStream<MilestoneFact>? _milestones;
        private readonly TableStream<OverrideFact>? _overrides;
        private readonly TableStream<RenewalFact>? _renewals;
        private readonly TableStream<MetricReading>? _readings;
        private readonly TableStream<MetricWindow>? _windows;
        private readonly TrendWindows? _noWindows;
        private readonly bool _ledgerOnly;
        private bool _enumerated;

        private PortfolioStream(List<ITableReader> tables, bool ledgerOnly, long version, TrendWindows? noWindows = null)
        {
            _noWindows = noWindows;
            _tables = tables;
            _ledgerOnly = ledgerOnly;
            Version = version;
            _accounts = (TableStream<AccountProfile>)tables[0];
            _movements = (TableStream<MovementFact>)tables[1];
            if (ledgerOnly) return;
            _outcomes = (TableStream<OutcomeFact>)tables[2];
            _evidence = (TableStream<EvidenceFact>)tables[3];
            _signals = (TableStream<SignalFact>)tables[4];
            _milestones = (TableStream<MilestoneFact>)tables[5];
            _overrides = (TableStream<OverrideFact>)tables[6];
            _renewals = (TableStream<RenewalFact>)tables[7];
            _readings = (TableStream<MetricReading>)tables[8];
            _windows = (TableStream<MetricWindow>)tables[9];
        }

        /// <summary>
        /// A stream over table readers begun on one snapshot (another store's): accounts, movements, then (unless
        /// ledgerOnly) outcomes, evidence, signals, milestones, overrides, renewals, the usage evidence readings and the
        /// trend windows (Sql.UsageEvidenceReadings, Sql.TrendWindows) summed at asOf over windows of trendWindowDays. Starts them.
        /// </summary>
        internal static PortfolioStream Of(List<ITableReader> tables, bool ledgerOnly, long version, DateOnly asOf, int trendWindowDays)
        {
            foreach (var t in tables) t.Start();
            return new PortfolioStream(tables, ledgerOnly, version, new TrendWindows(asOf, trendWindowDays, []));
        }

        /// <summary>The trend windows' bounds for Sql.TrendWindows: @recentStart and @priorStart.</summary>
        internal static (string Name, string Value)[] WindowBounds(DateOnly asOf, int trendWindowDays)
        {
            var policy = ScoringPolicy.Default with { TrendWindowDays = trendWindowDays };
            return [("@recentStart", Iso(policy.TrendWindowStart(asOf))), ("@priorStart", Iso(policy.PriorTrendWindowStart(asOf)))];
        }

        /// <summary>The data version of the snapshot the stream reads.</summary>
        public long Version { get; }

        internal static PortfolioStream Open(Database db, DateOnly asOf, bool ledgerOnly, int trendWindowDays)
        {
            var windowBounds = WindowBounds(asOf, trendWindowDays);
            for (var attempt = 1; ; attempt++)
            {
                var tables = new List<ITableReader>();
                try
                {
                    tables.Add(new TableReader<AccountProfile>(db, Sql.Accounts, asOf, (r, _, s) => FactRows.Account(r, s)));
                    tables.Add(new TableReader<MovementFact>(db, Sql.Movements, asOf, FactRows.Movement));
                    if (!ledgerOnly)
                    {
                        tables.Add(new TableReader<OutcomeFact>(db, Sql.Outcomes, asOf, FactRows.Outcome));
                        tables.Add(new TableReader<EvidenceFact>(db, Sql.Evidence, asOf, FactRows.Evidence));
                        tables.Add(new TableReader<SignalFact>(db, Sql.Signals, asOf, FactRows.Signal));
                        tables.Add(new TableReader<MilestoneFact>(db, Sql.Milestones, asOf, FactRows.Milestone));
                        tables.Add(new TableReader<OverrideFact>(db, Sql.Overrides, asOf, FactRows.Override));
                        tables.Add(new TableReader<RenewalFact>(db, Sql.Renewals, asOf, FactRows.Renewal));
                        tables.Add(new TableReader<MetricReading>(db, Sql.SqliteUsageEvidenceReadings, asOf, FactRows.MetricReading));
                        tables.Add(new TableReader<MetricWindow>(db, Sql.TrendWindows, asOf, FactRows.MetricWindow, windowBounds));
                    }
                    var version = tables[0].Version;
                    if (tables.All(t => t.Version == version) || attempt == SnapshotAttempts)
                    {
                        if (tables.Any(t => t.Version != version))
                            throw new StoreException("the store is being written too fast to read one consistent snapshot of it; try again");
                        foreach (var t in tables) t.Start();
                        return new PortfolioStream(tables, ledgerOnly, version, new TrendWindows(asOf, trendWindowDays, []));
                    }
                }
                catch
                {
                    foreach (var t in tables) t.Dispose();
                    throw;
                }
                foreach (var t in tables) t.Dispose();
            }
        }

        public IEnumerator<AccountHistory> GetEnumerator()
        {
            if (_enumerated) throw new InvalidOperationException("a portfolio stream is read once");
            _enumerated = true;
            foreach (var account in _accounts.Groups())
            {
                var key = account.AccountId;
                var movements = _movements.Take(key);
                if (_ledgerOnly)
                {
                    if (movements.Length > 0) yield return new AccountHistory(account.Rows[0], movements, [], [], [], [], []);
                    continue;
                }
                var windows = _windows!.Take(key);
                yield return new AccountHistory(account.Rows[0], movements, _outcomes!.Take(key), _evidence!.Take(key),
                    _signals!.Take(key), _milestones!.Take(key), _overrides!.Take(key))
                {
                    Renewals = _renewals!.Take(key),
                    Readings = _readings!.Take(key),
                    TrendWindows = windows.Length == 0 ? _noWindows! : _noWindows! with { Metrics = windows },
                };
            }
            foreach (var t in _tables) t.CheckExhausted();
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public void Dispose()
        {
            foreach (var t in _tables) t.Dispose();
        }
    }

    internal interface ITableReader : IDisposable
    {
        long Version { get; }
        void Start();
        void CheckExhausted();
    }

    /// <summary>The rows of one account in one table.</summary>
    internal sealed record Group<T>(string AccountId, T[] Rows);

    /// <summary>
    /// One table read on a thread of its own (Produce, the store's own), handed over in batches of account groups: the
    /// enumerating thread takes each account's rows in id order. Start begins reading.
    /// </summary>
    internal abstract class TableStream<T> : ITableReader
    {
        private const int BatchGroups = 64;
        private readonly BlockingCollection<List<Group<T>>> _batches = new(boundedCapacity: 4);
        private readonly CancellationTokenSource _stop = new();
        private Thread? _thread;
        private Exception? _failure;
        private List<Group<T>>? _batch;
        private List<Group<T>> _filling = new(BatchGroups);
        private int _next;

        public abstract long Version { get; }

        protected CancellationToken Stopping => _stop.Token;

        public void Start()
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "valuemcp fact stream" };
            _thread.Start();
        }

        /// <summary>Reads the table in account order, calling Emit once per account with its rows.</summary>
        protected abstract void Produce();

        /// <summary>Ends the read (the snapshot's transaction, the connection); called once the reading thread is done.</summary>
        protected abstract void Close();

        protected void Emit(string accountId, T[] rows)
        {
            _filling.Add(new Group<T>(accountId, rows));
            if (_filling.Count < BatchGroups) return;
            _batches.Add(_filling, _stop.Token);
            _filling = new List<Group<T>>(BatchGroups);
        }

        private void Run()
        {
            try
            {
                Produce();
                if (_filling.Count > 0) _batches.Add(_filling, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // the reader stopped early
            }
            catch (Exception e)
            {
                _failure = e;
            }
            finally
            {
                _batches.CompleteAdding();
            }
        }

        private Group<T>? Peek()
        {
            while (_batch is null || _next == _batch.Count)
            {
                if (!_batches.TryTake(out _batch, Timeout.Infinite))
                {
                    _batch = null;
                    if (_failure is not null) throw new StoreException($"reading the store failed: {_failure.Message}");
                    return null;
                }
                _next = 0;
            }
            return _batch[_next];
        }

        /// <summary>Every group in order (the accounts table: one row a group).</summary>
        public IEnumerable<Group<T>> Groups()
        {
            while (Peek() is { } g)
            {
                _next++;
                yield return g;
            }
        }

        /// <summary>The rows of this account (none when it has none). Accounts are asked in the store's id order.</summary>
        public T[] Take(string accountId)
        {
            var g = Peek();
            if (g is null) return [];
            var order = CodePointOrder.Instance.Compare(g.AccountId, accountId);
            if (order > 0) return [];
            if (order < 0) throw new StoreException($"the store's rows of account \"{g.AccountId}\" are out of order or belong to no account");
            _next++;
            return g.Rows;
        }

        public void CheckExhausted()
        {
            if (Peek() is { } g) throw new StoreException($"the store holds rows of an account that is not in accounts: \"{g.AccountId}\"");
        }

        public void Dispose()
        {
            _stop.Cancel();
            if (_thread is not null && !_thread.Join(TimeSpan.FromSeconds(30)))
                return; // a stuck reader keeps its connection; it is closed when the process ends
            Close();
            _batches.Dispose();
            _stop.Dispose();
        }
    }

    /// <summary>
    /// One SQLite table read on a thread of its own: its connection opens a read transaction (the snapshot) at construction.
    /// </summary>
    private sealed class TableReader<T> : TableStream<T>
    {
        private readonly SQLitePCL.sqlite3 _handle;
        private readonly string _sql;
        private readonly DateOnly _asOf;
        private readonly Func<RawStatement, string, Symbols, T> _parse;
        private readonly IReadOnlyList<(string Name, string Value)> _binds;

        public TableReader(Database db, string sql, DateOnly asOf, Func<RawStatement, string, Symbols, T> parse,
            IReadOnlyList<(string Name, string Value)>? binds = null)
        {
            _binds = binds ?? [];
            _sql = sql;
            _asOf = asOf;
            _parse = parse;
            _handle = db.OpenStreamHandle();
            try
            {
                // The read transaction begins with the first read: the version, then the table, see one snapshot.
                if (SQLitePCL.raw.sqlite3_exec(_handle, "BEGIN") != SQLitePCL.raw.SQLITE_OK)
                    throw new StoreException($"cannot read {db.Path}: {SQLitePCL.raw.sqlite3_errmsg(_handle).utf8_to_string()}");
                using var version = new RawStatement(_handle, Sql.DataVersion);
                if (!version.Read()) throw new StoreException($"{db.Path} has no data version");
                Version = version.Int64(0);
            }
            catch
            {
                _handle.Dispose();
                throw;
            }
        }

        public override long Version { get; }

        protected override void Produce()
        {
            var symbols = new Symbols();
            using var q = new RawStatement(_handle, _sql);
            q.Bind("@asOf", Iso(_asOf));
            foreach (var (name, value) in _binds) q.Bind(name, value);
            var rows = new List<T>(); // the current account's rows (reused; each group keeps an exact copy)
            string? account = null;
            var key = new byte[64]; // the UTF-8 id of the current account
            var keyLength = 0;
            while (q.Read())
            {
                var id = q.Utf8(0);
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
                    account = q.Text(0);
                }
                rows.Add(_parse(q, account, symbols));
            }
            if (account is not null) Emit(account, rows.ToArray());
        }

        protected override void Close()
        {
            SQLitePCL.raw.sqlite3_exec(_handle, "COMMIT");
            _handle.Dispose();
        }
    }
}

/// <summary>The data version of the store, and the first version whose account changes are all still listed.</summary>
public sealed record DataVersion(long Version, long ChangesFrom);

/// <summary>Money is stored as integer cents so that sums are exact.</summary>
public static class Money
{
    public static decimal FromCents(long cents) => cents / 100m;

    /// <summary>The largest amount, in cents, that one movement may have.</summary>
    public const long MaxCents = long.MaxValue / 4;

    /// <summary>Cents of a decimal amount; false when it has more than 2 decimal places or is out of range.</summary>
    public static bool TryToCents(decimal amount, out long cents)
    {
        cents = 0;
        if (Math.Abs(amount) > MaxCents / 100m) return false;
        var scaled = amount * 100m;
        if (scaled != decimal.Truncate(scaled) || Math.Abs(scaled) > MaxCents) return false;
        cents = (long)scaled;
        return true;
    }
}
