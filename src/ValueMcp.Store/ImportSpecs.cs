using Microsoft.Data.Sqlite;
using ValueMcp.Scoring;

namespace ValueMcp.Store;

/// <summary>What one import file holds: its columns, its key, and how a row becomes the table's values.</summary>
internal sealed record FileSpec(
    string File,
    string Table,
    IReadOnlyList<string> Columns,
    IReadOnlyList<string> Required,
    IReadOnlyList<string> DbColumns,
    IReadOnlyList<int> KeyIndexes,
    Func<FactImporter.Row, FactImporter.References, object?[]> Parse)
{
    public string KeyDescription => string.Join("+", KeyIndexes.Select(i => Columns[i]));
}

/// <summary>
/// The files of import.md: how each reads a row (the syntax of its fields, the CSV door's own business), then checks
/// the fact it makes against the rules of its kind (FactRules, shared with the write tools) and its references.
/// </summary>
internal static class Specs
{
    private static readonly IReadOnlyList<string> MovementKinds = Vocabulary<MovementKind>.Names;
    private static readonly IReadOnlyList<string> Lanes = ["modules", "data_integration", "managed_services", "seats", "price"];
    private static readonly IReadOnlyList<string> Directions = Vocabulary<Direction>.Names;
    private static readonly IReadOnlyList<string> Sources = Vocabulary<EvidenceSource>.Names;
    private static readonly IReadOnlyList<string> Categories = Wire.Names<SignalCategory>();
    private static readonly IReadOnlyList<string> MilestoneKinds = Wire.Names<MilestoneKind>();
    private static readonly IReadOnlyList<string> Tiers = ["1", "2", "3"];

    private const string UnknownAccount = "unknown account: not in the store nor in accounts.csv of this import";

    public static FileSpec For(string file) => file switch
    {
        "accounts.csv" => Accounts,
        "arr_movements.csv" => Movements,
        "outcomes.csv" => Outcomes,
        "evidence.csv" => Evidence,
        "signals.csv" => Signals,
        "milestones.csv" => Milestones,
        _ => throw new StoreException($"unknown import file {file}"),
    };

    private static object? Db(decimal? d) => d is decimal v ? (double)v : null;

    public static readonly FileSpec Accounts = new(
        "accounts.csv", "accounts",
        ["id", "name", "segment", "tier", "csm", "account_manager", "contract_start", "renewal_date", "contracted_capacity", "used_capacity", "executive_sponsor"],
        ["id", "name", "contract_start", "renewal_date"],
        ["id", "name", "segment", "tier", "csm", "account_manager", "contract_start", "renewal_date", "contracted_capacity", "used_capacity", "executive_sponsor"],
        [0],
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
            return [id, name, segment, tier, csm, manager, start, renewal, Db(contracted), Db(used), sponsor];
        });

    public static readonly FileSpec Movements = new(
        "arr_movements.csv", "arr_movements",
        ["account_id", "effective_date", "kind", "amount", "lane", "note"],
        ["account_id", "effective_date", "kind", "amount"],
        ["account_id", "effective_date", "kind", "amount_cents", "lane", "note"],
        [0, 1, 2, 3],
        (r, u) =>
        {
            var account = r.Id("account_id");
            var date = r.Date("effective_date", true, out var day);
            var kind = r.OneOf("kind", MovementKinds, true);
            var churn = kind == "churn";
            var amount = r.Number("amount", required: kind is not null && !churn);
            var lane = r.OneOf("lane", Lanes, false) ?? "";
            if (!r.Failed) r.Check(FactRules.Movement, new MovementFact(account, day, Vocabulary<MovementKind>.Of(kind!), amount ?? 0m, lane, ""));
            long cents = 0;
            // A churn's amount is ignored (import.md): kept to the cent when it fits, else 0; never refused.
            if (amount is decimal a && !r.Failed && !Money.TryToCents(churn ? decimal.Round(a, 2) : a, out cents) && !churn)
                r.Fail("amount", a.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    decimal.Round(a, 2) == a ? $"too large: at most {Money.FromCents(Money.MaxCents)}" : "at most 2 decimal places");
            if (account.Length > 0 && !u.AccountExists(account)) r.Fail("account_id", account, UnknownAccount);
            return [account, date, kind, cents, lane, r.Text("note")];
        });

    public static readonly FileSpec Outcomes = new(
        "outcomes.csv", "outcomes",
        ["id", "account_id", "title", "metric", "unit", "baseline", "target", "direction", "promised_at", "due_date", "source"],
        ["id", "account_id", "title", "promised_at"],
        ["id", "account_id", "title", "metric", "unit", "baseline", "target", "direction", "promised_at", "due_date", "source"],
        [0],
        (r, u) =>
        {
            var id = r.Id("id");
            var account = r.Id("account_id");
            var title = r.Text("title", required: true).Trim();
            var metric = r.Text("metric").Trim();
            var unit = r.Text("unit").Trim();
            var baseline = r.Number("baseline");
            var target = r.Number("target");
            var direction = r.OneOf("direction", Directions, false);
            var promised = r.Date("promised_at", true, out var promisedDay);
            var due = r.Date("due_date", false, out var dueDay);
            var source = r.Text("source").Trim();
            if (!r.Failed)
                r.Check(FactRules.Outcome, new OutcomeFact(id, account, title, metric, unit, baseline, target,
                    direction is null ? null : Vocabulary<Direction>.Of(direction), promisedDay, due is null ? null : dueDay, source));
            if (account.Length > 0 && !u.AccountExists(account)) r.Fail("account_id", account, UnknownAccount);
            return [id, account, title, metric, unit, Db(baseline), Db(target), direction, promised, due, source];
        });

    public static readonly FileSpec Evidence = new(
        "evidence.csv", "evidence",
        ["id", "outcome_id", "captured_at", "source", "observed_value", "achieved", "note", "captured_by"],
        ["id", "outcome_id", "captured_at"],
        ["id", "outcome_id", "captured_at", "source", "observed_value", "achieved", "note", "captured_by"],
        [0],
        (r, u) =>
        {
            var id = r.Id("id");
            var outcome = r.Id("outcome_id");
            var captured = r.Date("captured_at", true, out var capturedDay);
            var source = r.OneOf("source", Sources, false) ?? "";
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
            return [id, outcome, captured, source, Db(observed), achieved is bool b ? (b ? 1L : 0L) : null, note, by];
        });

    public static readonly FileSpec Signals = new(
        "signals.csv", "signals",
        ["id", "account_id", "observed_at", "category", "kind", "polarity", "note"],
        ["id", "account_id", "observed_at", "category", "polarity"],
        ["id", "account_id", "observed_at", "category", "kind", "polarity", "note"],
        [0],
        (r, u) =>
        {
            var id = r.Id("id");
            var account = r.Id("account_id");
            var observed = r.Date("observed_at", true, out var observedDay);
            var category = r.OneOf("category", Categories, true);
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

    public static readonly FileSpec Milestones = new(
        "milestones.csv", "milestones",
        ["account_id", "kind", "reached_at"],
        ["account_id", "kind", "reached_at"],
        ["account_id", "kind", "reached_at"],
        [0, 1],
        (r, u) =>
        {
            var account = r.Id("account_id");
            var kind = r.OneOf("kind", MilestoneKinds, true);
            var reached = r.Date("reached_at", true, out var reachedDay);
            if (!r.Failed) r.Check(FactRules.Milestone, new MilestoneFact(account, Vocabulary<MilestoneKind>.Of(kind!), reachedDay));
            if (account.Length > 0 && !u.AccountExists(account)) r.Fail("account_id", account, UnknownAccount);
            return [account, kind, reached];
        });

    private static T? Bad<T>(FactImporter.Row r, string column, string value, string message) where T : struct
    {
        r.Fail(column, value, message);
        return null;
    }
}

/// <summary>The snake_case names of an enum, in order, and the value of each (one lookup, no allocation per row).</summary>
internal static class Vocabulary<T> where T : struct, Enum
{
    private static readonly Dictionary<string, T> ByName = Enum.GetValues<T>().ToDictionary(v => Wire.Name(v), StringComparer.Ordinal);

    public static IReadOnlyList<string> Names { get; } = Wire.Names<T>();

    /// <summary>The value named name (a name of Names, as Row.OneOf returns it).</summary>
    public static T Of(string name) => ByName[name];
}

internal enum UpsertResult { Inserted, Updated, Unchanged }

/// <summary>
/// Keyed insert-or-update of one file's rows, telling inserted / updated / unchanged apart. Writing, a row is first
/// inserted (ON CONFLICT DO NOTHING, through a native prepared statement) and only compared with the stored row when
/// its key is taken; into an empty table, the secondary indexes are set aside and rebuilt once at the end (all in the
/// import's transaction). A dry run only reads: it compares each row with the stored one.
/// </summary>
internal sealed class TableWriter : IDisposable
{
    private readonly SqliteConnection _c;
    private readonly SqliteTransaction _tx;
    private readonly FileSpec _spec;
    private readonly RawStatement? _insert;
    private readonly SqliteCommand _select;
    private readonly SqliteCommand? _update;
    private readonly List<string> _setAside = [];

    public TableWriter(SqliteConnection c, SqliteTransaction tx, FileSpec spec, bool write)
    {
        _c = c;
        _tx = tx;
        _spec = spec;
        var cols = spec.DbColumns;
        var keys = spec.KeyIndexes.Select(i => cols[i]).ToList();
        var others = cols.Where((_, i) => !spec.KeyIndexes.Contains(i)).ToList();
        string Where() => string.Join(" AND ", keys.Select(k => $"{k} = ${k}"));
        _select = Command(c, tx, $"SELECT {string.Join(", ", cols)} FROM {spec.Table} WHERE {Where()}", keys);
        if (!write) return;
        _update = others.Count == 0
            ? null
            : Command(c, tx, $"UPDATE {spec.Table} SET {string.Join(", ", others.Select(o => $"{o} = ${o}"))} WHERE {Where()}", cols);
        if (IsEmpty())
        {
            foreach (var (name, sql) in SecondaryIndexes())
            {
                Execute($"DROP INDEX \"{name}\"");
                _setAside.Add(sql);
            }
        }
        _insert = new RawStatement(c,
            $"INSERT INTO {spec.Table} ({string.Join(", ", cols)}) VALUES ({string.Join(", ", cols.Select(_ => "?"))}) ON CONFLICT DO NOTHING");
    }

    private bool IsEmpty()
    {
        using var cmd = _c.CreateCommand();
        cmd.Transaction = _tx;
        cmd.CommandText = $"SELECT NOT EXISTS (SELECT 1 FROM {_spec.Table})";
        return (long)cmd.ExecuteScalar()! == 1;
    }

    /// <summary>The table's own indexes (not those behind its keys), in the order they were created.</summary>
    private List<(string Name, string Sql)> SecondaryIndexes()
    {
        using var cmd = _c.CreateCommand();
        cmd.Transaction = _tx;
        cmd.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $t AND sql IS NOT NULL ORDER BY rowid";
        cmd.Parameters.AddWithValue("$t", _spec.Table);
        using var r = cmd.ExecuteReader();
        var list = new List<(string, string)>();
        while (r.Read()) list.Add((r.GetString(0), r.GetString(1)));
        return list;
    }

    private void Execute(string sql)
    {
        using var cmd = _c.CreateCommand();
        cmd.Transaction = _tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction tx, string sql, IReadOnlyList<string> parameters)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var p in parameters) cmd.Parameters.Add(new SqliteParameter("$" + p, null));
        cmd.Prepare();
        return cmd;
    }

    public UpsertResult Apply(object?[] values)
    {
        if (_insert is not null)
        {
            for (var i = 0; i < values.Length; i++) _insert.Bind(i + 1, values[i]);
            if (_insert.Execute() == 1) return UpsertResult.Inserted;
        }
        var existing = Stored(values);
        if (existing is null) return UpsertResult.Inserted; // a dry run: it would be inserted
        var same = true;
        for (var i = 0; i < existing.Length && same; i++) same = SameValue(existing[i], values[i]);
        if (same) return UpsertResult.Unchanged;
        if (_update is not null)
        {
            Bind(_update, values);
            _update.ExecuteNonQuery();
        }
        return UpsertResult.Updated;
    }

    /// <summary>Rebuilds the indexes set aside for a bulk load. Call once the file is loaded.</summary>
    public void Finish()
    {
        foreach (var sql in _setAside) Execute(sql);
        _setAside.Clear();
    }

    private object?[]? Stored(object?[] values)
    {
        var cols = _spec.DbColumns;
        foreach (var i in _spec.KeyIndexes) _select.Parameters["$" + cols[i]].Value = values[i] ?? DBNull.Value;
        using var r = _select.ExecuteReader();
        if (!r.Read()) return null;
        var existing = new object?[cols.Count];
        for (var i = 0; i < cols.Count; i++) existing[i] = r.IsDBNull(i) ? null : r.GetValue(i);
        return existing;
    }

    private void Bind(SqliteCommand cmd, object?[] values)
    {
        for (var i = 0; i < _spec.DbColumns.Count; i++)
        {
            var name = "$" + _spec.DbColumns[i];
            if (cmd.Parameters.Contains(name)) cmd.Parameters[name].Value = values[i] ?? DBNull.Value;
        }
    }

    private static bool SameValue(object? stored, object? incoming) => (stored, incoming) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (long a, long b) => a == b,
        (double a, double b) => a.Equals(b),
        (long a, double b) => ((double)a).Equals(b),
        (double a, long b) => a.Equals(b),
        _ => string.Equals(Convert.ToString(stored, System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToString(incoming, System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal),
    };

    public void Dispose()
    {
        _insert?.Dispose();
        _select.Dispose();
        _update?.Dispose();
    }
}
