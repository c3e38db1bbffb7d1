using System.Globalization;
using Dapper;
using ValueMcp.Scoring;

namespace ValueMcp.Store;

/// <summary>Reads facts "as of" a date. Aggregates are computed in SQL; scoring gets one row per account.</summary>
public sealed class FactReader(Database db)
{
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>Per-account facts as of asOf, ordered by id.</summary>
    public IReadOnlyList<AccountFacts> AccountFacts(DateOnly asOf, ScoringPolicy policy, bool onlyActive = true, string? accountId = null) =>
        StreamAccountFacts(asOf, policy, onlyActive, accountId).ToList();

    /// <summary>
    /// Per-account facts as of asOf, ordered by id, read one row at a time (the connection stays open while the
    /// caller enumerates): a portfolio of any size is scored without holding it in memory.
    /// </summary>
    public IEnumerable<AccountFacts> StreamAccountFacts(DateOnly asOf, ScoringPolicy policy, bool onlyActive = true, string? accountId = null)
    {
        using var c = db.OpenRead();
        var args = new
        {
            asOf = Iso(asOf),
            windowStart = Iso(policy.RecentWindowStart(asOf)),
            accountId,
            onlyActive = onlyActive ? 1 : 0,
        };
        var overrides = c.Query<OverrideRow>(Sql.ActiveOverrides, new { asOf = Iso(asOf), accountId })
            .GroupBy(o => o.AccountId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<OverrideFact>)g.Select(ToOverride).OfType<OverrideFact>().ToList());
        foreach (var r in c.Query<FactsRow>(Sql.AccountFacts, args, buffered: false))
            yield return ToFacts(r, overrides.TryGetValue(r.Id, out var o) ? o : []);
    }

    /// <summary>
    /// The benchmark's floor: runs the same per-account facts SQL and reads every column of every row, building nothing.
    /// Returns the number of rows.
    /// </summary>
    public int BareAccountFacts(DateOnly asOf, ScoringPolicy policy)
    {
        using var c = db.OpenRead();
        using var cmd = c.CreateCommand();
        cmd.CommandText = Sql.AccountFacts;
        cmd.Parameters.AddWithValue("@asOf", Iso(asOf));
        cmd.Parameters.AddWithValue("@windowStart", Iso(policy.RecentWindowStart(asOf)));
        cmd.Parameters.AddWithValue("@accountId", DBNull.Value);
        cmd.Parameters.AddWithValue("@onlyActive", 1);
        using var r = cmd.ExecuteReader();
        var rows = 0;
        var values = new object[r.FieldCount];
        while (r.Read())
        {
            r.GetValues(values);
            rows++;
        }
        return rows;
    }

    /// <summary>One account's facts at asOf (whether or not it is active), or null when the id is unknown.</summary>
    public AccountFacts? AccountFactsOf(string accountId, DateOnly asOf, ScoringPolicy policy) =>
        AccountFacts(asOf, policy, onlyActive: false, accountId: accountId).SingleOrDefault();

    public AccountDetail? Detail(string accountId, DateOnly asOf)
    {
        using var c = db.OpenRead();
        if (c.ExecuteScalar<long>("SELECT count(*) FROM accounts WHERE id = @accountId", new { accountId }) == 0) return null;
        var outcomes = c.Query<OutcomeRow>(Sql.OutcomesOfAccount, new { accountId }).Select(ToOutcome).ToList();
        var evidence = c.Query<EvidenceRow>(Sql.EvidenceOfAccount, new { accountId }).Select(ToEvidence).ToList();
        var movements = c.Query<MovementRow>(Sql.MovementsOfAccount, new { accountId, asOf = Iso(asOf) })
            .Select(m => new ArrMovement(ParseDate(m.EffectiveDate), m.Kind, Money.FromCents(m.AmountCents), m.Lane, m.Note)).ToList();
        var milestones = c.Query<MilestoneRow>(Sql.MilestonesOfAccount, new { accountId })
            .Select(m => new Milestone(m.Kind, ParseDate(m.ReachedAt))).ToList();
        var overrides = c.Query<OverrideRow>(Sql.AllOverrides, new { accountId }).Select(ToOverride).OfType<OverrideFact>().ToList();
        return new AccountDetail(outcomes, evidence, movements, milestones, overrides);
    }

    /// <summary>Signals of one account observed in (after, until].</summary>
    public IReadOnlyList<SignalFact> Signals(string accountId, DateOnly after, DateOnly until)
    {
        using var c = db.OpenRead();
        return c.Query<SignalRow>(Sql.SignalsOfAccount, new { accountId, after = Iso(after), until = Iso(until) })
            .Select(s => new SignalFact(s.Id, s.AccountId, ParseDate(s.ObservedAt), s.Category, s.Kind, (int)s.Polarity, s.Note))
            .ToList();
    }

    /// <summary>The distinct values of the text fields filters accept, as stored.</summary>
    public KnownValues Known()
    {
        using var c = db.OpenRead();
        IReadOnlyList<string> Distinct(string column) =>
            c.Query<string>($"SELECT DISTINCT {column} FROM accounts WHERE {column} <> '' ORDER BY {column}").AsList();
        return new KnownValues(Distinct("segment"), Distinct("csm"), Distinct("tier"));
    }

    public bool AccountExists(string accountId)
    {
        using var c = db.OpenRead();
        return c.ExecuteScalar<long>("SELECT count(*) FROM accounts WHERE id = @accountId", new { accountId }) > 0;
    }

    public IReadOnlyDictionary<string, long> Counts()
    {
        using var c = db.OpenRead();
        var tables = new[] { "accounts", "arr_movements", "outcomes", "evidence", "signals", "milestones", "overrides", "audit_log" };
        return tables.ToDictionary(t => t, t => c.ExecuteScalar<long>($"SELECT count(*) FROM {t}"));
    }

    public static string Iso(DateOnly d) => d.ToString(DateFormat, CultureInfo.InvariantCulture);

    internal static DateOnly ParseDate(string s) => DateOnly.ParseExact(s, DateFormat, CultureInfo.InvariantCulture);

    private static DateOnly? ParseDateOrNull(string? s) => string.IsNullOrEmpty(s) ? null : ParseDate(s);

    private static decimal? Dec(double? d) => d is double v ? (decimal)v : null;

    private static AccountFacts ToFacts(FactsRow r, IReadOnlyList<OverrideFact> overrides)
    {
        var profile = new AccountProfile(r.Id, r.Name, r.Segment, r.Tier, r.Csm, r.AccountManager, r.ExecutiveSponsor,
            ParseDate(r.ContractStart), ParseDate(r.RenewalDate), Dec(r.ContractedCapacity), Dec(r.UsedCapacity));
        var overdue = Split(r.Overdue)
            .Select(p => new OutcomeRef(p[0], p[1], ParseDateOrNull(p[2])))
            .OrderBy(o => o.DueDate).ThenBy(o => o.Id, StringComparer.Ordinal).ToList();
        var risks = Split(r.Risks)
            .Select(p => new SignalRef(p[0], p[1], p[2], -1, ParseDate(p[3])))
            .OrderBy(s => s.ObservedAt).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
        var recent = new RecentSignals((int)r.Engagement, (int)r.PosUsage, (int)r.PosSuccess, (int)r.PosData, (int)r.PosCapacity, risks);
        return new AccountFacts(profile, Money.FromCents(r.ArrCents), (int)r.Promised, (int)r.Evidenced, (int)r.LowOnly, overdue,
            ParseDateOrNull(r.FirstEvidenced), ParseDateOrNull(r.FirstValue), r.Live != 0,
            ParseDateOrNull(r.LastExpansion), ParseDateOrNull(r.Renewed), recent, overrides);
    }

    private static IEnumerable<string[]> Split(string? concatenated) =>
        string.IsNullOrEmpty(concatenated) ? [] : concatenated.Split('\u001e').Select(x => x.Split('\u001f'));

    private static OverrideFact? ToOverride(OverrideRow o) =>
        Wire.TryParse<OverrideField>(o.Field, out var field)
            ? new OverrideFact(field, o.Value, o.Reason, o.Author, ParseDate(o.CreatedAt), ParseDateOrNull(o.ExpiresAt))
            : null;

    private static OutcomeFact ToOutcome(OutcomeRow o) => new(o.Id, o.AccountId, o.Title, o.Metric, o.Unit, Dec(o.Baseline), Dec(o.Target),
        Wire.TryParse<Direction>(o.Direction, out var d) ? d : null, ParseDate(o.PromisedAt), ParseDateOrNull(o.DueDate), o.Source);

    private static EvidenceFact ToEvidence(EvidenceRow e) => new(e.Id, e.OutcomeId, ParseDate(e.CapturedAt),
        Wire.TryParse<EvidenceSource>(e.Source, out var s) ? s : EvidenceSource.Manual, Dec(e.ObservedValue),
        e.Achieved is long a ? a != 0 : null, e.Note, e.CapturedBy);

    // Row shapes as SQLite returns them (Dapper maps by column name).
    internal sealed class FactsRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Segment { get; set; } = "";
        public string Tier { get; set; } = "";
        public string Csm { get; set; } = "";
        public string AccountManager { get; set; } = "";
        public string ExecutiveSponsor { get; set; } = "";
        public string ContractStart { get; set; } = "";
        public string RenewalDate { get; set; } = "";
        public double? ContractedCapacity { get; set; }
        public double? UsedCapacity { get; set; }
        public long ArrCents { get; set; }
        public string? LastExpansion { get; set; }
        public long Promised { get; set; }
        public long Evidenced { get; set; }
        public long LowOnly { get; set; }
        public string? FirstEvidenced { get; set; }
        public string? Overdue { get; set; }
        public long Engagement { get; set; }
        public long PosUsage { get; set; }
        public long PosSuccess { get; set; }
        public long PosData { get; set; }
        public long PosCapacity { get; set; }
        public string? Risks { get; set; }
        public long Live { get; set; }
        public string? FirstValue { get; set; }
        public string? Renewed { get; set; }
    }

    internal sealed class OverrideRow
    {
        public string AccountId { get; set; } = "";
        public string Field { get; set; } = "";
        public string Value { get; set; } = "";
        public string Reason { get; set; } = "";
        public string Author { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string? ExpiresAt { get; set; }
    }

    internal sealed class OutcomeRow
    {
        public string Id { get; set; } = "";
        public string AccountId { get; set; } = "";
        public string Title { get; set; } = "";
        public string Metric { get; set; } = "";
        public string Unit { get; set; } = "";
        public double? Baseline { get; set; }
        public double? Target { get; set; }
        public string? Direction { get; set; }
        public string PromisedAt { get; set; } = "";
        public string? DueDate { get; set; }
        public string Source { get; set; } = "";
    }

    internal sealed class EvidenceRow
    {
        public string Id { get; set; } = "";
        public string OutcomeId { get; set; } = "";
        public string CapturedAt { get; set; } = "";
        public string Source { get; set; } = "";
        public double? ObservedValue { get; set; }
        public long? Achieved { get; set; }
        public string Note { get; set; } = "";
        public string CapturedBy { get; set; } = "";
    }

    internal sealed class SignalRow
    {
        public string Id { get; set; } = "";
        public string AccountId { get; set; } = "";
        public string ObservedAt { get; set; } = "";
        public string Category { get; set; } = "";
        public string Kind { get; set; } = "";
        public long Polarity { get; set; }
        public string Note { get; set; } = "";
    }

    internal sealed class MilestoneRow
    {
        public string Kind { get; set; } = "";
        public string ReachedAt { get; set; } = "";
    }

    internal sealed class MovementRow
    {
        public string EffectiveDate { get; set; } = "";
        public string Kind { get; set; } = "";
        public long AmountCents { get; set; }
        public string Lane { get; set; } = "";
        public string Note { get; set; } = "";
    }
}

public sealed record KnownValues(IReadOnlyList<string> Segments, IReadOnlyList<string> Csms, IReadOnlyList<string> Tiers);

public sealed record ArrMovement(DateOnly EffectiveDate, string Kind, decimal Amount, string Lane, string Note);

public sealed record Milestone(string Kind, DateOnly ReachedAt);

public sealed record SignalFact(string Id, string AccountId, DateOnly ObservedAt, string Category, string Kind, int Polarity, string Note);

/// <summary>The stored detail of one account, for its scorecard.</summary>
public sealed record AccountDetail(
    IReadOnlyList<OutcomeFact> Outcomes,
    IReadOnlyList<EvidenceFact> Evidence,
    IReadOnlyList<ArrMovement> Movements,
    IReadOnlyList<Milestone> Milestones,
    IReadOnlyList<OverrideFact> Overrides);

/// <summary>Money is stored as integer cents so that SQL sums are exact.</summary>
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
