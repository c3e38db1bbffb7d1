using System.Globalization;
using System.Net.Sockets;
using System.Reflection;
using System.Text.RegularExpressions;
using Npgsql;
using ValueMcp.Scoring;

namespace ValueMcp.Store.Postgres;

/// <summary>
/// The facts in a PostgreSQL database, shared by any number of server instances: the same tables as the SQLite file
/// (migrations of their own, Migrations/postgres), read with the same SQL (Sql, the registry's column lists) through
/// a pool of connections. Every write and import runs in one transaction that first locks the data version's row, so
/// the writers of all instances are ordered and each raises the version exactly once; every instance's scored
/// portfolios compare that shared version before answering.
/// </summary>
public sealed partial class PgStore : IFactStore
{
    private readonly NpgsqlDataSource _source;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    private PgStore(NpgsqlDataSource source, string display, bool readOnly)
    {
        _source = source;
        Display = display;
        ReadOnly = readOnly;
    }

    public string Kind => "postgres";

    public string Display { get; }

    public bool ReadOnly { get; }

    /// <summary>Whether a --db value (or VALUEMCP_DB) names a PostgreSQL database rather than a SQLite file.</summary>
    public static bool IsTarget(string? db) =>
        db is not null && (db.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
                           || db.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
                           || KeyValueHost().IsMatch(db));

    [GeneratedRegex(@"(^|;)\s*(host|server)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeyValueHost();

    /// <summary>
    /// The connection settings of a target: a URL (postgres://user:password@host:port/database?sslmode=require) or
    /// Npgsql's key=value form (Host=...;Database=...). A malformed one is a StoreException that shows no password.
    /// </summary>
    public static NpgsqlConnectionStringBuilder Settings(string target)
    {
        NpgsqlConnectionStringBuilder b;
        try
        {
            if (target.Contains("://", StringComparison.Ordinal))
            {
                if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
                    throw new StoreException("--db: a PostgreSQL URL reads postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=...]");
                b = new NpgsqlConnectionStringBuilder { Host = uri.Host.Trim('[', ']') };
                if (uri.Port > 0) b.Port = uri.Port;
                var user = uri.UserInfo.Split(':', 2);
                if (user[0].Length > 0) b.Username = Uri.UnescapeDataString(user[0]);
                if (user.Length == 2) b.Password = Uri.UnescapeDataString(user[1]);
                var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
                if (database.Length > 0) b.Database = database;
                foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
                {
                    var kv = pair.Split('=', 2);
                    var key = Uri.UnescapeDataString(kv[0]);
                    var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
                    b[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = value;
                }
            }
            else
            {
                b = new NpgsqlConnectionStringBuilder(target);
            }
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new StoreException($"--db: not a PostgreSQL connection string ({Scrub(e.Message)}); accepted: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE, or Host=...;Database=...;Username=...");
        }
        if (string.IsNullOrEmpty(b.Host)) throw new StoreException("--db: the PostgreSQL connection string names no host");
        b.ApplicationName ??= "valuemcp";
        b.Pooling = true;
        if (b.MaxPoolSize == 100) b.MaxPoolSize = 40; // a portfolio read takes one connection per table
        if (b.Timeout == 15) b.Timeout = 10;
        b.CommandTimeout = 0; // an import or a whole read of a large portfolio may take minutes; nothing here waits on a user
        b.IncludeErrorDetail = false; // error details may quote row values: keep them out of messages and logs
        return b;
    }

    /// <summary>Where a target points, fit for a message: user, host, port and database, never the password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder b) =>
        $"postgres://{(string.IsNullOrEmpty(b.Username) ? "" : b.Username + "@")}{b.Host}:{b.Port}/{b.Database ?? b.Username ?? ""}";

    /// <summary>
    /// Connects, then checks the schema: a database from a newer ValueMcp is refused; an older schema is upgraded (not
    /// read-only); a database with no schema yet gets one when create is true (`valuemcp migrate`, import, serve
    /// --create) and is refused otherwise (a typo in --db must not serve an empty portfolio).
    /// </summary>
    public static PgStore Open(string target, bool readOnly = false, bool create = true)
    {
        var settings = Settings(target);
        var display = Describe(settings);
        var source = NpgsqlDataSource.Create(settings);
        var store = new PgStore(source, display, readOnly);
        try
        {
            var version = store.SchemaVersion();
            if (version > LatestVersion)
                throw new StoreException($"{display} has schema version {version}, newer than this ValueMcp knows ({LatestVersion}); upgrade ValueMcp to open it");
            if (version < LatestVersion)
            {
                if (readOnly || (version == 0 && !create))
                    throw new StoreException(version == 0
                        ? $"{display} holds no ValueMcp schema yet; create it with `valuemcp migrate --db URL`, or load facts with `valuemcp import FOLDER --db URL`"
                        : $"{display} has schema version {version}; upgrade it to {LatestVersion} with `valuemcp migrate --db URL`");
                store.Migrate();
            }
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>`valuemcp migrate`: creates or upgrades the schema of target. Returns the versions before and after, and where.</summary>
    public static (int From, int To, string Display) MigrateTarget(string target)
    {
        var settings = Settings(target);
        using var store = new PgStore(NpgsqlDataSource.Create(settings), Describe(settings), readOnly: false);
        var (from, to) = store.Migrate();
        return (from, to, store.Display);
    }

    public static IReadOnlyList<Migration> Migrations { get; } = LoadMigrations();

    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>The schema version recorded in the database (0 when it has none).</summary>
    public int SchemaVersion() => Run(c =>
    {
        using var exists = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", c);
        if (!(bool)exists.ExecuteScalar()!) return 0;
        using var max = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_migrations", c);
        return Convert.ToInt32(max.ExecuteScalar(), CultureInfo.InvariantCulture);
    });

    /// <summary>
    /// Applies the migrations the database lacks, all in one transaction, under an advisory lock (two instances
    /// starting together migrate once). Idempotent; refuses a database from a newer ValueMcp. Returns (from, to).
    /// </summary>
    public (int From, int To) Migrate()
    {
        if (ReadOnly) throw new StoreException($"{Display} is open read-only");
        return Run(c =>
        {
            using var tx = c.BeginTransaction();
            Execute(c, tx, "SELECT pg_advisory_xact_lock(5653427045324883)");
            Execute(c, tx, "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)");
            using var max = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_migrations", c, tx);
            var current = Convert.ToInt32(max.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (current > LatestVersion)
                throw new StoreException($"{Display} has schema version {current}, newer than this ValueMcp knows ({LatestVersion}); upgrade ValueMcp to open it");
            foreach (var m in Migrations.Where(m => m.Version > current))
            {
                Execute(c, tx, m.Sql);
                using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @at)", c, tx);
                record.Parameters.AddWithValue("v", m.Version);
                record.Parameters.AddWithValue("n", m.Name);
                record.Parameters.AddWithValue("at", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                record.ExecuteNonQuery();
            }
            Execute(c, tx, "ANALYZE");
            tx.Commit();
            return (current, LatestVersion);
        });
    }

    private static IReadOnlyList<Migration> LoadMigrations()
    {
        var asm = typeof(PgStore).Assembly;
        const string prefix = "migrations-postgres/";
        return asm.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..];
                using var s = asm.GetManifestResourceStream(n)!;
                using var r = new StreamReader(s);
                return new Migration(int.Parse(file.Split('_')[0], CultureInfo.InvariantCulture), file, r.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();
    }

    /// <summary>An open connection from the pool; a failure to connect is a StoreException saying why, without the password.</summary>
    internal NpgsqlConnection Connect()
    {
        try
        {
            return _source.OpenConnection();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or SocketException)
        {
            throw new StoreException(Explain(e));
        }
    }

    /// <summary>Runs work on a pooled connection; a PostgreSQL failure is a StoreException with a one-line reason.</summary>
    internal T Run<T>(Func<NpgsqlConnection, T> work)
    {
        using var c = Connect();
        try
        {
            return work(c);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new StoreException(Explain(e));
        }
    }

    /// <summary>What a PostgreSQL failure means, in one line: no stack, no password, no row values.</summary>
    internal string Explain(Exception e)
    {
        var settings = _source.ConnectionString is { } cs ? new NpgsqlConnectionStringBuilder(cs) : null;
        var where = $"{settings?.Host}:{settings?.Port}";
        return e switch
        {
            PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } p =>
                $"cannot open {Display}: PostgreSQL refused the login ({p.MessageText}); check the user and password in --db or VALUEMCP_DB",
            PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } =>
                $"cannot open {Display}: no such database on {where}; create it first (createdb), then `valuemcp migrate --db URL`",
            PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } p =>
                $"cannot use {Display}: {p.MessageText} (the user lacks a privilege ValueMcp needs)",
            PostgresException p => $"PostgreSQL at {Display}: {p.MessageText}",
            NpgsqlException { InnerException: SocketException s } =>
                $"cannot reach PostgreSQL at {where}: {s.Message} (is the server running, and is host:port right?)",
            NpgsqlException { InnerException: TimeoutException } or TimeoutException =>
                $"cannot reach PostgreSQL at {where}: no answer in time (is the host reachable?)",
            NpgsqlException n when n.InnerException is IOException io => $"cannot reach PostgreSQL at {where}: {io.Message}",
            _ => $"PostgreSQL at {Display}: {Scrub(e.Message)}",
        };
    }

    /// <summary>A message with any password=... part taken out.</summary>
    private static string Scrub(string message) =>
        Regex.Replace(message, @"(?i)(password\s*=\s*)[^;\s]*", "$1***");

    internal static void Execute(NpgsqlConnection c, NpgsqlTransaction? tx, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c, tx);
        cmd.ExecuteNonQuery();
    }

    public void Check() => Run(c =>
    {
        using var cmd = new NpgsqlCommand("SELECT 1 FROM data_version WHERE id = 1", c);
        return cmd.ExecuteScalar();
    });

    /// <summary>
    /// Runs work in one write transaction: it first locks the data version's row, so that writers of every instance on
    /// this database run one after another (and versions are committed in order). All of work is committed, or none.
    /// </summary>
    internal async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, T> work, CancellationToken ct = default)
    {
        if (ReadOnly) throw new StoreException("the database is open read-only");
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return Run(c =>
            {
                using var tx = c.BeginTransaction();
                LockVersion(c, tx);
                var result = work(c, tx);
                tx.Commit();
                return result;
            });
        }
        finally
        {
            _writeGate.Release();
        }
    }

    internal static void LockVersion(NpgsqlConnection c, NpgsqlTransaction tx) =>
        Execute(c, tx, "SELECT version FROM data_version WHERE id = 1 FOR UPDATE");

    /// <summary>Raises the data version in the writer's transaction (see DataVersions.Raise).</summary>
    internal static long RaiseVersion(NpgsqlConnection c, NpgsqlTransaction tx, string? accountId)
    {
        using var raise = new NpgsqlCommand("UPDATE data_version SET version = version + 1 WHERE id = 1 RETURNING version", c, tx);
        var version = (long)raise.ExecuteScalar()!;
        using var change = new NpgsqlCommand("INSERT INTO account_changes (version, account_id) VALUES (@version, @accountId)", c, tx);
        change.Parameters.AddWithValue("version", version);
        change.Parameters.AddWithValue("accountId", NpgsqlTypes.NpgsqlDbType.Text, (object?)accountId ?? DBNull.Value);
        change.ExecuteNonQuery();
        if (version % 1000 == 0)
        {
            var from = version - DataVersions.KeptChanges;
            using var prune = new NpgsqlCommand("DELETE FROM account_changes WHERE version < @from", c, tx);
            prune.Parameters.AddWithValue("from", from);
            prune.ExecuteNonQuery();
            using var keep = new NpgsqlCommand("UPDATE data_version SET changes_from = GREATEST(changes_from, @from) WHERE id = 1", c, tx);
            keep.Parameters.AddWithValue("from", from);
            keep.ExecuteNonQuery();
        }
        return version;
    }

    internal static void AppendAudit(NpgsqlConnection c, NpgsqlTransaction tx, DateTimeOffset at, string operation, string argumentsJson, string author)
    {
        using var cmd = new NpgsqlCommand("INSERT INTO audit_log (at, operation, arguments, author) VALUES (@at, @op, @args, @author)", c, tx);
        cmd.Parameters.AddWithValue("at", AuditLog.Format(at));
        cmd.Parameters.AddWithValue("op", operation);
        cmd.Parameters.AddWithValue("args", argumentsJson);
        cmd.Parameters.AddWithValue("author", author);
        cmd.ExecuteNonQuery();
    }

    private static long Insert(NpgsqlConnection c, NpgsqlTransaction tx, string sql, object?[] values)
    {
        using var cmd = new NpgsqlCommand(sql, c, tx);
        for (var i = 0; i < values.Length; i++)
        {
            var name = ((char)('a' + i)).ToString();
            if (values[i] is null) cmd.Parameters.Add(new NpgsqlParameter(name, DBNull.Value));
            else cmd.Parameters.AddWithValue(name, values[i]!);
        }
        return cmd.ExecuteScalar() is long id ? id : 0;
    }

    private Task Append(Func<NpgsqlConnection, NpgsqlTransaction, string?> accountOf, WriteAudit audit, CancellationToken ct, string sql, object?[] values) =>
        WriteAsync((c, tx) =>
        {
            Insert(c, tx, sql, values);
            AppendAudit(c, tx, audit.At, audit.Operation, audit.ArgumentsJson, audit.Author);
            RaiseVersion(c, tx, accountOf(c, tx));
            return 0;
        }, ct);

    public Task RecordEvidence(EvidenceFact e, WriteAudit audit, CancellationToken ct = default) =>
        Append((c, tx) => OutcomeAccount(c, tx, e.OutcomeId), audit, ct, FactKinds.Evidence.InsertSql, FactKinds.Evidence.Values(e));

    public Task AddOutcome(OutcomeFact o, WriteAudit audit, CancellationToken ct = default) =>
        Append((_, _) => o.AccountId, audit, ct, FactKinds.Outcomes.InsertSql, FactKinds.Outcomes.Values(o));

    public Task LogSignal(SignalFact s, WriteAudit audit, CancellationToken ct = default) =>
        Append((_, _) => s.AccountId, audit, ct, FactKinds.Signals.InsertSql, FactKinds.Signals.Values(s));

    /// <summary>
    /// Records a metric reading as the SQLite store does (FactWriter.RecordMetric): the same reading again writes nothing
    /// and returns it; another value or source for a stored account, metric and day is refused with the same message.
    /// </summary>
    public Task<MetricReading> RecordMetric(MetricReading m, WriteAudit audit, CancellationToken ct = default) =>
        WriteAsync((c, tx) =>
        {
            using (var cmd = new NpgsqlCommand("SELECT value, source FROM metric_readings WHERE account_id = @a AND metric = @m AND observed_at = @d", c, tx))
            {
                cmd.Parameters.AddWithValue("a", m.AccountId);
                cmd.Parameters.AddWithValue("m", m.Metric);
                cmd.Parameters.AddWithValue("d", FactReader.Iso(m.ObservedAt));
                using var r = cmd.ExecuteReader();
                if (r.Read())
                {
                    var (value, source) = (r.GetDouble(0), r.GetString(1));
                    if (value == (double)m.Value && source == m.Source) return m;
                    throw FactWriter.ReadingStored(m, value, source);
                }
            }
            Insert(c, tx, FactKinds.Metrics.InsertSql, FactKinds.Metrics.Values(m));
            AppendAudit(c, tx, audit.At, audit.Operation, audit.ArgumentsJson, audit.Author);
            RaiseVersion(c, tx, m.AccountId);
            return m;
        }, ct);

    public Task<long> SetOverride(string accountId, OverrideFact o, Func<long, WriteAudit> audit, CancellationToken ct = default) =>
        WriteAsync((c, tx) =>
        {
            var id = Insert(c, tx, FactKinds.Overrides.InsertSql + " RETURNING id", FactKinds.Overrides.Values((accountId, o)));
            var entry = audit(id);
            AppendAudit(c, tx, entry.At, entry.Operation, entry.ArgumentsJson, entry.Author);
            RaiseVersion(c, tx, accountId);
            return id;
        }, ct);

    public Task RecordRenewal(RenewalFact r, WriteAudit audit, CancellationToken ct = default) =>
        WriteAsync((c, tx) =>
        {
            using (var cmd = new NpgsqlCommand("SELECT outcome FROM renewals WHERE account_id = @a AND renewal_date = @d", c, tx))
            {
                cmd.Parameters.AddWithValue("a", r.AccountId);
                cmd.Parameters.AddWithValue("d", FactReader.Iso(r.RenewalDate));
                if (cmd.ExecuteScalar() is string recorded)
                    throw FactWriter.AlreadyRecorded(r, recorded);
            }
            Insert(c, tx, FactKinds.Renewals.InsertSql, FactKinds.Renewals.Values(r));
            AppendAudit(c, tx, audit.At, audit.Operation, audit.ArgumentsJson, audit.Author);
            RaiseVersion(c, tx, r.AccountId);
            return 0;
        }, ct);

    private static string? OutcomeAccount(NpgsqlConnection c, NpgsqlTransaction? tx, string outcomeId)
    {
        using var cmd = new NpgsqlCommand("SELECT account_id FROM outcomes WHERE id = @outcomeId", c, tx);
        cmd.Parameters.AddWithValue("outcomeId", outcomeId);
        return cmd.ExecuteScalar() as string;
    }

    public string? AccountOfOutcome(string outcomeId) => Run(c => OutcomeAccount(c, null, outcomeId));

    public bool AccountExists(string accountId) => Run(c =>
    {
        using var cmd = new NpgsqlCommand("SELECT count(*) FROM accounts WHERE id = @accountId", c);
        cmd.Parameters.AddWithValue("accountId", accountId);
        return (long)cmd.ExecuteScalar()! > 0;
    });

    /// <summary>The tables Counts reports, and copy compares.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["accounts", "arr_movements", "outcomes", "evidence", "signals", "milestones", "renewals", "metric_readings", "overrides", "audit_log"];

    public IReadOnlyDictionary<string, long> Counts() => Run(c => Tables.ToDictionary(t => t, t =>
    {
        using var cmd = new NpgsqlCommand($"SELECT count(*) FROM {t}", c);
        return (long)cmd.ExecuteScalar()!;
    }));

    public IReadOnlyList<AuditEntry> AuditEntries(DateTimeOffset? since, int limit) => Run(c =>
    {
        using var cmd = new NpgsqlCommand("""
            SELECT id, at, operation, arguments, author FROM audit_log
            WHERE @since::text IS NULL OR at >= @since
            ORDER BY at DESC, id DESC LIMIT @limit
            """, c);
        cmd.Parameters.AddWithValue("since", NpgsqlTypes.NpgsqlDbType.Text, since is { } s ? AuditLog.Format(s) : DBNull.Value);
        cmd.Parameters.AddWithValue("limit", (long)limit);
        using var r = cmd.ExecuteReader();
        var list = new List<AuditEntry>();
        while (r.Read()) list.Add(new AuditEntry(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)));
        return list;
    });

    public ImportReport Import(ImportSource source, ImportOptions options, IProgress<ImportProgress>? progress = null, CancellationToken ct = default) =>
        PgImport.Import(this, source, options, progress, ct);

    internal SemaphoreSlim WriteGate => _writeGate;

    public void Dispose()
    {
        _source.Dispose();
        _writeGate.Dispose();
    }
}

/// <summary>The PostgreSQL database's tables as plain rows (valuemcp copy): rows in by binary COPY, ids kept.</summary>
public sealed partial class PgStore : IRawTables
{
    private List<(string Name, string Type)> Columns(NpgsqlConnection c, string table)
    {
        using var cmd = new NpgsqlCommand(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @t ORDER BY ordinal_position", c);
        cmd.Parameters.AddWithValue("t", table);
        using var r = cmd.ExecuteReader();
        var list = new List<(string, string)>();
        while (r.Read()) list.Add((r.GetString(0), r.GetString(1)));
        return list;
    }

    IReadOnlyList<string> IRawTables.ColumnsOf(string table) => Run(c => Columns(c, table).Select(x => x.Name).ToList());

    IEnumerable<object?[]> IRawTables.Rows(string table, IReadOnlyList<string> columns, string orderBy)
    {
        using var c = Connect();
        using var tx = c.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
        using var cmd = new NpgsqlCommand($"SELECT {string.Join(", ", columns)} FROM {table} ORDER BY {orderBy}", c, tx); // names from the registry and the schema
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            var row = new object?[columns.Count];
            for (var i = 0; i < row.Length; i++) row[i] = StoreCopy.Plain(r.IsDBNull(i) ? null : r.GetValue(i));
            yield return row;
        }
    }

    void IRawTables.Load(IReadOnlyList<(string Table, IReadOnlyList<string> Columns, IEnumerable<object?[]> Rows)> tables) =>
        WriteAsync((c, tx) =>
        {
            foreach (var (table, columns, rows) in tables)
            {
                var types = Columns(c, table).ToDictionary(x => x.Name, x => x.Type, StringComparer.Ordinal);
                var kinds = columns.Select(col => types[col]).ToArray();
                using (var copy = c.BeginBinaryImport($"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)"))
                {
                    foreach (var row in rows)
                    {
                        copy.StartRow();
                        for (var i = 0; i < row.Length; i++)
                        {
                            var v = row[i];
                            if (v is null) { copy.WriteNull(); continue; }
                            switch (kinds[i])
                            {
                                case "bigint": copy.Write(Convert.ToInt64(v, CultureInfo.InvariantCulture), NpgsqlTypes.NpgsqlDbType.Bigint); break;
                                case "integer": copy.Write(Convert.ToInt32(v, CultureInfo.InvariantCulture), NpgsqlTypes.NpgsqlDbType.Integer); break;
                                case "double precision": copy.Write(Convert.ToDouble(v, CultureInfo.InvariantCulture), NpgsqlTypes.NpgsqlDbType.Double); break;
                                default: copy.Write(Convert.ToString(v, CultureInfo.InvariantCulture)!, NpgsqlTypes.NpgsqlDbType.Text); break;
                            }
                        }
                    }
                    copy.Complete();
                }
                if (columns.Contains("id") && types["id"] == "bigint")
                    Execute(c, tx, $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table} HAVING max(id) IS NOT NULL AND pg_get_serial_sequence('{table}', 'id') IS NOT NULL");
            }
            RaiseVersion(c, tx, accountId: null);
            Execute(c, tx, "ANALYZE");
            return 0;
        }).GetAwaiter().GetResult();
}
