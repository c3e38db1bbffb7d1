using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using ValueMcp.Store.Postgres;

namespace ValueMcp.Bench;

/// <summary>
/// The floor of the benchmark: ONE SQL statement that computes, at as_of, every per-account fact the definitions need
/// and the four KPIs over the active accounts. Written from the definitions (domain.md, the "Per-account scores" and
/// "Portfolio" sections), not from the product's queries, so that it checks the product as well as timing it: its
/// KPIs must equal the server's.
/// </summary>
public static class Floor
{
    /// <summary>The thresholds the KPIs need, at the defaults of the definitions (the server runs without a policy file).</summary>
    public sealed record Thresholds
    {
        public static Thresholds Default { get; } = new();
        public double OnTrackFulfilment { get; init; } = 0.70;
        public double AtRiskFulfilment { get; init; } = 0.40;
        public double ReadyFulfilment { get; init; } = 0.80;
        public double ReadyUtilisation { get; init; } = 0.85;
        public double EmergingFulfilment { get; init; } = 0.60;
        public double EmergingUtilisation { get; init; } = 0.70;
        public int RecentWindowDays { get; init; } = 90;
        public int TrendWindowDays { get; init; } = 30;
        public double TrendRise { get; init; } = 0.20;
        public double TrendFall { get; init; } = 0.20;
    }

    /// <summary>
    /// Whether a metric reading r of outcome o's metric is evidence that achieves it: observed on or after the promise,
    /// on or before as_of, its value meeting the target in the outcome's direction.
    /// </summary>
    public const string ReadingAchieves = """
        (r.account_id = o.account_id AND r.metric = o.metric AND o.metric <> ''
         AND r.observed_at >= o.promised_at AND r.observed_at <= $as_of
         AND ((o.direction = 'increase' AND r.value >= o.target) OR (o.direction = 'decrease' AND r.value <= o.target)))
        """;

    /// <summary>
    /// Whether a piece of evidence e achieves its outcome o: achieved true; or achieved empty and the observed value
    /// meets the target in the outcome's direction. An explicit false never achieves.
    /// </summary>
    public const string Achieves = """
        (e.achieved = 1
         OR (e.achieved IS NULL AND ((o.direction = 'increase' AND e.observed_value >= o.target)
                                  OR (o.direction = 'decrease' AND e.observed_value <= o.target))))
        """;

    /// <summary>
    /// One row per account: its profile, its facts at $as_of, its band and readiness in force, and (the same on every
    /// row) the four KPIs over the accounts active at $as_of.
    /// </summary>
    public const string Statement = $"""
        WITH
        -- ARR at as_of: new and expansion add, contraction subtracts, churn brings it to 0; movements of one day apply
        -- in the order new, expansion, contraction, churn, so a churn zeroes everything dated on or before its day.
        churned AS (
          SELECT account_id, MAX(effective_date) AS churned_on
          FROM arr_movements
          WHERE kind = 'churn' AND effective_date <= $as_of
          GROUP BY account_id
        ),
        arr AS (
          SELECT m.account_id,
                 SUM(CASE WHEN c.churned_on IS NOT NULL AND m.effective_date <= c.churned_on THEN 0
                          WHEN m.kind = 'contraction' THEN -m.amount_cents
                          WHEN m.kind IN ('new', 'expansion') THEN m.amount_cents
                          ELSE 0 END) AS arr_cents,
                 MAX(CASE WHEN m.kind = 'expansion' THEN m.effective_date END) AS last_expansion_on
          FROM arr_movements m
          LEFT JOIN churned c ON c.account_id = m.account_id
          WHERE m.effective_date <= $as_of
          GROUP BY m.account_id
        ),
        -- Each outcome promised on or before as_of: the first day some evidence captured by as_of achieved it, and the
        -- highest confidence among the evidence that achieves it (3 high: usage, import; 2 medium: survey,
        -- communication; 1 low: meeting, manual, empty). A reading of the outcome's metric on or after the promise is
        -- evidence of source usage (high).
        recorded_state AS (
          SELECT o.id, o.account_id, o.promised_at, o.due_date,
                 MIN(CASE WHEN {Achieves} THEN e.captured_at END) AS achieved_on,
                 MAX(CASE WHEN {Achieves}
                          THEN CASE WHEN e.source IN ('usage', 'import') THEN 3 WHEN e.source IN ('survey', 'communication') THEN 2 ELSE 1 END
                     END) AS confidence
          FROM outcomes o
          LEFT JOIN evidence e ON e.outcome_id = o.id AND e.captured_at <= $as_of
          WHERE o.promised_at <= $as_of
          GROUP BY o.id
        ),
        usage_state AS (
          SELECT o.id, MIN(r.observed_at) AS achieved_on
          FROM outcomes o JOIN metric_readings r ON {ReadingAchieves}
          WHERE o.promised_at <= $as_of
          GROUP BY o.id
        ),
        outcome_state AS (
          SELECT s.account_id, s.promised_at, s.due_date,
                 CASE WHEN u.achieved_on IS NULL THEN s.achieved_on
                      WHEN s.achieved_on IS NULL OR u.achieved_on < s.achieved_on THEN u.achieved_on
                      ELSE s.achieved_on END AS achieved_on,
                 CASE WHEN u.achieved_on IS NOT NULL THEN 3 ELSE s.confidence END AS confidence
          FROM recorded_state s LEFT JOIN usage_state u ON u.id = s.id
        ),
        contract AS (
          SELECT account_id,
                 COUNT(*) AS promised,
                 COUNT(achieved_on) AS evidenced,
                 SUM(CASE WHEN confidence = 1 THEN 1 ELSE 0 END) AS evidenced_low_confidence_only,
                 SUM(CASE WHEN achieved_on IS NULL AND due_date < $as_of THEN 1 ELSE 0 END) AS overdue,
                 MIN(CASE WHEN achieved_on IS NOT NULL THEN MAX(promised_at, achieved_on) END) AS first_evidenced_on
          FROM outcome_state
          GROUP BY account_id
        ),
        -- Usage trends: per account and metric, the mean of the readings of the last trend_window_days days ending on as_of
        -- against the mean of the trend_window_days days before (both rounded to 6 places; both windows need readings, the
        -- prior mean not 0): a change of +trend_rise or more is a usage signal +1, of -trend_fall or worse one -1,
        -- observed on as_of.
        trend_windows AS (
          SELECT account_id,
                 ROUND(AVG(CASE WHEN observed_at >= $trend_start THEN value END), 6) AS recent_mean,
                 ROUND(AVG(CASE WHEN observed_at < $trend_start THEN value END), 6) AS prior_mean
          FROM metric_readings
          WHERE observed_at >= $prior_start AND observed_at <= $as_of
          GROUP BY account_id, metric
        ),
        trends AS (
          SELECT account_id, (recent_mean - prior_mean) / ABS(prior_mean) AS change
          FROM trend_windows
          WHERE recent_mean IS NOT NULL AND prior_mean IS NOT NULL AND prior_mean <> 0
        ),
        window_signals AS (
          SELECT account_id, category, polarity FROM signals WHERE observed_at >= $window_start AND observed_at <= $as_of
          UNION ALL
          SELECT account_id, 'usage', CASE WHEN change >= $trend_rise THEN 1 ELSE -1 END
          FROM trends WHERE change >= $trend_rise OR change <= -$trend_fall
        ),
        -- The recent window, $window_start to as_of, both ends included.
        recent AS (
          SELECT account_id,
                 SUM(CASE WHEN category IN ('usage', 'success') THEN polarity ELSE 0 END) AS engagement,
                 SUM(CASE WHEN polarity = 1 AND category = 'usage' THEN 1 ELSE 0 END) AS positive_usage,
                 SUM(CASE WHEN polarity = 1 AND category = 'success' THEN 1 ELSE 0 END) AS positive_success,
                 SUM(CASE WHEN polarity = 1 AND category = 'data' THEN 1 ELSE 0 END) AS positive_data,
                 SUM(CASE WHEN polarity = 1 AND category = 'capacity' THEN 1 ELSE 0 END) AS positive_capacity,
                 SUM(CASE WHEN polarity = -1 AND category IN ('risk', 'usage') THEN 1 ELSE 0 END) AS risk_signals
          FROM window_signals
          GROUP BY account_id
        ),
        reached AS (
          SELECT account_id,
                 MIN(CASE WHEN kind = 'first_value' THEN reached_at END) AS first_value_on,
                 MAX(CASE WHEN kind IN ('live', 'first_value', 'adopted') THEN 1 ELSE 0 END) AS live_or_later,
                 MAX(CASE WHEN kind = 'renewed' THEN reached_at END) AS renewed_on
          FROM milestones
          WHERE reached_at <= $as_of
          GROUP BY account_id
        ),
        -- Overrides in force: created on or before as_of, no expiry or an expiry after as_of; per field the most
        -- recently created wins (the later one written breaks a tie).
        in_force AS (
          SELECT account_id, field, value,
                 ROW_NUMBER() OVER (PARTITION BY account_id, field ORDER BY created_at DESC, id DESC) AS newest
          FROM overrides
          WHERE created_at <= $as_of AND (expires_at IS NULL OR expires_at > $as_of)
        ),
        overridden AS (
          SELECT account_id,
                 MAX(CASE WHEN field = 'band' THEN value END) AS band,
                 MAX(CASE WHEN field = 'readiness' THEN value END) AS readiness,
                 MAX(CASE WHEN field = 'risk' THEN value END) AS risk
          FROM in_force
          WHERE newest = 1
          GROUP BY account_id
        ),
        account_facts AS (
          SELECT a.id, a.name, a.segment, a.tier, a.csm, a.contract_start, a.renewal_date,
                 a.contracted_capacity, a.used_capacity,
                 COALESCE(arr.arr_cents, 0) AS arr_cents, arr.last_expansion_on,
                 COALESCE(c.promised, 0) AS promised, COALESCE(c.evidenced, 0) AS evidenced,
                 COALESCE(c.evidenced_low_confidence_only, 0) AS evidenced_low_confidence_only,
                 COALESCE(c.overdue, 0) AS overdue, c.first_evidenced_on,
                 COALESCE(r.engagement, 0) AS engagement, COALESCE(r.positive_usage, 0) AS positive_usage,
                 COALESCE(r.positive_success, 0) AS positive_success, COALESCE(r.positive_data, 0) AS positive_data,
                 COALESCE(r.positive_capacity, 0) AS positive_capacity, COALESCE(r.risk_signals, 0) AS risk_signals,
                 m.first_value_on, COALESCE(m.live_or_later, 0) AS live_or_later, m.renewed_on,
                 ov.band AS band_override, ov.readiness AS readiness_override, ov.risk AS risk_override,
                 CASE WHEN c.promised > 0 THEN CAST(c.evidenced AS REAL) / c.promised END AS fulfilment,
                 CASE WHEN a.contracted_capacity <> 0 AND a.used_capacity IS NOT NULL
                      THEN a.used_capacity / a.contracted_capacity END AS utilisation
          FROM accounts a
          LEFT JOIN arr ON arr.account_id = a.id
          LEFT JOIN contract c ON c.account_id = a.id
          LEFT JOIN recent r ON r.account_id = a.id
          LEFT JOIN reached m ON m.account_id = a.id
          LEFT JOIN overridden ov ON ov.account_id = a.id
        ),
        -- The band in force (an override replaces the computed one); readiness reads the band in force.
        banded AS (
          SELECT f.*,
                 COALESCE(f.band_override,
                          CASE WHEN f.fulfilment IS NULL THEN 'no_contract'
                               WHEN f.fulfilment >= $on_track THEN 'on_track'
                               WHEN f.fulfilment >= $at_risk THEN 'at_risk'
                               ELSE 'critical' END) AS band
          FROM account_facts f
        ),
        scored AS (
          SELECT b.*,
                 COALESCE(b.readiness_override,
                          CASE WHEN b.band = 'critical' OR b.risk_signals > 0 THEN 'blocked'
                               WHEN b.fulfilment >= $ready_fulfilment AND b.engagement >= 0
                                    AND CASE WHEN b.utilisation IS NULL
                                             THEN b.positive_usage + b.positive_data + b.positive_capacity > 0
                                             ELSE b.utilisation >= $ready_utilisation END THEN 'ready'
                               WHEN b.fulfilment >= $emerging_fulfilment
                                    AND (b.utilisation >= $emerging_utilisation OR b.engagement > 0) THEN 'emerging'
                               ELSE 'not_ready' END) AS readiness
          FROM banded b
        )
        SELECT s.*,
               COUNT(*) FILTER (WHERE s.arr_cents > 0) OVER () AS kpi_accounts,
               SUM(s.arr_cents) FILTER (WHERE s.arr_cents > 0) OVER () AS kpi_arr_managed_cents,
               COUNT(*) FILTER (WHERE s.arr_cents > 0 AND s.band = 'on_track') OVER () AS kpi_on_track,
               COUNT(*) FILTER (WHERE s.arr_cents > 0 AND s.readiness = 'ready') OVER () AS kpi_expansion_ready,
               SUM(s.arr_cents) FILTER (WHERE s.arr_cents > 0 AND s.readiness = 'ready') OVER () AS kpi_expansion_ready_arr_cents,
               SUM(s.arr_cents) FILTER (WHERE s.arr_cents > 0 AND s.band IN ('at_risk', 'critical')) OVER () AS kpi_arr_at_risk_cents
        FROM scored s
        """;

    /// <summary>What the benchmark keeps of an account's row (every column is read; these are used afterwards).</summary>
    public sealed record AccountRow(string Id, long ArrCents, int Promised, int Evidenced, int Overdue, string Band, bool BandOverridden, string Readiness, string Csm, string Segment);

    public sealed record Result(Kpis Kpis, int Rows, TimeSpan Elapsed, IReadOnlyList<AccountRow> Accounts);

    /// <summary>
    /// The statement in PostgreSQL's dialect: the same steps and meanings, parameters written @name, the two-argument
    /// MAX as GREATEST (it is only ever given two non-null days here), REAL as double precision (SQLite's REAL is a
    /// double) and the rounded means of the trend windows rounded as numeric (PostgreSQL rounds to places only
    /// numerics). The store's PostgreSQL columns have SQLite's types (ISO date text, bigint cents, double precision).
    /// </summary>
    public static readonly string PostgresStatement = ToPostgres(Statement);

    private static string ToPostgres(string sql) =>
        Regex.Replace(sql, @"\$([a-z_]+)", "@$1")
            .Replace("MAX(promised_at, achieved_on)", "GREATEST(promised_at, achieved_on)", StringComparison.Ordinal)
            .Replace("AS REAL)", "AS double precision)", StringComparison.Ordinal)
            .Replace("ROUND(AVG(", "ROUND(CAST(AVG(", StringComparison.Ordinal)
            .Replace("THEN value END), 6)", "THEN value END) AS numeric), 6)", StringComparison.Ordinal);

    /// <summary>A read-only connection to the database, for the floor and the benchmark's other reads.</summary>
    public static SqliteConnection Open(string dbPath)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = dbPath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA cache_size = -65536"; // 64 MiB: the statement reads hundreds of MB of index pages
        cmd.ExecuteNonQuery();
        return c;
    }

    /// <summary>A connection to a PostgreSQL database (a postgres:// URL), read-only by its session, not pooled.</summary>
    public static NpgsqlConnection OpenPostgres(string url)
    {
        var b = PgStore.Settings(url);
        b.Pooling = false;
        b.CommandTimeout = 3600;
        var c = new NpgsqlConnection(b.ConnectionString);
        c.Open();
        using var cmd = new NpgsqlCommand("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", c);
        cmd.ExecuteNonQuery();
        return c;
    }

    /// <summary>Opens the database the server is given: a postgres:// URL, else a SQLite file.</summary>
    public static DbConnection OpenAny(string db) => PgStore.IsTarget(db) ? OpenPostgres(db) : Open(db);

    /// <summary>A command on c with the dialect's parameter names ($name for SQLite, @name for PostgreSQL).</summary>
    public static DbCommand Command(DbConnection c, string sqliteSql, params (string Name, object Value)[] parameters)
    {
        var pg = c is NpgsqlConnection;
        var cmd = c.CreateCommand();
        cmd.CommandText = pg ? ToPostgres(sqliteSql) : sqliteSql;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = pg ? name : "$" + name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    /// <summary>Runs the statement at asOf, reading every column of every row; the KPIs, and the rows when keepRows.</summary>
    public static Result Run(DbConnection c, DateOnly asOf, Thresholds? thresholds = null, bool keepRows = false)
    {
        var t = thresholds ?? Thresholds.Default;
        using var cmd = Command(c, Statement,
            ("as_of", Iso(asOf)),
            ("window_start", Iso(asOf.AddDays(-(t.RecentWindowDays - 1)))),
            ("on_track", t.OnTrackFulfilment),
            ("at_risk", t.AtRiskFulfilment),
            ("ready_fulfilment", t.ReadyFulfilment),
            ("ready_utilisation", t.ReadyUtilisation),
            ("emerging_fulfilment", t.EmergingFulfilment),
            ("emerging_utilisation", t.EmergingUtilisation),
            ("trend_start", Iso(asOf.AddDays(-(t.TrendWindowDays - 1)))),
            ("prior_start", Iso(asOf.AddDays(-(2 * t.TrendWindowDays - 1)))),
            ("trend_rise", t.TrendRise),
            ("trend_fall", t.TrendFall));

        var watch = Stopwatch.StartNew();
        using var r = cmd.ExecuteReader();
        var ord = Ordinals(r, "id", "arr_cents", "promised", "evidenced", "overdue", "band", "band_override", "readiness", "csm", "segment",
            "kpi_accounts", "kpi_arr_managed_cents", "kpi_on_track", "kpi_expansion_ready", "kpi_expansion_ready_arr_cents", "kpi_arr_at_risk_cents");
        var rows = new List<AccountRow>();
        Kpis? kpis = null;
        var count = 0;
        long touched = 0;
        while (r.Read())
        {
            count++;
            // Every column of every row is read, as a server that answers from these facts must read them.
            for (var i = 0; i < r.FieldCount; i++)
            {
                if (r.IsDBNull(i)) continue;
                touched += r.GetValue(i) switch
                {
                    string s => s.Length,
                    double d => (long)d,
                    decimal m => (long)m, // PostgreSQL's SUM of bigints
                    var v => Convert.ToInt64(v, CultureInfo.InvariantCulture),
                };
            }
            kpis ??= new Kpis(
                Cents(r, ord["kpi_arr_managed_cents"]),
                Int(r, ord["kpi_accounts"]),
                Int(r, ord["kpi_accounts"]) == 0 ? null : (decimal)Int(r, ord["kpi_on_track"]) / Int(r, ord["kpi_accounts"]),
                Int(r, ord["kpi_expansion_ready"]),
                Cents(r, ord["kpi_expansion_ready_arr_cents"]),
                Cents(r, ord["kpi_arr_at_risk_cents"]));
            if (keepRows)
                rows.Add(new AccountRow(r.GetString(ord["id"]), Long(r, ord["arr_cents"]), Int(r, ord["promised"]), Int(r, ord["evidenced"]),
                    Int(r, ord["overdue"]), r.GetString(ord["band"]), !r.IsDBNull(ord["band_override"]), r.GetString(ord["readiness"]),
                    r.GetString(ord["csm"]), r.GetString(ord["segment"])));
        }
        var elapsed = watch.Elapsed;
        GC.KeepAlive(touched);
        return new Result(kpis ?? new Kpis(0m, 0, null, 0, 0m, 0m), count, elapsed, rows);
    }

    /// <summary>
    /// An outcome of the account promised on or before asOf that no evidence captured by then achieves (the smallest id),
    /// or null: evidence achieving it moves the account's fulfilment up by one outcome.
    /// </summary>
    public static string? UnevidencedOutcome(DbConnection c, string accountId, DateOnly asOf)
    {
        using var cmd = Command(c, $"""
            SELECT o.id FROM outcomes o
            WHERE o.account_id = $account AND o.promised_at <= $as_of
              AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.outcome_id = o.id AND e.captured_at <= $as_of AND {Achieves})
              AND NOT EXISTS (SELECT 1 FROM metric_readings r WHERE {ReadingAchieves})
            ORDER BY o.id LIMIT 1
            """, ("account", accountId), ("as_of", Iso(asOf)));
        return cmd.ExecuteScalar() as string;
    }

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static long Long(DbDataReader r, int i) => Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);

    private static int Int(DbDataReader r, int i) => Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture);

    private static decimal Cents(DbDataReader r, int i) => r.IsDBNull(i) ? 0m : Long(r, i) / 100m;

    private static Dictionary<string, int> Ordinals(DbDataReader r, params string[] names) =>
        names.ToDictionary(n => n, r.GetOrdinal, StringComparer.Ordinal);
}
