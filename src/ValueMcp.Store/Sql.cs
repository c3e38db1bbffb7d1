namespace ValueMcp.Store;

/// <summary>The store's read SQL. Parameters only; no text is ever built from input.</summary>
internal static class Sql
{
    // Whether a piece of evidence e achieves its outcome o (domain.md, "Evidenced outcome").
    private const string Achieves = """
        (e.achieved = 1 OR (e.achieved IS NULL AND e.observed_value IS NOT NULL AND o.target IS NOT NULL AND
            ((o.direction = 'increase' AND e.observed_value >= o.target) OR
             (o.direction = 'decrease' AND e.observed_value <= o.target))))
        """;

    // Confidence rank of evidence e: 3 high (usage, import), 2 medium (survey, communication), 1 low (meeting, manual, empty).
    private const string ConfidenceRank = "CASE e.source WHEN 'usage' THEN 3 WHEN 'import' THEN 3 WHEN 'survey' THEN 2 WHEN 'communication' THEN 2 ELSE 1 END";

    /// <summary>
    /// Per-account facts as of @asOf: ARR (movements in the order new, expansion, contraction, churn; churn zeroes),
    /// outcome counts, overdue outcomes, first value, milestones and recent-window signal sums.
    /// @accountId null means every account; @onlyActive 1 keeps accounts with ARR above 0.
    /// </summary>
    public static readonly string AccountFacts = $"""
        WITH
        churned AS (
            SELECT account_id, max(effective_date) AS at
            FROM arr_movements
            WHERE kind = 'churn' AND effective_date <= @asOf AND (@accountId IS NULL OR account_id = @accountId)
            GROUP BY account_id),
        arr AS (
            SELECT m.account_id,
                   sum(CASE m.kind WHEN 'contraction' THEN -m.amount_cents ELSE m.amount_cents END) AS arr_cents,
                   max(CASE WHEN m.kind = 'expansion' THEN m.effective_date END) AS last_expansion
            FROM arr_movements m LEFT JOIN churned c ON c.account_id = m.account_id
            WHERE m.effective_date <= @asOf AND m.kind <> 'churn' AND (c.at IS NULL OR m.effective_date > c.at)
              AND (@accountId IS NULL OR m.account_id = @accountId)
            GROUP BY m.account_id),
        achieved AS (
            SELECT e.outcome_id, min(e.captured_at) AS first_at, max({ConfidenceRank}) AS confidence
            FROM outcomes o JOIN evidence e ON e.outcome_id = o.id
            WHERE o.promised_at <= @asOf AND e.captured_at <= @asOf AND (@accountId IS NULL OR o.account_id = @accountId)
              AND {Achieves}
            GROUP BY e.outcome_id),
        promised AS (
            SELECT o.account_id,
                   count(*) AS promised,
                   count(a.outcome_id) AS evidenced,
                   sum(a.confidence = 1) AS low_only,
                   min(CASE WHEN a.first_at IS NOT NULL THEN max(o.promised_at, a.first_at) END) AS first_evidenced,
                   group_concat(CASE WHEN a.outcome_id IS NULL AND o.due_date < @asOf
                       THEN o.id || char(31) || o.title || char(31) || o.due_date END, char(30)) AS overdue
            FROM outcomes o LEFT JOIN achieved a ON a.outcome_id = o.id
            WHERE o.promised_at <= @asOf AND (@accountId IS NULL OR o.account_id = @accountId)
            GROUP BY o.account_id),
        recent AS (
            SELECT account_id,
                   sum(CASE WHEN category IN ('usage', 'success') THEN polarity ELSE 0 END) AS engagement,
                   sum(category = 'usage' AND polarity > 0) AS pos_usage,
                   sum(category = 'success' AND polarity > 0) AS pos_success,
                   sum(category = 'data' AND polarity > 0) AS pos_data,
                   sum(category = 'capacity' AND polarity > 0) AS pos_capacity,
                   group_concat(CASE WHEN polarity < 0 AND category IN ('risk', 'usage')
                       THEN id || char(31) || category || char(31) || kind || char(31) || observed_at END, char(30)) AS risks
            FROM signals
            WHERE observed_at >= @windowStart AND observed_at <= @asOf AND (@accountId IS NULL OR account_id = @accountId)
            GROUP BY account_id),
        reached AS (
            SELECT account_id,
                   max(kind IN ('live', 'first_value', 'adopted')) AS live,
                   min(CASE WHEN kind = 'first_value' THEN reached_at END) AS first_value,
                   max(CASE WHEN kind = 'renewed' THEN reached_at END) AS renewed
            FROM milestones
            WHERE reached_at <= @asOf AND (@accountId IS NULL OR account_id = @accountId)
            GROUP BY account_id)
        SELECT a.id, a.name, a.segment, a.tier, a.csm, a.account_manager AS AccountManager,
               a.executive_sponsor AS ExecutiveSponsor, a.contract_start AS ContractStart, a.renewal_date AS RenewalDate,
               a.contracted_capacity AS ContractedCapacity, a.used_capacity AS UsedCapacity,
               coalesce(arr.arr_cents, 0) AS ArrCents, arr.last_expansion AS LastExpansion,
               coalesce(p.promised, 0) AS Promised, coalesce(p.evidenced, 0) AS Evidenced, coalesce(p.low_only, 0) AS LowOnly,
               p.first_evidenced AS FirstEvidenced, p.overdue AS Overdue,
               coalesce(r.engagement, 0) AS Engagement, coalesce(r.pos_usage, 0) AS PosUsage,
               coalesce(r.pos_success, 0) AS PosSuccess, coalesce(r.pos_data, 0) AS PosData,
               coalesce(r.pos_capacity, 0) AS PosCapacity, r.risks AS Risks,
               coalesce(m.live, 0) AS Live, m.first_value AS FirstValue, m.renewed AS Renewed
        FROM accounts a
        LEFT JOIN arr ON arr.account_id = a.id
        LEFT JOIN promised p ON p.account_id = a.id
        LEFT JOIN recent r ON r.account_id = a.id
        LEFT JOIN reached m ON m.account_id = a.id
        WHERE (@accountId IS NULL OR a.id = @accountId)
          AND (@onlyActive = 0 OR coalesce(arr.arr_cents, 0) > 0)
        ORDER BY a.id
        """;

    /// <summary>Overrides in force at @asOf: created on or before it, and not yet expired (expires_at empty or after it).</summary>
    public const string ActiveOverrides = """
        SELECT account_id AS AccountId, field, value, reason, author, created_at AS CreatedAt, expires_at AS ExpiresAt
        FROM overrides
        WHERE created_at <= @asOf AND (expires_at IS NULL OR expires_at = '' OR expires_at > @asOf)
          AND (@accountId IS NULL OR account_id = @accountId)
        ORDER BY account_id, created_at, id
        """;

    public const string AllOverrides = """
        SELECT account_id AS AccountId, field, value, reason, author, created_at AS CreatedAt, expires_at AS ExpiresAt
        FROM overrides WHERE account_id = @accountId ORDER BY created_at, id
        """;

    public const string OutcomesOfAccount = """
        SELECT id, account_id AS AccountId, title, metric, unit, baseline, target, direction,
               promised_at AS PromisedAt, due_date AS DueDate, source
        FROM outcomes WHERE account_id = @accountId ORDER BY promised_at, id
        """;

    public const string EvidenceOfAccount = """
        SELECT e.id, e.outcome_id AS OutcomeId, e.captured_at AS CapturedAt, e.source, e.observed_value AS ObservedValue,
               e.achieved, e.note, e.captured_by AS CapturedBy
        FROM evidence e JOIN outcomes o ON o.id = e.outcome_id
        WHERE o.account_id = @accountId ORDER BY e.captured_at, e.id
        """;

    public const string SignalsOfAccount = """
        SELECT id, account_id AS AccountId, observed_at AS ObservedAt, category, kind, polarity, note
        FROM signals WHERE account_id = @accountId AND observed_at > @after AND observed_at <= @until
        ORDER BY observed_at, id
        """;

    public const string MovementsOfAccount = """
        SELECT effective_date AS EffectiveDate, kind, amount_cents AS AmountCents, lane, note
        FROM arr_movements WHERE account_id = @accountId AND effective_date <= @asOf
        ORDER BY effective_date, CASE kind WHEN 'new' THEN 0 WHEN 'expansion' THEN 1 WHEN 'contraction' THEN 2 ELSE 3 END, id
        """;

    public const string MilestonesOfAccount = """
        SELECT kind, reached_at AS ReachedAt FROM milestones WHERE account_id = @accountId ORDER BY reached_at, kind
        """;

    /// <summary>
    /// The ARR ledger for retention: every movement dated before @before, with its account's grouping attributes,
    /// ordered by account, date, then kind (new, expansion, contraction, churn), so that it can be streamed one
    /// account at a time.
    /// </summary>
    public const string Ledger = """
        SELECT m.account_id AS AccountId, a.segment, a.tier, a.csm, a.contract_start AS ContractStart,
               m.effective_date AS EffectiveDate, m.kind, m.amount_cents AS AmountCents, m.lane
        FROM arr_movements m JOIN accounts a ON a.id = m.account_id
        WHERE m.effective_date < @before
        ORDER BY m.account_id, m.effective_date,
                 CASE m.kind WHEN 'new' THEN 0 WHEN 'expansion' THEN 1 WHEN 'contraction' THEN 2 ELSE 3 END, m.id
        """;

    /// <summary>Accounts that reached the adopted milestone on or before @asOf.</summary>
    public const string AdoptedAccounts = """
        SELECT account_id FROM milestones WHERE kind = 'adopted' AND reached_at <= @asOf
        """;
}
