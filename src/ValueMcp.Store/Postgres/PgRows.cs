using System.Globalization;
using Npgsql;
using ValueMcp.Scoring;

namespace ValueMcp.Store.Postgres;

/// <summary>
/// A PostgreSQL row as a typed fact: the columns in the order Sql selects them (the registry's ReadColumns, as
/// FactRows reads the SQLite rows), each value refused loudly when it is not what the schema allows, with the same
/// messages as FactRows.
/// </summary>
internal static class PgRows
{
    public static AccountProfile Account(NpgsqlDataReader r, PgSymbols s) => new(
        Text(r, 0), Text(r, 1), s.Of(Text(r, 2)), s.Of(Text(r, 3)), s.Of(Text(r, 4)), s.Of(Text(r, 5)), Text(r, 6),
        Date(r, 7, "accounts.contract_start"), Date(r, 8, "accounts.renewal_date"), Number(r, 9, "accounts.contracted_capacity"),
        Number(r, 10, "accounts.used_capacity"));

    // Movements: account_id, effective_date, kind, amount_cents, lane, note.
    public static MovementFact Movement(NpgsqlDataReader r, string accountId, PgSymbols s) => new(
        accountId, Date(r, 1, "arr_movements.effective_date"), Name<MovementKind>(r, 2, "arr_movements.kind"),
        Money.FromCents(Integer(r, 3, "arr_movements.amount_cents")), s.Of(Text(r, 4)), Text(r, 5));

    // Outcomes: account_id, id, title, metric, unit, baseline, target, direction, promised_at, due_date, source.
    public static OutcomeFact Outcome(NpgsqlDataReader r, string accountId, PgSymbols s) => new(
        Text(r, 1), accountId, s.Of(Text(r, 2)), s.Of(Text(r, 3)), s.Of(Text(r, 4)), Number(r, 5, "outcomes.baseline"), Number(r, 6, "outcomes.target"),
        r.IsDBNull(7) ? null : Name<Direction>(r, 7, "outcomes.direction"),
        Date(r, 8, "outcomes.promised_at"), r.IsDBNull(9) ? null : Date(r, 9, "outcomes.due_date"), Text(r, 10));

    // Evidence: account_id, outcome_id, id, captured_at, source, observed_value, achieved, note, captured_by.
    public static EvidenceFact Evidence(NpgsqlDataReader r, string accountId, PgSymbols s)
    {
        var outcome = s.Of(Text(r, 1));
        var id = Text(r, 2);
        var captured = Date(r, 3, "evidence.captured_at");
        var source = Text(r, 4).Length == 0 ? EvidenceSource.Manual : Name<EvidenceSource>(r, 4, "evidence.source"); // an empty source counts as manual
        return new EvidenceFact(id, outcome, captured, source, Number(r, 5, "evidence.observed_value"),
            r.IsDBNull(6) ? null : Integer(r, 6, "evidence.achieved") != 0, Text(r, 7), s.Of(Text(r, 8)));
    }

    // Signals: account_id, id, observed_at, category, kind, polarity, note.
    public static SignalFact Signal(NpgsqlDataReader r, string accountId, PgSymbols s) => new(
        Text(r, 1), accountId, Date(r, 2, "signals.observed_at"), Name<SignalCategory>(r, 3, "signals.category"), s.Of(Text(r, 4)),
        (int)Integer(r, 5, "signals.polarity"), Text(r, 6));

    // Milestones: account_id, kind, reached_at.
    public static MilestoneFact Milestone(NpgsqlDataReader r, string accountId, PgSymbols s) => new(
        accountId, Name<MilestoneKind>(r, 1, "milestones.kind"), Date(r, 2, "milestones.reached_at"));

    // Renewals: account_id, renewal_date, outcome, renewed_arr_cents, next_renewal_date, reason, decided_at, note.
    public static RenewalFact Renewal(NpgsqlDataReader r, string accountId, PgSymbols s) => new(
        accountId, Date(r, 1, "renewals.renewal_date"), Name<RenewalOutcome>(r, 2, "renewals.outcome"),
        r.IsDBNull(3) ? null : Money.FromCents(Integer(r, 3, "renewals.renewed_arr_cents")),
        r.IsDBNull(4) ? null : Date(r, 4, "renewals.next_renewal_date"),
        Text(r, 5).Length == 0 ? null : Name<RenewalReason>(r, 5, "renewals.reason"), Date(r, 6, "renewals.decided_at"), Text(r, 7));

    // Metric readings: account_id, metric, observed_at, value, source.
    public static MetricReading MetricReading(NpgsqlDataReader r, string accountId, PgSymbols s) => new(
        accountId, s.Of(Text(r, 1)), Date(r, 2, "metric_readings.observed_at"),
        Number(r, 3, "metric_readings.value") ?? throw NotANumber("NULL", "metric_readings.value"), s.Of(Text(r, 4)));

    /// <summary>One metric's trend windows: account_id, metric, recent sum, recent count, prior sum, prior count.</summary>
    public static MetricWindow MetricWindow(NpgsqlDataReader r, string accountId, PgSymbols s) => new(
        s.Of(Text(r, 1)), Number(r, 2, "metric_readings.value") ?? 0m, (int)Integer(r, 3, "metric_readings count"),
        Number(r, 4, "metric_readings.value") ?? 0m, (int)Integer(r, 5, "metric_readings count"));

    // Overrides: account_id, field, value, reason, author, created_at, expires_at.
    public static OverrideFact Override(NpgsqlDataReader r, string accountId, PgSymbols s) => new(
        Name<OverrideField>(r, 1, "overrides.field"), s.Of(Text(r, 2)), Text(r, 3), s.Of(Text(r, 4)), Date(r, 5, "overrides.created_at"),
        r.IsDBNull(6) || Text(r, 6).Length == 0 ? null : Date(r, 6, "overrides.expires_at"));

    private static string Text(NpgsqlDataReader r, int column) => r.IsDBNull(column) ? "" : r.GetString(column);

    private static decimal? Number(NpgsqlDataReader r, int column, string what) =>
        r.IsDBNull(column) ? null : r.GetValue(column) switch
        {
            double d => (decimal)d,
            long l => l,
            var v => throw NotANumber(v, what),
        };

    private static long Integer(NpgsqlDataReader r, int column, string what) =>
        r.IsDBNull(column) ? throw NotANumber("NULL", what) : r.GetValue(column) is long l ? l : throw NotANumber(r.GetValue(column), what);

    private static StoreException NotANumber(object value, string what) =>
        new($"the store holds a {what} that is not a number: \"{Convert.ToString(value, CultureInfo.InvariantCulture)}\"");

    private static DateOnly Date(NpgsqlDataReader r, int column, string what)
    {
        var s = Text(r, column);
        if (s.Length == 10 && DateOnly.TryParseExact(s, FactReader.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        throw new StoreException($"the store holds a {what} that is not a date: \"{s}\"");
    }

    private static T Name<T>(NpgsqlDataReader r, int column, string what) where T : struct, Enum
    {
        var s = Text(r, column);
        return Names<T>.ByName.TryGetValue(s, out var v)
            ? v
            : throw new StoreException($"the store holds a {what} it does not know: \"{s}\" (accepted: {string.Join(", ", Wire.Names<T>())})");
    }

    private static class Names<T> where T : struct, Enum
    {
        public static readonly Dictionary<string, T> ByName = Enum.GetValues<T>().ToDictionary(v => Wire.Name(v), StringComparer.Ordinal);
    }
}

/// <summary>One string per distinct text of the columns that repeat (as Symbols for SQLite). One per reading thread.</summary>
internal sealed class PgSymbols
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    public string Of(string s)
    {
        if (s.Length == 0) return "";
        if (_strings.TryGetValue(s, out var known)) return known;
        if (_strings.Count > 200_000) return s;
        _strings[s] = s;
        return s;
    }
}
