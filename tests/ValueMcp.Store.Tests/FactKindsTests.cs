using System.Globalization;
using ValueMcp.DemoData;
using ValueMcp.Scoring;
using static ValueMcp.Store.Tests.TempDatabase;

namespace ValueMcp.Store.Tests;

/// <summary>
/// The fact-kind registry (FactKinds) is one data path: the import stores a row as the values of the fact the reader
/// makes of it (so the writer, which stores those values, writes what the import would), the reader's column lists
/// are those it always read, and the import's files are the registry's, in load order.
/// </summary>
public sealed class FactKindsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_import_files_are_the_registry_s_in_load_order()
    {
        FactImporter.FileOrder.Should().Equal("accounts.csv", "arr_movements.csv", "outcomes.csv", "evidence.csv", "signals.csv", "milestones.csv", "renewals.csv", "metrics.csv");
        FactKinds.Imported.Select(k => k.File).Should().Equal(FactImporter.FileOrder);
        FactKinds.All.Should().HaveCount(9).And.Contain(FactKinds.Overrides);
        FactKinds.Overrides.File.Should().BeNull("overrides are set by the write tool only");
        foreach (var kind in FactKinds.Imported)
        {
            kind.CsvColumns.Should().HaveCount(kind.DbColumns.Count, kind.File);
            kind.Required.Should().OnlyContain(r => kind.CsvColumns.Contains(r), kind.File);
            kind.Key.Should().NotBeEmpty().And.OnlyContain(k => kind.CsvColumns.Contains(k), kind.File);
        }
        var unknown = () => FactKinds.For("contacts.csv");
        unknown.Should().Throw<StoreException>().WithMessage("unknown import file contacts.csv");
    }

    /// <summary>The column lists the reader selected before the registry, word for word (FactRows reads them by position).</summary>
    [Fact]
    public void The_reader_s_column_lists_are_those_it_read_before_the_registry()
    {
        FactKinds.Accounts.SelectList(stream: true).Should().Be(
            "id, name, segment, tier, csm, account_manager, executive_sponsor, contract_start, renewal_date, contracted_capacity, used_capacity");
        FactKinds.Accounts.SelectList(stream: false).Should().Be(FactKinds.Accounts.SelectList(stream: true));
        FactKinds.Movements.SelectList(stream: true).Should().Be("account_id, effective_date, kind, amount_cents, lane, ''");
        FactKinds.Movements.SelectList(stream: false).Should().Be("account_id, effective_date, kind, amount_cents, lane, note");
        FactKinds.Outcomes.SelectList(stream: true).Should().Be("account_id, id, title, metric, '', baseline, target, direction, promised_at, due_date, ''");
        FactKinds.Outcomes.SelectList(stream: false).Should().Be("account_id, id, title, metric, unit, baseline, target, direction, promised_at, due_date, source");
        FactKinds.Evidence.SelectList(stream: true, "e").Should().Be("o.account_id, e.outcome_id, '', e.captured_at, e.source, e.observed_value, e.achieved, '', ''");
        FactKinds.Evidence.SelectList(stream: false, "e").Should().Be(
            "o.account_id, e.outcome_id, e.id, e.captured_at, e.source, e.observed_value, e.achieved, e.note, e.captured_by");
        FactKinds.Signals.SelectList(stream: true).Should().Be("account_id, id, observed_at, category, kind, polarity, ''");
        FactKinds.Signals.SelectList(stream: false).Should().Be("account_id, id, observed_at, category, kind, polarity, note");
        FactKinds.Milestones.SelectList(stream: true).Should().Be("account_id, kind, reached_at");
        FactKinds.Milestones.SelectList(stream: false).Should().Be("account_id, kind, reached_at");
        FactKinds.Overrides.SelectList(stream: true).Should().Be("account_id, field, value, reason, author, created_at, expires_at");
        FactKinds.Overrides.SelectList(stream: false).Should().Be("account_id, field, value, reason, author, created_at, expires_at");
    }

    [Fact]
    public void The_writer_s_inserts_name_every_column_of_the_kind()
    {
        FactKinds.Evidence.InsertSql.Should().Be(
            "INSERT INTO evidence (id, outcome_id, captured_at, source, observed_value, achieved, note, captured_by) VALUES (@a, @b, @c, @d, @e, @f, @g, @h)");
        FactKinds.Overrides.InsertSql.Should().Be(
            "INSERT INTO overrides (account_id, field, value, reason, author, created_at, expires_at) VALUES (@a, @b, @c, @d, @e, @f, @g)");
    }

    /// <summary>
    /// Every row the import stored (the whole demo) and every row the writer stored is exactly the registry's values of
    /// the fact the reader reads from it: the import's parse and the writer agree on every column. One documented
    /// difference: an evidence source left empty in a file is stored empty and read as manual.
    /// </summary>
    [Fact]
    public async Task Every_stored_row_is_the_registry_s_values_of_the_fact_read_from_it()
    {
        using var t = new TempDatabase();
        t.Importer.Import(ImportSource.FromStreams("demo", DemoPortfolio.EmbeddedFiles()), new ImportOptions()).Ok.Should().BeTrue();
        var writer = new FactWriter(t.Db);
        var audit = new WriteAudit("test", "{}", "test", Now);
        await writer.RecordEvidence(new EvidenceFact("EV-W1", "OUT-00001", D("2026-11-20"), EvidenceSource.Survey, 12.5m, null, "a note, with a comma", "tester"), audit);
        await writer.AddOutcome(new OutcomeFact("OUT-W1", "ACC-0001", "Grow", "dau", "users", 10m, 20m, Direction.Increase, D("2026-11-01"), null, "deal"), audit);
        await writer.LogSignal(new SignalFact("SIG-W1", "ACC-0001", D("2026-11-21"), SignalCategory.Risk, "sponsor_change", -1, "left"), audit);
        await writer.SetOverride("ACC-0001", new OverrideFact(OverrideField.Band, "at_risk", "why", "tester", D("2026-11-22"), D("2026-12-31")), _ => audit);
        await writer.SetOverride("ACC-0002", new OverrideFact(OverrideField.Risk, "high", "why", "tester", D("2026-11-22"), null), _ => audit);
        await writer.RecordMetric(new MetricReading("ACC-0001", "weekly_active_users", D("2026-11-24"), 412.5m, "a source, with a comma"), audit);

        var ids = Column(t, "SELECT id FROM accounts ORDER BY id");
        var read = new Dictionary<string, List<string>>();
        void Add(FactEntry kind, object?[] values) =>
            (read.TryGetValue(kind.Table, out var l) ? l : read[kind.Table] = []).Add(Text(values));
        foreach (var id in ids)
        {
            var h = t.Reader.History(id).History!;
            Add(FactKinds.Accounts, FactKinds.Accounts.Values(h.Profile));
            foreach (var m in h.Movements) Add(FactKinds.Movements, FactKinds.Movements.Values(m));
            foreach (var o in h.Outcomes) Add(FactKinds.Outcomes, FactKinds.Outcomes.Values(o));
            foreach (var e in h.Evidence) Add(FactKinds.Evidence, FactKinds.Evidence.Values(e));
            foreach (var s in h.Signals) Add(FactKinds.Signals, FactKinds.Signals.Values(s));
            foreach (var m in h.Milestones) Add(FactKinds.Milestones, FactKinds.Milestones.Values(m));
            foreach (var o in h.Overrides) Add(FactKinds.Overrides, FactKinds.Overrides.Values((id, o)));
            foreach (var r in h.Renewals) Add(FactKinds.Renewals, FactKinds.Renewals.Values(r));
            foreach (var m in h.Readings) Add(FactKinds.Metrics, FactKinds.Metrics.Values(m));
        }

        foreach (var kind in FactKinds.All)
        {
            var stored = Rows(t, $"SELECT {string.Join(", ", kind.DbColumns)} FROM {kind.Table}", kind == FactKinds.Evidence ? kind.DbColumns.ToList().IndexOf("source") : -1);
            stored.Should().NotBeEmpty(kind.Table);
            read[kind.Table].Should().BeEquivalentTo(stored, kind.Table);
        }
        read["overrides"].Should().HaveCount(2);
        Column(t, "SELECT count(*) FROM evidence WHERE source = ''").Single().Should().NotBe("0", "the demo has evidence with no source: the one difference is exercised");
    }

    /// <summary>Every row of a query as Text gives it; an empty value in column emptyIsManual (evidence's source) as "manual".</summary>
    private static List<string> Rows(TempDatabase t, string sql, int emptyIsManual)
    {
        using var c = t.Db.OpenRead();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read())
        {
            var values = Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? null : r.GetValue(i)).ToArray();
            if (emptyIsManual >= 0 && values[emptyIsManual] is "") values[emptyIsManual] = "manual";
            list.Add(Text(values));
        }
        return list;
    }

    private static string Text(object?[] values) => string.Join("|", values.Select(v => v switch
    {
        null => "NULL",
        double d => "R" + d.ToString("G17", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        string s => s,
        _ => throw new InvalidOperationException($"a value of type {v.GetType().Name}: the registry's values are null, long, double or string"),
    }));

    private static List<string> Column(TempDatabase t, string sql)
    {
        using var c = t.Db.OpenRead();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read()) list.Add(Convert.ToString(r.GetValue(0), CultureInfo.InvariantCulture)!);
        return list;
    }
}
