namespace ValueMcp.Store;

/// <summary>
/// The store's read SQL: plain fact rows, no rule of the definitions (what achieves an outcome, churn, windows, bands:
/// those are the scoring library's). Parameters only; no text is ever built from input. Each table has two reads with
/// the same columns in the same places (FactRows parses both): the portfolio stream (every account, facts dated on or
/// before @asOf, ordered by account id, each reading one covering index of migration 0003; descriptive text that no
/// rule reads is selected as '': notes, metric and unit names, an outcome's source, who captured evidence and the
/// evidence's own id) and one account's detail (@accountId, every fact, every column).
/// </summary>
internal static class Sql
{
    public const string DataVersion = "SELECT version, changes_from FROM data_version WHERE id = 1";

    /// <summary>The accounts touched by versions after @version (a NULL account: any account).</summary>
    public const string ChangedAccounts = "SELECT DISTINCT account_id FROM account_changes WHERE version > @version";

    private const string AccountColumns =
        "id, name, segment, tier, csm, account_manager, executive_sponsor, contract_start, renewal_date, contracted_capacity, used_capacity";

    public const string Accounts = $"SELECT {AccountColumns} FROM accounts ORDER BY id";
    public const string Account = $"SELECT {AccountColumns} FROM accounts WHERE id = @accountId";

    public const string Movements = """
        SELECT account_id, effective_date, kind, amount_cents, lane, '' FROM arr_movements
        WHERE effective_date <= @asOf ORDER BY account_id, effective_date, id
        """;
    public const string MovementsOfAccount = """
        SELECT account_id, effective_date, kind, amount_cents, lane, note FROM arr_movements
        WHERE account_id = @accountId ORDER BY effective_date, id
        """;

    public const string Outcomes = """
        SELECT account_id, id, title, '', '', baseline, target, direction, promised_at, due_date, '' FROM outcomes
        WHERE promised_at <= @asOf ORDER BY account_id, promised_at, id
        """;
    public const string OutcomesOfAccount = """
        SELECT account_id, id, title, metric, unit, baseline, target, direction, promised_at, due_date, source FROM outcomes
        WHERE account_id = @accountId ORDER BY promised_at, id
        """;

    public const string Evidence = """
        SELECT o.account_id, e.outcome_id, '', e.captured_at, e.source, e.observed_value, e.achieved, '', ''
        FROM outcomes o JOIN evidence e ON e.outcome_id = o.id
        WHERE o.promised_at <= @asOf AND e.captured_at <= @asOf ORDER BY o.account_id, o.promised_at, o.id
        """;
    public const string EvidenceOfAccount = """
        SELECT o.account_id, e.outcome_id, e.id, e.captured_at, e.source, e.observed_value, e.achieved, e.note, e.captured_by
        FROM outcomes o JOIN evidence e ON e.outcome_id = o.id
        WHERE o.account_id = @accountId ORDER BY o.promised_at, o.id, e.captured_at, e.id
        """;

    public const string Signals = """
        SELECT account_id, id, observed_at, category, kind, polarity, '' FROM signals
        WHERE observed_at <= @asOf ORDER BY account_id, observed_at, id
        """;
    public const string SignalsOfAccount = """
        SELECT account_id, id, observed_at, category, kind, polarity, note FROM signals
        WHERE account_id = @accountId ORDER BY observed_at, id
        """;

    public const string SignalsOfAccountBetween = """
        SELECT account_id, id, observed_at, category, kind, polarity, note FROM signals
        WHERE account_id = @accountId AND observed_at > @after AND observed_at <= @until ORDER BY observed_at, id
        """;

    public const string Milestones = """
        SELECT account_id, kind, reached_at FROM milestones WHERE reached_at <= @asOf ORDER BY account_id, reached_at, kind
        """;
    public const string MilestonesOfAccount = """
        SELECT account_id, kind, reached_at FROM milestones WHERE account_id = @accountId ORDER BY reached_at, kind
        """;

    public const string Overrides = """
        SELECT account_id, field, value, reason, author, created_at, expires_at FROM overrides
        WHERE created_at <= @asOf ORDER BY account_id, created_at, id
        """;
    public const string OverridesOfAccount = """
        SELECT account_id, field, value, reason, author, created_at, expires_at FROM overrides
        WHERE account_id = @accountId ORDER BY created_at, id
        """;
}
