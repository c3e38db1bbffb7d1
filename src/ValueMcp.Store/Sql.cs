namespace ValueMcp.Store;

/// <summary>
/// The store's read SQL: plain fact rows, no rule of the definitions (what achieves an outcome, churn, windows, bands:
/// those are the scoring library's). Parameters only; no text is ever built from input. Each table has two reads with
/// the same columns in the same places (FactRows parses both): the portfolio stream (every account, facts dated on or
/// before @asOf, ordered by account id, each reading one covering index of migration 0003; descriptive text that no
/// rule reads is selected as '': notes, unit names, an outcome's source, who captured evidence and the
/// evidence's own id) and one account's detail (@accountId, every fact, every column).
/// </summary>
internal static class Sql
{
    public const string DataVersion = "SELECT version, changes_from FROM data_version WHERE id = 1";

    /// <summary>The accounts touched by versions after @version (a NULL account: any account).</summary>
    public const string ChangedAccounts = "SELECT DISTINCT account_id FROM account_changes WHERE version > @version";

    // The column lists are the registry's (FactKinds: ReadColumns, in the order FactRows reads them); the stream's ''
    // placeholders are the columns it marks as not streamed. The filters and orders are the reader's own.
    private static string Stream(FactEntry kind, string? alias = null) => kind.SelectList(stream: true, alias);
    private static string Detail(FactEntry kind, string? alias = null) => kind.SelectList(stream: false, alias);

    public static readonly string Accounts = $"SELECT {Stream(FactKinds.Accounts)} FROM accounts ORDER BY id";
    public static readonly string Account = $"SELECT {Detail(FactKinds.Accounts)} FROM accounts WHERE id = @accountId";

    public static readonly string Movements = $"""
        SELECT {Stream(FactKinds.Movements)} FROM arr_movements
        WHERE effective_date <= @asOf ORDER BY account_id, effective_date, id
        """;
    public static readonly string MovementsOfAccount = $"""
        SELECT {Detail(FactKinds.Movements)} FROM arr_movements
        WHERE account_id = @accountId ORDER BY effective_date, id
        """;

    public static readonly string Outcomes = $"""
        SELECT {Stream(FactKinds.Outcomes)} FROM outcomes
        WHERE promised_at <= @asOf ORDER BY account_id, promised_at, id
        """;
    public static readonly string OutcomesOfAccount = $"""
        SELECT {Detail(FactKinds.Outcomes)} FROM outcomes
        WHERE account_id = @accountId ORDER BY promised_at, id
        """;

    public static readonly string Evidence = $"""
        SELECT {Stream(FactKinds.Evidence, "e")}
        FROM outcomes o JOIN evidence e ON e.outcome_id = o.id
        WHERE o.promised_at <= @asOf AND e.captured_at <= @asOf ORDER BY o.account_id, o.promised_at, o.id
        """;
    public static readonly string EvidenceOfAccount = $"""
        SELECT {Detail(FactKinds.Evidence, "e")}
        FROM outcomes o JOIN evidence e ON e.outcome_id = o.id
        WHERE o.account_id = @accountId ORDER BY o.promised_at, o.id, e.captured_at, e.id
        """;

    public static readonly string Signals = $"""
        SELECT {Stream(FactKinds.Signals)} FROM signals
        WHERE observed_at <= @asOf ORDER BY account_id, observed_at, id
        """;
    public static readonly string SignalsOfAccount = $"""
        SELECT {Detail(FactKinds.Signals)} FROM signals
        WHERE account_id = @accountId ORDER BY observed_at, id
        """;

    public static readonly string SignalsOfAccountBetween = $"""
        SELECT {Detail(FactKinds.Signals)} FROM signals
        WHERE account_id = @accountId AND observed_at > @after AND observed_at <= @until ORDER BY observed_at, id
        """;

    public static readonly string Milestones = $"""
        SELECT {Stream(FactKinds.Milestones)} FROM milestones WHERE reached_at <= @asOf ORDER BY account_id, reached_at, kind
        """;
    public static readonly string MilestonesOfAccount = $"""
        SELECT {Detail(FactKinds.Milestones)} FROM milestones WHERE account_id = @accountId ORDER BY reached_at, kind
        """;

    // Every recorded renewal, whatever @asOf: a renewal's date is a term of the contract, known before it is decided;
    // the scoring library counts its outcome from decided_at. The primary key (account_id, renewal_date) gives the order.
    public static readonly string Renewals = $"""
        SELECT {Stream(FactKinds.Renewals)} FROM renewals ORDER BY account_id, renewal_date
        """;
    public static readonly string RenewalsOfAccount = $"""
        SELECT {Detail(FactKinds.Renewals)} FROM renewals WHERE account_id = @accountId ORDER BY renewal_date
        """;

    public static readonly string Overrides = $"""
        SELECT {Stream(FactKinds.Overrides)} FROM overrides
        WHERE created_at <= @asOf ORDER BY account_id, created_at, id
        """;
    public static readonly string OverridesOfAccount = $"""
        SELECT {Detail(FactKinds.Overrides)} FROM overrides
        WHERE account_id = @accountId ORDER BY created_at, id
        """;

    public static readonly string MetricReadingsOfAccount = $"""
        SELECT {Detail(FactKinds.Metrics)} FROM metric_readings
        WHERE account_id = @accountId ORDER BY metric, observed_at
        """;

    /// <summary>
    /// The readings the portfolio stream gives the rules for evidence from usage: per outcome promised on or before
    /// @asOf with a metric and a target, its first reading on or after promised_at and on or before @asOf that reaches
    /// the target in its direction (a selection only: the scoring library judges the outcome again from it, and one
    /// account read whole, with all its readings, scores the same). Each reading once, by account, metric and date.
    /// The first reading of each outcome is found once per outcome (one key range of its metric's readings), in a
    /// materialized step: joined directly, SQLite scanned every reading and ran the search for each (4.8 x the bench's
    /// floor at 100,000 accounts with 22 million readings; see bench/README.md).
    /// </summary>
    public static readonly string UsageEvidenceReadings = $"""
        WITH firsts AS MATERIALIZED (
            SELECT o.account_id, o.metric, (
                SELECT min(x.observed_at) FROM metric_readings x
                WHERE x.account_id = o.account_id AND x.metric = o.metric AND x.observed_at >= o.promised_at AND x.observed_at <= @asOf
                    AND CASE o.direction WHEN 'increase' THEN x.value >= o.target WHEN 'decrease' THEN x.value <= o.target END) AS observed_at
            FROM outcomes o
            WHERE o.metric <> '' AND o.promised_at <= @asOf AND o.target IS NOT NULL)
        SELECT DISTINCT {FactKinds.Metrics.SelectList(stream: true, alias: "r")}
        FROM firsts f JOIN metric_readings r ON r.account_id = f.account_id AND r.metric = f.metric AND r.observed_at = f.observed_at
        ORDER BY r.account_id, r.metric, r.observed_at
        """;

    /// <summary>
    /// <see cref="UsageEvidenceReadings"/> (the same rows) in SQLite's dialect, read as a stream: the outcomes in account
    /// order (their stream index) drive, each outcome's first achieving reading is searched once (one key range of its
    /// metric's readings) and read by its key (CROSS JOIN: SQLite keeps the order written); only the account's own
    /// readings are sorted, so the first account's rows come at once, not after the whole portfolio's. Left to choose,
    /// SQLite 3.53 scanned every reading in key order (the order asked: no sort) and looked each up in an automatic
    /// index of the first readings: 3.2 s of CPU for the 5.2 million readings of 20,000 accounts, against 0.4 s this
    /// way. PostgreSQL reads UsageEvidenceReadings (no CROSS JOIN with a join condition there).
    /// </summary>
    public static readonly string SqliteUsageEvidenceReadings = $"""
        SELECT DISTINCT {FactKinds.Metrics.SelectList(stream: true, alias: "r")}
        FROM outcomes o CROSS JOIN metric_readings r ON r.account_id = o.account_id AND r.metric = o.metric AND r.observed_at = (
            SELECT min(x.observed_at) FROM metric_readings x
            WHERE x.account_id = o.account_id AND x.metric = o.metric AND x.observed_at >= o.promised_at AND x.observed_at <= @asOf
                AND CASE o.direction WHEN 'increase' THEN x.value >= o.target WHEN 'decrease' THEN x.value <= o.target END)
        WHERE o.metric <> '' AND o.promised_at <= @asOf AND o.target IS NOT NULL
        ORDER BY o.account_id, r.metric, r.observed_at
        """;

    /// <summary>
    /// Every account's metrics summed over the two trend windows ending on @asOf: the recent one from @recentStart, the
    /// prior one from @priorStart to the day before @recentStart (sum and count of each; the means and the thresholds are
    /// the scoring library's; a window without readings sums to NULL, read as 0 with its count 0). Read in key order:
    /// grouped without a sort. The same text on SQLite and PostgreSQL (no total(), no integer used as a truth value).
    /// </summary>
    public const string TrendWindows = """
        SELECT account_id, metric,
            sum(CASE WHEN observed_at >= @recentStart THEN value END), count(CASE WHEN observed_at >= @recentStart THEN 1 END),
            sum(CASE WHEN observed_at < @recentStart THEN value END), count(CASE WHEN observed_at < @recentStart THEN 1 END)
        FROM metric_readings
        WHERE observed_at >= @priorStart AND observed_at <= @asOf
        GROUP BY account_id, metric ORDER BY account_id, metric
        """;
}
