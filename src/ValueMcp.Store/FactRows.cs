using System.Text;
using ValueMcp.Scoring;

namespace ValueMcp.Store;

/// <summary>
/// How a stored row becomes a typed fact: dates, money, numbers and the names of the vocabulary, parsed once, each
/// refused loudly when it is not what the schema allows (a row the store cannot read is a damaged store, never a fact
/// quietly read as a default). The columns are in the order the store's queries select them (Sql). One parser for both
/// stores: a row is a SQLite statement (RawStatement) or a PostgreSQL reader (Postgres.PgRow), each reading its own
/// numbers (IFactRow).
/// </summary>
internal static class FactRows
{
    public static AccountProfile Account<TRow>(TRow r, Symbols symbols) where TRow : IFactRow => new(
        r.Text(0), r.Text(1), symbols.Of(r.Utf8(2)), symbols.Of(r.Utf8(3)), symbols.Of(r.Utf8(4)), symbols.Of(r.Utf8(5)), r.Text(6),
        Date(r, 7, "accounts.contract_start"), Date(r, 8, "accounts.renewal_date"), r.Number(9, "accounts.contracted_capacity"),
        r.Number(10, "accounts.used_capacity"));

    // Movements: account_id, effective_date, kind, amount_cents, lane, note.
    public static MovementFact Movement<TRow>(TRow r, string accountId, Symbols symbols) where TRow : IFactRow => new(
        accountId, Date(r, 1, "arr_movements.effective_date"), Name(Kinds, r, 2, "arr_movements.kind"), Money.FromCents(r.Integer(3, "arr_movements.amount_cents")),
        symbols.Of(r.Utf8(4)), r.Text(5));

    // Outcomes: account_id, id, title, metric, unit, baseline, target, direction, promised_at, due_date, source.
    public static OutcomeFact Outcome<TRow>(TRow r, string accountId, Symbols symbols) where TRow : IFactRow => new(
        r.Text(1), accountId, symbols.Of(r.Utf8(2)), symbols.Of(r.Utf8(3)), symbols.Of(r.Utf8(4)), r.Number(5, "outcomes.baseline"), r.Number(6, "outcomes.target"),
        r.IsNull(7) ? null : Name(Directions, r, 7, "outcomes.direction"),
        Date(r, 8, "outcomes.promised_at"), r.IsNull(9) ? null : Date(r, 9, "outcomes.due_date"), r.Text(10));

    // Evidence: account_id, outcome_id, id, captured_at, source, observed_value, achieved, note, captured_by.
    public static EvidenceFact Evidence<TRow>(TRow r, string accountId, Symbols symbols) where TRow : IFactRow => new(
        r.Text(2), symbols.Previous(1, r.Utf8(1)), Date(r, 3, "evidence.captured_at"),
        r.Utf8(4).IsEmpty ? EvidenceSource.Manual : Name(Sources, r, 4, "evidence.source"), // an empty source counts as manual
        r.Number(5, "evidence.observed_value"), r.IsNull(6) ? null : r.Integer(6, "evidence.achieved") != 0, r.Text(7), symbols.Of(r.Utf8(8)));

    // Signals: account_id, id, observed_at, category, kind, polarity, note.
    public static SignalFact Signal<TRow>(TRow r, string accountId, Symbols symbols) where TRow : IFactRow => new(
        r.Text(1), accountId, Date(r, 2, "signals.observed_at"), Name(Categories, r, 3, "signals.category"), symbols.Of(r.Utf8(4)),
        (int)r.Integer(5, "signals.polarity"), r.Text(6));

    // Milestones: account_id, kind, reached_at.
    public static MilestoneFact Milestone<TRow>(TRow r, string accountId, Symbols symbols) where TRow : IFactRow => new(
        accountId, Name(Milestones, r, 1, "milestones.kind"), Date(r, 2, "milestones.reached_at"));

    // Metric readings: account_id, metric, observed_at, value, source.
    public static MetricReading MetricReading<TRow>(TRow r, string accountId, Symbols symbols) where TRow : IFactRow => new(
        accountId, symbols.Of(r.Utf8(1)), Date(r, 2, "metric_readings.observed_at"),
        r.Number(3, "metric_readings.value") ?? throw r.NotANumber(3, "metric_readings.value"), symbols.Of(r.Utf8(4)));

    /// <summary>One metric's trend windows: account_id, metric, recent sum, recent count, prior sum, prior count.</summary>
    public static MetricWindow MetricWindow<TRow>(TRow r, string accountId, Symbols symbols) where TRow : IFactRow => new(
        symbols.Of(r.Utf8(1)), r.Number(2, "metric_readings.value") ?? 0m, (int)r.Integer(3, "metric_readings count"),
        r.Number(4, "metric_readings.value") ?? 0m, (int)r.Integer(5, "metric_readings count"));

    // Overrides: account_id, field, value, reason, author, created_at, expires_at.
    public static OverrideFact Override<TRow>(TRow r, string accountId, Symbols symbols) where TRow : IFactRow => new(
        Name(Fields, r, 1, "overrides.field"), symbols.Of(r.Utf8(2)), r.Text(3), symbols.Of(r.Utf8(4)), Date(r, 5, "overrides.created_at"),
        r.IsNull(6) || r.Utf8(6).IsEmpty ? null : Date(r, 6, "overrides.expires_at"));

    // Renewals: account_id, renewal_date, outcome, renewed_arr_cents, next_renewal_date, reason, decided_at, note.
    public static RenewalFact Renewal<TRow>(TRow r, string accountId, Symbols symbols) where TRow : IFactRow => new(
        accountId, Date(r, 1, "renewals.renewal_date"), Name(Outcomes, r, 2, "renewals.outcome"),
        r.IsNull(3) ? null : Money.FromCents(r.Integer(3, "renewals.renewed_arr_cents")),
        r.IsNull(4) ? null : Date(r, 4, "renewals.next_renewal_date"),
        r.Utf8(5).IsEmpty ? null : Name(Reasons, r, 5, "renewals.reason"), Date(r, 6, "renewals.decided_at"), r.Text(7));

    /// <summary>An ISO yyyy-MM-dd date read straight from the column's bytes.</summary>
    public static DateOnly Date<TRow>(TRow r, int column, string what) where TRow : IFactRow
    {
        var s = r.Utf8(column);
        if (s.Length == 10 && s[4] == '-' && s[7] == '-'
            && Digits(s, 0, 4, out var y) && Digits(s, 5, 2, out var m) && Digits(s, 8, 2, out var d)
            && y >= 1 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m))
            return new DateOnly(y, m, d);
        throw new StoreException($"the store holds a {what} that is not a date: \"{Encoding.UTF8.GetString(s)}\"");
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var c = s[i] - '0';
            if (c is < 0 or > 9) return false;
            value = value * 10 + c;
        }
        return true;
    }

    private static readonly NameTable<MovementKind> Kinds = new();
    private static readonly NameTable<Direction> Directions = new();
    private static readonly NameTable<EvidenceSource> Sources = new();
    private static readonly NameTable<SignalCategory> Categories = new();
    private static readonly NameTable<MilestoneKind> Milestones = new();
    private static readonly NameTable<OverrideField> Fields = new();
    private static readonly NameTable<RenewalOutcome> Outcomes = new();
    private static readonly NameTable<RenewalReason> Reasons = new();

    private static T Name<T, TRow>(NameTable<T> table, TRow r, int column, string what) where T : struct, Enum where TRow : IFactRow =>
        table.Find(r.Utf8(column)) is T value
            ? value
            : throw new StoreException($"the store holds a {what} it does not know: \"{Encoding.UTF8.GetString(r.Utf8(column))}\" (accepted: {string.Join(", ", Wire.Names<T>())})");

    /// <summary>The snake_case names of an enum as UTF-8 bytes, matched exactly (the store writes them so).</summary>
    private sealed class NameTable<T> where T : struct, Enum
    {
        private readonly (byte[] Name, T Value)[] _entries =
            Enum.GetValues<T>().Select(v => (Encoding.UTF8.GetBytes(Wire.Name(v)), v)).ToArray();

        public T? Find(ReadOnlySpan<byte> text)
        {
            foreach (var (name, value) in _entries)
                if (text.SequenceEqual(name)) return value;
            return null;
        }
    }
}

/// <summary>
/// The current row of a store's query, as FactRows reads it: text as UTF-8 bytes (valid until the next row; empty for
/// NULL) or as a string, and numbers as each store keeps them, refused with a StoreException when they are not numbers.
/// </summary>
internal interface IFactRow
{
    bool IsNull(int column);

    ReadOnlySpan<byte> Utf8(int column);

    /// <summary>The column's text ("" for NULL).</summary>
    string Text(int column);

    /// <summary>A number column (a real or an integer), or null for NULL.</summary>
    decimal? Number(int column, string what);

    /// <summary>An integer column; anything else, NULL included, is refused.</summary>
    long Integer(int column, string what);

    /// <summary>The error for a column that should hold a number and does not (what: the table and column).</summary>
    StoreException NotANumber(int column, string what);
}

/// <summary>
/// One string per distinct text of the columns that repeat (segments, CSMs, kinds, lanes, ids of outcomes in
/// evidence): a portfolio read holds each once, not once per row. Not thread-safe: one per reading thread.
/// </summary>
internal sealed class Symbols
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private char[] _chars = new char[256];

    public Symbols() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    private readonly Dictionary<int, (byte[] Bytes, string Text)> _previous = [];

    /// <summary>The column's text, the same string as the previous row's when its bytes are the same (a run of rows of one outcome).</summary>
    public string Previous(int column, ReadOnlySpan<byte> bytes)
    {
        if (_previous.TryGetValue(column, out var p) && bytes.SequenceEqual(p.Bytes)) return p.Text;
        var text = Encoding.UTF8.GetString(bytes);
        _previous[column] = (bytes.ToArray(), text);
        return text;
    }

    public string Of(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return "";
        if (_strings.Count > 200_000) return Encoding.UTF8.GetString(bytes); // not a repeating column after all
        var max = Encoding.UTF8.GetMaxCharCount(bytes.Length);
        if (_chars.Length < max) _chars = new char[Math.Max(max, _chars.Length * 2)];
        var n = Encoding.UTF8.GetChars(bytes, _chars);
        var chars = _chars.AsSpan(0, n);
        if (_lookup.TryGetValue(chars, out var known)) return known;
        var s = new string(chars);
        _strings[s] = s;
        return s;
    }
}
