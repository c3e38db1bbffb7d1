using System.Globalization;
using ValueMcp.Scoring;

namespace ValueMcp.Store;

/// <summary>
/// One column of a fact kind: its name in the CSV file (null when no file carries it), its column in the table, whether
/// a row must give it, what it accepts (the docs' words), what it means, and whether the portfolio stream reads it (a
/// descriptive text no rule reads is selected as '' there: notes, unit names, who captured evidence...).
/// </summary>
public sealed record FactColumn(string? Csv, string Db, bool Required, string Accepts, string Description, bool Streamed = true);

/// <summary>
/// A kind of fact as every front door sees it: the CSV file and the table, the columns in the order of both (a file's
/// columns and its table's are pairwise the same), the key, the reader's column list, and (internal) the CSV parse.
/// The typed fact, its rules and its table values are in <see cref="FactEntry{T}"/>.
/// </summary>
public abstract class FactEntry
{
    private protected FactEntry(string name, string? file, string table, IReadOnlyList<FactColumn> columns, IReadOnlyList<string> key,
        IReadOnlyList<string> read, Func<FactImporter.Row, FactImporter.References, object?[]>? parse, bool keysInStore)
    {
        KeysInStore = keysInStore;
        Name = name;
        File = file;
        Table = table;
        Columns = columns;
        DbColumns = columns.Select(c => c.Db).ToArray();
        CsvColumns = file is null ? [] : columns.Select(c => c.Csv ?? throw new InvalidOperationException($"{table}.{c.Db} has no CSV name")).ToArray();
        Required = columns.Where(c => c.Required && c.Csv is not null).Select(c => c.Csv!).ToArray();
        Key = key;
        KeyIndexes = key.Select(k => CsvColumns.ToList().IndexOf(k) is var i and >= 0
            ? i : throw new InvalidOperationException($"key column {k} is not a column of {file}")).ToArray();
        ReadColumns = read;
        foreach (var r in read)
        {
            if (!r.Contains('.', StringComparison.Ordinal) && !DbColumns.Contains(r))
                throw new InvalidOperationException($"read column {r} is not a column of {table}");
        }
        _parse = parse;
        InsertSql = $"INSERT INTO {table} ({string.Join(", ", DbColumns)}) VALUES ({string.Join(", ", DbColumns.Select((_, i) => "@" + (char)('a' + i)))})";
    }

    private readonly Func<FactImporter.Row, FactImporter.References, object?[]>? _parse;

    /// <summary>
    /// Whether the import checks that a key is given once in a file with a key set on disk (a SQLite file of its own)
    /// rather than in memory: for the kinds whose files run to tens of millions of rows (metric readings). The memory
    /// of the import then stays flat whatever the file's size; nothing refers to these keys.
    /// </summary>
    public bool KeysInStore { get; }

    /// <summary>The kind's name in messages ("promised outcome").</summary>
    public string Name { get; }

    /// <summary>The import file (null: a kind only the write tools add, as overrides).</summary>
    public string? File { get; }

    public string Table { get; }

    /// <summary>The columns, in the order of the file and of the table's values (the import's and the writer's).</summary>
    public IReadOnlyList<FactColumn> Columns { get; }

    public IReadOnlyList<string> DbColumns { get; }

    /// <summary>The file's header, in order (empty when the kind has no file).</summary>
    public IReadOnlyList<string> CsvColumns { get; }

    /// <summary>The columns a file's header must have and a row must fill.</summary>
    public IReadOnlyList<string> Required { get; }

    /// <summary>What identifies a row of the file (CSV names; empty for a kind with no file, which the store numbers).</summary>
    public IReadOnlyList<string> Key { get; }

    internal IReadOnlyList<int> KeyIndexes { get; }

    public string KeyDescription => string.Join("+", Key);

    /// <summary>
    /// The reader's columns, in the order FactRows reads them: the table's columns by name (qualified by the query's
    /// alias when it joins), or a qualified column of a joined table (evidence's account, o.account_id).
    /// </summary>
    public IReadOnlyList<string> ReadColumns { get; }

    /// <summary>The writer's INSERT: every column of <see cref="DbColumns"/>, as @a, @b, ... in order (named parameters both SQLite and Npgsql take).</summary>
    public string InsertSql { get; }

    /// <summary>The SELECT list of the reader: for the stream, the columns no rule reads are ''.</summary>
    public string SelectList(bool stream, string? alias = null) => string.Join(", ", ReadColumns.Select(r =>
    {
        if (r.Contains('.', StringComparison.Ordinal)) return r;
        if (stream && Columns.FirstOrDefault(c => c.Db == r) is { Streamed: false }) return "''";
        return alias is null ? r : $"{alias}.{r}";
    }));

    /// <summary>Parses one CSV row into the table's values, reporting every bad field and broken rule on the row.</summary>
    internal object?[] Parse(FactImporter.Row row, FactImporter.References references) =>
        (_parse ?? throw new InvalidOperationException($"{Table} has no import file"))(row, references);
}

/// <summary>A kind of fact with its typed fact: the rules a valid one keeps (shared by every door) and its table values.</summary>
public sealed class FactEntry<T> : FactEntry
{
    internal FactEntry(string? file, string table, IReadOnlyList<FactColumn> columns, IReadOnlyList<string> key, IReadOnlyList<string> read,
        FactKind<T> rules, Func<T, object?[]> values, Func<FactImporter.Row, FactImporter.References, object?[]>? parse, bool KeysInStore = false)
        : base(rules.Name, file, table, columns, key, read, parse, KeysInStore)
    {
        Rules = rules;
        _values = values;
    }

    private readonly Func<T, object?[]> _values;

    /// <summary>The rules of the kind (FactRules): the import checks each row's fact against them, the write tools each argument set.</summary>
    public FactKind<T> Rules { get; }

    /// <summary>The values of a fact for the table, in the order of <see cref="FactEntry.DbColumns"/>.</summary>
    public object?[] Values(T fact)
    {
        var v = _values(fact);
        if (v.Length != DbColumns.Count) throw new InvalidOperationException($"{Table}: {v.Length} values for {DbColumns.Count} columns");
        return v;
    }
}

/// <summary>
/// The registry of fact kinds: per kind its file, table, columns, key, CSV parse, rules, table values and reader columns.
/// The CSV import, the write tools' writer, the reader's SQL, the demo generator and docs/import.md all take them from
/// here, so that a row means the same through every door. To add a kind: add an entry (and its table, its record in
/// Scoring and its rules in FactRules).
/// </summary>
public static class FactKinds
{
    private static readonly IReadOnlyList<string> Lanes = ["modules", "data_integration", "managed_services", "seats", "price"];
    private static readonly IReadOnlyList<string> Tiers = ["1", "2", "3"];
    private const string UnknownAccount = "unknown account: not in the store nor in accounts.csv of this import";

    private const string Date = "ISO `yyyy-MM-dd`, e.g. `2026-03-31`";
    private const string DateOrEmpty = "ISO `yyyy-MM-dd`, or empty";
    private const string Text = "any text";
    private const string NumberOrEmpty = "a number, or empty";

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"`{n}`"));

    public static readonly FactEntry<AccountProfile> Accounts = new(
        "accounts.csv", "accounts",
        [
            new("id", "id", true, Text, "the account's id, unique"),
            new("name", "name", true, Text, "the customer's name"),
            new("segment", "segment", false, Text, "the segment the account belongs to (a filter)"),
            new("tier", "tier", false, $"{Names(Tiers)} or empty", "the service tier"),
            new("csm", "csm", false, Text, "the customer success manager (a filter)"),
            new("account_manager", "account_manager", false, Text, "the account manager"),
            new("contract_start", "contract_start", true, Date, "when the contract started"),
            new("renewal_date", "renewal_date", true, $"{Date}, not before `contract_start`", "when the contract renews"),
            new("contracted_capacity", "contracted_capacity", false, "a number >= 0, or empty", "the capacity bought (seats, units)"),
            new("used_capacity", "used_capacity", false, "a number >= 0, or empty", "the capacity in use"),
            new("executive_sponsor", "executive_sponsor", false, Text, "the customer's executive sponsor (empty: none known)"),
        ],
        ["id"],
        ["id", "name", "segment", "tier", "csm", "account_manager", "executive_sponsor", "contract_start", "renewal_date", "contracted_capacity", "used_capacity"],
        FactRules.Account,
        a => [a.Id, a.Name, a.Segment, a.Tier, a.Csm, a.AccountManager, FactReader.Iso(a.ContractStart), FactReader.Iso(a.RenewalDate),
            Real(a.ContractedCapacity), Real(a.UsedCapacity), a.ExecutiveSponsor],
        (r, _) =>
        {
            var id = r.Id("id");
            var name = r.Text("name", required: true).Trim();
            var segment = r.Text("segment").Trim();
            var tier = r.OneOf("tier", Tiers, false) ?? "";
            var csm = r.Text("csm").Trim();
            var manager = r.Text("account_manager").Trim();
            var start = r.Date("contract_start", true, out var startDay);
            var renewal = r.Date("renewal_date", true, out var renewalDay);
            var contracted = r.Number("contracted_capacity");
            var used = r.Number("used_capacity");
            var sponsor = r.Text("executive_sponsor").Trim();
            if (!r.Failed) r.Check(FactRules.Account, new AccountProfile(id, name, segment, tier, csm, manager, sponsor, startDay, renewalDay, contracted, used));
            return [id, name, segment, tier, csm, manager, start, renewal, Real(contracted), Real(used), sponsor];
        });

    public static readonly FactEntry<MovementFact> Movements = new(
        "arr_movements.csv", "arr_movements",
        [
            new("account_id", "account_id", true, "an account of the store or of this import's accounts.csv", "the account whose ARR moves"),
            new("effective_date", "effective_date", true, Date, "when the movement takes effect"),
            new("kind", "kind", true, Names(Vocabulary<MovementKind>.Names), "what moved the ARR"),
            new("amount", "amount_cents", true,
                "above 0 for `new`, `expansion` and `contraction`, at most 2 decimal places; for `churn`, empty or >= 0, and ignored",
                "the ARR added or removed (stored in cents); a churn removes whatever ARR is left"),
            new("lane", "lane", false, $"{Names(Lanes)} or empty", "the expansion lane the movement belongs to"),
            new("note", "note", false, Text, "a free note", Streamed: false),
        ],
        ["account_id", "effective_date", "kind", "amount"],
        ["account_id", "effective_date", "kind", "amount_cents", "lane", "note"],
        FactRules.Movement,
        m => [m.AccountId, FactReader.Iso(m.EffectiveDate), Wire.Name(m.Kind), Cents(m), m.Lane, m.Note],
        (r, u) =>
        {
            var account = r.Id("account_id");
            var date = r.Date("effective_date", true, out var day);
            var kind = r.OneOf("kind", Vocabulary<MovementKind>.Names, true);
            var churn = kind == "churn";
            var amount = r.Number("amount", required: kind is not null && !churn);
            var lane = r.OneOf("lane", Lanes, false) ?? "";
            if (!r.Failed) r.Check(FactRules.Movement, new MovementFact(account, day, Vocabulary<MovementKind>.Of(kind!), amount ?? 0m, lane, ""));
            long cents = 0;
            // A churn's amount is ignored (import.md): kept to the cent when it fits, else 0; never refused.
            if (amount is decimal a && !r.Failed && !Money.TryToCents(churn ? decimal.Round(a, 2) : a, out cents) && !churn)
                r.Fail("amount", a.ToString(CultureInfo.InvariantCulture),
                    decimal.Round(a, 2) == a ? $"too large: at most {Money.FromCents(Money.MaxCents)}" : "at most 2 decimal places");
            if (account.Length > 0 && !u.AccountExists(account)) r.Fail("account_id", account, UnknownAccount);
            return [account, date, kind, cents, lane, r.Text("note")];
        });

    public static readonly FactEntry<OutcomeFact> Outcomes = new(
        "outcomes.csv", "outcomes",
        [
            new("id", "id", true, Text, "the outcome's id, unique"),
            new("account_id", "account_id", true, "an account of the store or of this import's accounts.csv", "the account it was promised to"),
            new("title", "title", true, Text, "what was promised, in the customer's words"),
            new("metric", "metric", false, Text, "the metric that measures it (its readings in metrics.csv are evidence of it)"),
            new("unit", "unit", false, Text, "the metric's unit", Streamed: false),
            new("baseline", "baseline", false, "a number, or empty", "the metric's value when promised"),
            new("target", "target", false, "a number, or empty", "the value that achieves the outcome"),
            new("direction", "direction", false, $"{Names(Vocabulary<Direction>.Names)}; required when `target` is given",
                "whether the target is reached at or above it (increase) or at or below it (decrease)"),
            new("promised_at", "promised_at", true, Date, "when it was promised"),
            new("due_date", "due_date", false, $"{DateOrEmpty}; not before `promised_at`", "when it is due (empty: no due date)"),
            new("source", "source", false, Text, "where the promise is recorded (a CRM opportunity, a contract)", Streamed: false),
        ],
        ["id"],
        ["account_id", "id", "title", "metric", "unit", "baseline", "target", "direction", "promised_at", "due_date", "source"],
        FactRules.Outcome,
        o => [o.Id, o.AccountId, o.Title, o.Metric, o.Unit, Real(o.Baseline), Real(o.Target),
            o.Direction is Direction d ? Wire.Name(d) : null, FactReader.Iso(o.PromisedAt),
            o.DueDate is DateOnly due ? FactReader.Iso(due) : null, o.Source],
        (r, u) =>
        {
            var id = r.Id("id");
            var account = r.Id("account_id");
            var title = r.Text("title", required: true).Trim();
            var metric = r.Text("metric").Trim();
            var unit = r.Text("unit").Trim();
            var baseline = r.Number("baseline");
            var target = r.Number("target");
            var direction = r.OneOf("direction", Vocabulary<Direction>.Names, false);
            var promised = r.Date("promised_at", true, out var promisedDay);
            var due = r.Date("due_date", false, out var dueDay);
            var source = r.Text("source").Trim();
            if (!r.Failed)
                r.Check(FactRules.Outcome, new OutcomeFact(id, account, title, metric, unit, baseline, target,
                    direction is null ? null : Vocabulary<Direction>.Of(direction), promisedDay, due is null ? null : dueDay, source));
            if (account.Length > 0 && !u.AccountExists(account)) r.Fail("account_id", account, UnknownAccount);
            return [id, account, title, metric, unit, Real(baseline), Real(target), direction, promised, due, source];
        });

    public static readonly FactEntry<EvidenceFact> Evidence = new(
        "evidence.csv", "evidence",
        [
            new("id", "id", true, Text, "the evidence's id, unique", Streamed: false),
            new("outcome_id", "outcome_id", true, "an outcome of the store or of this import's outcomes.csv", "the outcome it is evidence of"),
            new("captured_at", "captured_at", true, Date, "when it was captured"),
            new("source", "source", false, $"{Names(Vocabulary<EvidenceSource>.Names)}, or empty (counted as `manual`)",
                "where it comes from (its confidence follows)"),
            new("observed_value", "observed_value", false, NumberOrEmpty, "the metric's value observed"),
            new("achieved", "achieved", false, "`true`, `false` or empty", "whether the outcome is achieved (empty: judged from the value)"),
            new("note", "note", false, Text, "a free note", Streamed: false),
            new("captured_by", "captured_by", false, Text, "who captured it", Streamed: false),
        ],
        ["id"],
        ["o.account_id", "outcome_id", "id", "captured_at", "source", "observed_value", "achieved", "note", "captured_by"],
        FactRules.Evidence,
        e => [e.Id, e.OutcomeId, FactReader.Iso(e.CapturedAt), Wire.Name(e.Source), Real(e.ObservedValue),
            e.Achieved is bool b ? (b ? 1L : 0L) : null, e.Note, e.CapturedBy],
        (r, u) =>
        {
            var id = r.Id("id");
            var outcome = r.Id("outcome_id");
            var captured = r.Date("captured_at", true, out var capturedDay);
            var source = r.OneOf("source", Vocabulary<EvidenceSource>.Names, false) ?? "";
            var observed = r.Number("observed_value");
            var achievedText = r.Text("achieved").Trim();
            bool? achieved = achievedText.ToLowerInvariant() switch
            {
                "" => null,
                "true" => true,
                "false" => false,
                _ => Bad<bool>(r, "achieved", achievedText, "accepted: true, false or empty"),
            };
            var note = r.Text("note");
            var by = r.Text("captured_by").Trim();
            if (!r.Failed)
                r.Check(FactRules.Evidence, new EvidenceFact(id, outcome, capturedDay,
                    source.Length == 0 ? EvidenceSource.Manual : Vocabulary<EvidenceSource>.Of(source), observed, achieved, note, by));
            if (outcome.Length > 0 && !u.OutcomeExists(outcome)) r.Fail("outcome_id", outcome, "unknown outcome: not in the store nor in outcomes.csv of this import");
            return [id, outcome, captured, source, Real(observed), achieved is bool b ? (b ? 1L : 0L) : null, note, by];
        });

    public static readonly FactEntry<SignalFact> Signals = new(
        "signals.csv", "signals",
        [
            new("id", "id", true, Text, "the signal's id, unique"),
            new("account_id", "account_id", true, "an account of the store or of this import's accounts.csv", "the account it is about"),
            new("observed_at", "observed_at", true, Date, "when it was observed"),
            new("category", "category", true, Names(Vocabulary<SignalCategory>.Names), "what it is about"),
            new("kind", "kind", false, Text, "a finer kind within the category (e.g. sponsor_change)"),
            new("polarity", "polarity", true, "`+1`, `1` or `-1`", "good news (+1) or bad (-1)"),
            new("note", "note", false, Text, "a free note", Streamed: false),
        ],
        ["id"],
        ["account_id", "id", "observed_at", "category", "kind", "polarity", "note"],
        FactRules.Signal,
        s => [s.Id, s.AccountId, FactReader.Iso(s.ObservedAt), Wire.Name(s.Category), s.Kind, (long)s.Polarity, s.Note],
        (r, u) =>
        {
            var id = r.Id("id");
            var account = r.Id("account_id");
            var observed = r.Date("observed_at", true, out var observedDay);
            var category = r.OneOf("category", Vocabulary<SignalCategory>.Names, true);
            var kind = r.Text("kind").Trim();
            var polarityText = r.Text("polarity", required: true).Trim();
            int? polarity = polarityText switch
            {
                "+1" or "1" => 1,
                "-1" => -1,
                "" => null,
                _ => Bad<int>(r, "polarity", polarityText, "accepted: +1, 1 or -1"),
            };
            var note = r.Text("note");
            if (!r.Failed) r.Check(FactRules.Signal, new SignalFact(id, account, observedDay, Vocabulary<SignalCategory>.Of(category!), kind, polarity!.Value, note));
            if (account.Length > 0 && !u.AccountExists(account)) r.Fail("account_id", account, UnknownAccount);
            return [id, account, observed, category, kind, polarity is int p ? (long)p : null, note];
        });

    public static readonly FactEntry<MilestoneFact> Milestones = new(
        "milestones.csv", "milestones",
        [
            new("account_id", "account_id", true, "an account of the store or of this import's accounts.csv", "the account that reached it"),
            new("kind", "kind", true, Names(Vocabulary<MilestoneKind>.Names), "which milestone (one per account and kind)"),
            new("reached_at", "reached_at", true, Date, "when it was reached"),
        ],
        ["account_id", "kind"],
        ["account_id", "kind", "reached_at"],
        FactRules.Milestone,
        m => [m.AccountId, Wire.Name(m.Kind), FactReader.Iso(m.ReachedAt)],
        (r, u) =>
        {
            var account = r.Id("account_id");
            var kind = r.OneOf("kind", Vocabulary<MilestoneKind>.Names, true);
            var reached = r.Date("reached_at", true, out var reachedDay);
            if (!r.Failed) r.Check(FactRules.Milestone, new MilestoneFact(account, Vocabulary<MilestoneKind>.Of(kind!), reachedDay));
            if (account.Length > 0 && !u.AccountExists(account)) r.Fail("account_id", account, UnknownAccount);
            return [account, kind, reached];
        });

    public static readonly FactEntry<MetricReading> Metrics = new(
        "metrics.csv", "metric_readings",
        [
            new("account_id", "account_id", true, "an account of the store or of this import's accounts.csv", "the account measured"),
            new("metric", "metric", true, Text, "the metric's name, as outcomes name it in their `metric` (matched exactly)"),
            new("observed_at", "observed_at", true, Date, "the day of the reading (one reading per account, metric and day)"),
            new("value", "value", true, "a number", "the metric's value that day"),
            new("source", "source", false, Text, "the system the reading comes from (e.g. product_analytics)"),
        ],
        ["account_id", "metric", "observed_at"],
        ["account_id", "metric", "observed_at", "value", "source"],
        FactRules.MetricReading,
        m => [m.AccountId, m.Metric, FactReader.Iso(m.ObservedAt), (double)m.Value, m.Source],
        (r, u) =>
        {
            var account = r.Id("account_id");
            var metric = r.Text("metric", required: true).Trim();
            var observed = r.Date("observed_at", true, out var observedDay);
            var value = r.Number("value", required: true);
            var source = r.Text("source").Trim();
            if (!r.Failed) r.Check(FactRules.MetricReading, new MetricReading(account, metric, observedDay, value!.Value, source));
            if (account.Length > 0 && !u.AccountExists(account)) r.Fail("account_id", account, UnknownAccount);
            return [account, metric, observed, Real(value), source];
        },
        KeysInStore: true);

    /// <summary>Overrides have no import file: only the write tool sets them (the store numbers them). The account is not in the fact.</summary>
    public static readonly FactEntry<(string AccountId, OverrideFact Override)> Overrides = new(
        null, "overrides",
        [
            new(null, "account_id", true, "an account of the store", "the account whose verdict is overridden"),
            new(null, "field", true, Names(Vocabulary<OverrideField>.Names), "the verdict overridden"),
            new(null, "value", true, "a value of that verdict", "the verdict a person set"),
            new(null, "reason", true, Text, "why"),
            new(null, "author", true, Text, "who set it"),
            new(null, "created_at", true, Date, "when it was set"),
            new(null, "expires_at", false, $"{DateOrEmpty}; after `created_at`", "when it stops being in force (empty: never)"),
        ],
        [],
        ["account_id", "field", "value", "reason", "author", "created_at", "expires_at"],
        new("override", FactRules.Override.Rules.Select(r => new FactRule<(string, OverrideFact)>(
            r.Field, f => r.Breaks(f.Item2), f => r.Value(f.Item2), f => r.Message(f.Item2))).ToArray()),
        f => [f.AccountId, Wire.Name(f.Override.Field), f.Override.Value, f.Override.Reason, f.Override.Author,
            FactReader.Iso(f.Override.CreatedAt), f.Override.ExpiresAt is DateOnly x ? FactReader.Iso(x) : null],
        null);

    public static readonly FactEntry<RenewalFact> Renewals = new(
        "renewals.csv", "renewals",
        [
            new("account_id", "account_id", true, "an account of the store or of this import's accounts.csv", "the account that renewed (or not)"),
            new("renewal_date", "renewal_date", true, Date, "the date of the renewal decided (one row per account and renewal date)"),
            new("outcome", "outcome", true, Names(Vocabulary<RenewalOutcome>.Names), "how it was decided"),
            new("renewed_arr", "renewed_arr_cents", false,
                "a number >= 0, at most 2 decimal places; required for `contracted`; empty or 0 for `churned`; empty for `renewed` means the ARR due, in full",
                "the ARR of the renewed contract (stored in cents)"),
            new("next_renewal_date", "next_renewal_date", false, $"{DateOrEmpty}; after `renewal_date`; required for `renewed` and `contracted`, empty for `churned`",
                "the renewal it opens"),
            new("reason", "reason", false, $"{Names(Vocabulary<RenewalReason>.Names)} or empty", "the cause recorded with the outcome"),
            new("decided_at", "decided_at", true, Date, "when the outcome was known (it counts from that day)"),
            new("note", "note", false, Text, "a free note", Streamed: false),
        ],
        ["account_id", "renewal_date"],
        ["account_id", "renewal_date", "outcome", "renewed_arr_cents", "next_renewal_date", "reason", "decided_at", "note"],
        FactRules.Renewal,
        r => [r.AccountId, FactReader.Iso(r.RenewalDate), Wire.Name(r.Outcome), RenewedCents(r.RenewedArr),
            r.NextRenewalDate is DateOnly n ? FactReader.Iso(n) : null, r.Reason is RenewalReason why ? Wire.Name(why) : "",
            FactReader.Iso(r.DecidedAt), r.Note],
        (r, u) =>
        {
            var account = r.Id("account_id");
            var date = r.Date("renewal_date", true, out var day);
            var outcome = r.OneOf("outcome", Vocabulary<RenewalOutcome>.Names, true);
            var arr = r.Number("renewed_arr");
            var next = r.Date("next_renewal_date", false, out var nextDay);
            var reason = r.OneOf("reason", Vocabulary<RenewalReason>.Names, false) ?? "";
            var decided = r.Date("decided_at", true, out var decidedDay);
            var note = r.Text("note");
            if (!r.Failed)
                r.Check(FactRules.Renewal, new RenewalFact(account, day, Vocabulary<RenewalOutcome>.Of(outcome!), arr, next is null ? null : nextDay,
                    reason.Length == 0 ? null : Vocabulary<RenewalReason>.Of(reason), decidedDay, note));
            long? cents = null;
            if (arr is decimal a && !r.Failed)
            {
                if (Money.TryToCents(a, out var c)) cents = c;
                else r.Fail("renewed_arr", a.ToString(CultureInfo.InvariantCulture),
                    decimal.Round(a, 2) == a ? $"too large: at most {Money.FromCents(Money.MaxCents)}" : "at most 2 decimal places");
            }
            if (account.Length > 0 && !u.AccountExists(account)) r.Fail("account_id", account, UnknownAccount);
            return [account, date, outcome, cents, next, reason, decided, note];
        });

    /// <summary>Every kind, import files first in load order (what a row refers to is loaded before it).</summary>
    public static IReadOnlyList<FactEntry> All { get; } = [Accounts, Movements, Outcomes, Evidence, Signals, Milestones, Renewals, Metrics, Overrides];

    /// <summary>The kinds the import reads, in load order.</summary>
    public static IReadOnlyList<FactEntry> Imported { get; } = All.Where(k => k.File is not null).ToArray();

    /// <summary>The kind of an import file.</summary>
    public static FactEntry For(string file) =>
        Imported.FirstOrDefault(k => k.File == file) ?? throw new StoreException($"unknown import file {file}");

    private static object? RenewedCents(decimal? arr) =>
        arr is not decimal a ? null
        : Money.TryToCents(a, out var cents) ? cents
        : throw new StoreException($"renewed_arr {a.ToString(CultureInfo.InvariantCulture)} cannot be stored: at most 2 decimal places, at most {Money.FromCents(Money.MaxCents)}");

    private static object? Real(decimal? d) => d is decimal v ? (double)v : null;

    /// <summary>A movement's amount in cents, as the import stores it: a churn's amount rounded to the cent, or 0 when it does not fit.</summary>
    private static long Cents(MovementFact m)
    {
        var amount = m.Kind == MovementKind.Churn ? decimal.Round(m.Amount, 2) : m.Amount;
        if (Money.TryToCents(amount, out var cents)) return cents;
        return m.Kind == MovementKind.Churn
            ? 0
            : throw new StoreException($"arr movement amount {m.Amount.ToString(CultureInfo.InvariantCulture)} cannot be stored: at most 2 decimal places, at most {Money.FromCents(Money.MaxCents)}");
    }

    private static TV? Bad<TV>(FactImporter.Row r, string column, string value, string message) where TV : struct
    {
        r.Fail(column, value, message);
        return null;
    }
}
