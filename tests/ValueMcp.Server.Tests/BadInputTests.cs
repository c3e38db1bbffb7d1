using ModelContextProtocol;

namespace ValueMcp.Server.Tests;

/// <summary>
/// Bad input is answered with isError and a message saying what was wrong and what is accepted, without a stack
/// trace or SQL, and the server keeps serving.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class BadInputTests(ServerFixture server)
{
    /// <summary>tool, arguments (JSON), fragments the message must contain (case-insensitive).</summary>
    public static TheoryData<string, string, string[]> Cases => new()
    {
        { "get_account_scorecard", """{"account_id":"NOPE-404"}""", ["account_id", "unknown account", "list_accounts"] },
        { "get_account_scorecard", """{"account_id":"x' OR 1=1 --"}""", ["account_id", "unknown account"] },
        { "get_account_scorecard", """{"account_id":"ACC-0001; DROP TABLE accounts; --"}""", ["unknown account"] },
        { "get_account_scorecard", """{"account_id":"   "}""", ["account_id", "required"] },
        { "get_portfolio_health", """{"segment":"Retail"}""", ["segment", "known values", "Enterprise", "Mid-Market", "SMB"] },
        { "list_accounts", """{"segment":"smb' OR '1'='1"}""", ["segment", "known values", "SMB"] },
        { "get_portfolio_health", """{"as_of":"2026-13-45"}""", ["as_of", "2026-13-45", "yyyy-MM-dd"] },
        { "list_accounts", """{"as_of":"24/11/2026"}""", ["as_of", "yyyy-MM-dd"] },
        { "list_accounts", """{"limit":0}""", ["limit", "1 to 200"] },
        { "list_accounts", """{"limit":201}""", ["limit", "1 to 200"] },
        { "list_renewal_risks", """{"limit":-5}""", ["limit", "1 to 200"] },
        { "list_accounts", """{"sort_by":"name"}""", ["sort_by", "arr", "fulfilment", "readiness", "renewal_date"] },
        { "get_portfolio_health", """{"band":"purple"}""", ["band", "on_track", "at_risk", "critical", "no_contract"] },
        { "list_accounts", """{"readiness":"maybe"}""", ["readiness", "ready", "emerging", "not_ready", "blocked"] },
        { "get_portfolio_health", """{"lifecycle_stage":"churned"}""", ["lifecycle_stage", "onboarding", "renewal"] },
        { "get_portfolio_health", """{"renewal_flag":"green"}""", ["renewal_flag", "red", "amber", "none"] },
        { "get_portfolio_health", """{"tier":"4"}""", ["tier", "1", "2", "3"] },
        { "list_accounts", """{"cursor":"not-a-cursor"}""", ["cursor", "next_cursor"] },
        { "list_accounts", """{"cursor":"b2Zmc2V0Oi0x"}""", ["cursor", "next_cursor"] },
        { "list_accounts", """{"cursor":"b2Zmc2V0Ojk5OTk5"}""", ["cursor", "without a cursor"] },
        { "portfolio_movers", """{"since":"2026-12-01"}""", ["since", "before as_of"] },
        { "portfolio_movers", """{"since":"2026-11-24"}""", ["since", "before as_of"] },
        { "portfolio_movers", """{"days":0}""", ["days", "1 to 3650"] },
        { "portfolio_movers", """{"since":"yesterday"}""", ["since", "yyyy-MM-dd"] },
        { "portfolio_movers", """{"as_of":"0001-01-01"}""", ["as_of", "out of range", "1900-01-01"] },
        { "list_accounts", """{"as_of":"0001-01-03"}""", ["as_of", "out of range", "1900-01-01"] },
        { "get_account_scorecard", """{"account_id":"ACC-0001","as_of":"0001-01-01"}""", ["as_of", "out of range"] },
        { "csm_book", """{"csm":"Aisha Rahman","as_of":"0001-01-01"}""", ["as_of", "out of range"] },
        { "portfolio_movers", """{"since":"0001-01-01"}""", ["since", "out of range"] },
        { "get_portfolio_health", """{"min_arr":-1}""", ["min_arr", "0 or more"] },
        { "expansion_ready_accounts", """{"min_arr":-0.01}""", ["min_arr", "0 or more"] },
        { "get_portfolio_health", """{"renewal_within_days":-1}""", ["renewal_within_days", "0 to 3650"] },
        { "list_renewal_risks", """{"within_days":5000}""", ["within_days", "0 to 3650"] },
        { "list_renewal_risks", """{"min_risk":"none"}""", ["min_risk", "low", "medium", "high"] },
        { "list_renewal_risks", """{"min_risk":"extreme"}""", ["min_risk", "low", "medium", "high"] },
        { "csm_book", """{"csm":"Nobody Atall"}""", ["csm", "known values"] },
        { "list_accounts", """{"cohort_year":"24"}""", ["cohort_year", "YYYY", "2024"] },
        { "list_accounts", """{"cohort_year":"2024-Q1"}""", ["cohort_year", "YYYY"] },
        { "get_portfolio_health", """{"cohort_year":"0000"}""", ["cohort_year", "0001-9999"] },
        { "list_accounts", """{"cohort_quarter":"2024-Q5"}""", ["cohort_quarter", "YYYY-Qn", "1 to 4"] },
        { "list_accounts", """{"cohort_quarter":"2024Q1"}""", ["cohort_quarter", "YYYY-Qn"] },
        { "renewal_forecast", """{"period_start":"2026-01-01","period_end":"2027-01-01","cohort_quarter":"2023-Q2","cohort_year":"2024"}""", ["cohort_quarter", "not in cohort_year 2024"] },
        { "csm_book", """{"csm":"x' OR 1=1 --"}""", ["csm", "known values"] },
    };

    private async Task<string> ErrorText(string tool, string argsJson)
    {
        var result = await server.Call(tool, argsJson);
        var text = ServerFixture.Text(result);
        (result.IsError ?? false).Should().BeTrue($"{tool} {argsJson} is bad input and must be answered with isError; it answered: {text}");
        return text;
    }

    private static void ShouldBeClean(string text, string tool, string argsJson)
    {
        text.Should().NotBeNullOrWhiteSpace($"{tool} {argsJson}: the error says what was wrong");
        text.Should().NotContain("   at ", $"{tool} {argsJson}: no stack trace");
        text.Should().NotContainAny(["Exception:", "SELECT ", "FROM accounts", "sqlite", "SQLite Error"]);
        text.Should().NotContain("failed on the server", $"{tool} {argsJson}: bad input is not an internal error");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_an_error_that_says_what_is_accepted(string tool, string argsJson, string[] fragments)
    {
        var text = await ErrorText(tool, argsJson);
        ShouldBeClean(text, tool, argsJson);
        foreach (var fragment in fragments)
            text.Should().ContainEquivalentOf(fragment, $"{tool} {argsJson}: the message names what is accepted");
    }

    [Theory]
    [InlineData("get_account_scorecard", "{}", new[] { "account_id is required" })]
    [InlineData("csm_book", "{}", new[] { "csm is required" })]
    [InlineData("list_accounts", """{"limit":"abc"}""", new[] { "limit", "expected integer" })]
    [InlineData("list_accounts", """{"limit":2.5}""", new[] { "limit", "expected integer" })]
    [InlineData("list_accounts", """{"limit":99999999999}""", new[] { "limit", "expected integer" })]
    [InlineData("get_portfolio_health", """{"min_arr":"lots"}""", new[] { "min_arr", "expected number" })]
    [InlineData("get_portfolio_health", """{"min_arr":1e30}""", new[] { "min_arr", "expected number" })]
    [InlineData("get_portfolio_health", """{"segmnt":"SMB"}""", new[] { "unknown argument", "segment" })]
    [InlineData("list_accounts", """{"descending":"yes"}""", new[] { "descending", "expected boolean" })]
    public async Task An_argument_that_does_not_fit_the_schema_is_refused_saying_what_is_accepted(string tool, string args, string[] fragments)
    {
        var result = await server.Call(tool, args);
        var text = ServerFixture.Text(result);
        (result.IsError ?? false).Should().BeTrue($"{tool} {args} must be refused; it answered: {text}");
        text.Should().NotContain("   at ", $"{tool} {args}: no stack trace");
        text.Should().NotContain("An error occurred invoking", "the answer says what is accepted, not a generic failure");
        foreach (var fragment in fragments)
            text.Should().ContainEquivalentOf(fragment, $"{tool} {args}: the message names what is accepted");
    }

    [Fact]
    public async Task The_last_representable_date_is_answered_not_failed()
    {
        var id = server.Facts.Accounts[0]["id"];
        var csm = server.Facts.Accounts.First(a => a["csm"].Length > 0)["csm"];
        foreach (var (tool, args) in new[]
                 {
                     ("get_portfolio_health", J.Args()), ("list_accounts", J.Args()), ("get_account_scorecard", J.Args(("account_id", id))),
                     ("list_renewal_risks", J.Args()), ("expansion_ready_accounts", J.Args()), ("portfolio_movers", J.Args(("days", 3650))),
                     ("csm_book", J.Args(("csm", csm))),
                 })
        {
            args["as_of"] = "9999-12-31";
            var result = await server.Call(tool, args);
            var text = ServerFixture.Text(result);
            text.Should().NotContain("failed on the server", $"{tool} at 9999-12-31");
            (result.IsError ?? false).Should().BeFalse($"{tool} at 9999-12-31: {text}");
        }
    }

    [Fact]
    public async Task The_server_keeps_serving_after_every_kind_of_bad_input()
    {
        var stderrBefore = server.ServerStderr.Count;
        foreach (var row in Cases)
        {
            var (tool, args) = ((string)row[0], (string)row[1]);
            await ErrorText(tool, args);
        }
        var health = await server.Ok("get_portfolio_health");
        health.Obj("kpis").Int("account_count").Should().Be(server.Facts.ActiveAt(ServerFixture.AsOf).Count);
        var card = await server.Ok("get_account_scorecard", J.Args(("account_id", server.Facts.ActiveAt(ServerFixture.AsOf).Keys.First())));
        card.Str("as_of").Should().Be(ServerFixture.AsOfText);
        server.ServerStderr.Skip(stderrBefore).Should().NotContain(l => l.Contains("fail:", StringComparison.Ordinal) || l.Contains("crit:", StringComparison.Ordinal),
            "bad input is handled as bad input, not logged as a server failure");
    }
}
