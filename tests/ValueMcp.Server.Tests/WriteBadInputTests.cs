namespace ValueMcp.Server.Tests;

/// <summary>
/// Malformed write-tool arguments: SQL metacharacters in every id and name field, huge strings, control characters,
/// bad dates and numbers, unknown ids. Each is answered with isError saying what is accepted, and the database file
/// and its WAL are byte-for-byte the same afterwards.
/// </summary>
public sealed class WriteBadInputTests(WriteBadInputTests.Server fixture) : IClassFixture<WriteBadInputTests.Server>
{
    public sealed class Server : IAsyncLifetime
    {
        public OwnServer Own { get; private set; } = null!;
        public async Task InitializeAsync() => Own = await OwnServer.Start("write-bad");
        public async Task DisposeAsync() => await Own.DisposeAsync();
    }

    private static readonly string Huge = new('x', 1_000_000);
    private static readonly string Long301 = new('t', 301);
    private static readonly string Long4001 = new('n', 4001);
    private const string Sql = "x'); DROP TABLE evidence; --";

    /// <summary>tool, arguments (JSON), fragments the message must contain (case-insensitive).</summary>
    public static TheoryData<string, string, string[]> Cases => new()
    {
        // record_evidence
        { "record_evidence", """{"outcome_id":"x' OR 1=1 --","achieved":true}""", ["outcome_id", "unknown outcome"] },
        { "record_evidence", """{"outcome_id":"OUT-00001; DROP TABLE evidence; --","achieved":true}""", ["unknown outcome"] },
        { "record_evidence", """{"outcome_id":"OUT-00001"}""", ["observed_value", "achieved"] },
        { "record_evidence", """{"outcome_id":"   ","achieved":true}""", ["outcome_id", "required"] },
        { "record_evidence", """{"outcome_id":"OUT-00001","achieved":true,"source":"gossip"}""", ["source", "usage", "meeting", "survey", "communication", "manual", "import"] },
        { "record_evidence", """{"outcome_id":"OUT-00001","achieved":true,"source":"usage' OR '1'='1"}""", ["source", "accepted"] },
        { "record_evidence", """{"outcome_id":"OUT-00001","achieved":true,"captured_at":"2026-02-30"}""", ["captured_at", "yyyy-MM-dd"] },
        { "record_evidence", """{"outcome_id":"OUT-00001","achieved":true,"captured_at":"2999-01-01"}""", ["captured_at", "future"] },
        { "record_evidence", """{"outcome_id":"OUT-00001","achieved":true,"captured_at":"1899-12-31"}""", ["captured_at", "out of range"] },
        { "record_evidence", """{"outcome_id":"OUT-00001","achieved":true,"captured_at":"2026-11-01'; --"}""", ["captured_at", "not a date"] },
        { "record_evidence", """{"outcome_id":"OUT-00001","observed_value":1e20}""", ["observed_value", "out of range"] },
        { "record_evidence", """{"outcome_id":"OUT-00001","observed_value":"45%"}""", ["observed_value", "expected number"] },
        { "record_evidence", """{"outcome_id":"OUT-00001","achieved":"yes"}""", ["achieved", "expected boolean"] },
        { "record_evidence", """{"outcome_id":"OUT-00001","achieved":true,"note":"a\u0000b"}""", ["note", "control character", "U+0000"] },
        { "record_evidence", """{"outcome_id":"OUT-00001","achieved":true,"note":"bell\u0007"}""", ["note", "control character"] },
        { "record_evidence", """{"outcome_id":"OUT-00001","achieved":true,"note":"\u001b[31mred"}""", ["note", "control character", "U+001B"] },
        { "record_evidence", """{"outcome_id":"OUT-\u000000001","achieved":true}""", ["outcome_id", "control character"] },
        { "record_evidence", $$"""{"outcome_id":"OUT-00001","achieved":true,"note":"{{Huge}}"}""", ["note", "1,000,000 characters", "4,000"] },
        { "record_evidence", $$"""{"outcome_id":"{{Huge}}","achieved":true}""", ["outcome_id", "longer than the 200"] },
        { "record_evidence", """{"outcome_id":"OUT-00001","achieved":true,"captured_by":"someone else"}""", ["unknown argument", "captured_by"] },
        // add_promised_outcome
        { "add_promised_outcome", $$"""{"account_id":"{{Sql}}","title":"Grow"}""", ["account_id", "unknown account"] },
        { "add_promised_outcome", """{"account_id":"ACC-0001' OR '1'='1","title":"Grow"}""", ["account_id", "unknown account"] },
        { "add_promised_outcome", """{"account_id":"ACC-0001","title":"  "}""", ["title", "required"] },
        { "add_promised_outcome", """{"account_id":"ACC-0001","title":"two\nlines"}""", ["title", "control character", "one line"] },
        { "add_promised_outcome", $$"""{"account_id":"ACC-0001","title":"{{Long301}}"}""", ["title", "300"] },
        { "add_promised_outcome", """{"account_id":"ACC-0001","title":"Grow","metric":"m\tx"}""", ["metric", "control character"] },
        { "add_promised_outcome", """{"account_id":"ACC-0001","title":"Grow","target":10}""", ["direction", "required", "increase", "decrease"] },
        { "add_promised_outcome", """{"account_id":"ACC-0001","title":"Grow","target":10,"direction":"up"}""", ["direction", "increase", "decrease"] },
        { "add_promised_outcome", """{"account_id":"ACC-0001","title":"Grow","baseline":10,"target":5,"direction":"increase"}""", ["target", "does not increase"] },
        { "add_promised_outcome", """{"account_id":"ACC-0001","title":"Grow","promised_at":"2026-06-01","due_date":"2026-05-01"}""", ["due_date", "before promised_at"] },
        { "add_promised_outcome", """{"account_id":"ACC-0001","title":"Grow","promised_at":"2999-01-01"}""", ["promised_at", "future"] },
        { "add_promised_outcome", """{"account_id":"ACC-0001","title":"Grow","due_date":"31/12/2027"}""", ["due_date", "yyyy-MM-dd"] },
        { "add_promised_outcome", """{"account_id":"ACC-0001","title":"Grow","target":-1e15,"direction":"decrease"}""", ["target", "out of range"] },
        // log_signal
        { "log_signal", $$"""{"account_id":"{{Sql}}","category":"usage","polarity":1}""", ["account_id", "unknown account"] },
        { "log_signal", """{"account_id":"ACC-0001","category":"vibes","polarity":1}""", ["category", "usage", "data", "success", "capacity", "risk", "timing"] },
        { "log_signal", """{"account_id":"ACC-0001","category":"risk'; DELETE FROM signals; --","polarity":1}""", ["category", "accepted"] },
        { "log_signal", """{"account_id":"ACC-0001","category":"usage","polarity":2}""", ["polarity", "1", "-1"] },
        { "log_signal", """{"account_id":"ACC-0001","category":"usage","polarity":0}""", ["polarity", "1", "-1"] },
        { "log_signal", """{"account_id":"ACC-0001","category":"usage","polarity":1.5}""", ["polarity", "expected integer"] },
        { "log_signal", """{"account_id":"ACC-0001","category":"usage"}""", ["polarity", "required"] },
        { "log_signal", $$"""{"account_id":"ACC-0001","category":"usage","polarity":1,"kind":"{{Long301}}"}""", ["kind", "100"] },
        { "log_signal", """{"account_id":"ACC-0001","category":"usage","polarity":1,"kind":"dau\r\ngrowth"}""", ["kind", "control character"] },
        { "log_signal", """{"account_id":"ACC-0001","category":"usage","polarity":1,"observed_at":"2026-13-01"}""", ["observed_at", "yyyy-MM-dd"] },
        { "log_signal", """{"account_id":"ACC-0001","category":"usage","polarity":1,"note":"next\u0085line"}""", ["note", "control character", "U+0085"] },
        // set_override
        { "set_override", """{"account_id":"ACC-0001","field":"arr","value":"1","reason":"x"}""", ["field", "band", "readiness", "risk"] },
        { "set_override", """{"account_id":"ACC-0001","field":"band","value":"purple","reason":"x"}""", ["value", "on_track", "at_risk", "critical", "no_contract"] },
        { "set_override", """{"account_id":"ACC-0001","field":"band","value":"ready","reason":"x"}""", ["value", "not a band"] },
        { "set_override", """{"account_id":"ACC-0001","field":"risk","value":"extreme","reason":"x"}""", ["value", "none", "low", "medium", "high"] },
        { "set_override", """{"account_id":"ACC-0001","field":"band","value":"on_track' --","reason":"x"}""", ["value", "accepted for band"] },
        { "set_override", """{"account_id":"ACC-0001","field":"band","value":"on_track","reason":"   "}""", ["reason", "required"] },
        { "set_override", $$"""{"account_id":"ACC-0001","field":"band","value":"on_track","reason":"{{Long4001}}"}""", ["reason", "4,000"] },
        { "set_override", """{"account_id":"ACC-0001","field":"band","value":"on_track","reason":"x","created_at":"2026-06-01","expires_at":"2026-06-01"}""", ["expires_at", "not after created_at"] },
        { "set_override", """{"account_id":"ACC-0001","field":"band","value":"on_track","reason":"x","created_at":"2026-06-01","expires_at":"2026-01-01"}""", ["expires_at", "not after created_at"] },
        { "set_override", """{"account_id":"ACC-0001","field":"band","value":"on_track","reason":"x","created_at":"2999-01-01"}""", ["created_at", "future"] },
        { "set_override", $$"""{"account_id":"{{Sql}}","field":"band","value":"on_track","reason":"x"}""", ["account_id", "unknown account"] },
        { "set_override", """{"account_id":"ACC-0001","field":"band","value":"on_track"}""", ["reason", "required"] },
        // the audit log and the import
        { "get_audit_log", """{"since":"yesterday"}""", ["since", "yyyy-MM-dd"] },
        { "get_audit_log", """{"limit":0}""", ["limit", "1 to 200"] },
        { "import_facts", """{"folder":"."}""", ["not configured", "--import-root", "VALUEMCP_IMPORT_ROOT"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_arguments_are_refused_with_what_is_accepted_and_nothing_is_written(string tool, string argsJson, string[] fragments)
    {
        var server = fixture.Own;
        var before = server.Fingerprint();
        var result = await server.Call(tool, argsJson);
        var text = ServerFixture.Text(result);
        (result.IsError ?? false).Should().BeTrue($"{tool} {Short(argsJson)} must be refused; it answered: {Short(text)}");
        foreach (var f in fragments) text.Should().ContainEquivalentOf(f);
        text.Should().NotContainEquivalentOf("exception").And.NotContainEquivalentOf("sqlite").And.NotContain("   at ");
        text.Length.Should().BeLessThan(2000, "an error names what was wrong without echoing a huge value");
        server.Fingerprint().Should().Be(before, "a refused call writes nothing");
    }

    private static string Short(string s) => s.Length <= 200 ? s : s[..200] + "...";
}
