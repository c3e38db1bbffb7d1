using System.Text.Json.Nodes;
using static ValueMcp.Server.Tests.J;

namespace ValueMcp.Server.Tests;

/// <summary>
/// The write tools over a real client, on a server of their own (the shared fixture's database is never written):
/// each appends its fact, answers with the account card after the write, and leaves an audit entry with its author.
/// </summary>
public sealed class WriteToolTests(WriteToolTests.Server fixture) : IClassFixture<WriteToolTests.Server>
{
    private const string Operator = "Dana Operator";
    private readonly OwnServer _server = fixture.Own;

    /// <summary>One server for the class: the tests write to different accounts and outcomes.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public OwnServer Own { get; private set; } = null!;
        public async Task InitializeAsync() => Own = await OwnServer.Start("write", ["--operator", Operator]);
        public async Task DisposeAsync() => await Own.DisposeAsync();
    }

    private static string Today => DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");

    private async Task<JsonObject> Card(string accountId) =>
        (await _server.Ok("get_account_scorecard", Args(("account_id", accountId), ("as_of", Today))));

    [Fact]
    public async Task Record_evidence_that_meets_the_target_evidences_the_outcome_and_the_card_shows_it()
    {
        // OUT-00002 of ACC-0001: CRM data completeness from 68 to 90 percent (increase).
        var before = await Card("ACC-0001");
        var outcomeBefore = before.Objects("outcomes").Single(o => o.Str("id") == "OUT-00002");
        outcomeBefore["evidenced"]!.GetValue<bool>().Should().BeFalse("the demo has not evidenced it");

        var written = await _server.Ok("record_evidence", Args(
            ("outcome_id", "OUT-00002"), ("observed_value", 91.5m), ("source", "usage"), ("note", "Data quality dashboard: 91.5%"), ("captured_at", "2026-11-20")));

        var evidence = written.Obj("evidence");
        evidence.Str("id").Should().StartWith("EV-");
        evidence.Str("captured_at").Should().Be("2026-11-20");
        evidence.Str("source").Should().Be("usage");
        evidence.Str("captured_by").Should().Be(Operator);
        evidence["achieves"]!.GetValue<bool>().Should().BeTrue();
        var outcome = written.Obj("outcome");
        outcome.Str("id").Should().Be("OUT-00002");
        outcome["evidenced"]!.GetValue<bool>().Should().BeTrue();
        outcome.Str("confidence").Should().Be("high");
        var account = written.Obj("account");
        account.Str("id").Should().Be("ACC-0001");
        account.Int("outcomes_evidenced").Should().Be(before.Int("outcomes_evidenced") + 1);
        account.Int("outcomes_promised").Should().Be(before.Int("outcomes_promised"));
        written.Str("as_of").Should().Be(Today);

        var after = await Card("ACC-0001");
        after.Int("outcomes_evidenced").Should().Be(account.Int("outcomes_evidenced"), "the answer's card is the card after the write");
        after.Objects("outcomes").Single(o => o.Str("id") == "OUT-00002").Objects("evidence")
            .Should().Contain(e => e.Str("id") == evidence.Str("id") && e.Str("note") == "Data quality dashboard: 91.5%");
    }

    [Fact]
    public async Task Record_evidence_with_achieved_false_never_achieves_and_source_defaults_to_manual()
    {
        var written = await _server.Ok("record_evidence", Args(("outcome_id", "OUT-00001"), ("observed_value", 95m), ("achieved", false)));
        written.Obj("evidence").Str("source").Should().Be("manual");
        written.Obj("evidence").Str("captured_at").Should().Be(Today);
        written.Obj("evidence")["achieves"]!.GetValue<bool>().Should().BeFalse();
    }

    [Fact]
    public async Task Add_promised_outcome_extends_the_value_contract()
    {
        var before = await Card("ACC-0002");
        var written = await _server.Ok("add_promised_outcome", Args(
            ("account_id", "ACC-0002"), ("title", "Reduce forecast cycle time by 40%"), ("metric", "forecast_cycle_time"), ("unit", "days"),
            ("baseline", 10m), ("target", 6m), ("direction", "decrease"), ("due_date", "2027-06-30"), ("promised_at", "2026-11-01"), ("source", "OPP-2026-1234")));

        var outcome = written.Obj("outcome");
        outcome.Str("id").Should().StartWith("OUT-");
        outcome.Str("title").Should().Be("Reduce forecast cycle time by 40%");
        outcome.Str("direction").Should().Be("decrease");
        outcome.Dec("target").Should().Be(6m);
        outcome["evidenced"]!.GetValue<bool>().Should().BeFalse();
        written.Obj("account").Int("outcomes_promised").Should().Be(before.Int("outcomes_promised") + 1);

        // Evidence can then be recorded against it: 5.5 days is at or below the target.
        var evidence = await _server.Ok("record_evidence", Args(("outcome_id", outcome.Str("id")), ("observed_value", 5.5m), ("source", "survey")));
        evidence.Obj("outcome")["evidenced"]!.GetValue<bool>().Should().BeTrue();
        evidence.Obj("outcome").Str("confidence").Should().Be("medium");
    }

    [Fact]
    public async Task Log_signal_appends_a_signal_that_the_card_counts()
    {
        var written = await _server.Ok("log_signal", Args(
            ("account_id", "ACC-0003"), ("category", "risk"), ("kind", "sponsor_change"), ("polarity", -1), ("note", "CFO left"), ("observed_at", Today)));
        var signal = written.Obj("signal");
        signal.Str("id").Should().StartWith("SIG-");
        signal.Str("category").Should().Be("risk");
        signal.Int("polarity").Should().Be(-1);
        written.Obj("account").Str("readiness").Should().Be("blocked", "a risk signal in the recent window blocks expansion readiness");

        var card = await Card("ACC-0003");
        card.Objects("signals_recent").Should().Contain(s => s.Str("id") == signal.Str("id"));
    }

    [Fact]
    public async Task Record_metric_stores_a_reading_that_evidences_the_outcome_measured_by_it_once()
    {
        var outcome = (await _server.Ok("add_promised_outcome", Args(
            ("account_id", "ACC-0008"), ("title", "Cut tickets per 100 users to 6"), ("metric", "tickets_per_100_users_test"), ("unit", "tickets"),
            ("baseline", 10m), ("target", 6m), ("direction", "decrease"), ("promised_at", Today)))).Obj("outcome");
        outcome["evidenced"]!.GetValue<bool>().Should().BeFalse();

        var written = await _server.Ok("record_metric", Args(
            ("account_id", "ACC-0008"), ("metric", "tickets_per_100_users_test"), ("value", 5.5m), ("source", "helpdesk")));
        written.Obj("reading").Str("observed_at").Should().Be(Today);
        written.Obj("reading").Dec("value").Should().Be(5.5m);
        var measured = written.Objects("outcomes").Should().ContainSingle().Subject;
        measured.Str("id").Should().Be(outcome.Str("id"));
        measured["evidenced"]!.GetValue<bool>().Should().BeTrue("5.5 is at or below the target 6");
        measured.Str("confidence").Should().Be("high", "a reading is evidence of source usage");
        measured.Int("computed_evidence").Should().Be(1);
        measured.Obj("latest_reading").Dec("value").Should().Be(5.5m);
        var evidence = measured.Objects("evidence").Should().ContainSingle().Subject;
        evidence["computed"]!.GetValue<bool>().Should().BeTrue();
        evidence.Str("source").Should().Be("usage");
        evidence.Str("id").Should().Be($"usage:tickets_per_100_users_test:{Today}");
        written.Obj("account").Int("outcomes_evidenced").Should().BeGreaterThan(0);

        // The same reading again writes nothing; another value for the day is refused and says what is accepted.
        await _server.Ok("record_metric", Args(("account_id", "ACC-0008"), ("metric", "tickets_per_100_users_test"), ("value", 5.5m), ("source", "helpdesk")));
        var entries = (await _server.Ok("get_audit_log", Args(("limit", 200)))).Objects("entries")
            .Count(e => e.Str("operation") == "record_metric" && e.Obj("arguments").Str("account_id") == "ACC-0008");
        entries.Should().Be(1);
        var error = await _server.Error("record_metric", Args(("account_id", "ACC-0008"), ("metric", "tickets_per_100_users_test"), ("value", 7m)));
        error.Should().Contain("already stored").And.Contain("one reading per account, metric and day");
    }

    [Fact]
    public async Task Set_override_replaces_the_value_in_force_and_keeps_the_computed_one()
    {
        var before = await Card("ACC-0004");
        var target = before.Str("band") == "critical" ? "on_track" : "critical";
        var written = await _server.Ok("set_override", Args(
            ("account_id", "ACC-0004"), ("field", "band"), ("value", target), ("reason", "Exec sponsor confirmed the rollout is back on track"), ("expires_at", "2027-12-31")));

        written["id"]!.GetValue<long>().Should().BePositive();
        var o = written.Obj("override");
        o.Str("author").Should().Be(Operator);
        o["in_force"]!.GetValue<bool>().Should().BeTrue();
        var account = written.Obj("account");
        account.Str("band").Should().Be(target);
        var shown = account.Objects("overrides").Should().ContainSingle().Subject;
        shown.Str("computed").Should().Be(before.Str("band"));
        shown.Str("value").Should().Be(target);
        shown.Str("author").Should().Be(Operator);
    }

    [Fact]
    public async Task A_probability_override_is_a_number_from_0_to_1_and_the_card_keeps_the_computed_probability_beside_it()
    {
        var bad = await _server.Call("set_override", Args(("account_id", "ACC-0006"), ("field", "probability"), ("value", "high"), ("reason", "x")));
        bad.IsError.Should().BeTrue();
        ServerFixture.Text(bad).Should().Contain("accepted for probability: a number from 0 to 1");
        var over = await _server.Call("set_override", Args(("account_id", "ACC-0006"), ("field", "probability"), ("value", "1.5"), ("reason", "x")));
        over.IsError.Should().BeTrue();

        var written = await _server.Ok("set_override", Args(
            ("account_id", "ACC-0006"), ("field", "probability"), ("value", "0.35"), ("reason", "Champion left; CFO reviewing every renewal")));
        var shown = written.Obj("account").Objects("overrides").Should().ContainSingle().Subject;
        shown.Str("field").Should().Be("probability");
        shown.Str("value").Should().Be("0.35");
        decimal.Parse(shown.Str("computed"), System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(0.05m, 0.97m, "the table's probability, within floor and ceiling");
    }

    [Fact]
    public async Task Record_renewal_moves_the_renewal_in_force_to_the_next_date_and_is_recorded_once()
    {
        var before = await Card("ACC-0008");
        var date = before.Str("renewal_date");
        var next = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture).AddYears(1).ToString("yyyy-MM-dd");
        var written = await _server.Ok("record_renewal", Args(("account_id", "ACC-0008"), ("renewal_date", date), ("outcome", "contracted"),
            ("renewed_arr", 1000), ("next_renewal_date", next), ("reason", "budget")));
        written.Obj("renewal").Str("outcome").Should().Be("contracted");
        written.Obj("renewal").Str("reason").Should().Be("budget");
        var account = written.Obj("account");
        account.Str("renewal_date").Should().Be(next);
        account.Str("renewal_state").Should().Be("open");
        (await Card("ACC-0008")).Objects("renewals").Should().Contain(r => r.Str("renewal_date") == date && r.Str("decided_by") == "recorded");

        var twice = await _server.Call("record_renewal", Args(("account_id", "ACC-0008"), ("renewal_date", date), ("outcome", "renewed"), ("next_renewal_date", next)));
        twice.IsError.Should().BeTrue();
        ServerFixture.Text(twice).Should().Contain("is already recorded");
        var churnWithNext = await _server.Call("record_renewal", Args(("account_id", "ACC-0009"), ("renewal_date", date), ("outcome", "churned"), ("next_renewal_date", next)));
        ServerFixture.Text(churnWithNext).Should().Contain("next_renewal_date").And.Contain("accepted: empty");
    }

    [Fact]
    public async Task Every_write_is_in_the_audit_log_newest_first_with_its_arguments_and_author()
    {
        var signal = await _server.Ok("log_signal", Args(("account_id", "ACC-0005"), ("category", "usage"), ("kind", "dau_growth"), ("polarity", 1)));
        var over = await _server.Ok("set_override", Args(("account_id", "ACC-0005"), ("field", "risk"), ("value", "low"), ("reason", "Renewal signed verbally")));

        var log = await _server.Ok("get_audit_log", Args(("limit", 200)));
        var entries = log.Objects("entries").ToList();
        entries.Select(e => e.Str("at")).Should().BeInDescendingOrder(StringComparer.Ordinal);
        var overrideEntry = entries.First(e => e.Str("operation") == "set_override" && e.Obj("arguments").Str("account_id") == "ACC-0005");
        overrideEntry.Str("author").Should().Be(Operator);
        overrideEntry.Obj("arguments").Str("reason").Should().Be("Renewal signed verbally");
        var signalEntry = entries.First(e => e.Str("operation") == "log_signal" && e.Obj("arguments").Str("id") == signal.Obj("signal").Str("id"));
        signalEntry.Obj("arguments").Int("polarity").Should().Be(1);
        entries.IndexOf(overrideEntry).Should().BeLessThan(entries.IndexOf(signalEntry), "newest first");
        entries.Should().Contain(e => e.Str("operation") == "import", "the import that built the database is audited too");
        over.Obj("override").Str("value").Should().Be("low");

        var none = await _server.Ok("get_audit_log", Args(("since", "2999-01-01")));
        none.Arr("entries").Should().BeEmpty();
        var limited = await _server.Ok("get_audit_log", Args(("limit", 1)));
        limited.Objects("entries").Should().ContainSingle().Which.Str("at").Should().Be(entries[0].Str("at"));
    }

    [Fact]
    public async Task Every_audit_entry_carries_the_ids_the_server_gave()
    {
        var outcome = await _server.Ok("add_promised_outcome", Args(("account_id", "ACC-0007"), ("title", "Go live in 90 days")));
        var evidence = await _server.Ok("record_evidence", Args(("outcome_id", outcome.Obj("outcome").Str("id")), ("achieved", true)));
        var signal = await _server.Ok("log_signal", Args(("account_id", "ACC-0007"), ("category", "success"), ("polarity", 1)));
        var over = await _server.Ok("set_override", Args(("account_id", "ACC-0007"), ("field", "readiness"), ("value", "emerging"), ("reason", "Budget cycle next quarter")));

        var entries = (await _server.Ok("get_audit_log", Args(("limit", 200)))).Objects("entries").ToList();
        JsonObject Entry(string operation) => entries.First(e => e.Str("operation") == operation && e.Obj("arguments").Str("account_id") == "ACC-0007");
        Entry("add_promised_outcome").Obj("arguments").Str("id").Should().Be(outcome.Obj("outcome").Str("id"));
        Entry("record_evidence").Obj("arguments").Str("id").Should().Be(evidence.Obj("evidence").Str("id"));
        Entry("log_signal").Obj("arguments").Str("id").Should().Be(signal.Obj("signal").Str("id"));
        var overrideArguments = Entry("set_override").Obj("arguments");
        overrideArguments.Req("id").GetValue<long>().Should().Be(over["id"]!.GetValue<long>(), "the override's id is the one the server assigned");
        overrideArguments.Str("account_id").Should().Be("ACC-0007");
    }

    [Fact]
    public async Task The_author_comes_from_VALUEMCP_OPERATOR_when_no_operator_flag_is_given()
    {
        await using var server = await OwnServer.Start("write-env", env: new Dictionary<string, string?> { ["VALUEMCP_OPERATOR"] = "Env Person" });
        var written = await server.Ok("record_evidence", Args(("outcome_id", "OUT-00001"), ("achieved", true)));
        written.Obj("evidence").Str("captured_by").Should().Be("Env Person");
        var log = await server.Ok("get_audit_log", Args(("limit", 1)));
        log.Objects("entries").Single().Str("author").Should().Be("Env Person");
    }

    [Fact]
    public async Task Sql_metacharacters_and_quotes_in_free_text_are_stored_verbatim_and_harm_nothing()
    {
        const string title = "Robert'); DROP TABLE outcomes; -- \"quoted\" 100% _under_ é中文 🚀";
        const string note = "line 1'; DELETE FROM evidence WHERE 1=1; --\n\tline 2 \\ ` $x @y ?z :w";
        var countsBefore = OwnServer.Counts(_server.DbPath);

        var outcome = await _server.Ok("add_promised_outcome", Args(("account_id", "ACC-0006"), ("title", title), ("metric", "m' OR '1'='1"), ("unit", "%;--")));
        var evidence = await _server.Ok("record_evidence", Args(("outcome_id", outcome.Obj("outcome").Str("id")), ("achieved", true), ("note", note)));
        var signal = await _server.Ok("log_signal", Args(("account_id", "ACC-0006"), ("category", "success"), ("kind", "x'||(SELECT 1)||'"), ("polarity", 1), ("note", note)));
        await _server.Ok("set_override", Args(("account_id", "ACC-0006"), ("field", "readiness"), ("value", "emerging"), ("reason", note)));

        outcome.Obj("outcome").Str("title").Should().Be(title);
        outcome.Obj("outcome").Str("metric").Should().Be("m' OR '1'='1");
        evidence.Obj("evidence").Str("note").Should().Be(note);
        signal.Obj("signal").Str("kind").Should().Be("x'||(SELECT 1)||'");
        var card = await Card("ACC-0006");
        card.Objects("outcomes").Single(o => o.Str("id") == outcome.Obj("outcome").Str("id")).Str("title").Should().Be(title);
        card.Objects("override_history").Should().Contain(o => o.Str("reason") == note);

        var countsAfter = OwnServer.Counts(_server.DbPath);
        countsAfter["outcomes"].Should().BeGreaterThanOrEqualTo(countsBefore["outcomes"] + 1);
        countsAfter["evidence"].Should().BeGreaterThanOrEqualTo(countsBefore["evidence"] + 1);
        countsAfter["accounts"].Should().Be(countsBefore["accounts"]);
    }
}
