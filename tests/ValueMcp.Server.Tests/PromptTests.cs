using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ValueMcp.Server.App;

namespace ValueMcp.Server.Tests;

/// <summary>The three workflow prompts, listed and rendered with arguments through a real McpClient.</summary>
[Collection(ServerCollection.Name)]
public sealed class PromptTests(ServerFixture server)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    private async Task<string> Render(string prompt, params (string Key, object? Value)[] args)
    {
        var result = await server.Client.GetPromptAsync(prompt, J.Args(args), cancellationToken: Timeout);
        result.Messages.Should().NotBeEmpty();
        result.Messages.Should().OnlyContain(m => m.Role == Role.User);
        return string.Join("\n", result.Messages.Select(m => m.Content).OfType<TextContentBlock>().Select(t => t.Text));
    }

    [Fact]
    public async Task The_three_prompts_are_listed_with_described_arguments()
    {
        var prompts = (await server.Client.ListPromptsAsync(cancellationToken: Timeout)).ToDictionary(p => p.Name);

        prompts.Keys.Should().Contain(["board_prep_summary", "csm_coaching", "weekly_at_risk_review", "forecast_review"]);
        var args = prompts.ToDictionary(p => p.Key, p => p.Value.ProtocolPrompt.Arguments ?? []);
        args["board_prep_summary"].Select(a => a.Name).Should().BeEquivalentTo("as_of", "period");
        args["csm_coaching"].Should().Contain(a => a.Name == "csm" && a.Required == true);
        args["weekly_at_risk_review"].Should().Contain(a => a.Name == "days" && a.Required != true);
        args["forecast_review"].Select(a => a.Name).Should().BeEquivalentTo("as_of", "period");
        foreach (var p in prompts.Values)
        {
            p.Description.Should().NotBeNullOrWhiteSpace();
            p.ProtocolPrompt.Title.Should().NotBeNullOrWhiteSpace();
            (p.ProtocolPrompt.Arguments ?? []).Should().OnlyContain(a => !string.IsNullOrWhiteSpace(a.Description));
        }
    }

    [Fact]
    public async Task Draft_value_contract_asks_for_confirmation_refuses_vague_promises_and_offers_measured_baselines()
    {
        const string notes = "- Cut forecast cycle time from 12 to 7 days by 2027-06-30\n- Improve execution across the sales team\n- Better visibility for leadership";
        var text = await Render("draft_value_contract", ("account_id", "ACC-0001"), ("notes", notes));

        text.Should().Contain("ACC-0001");
        text.Should().Contain("add_promised_outcome").And.Contain("Only after the user confirms").And.Contain("Never call it for a draft the user has not confirmed");
        text.Should().Contain("Refuse a vague promise");
        // The lines without a figure are named; the measurable one is not among them.
        var vague = text[text.IndexOf("Note lines with no figure", StringComparison.Ordinal)..text.IndexOf("Deal notes:", StringComparison.Ordinal)];
        vague.Should().Contain("\"Improve execution across the sales team\"").And.Contain("\"Better visibility for leadership\"");
        vague.Should().NotContain("forecast cycle time");
        // The demo measures ACC-0001's usage: its metrics are offered as baselines with their latest reading.
        text.Should().Contain("Metrics measured for the account (latest reading, a ready baseline):").And.Contain("- crm_data_completeness: ");
        text.Should().Contain(notes.Split('\n')[0].TrimStart('-', ' '));
    }

    [Fact]
    public async Task Draft_value_contract_refuses_an_unknown_account_and_empty_notes_saying_what_is_accepted()
    {
        var unknown = async () => await Render("draft_value_contract", ("account_id", "NOPE"), ("notes", "Cut cycle time by 40%"));
        (await unknown.Should().ThrowAsync<McpException>()).Which.Message.Should().Contain("unknown account");
        var empty = async () => await Render("draft_value_contract", ("account_id", "ACC-0001"), ("notes", "  "));
        (await empty.Should().ThrowAsync<McpException>()).Which.Message.Should().Contain("notes: required");
    }

    [Fact]
    public async Task Board_prep_names_the_tools_and_embeds_the_current_figures()
    {
        var text = await Render("board_prep_summary", ("as_of", ServerFixture.AsOfText), ("period", "2026-Q3"));

        text.Should().Contain("2026-Q3");
        foreach (var tool in new[] { "get_portfolio_health", "retention_metrics", "renewal_forecast", "list_renewal_risks", "expansion_ready_accounts" })
            text.Should().Contain(tool);
        text.Should().Contain("\"period_start\": \"2026-07-01\", \"period_end\": \"2026-10-01\"");

        // The figures embedded are those the tools return.
        var retention = await server.Ok("retention_metrics", J.Args(("period_start", "2026-07-01"), ("period_end", "2026-10-01")));
        text.Should().Contain($"NRR {Text.Ratio(retention.Obj("total").Dec("nrr"))}");
        var health = await server.Ok("get_portfolio_health");
        text.Should().Contain($"ARR managed {Text.Money(health.Obj("kpis").Dec("arr_managed"))}");
        text.Should().Contain("downside").And.Contain("upside");
    }

    [Theory]
    [InlineData("board_prep_summary")]
    [InlineData("weekly_at_risk_review")]
    public async Task What_moves_the_range_is_the_forecasts_movers_and_the_lowest_probabilities_have_their_own_label(string prompt)
    {
        var text = await Render(prompt, ("as_of", ServerFixture.AsOfText));
        var (start, end) = Report.BoardFigures.RenewalWindow(ServerFixture.AsOf, Report.BoardFigures.LookAheadDays);
        var forecast = await server.Ok("renewal_forecast", J.Args(("period_start", Text.Date(start)), ("period_end", Text.Date(end)), ("limit", 5), ("as_of", ServerFixture.AsOfText)));
        var movers = forecast.Objects("movers").ToList();
        movers.Should().NotBeEmpty("the demo's renewal window has exposed and high-risk renewals");

        // Under "What moves the range": the tool's movers, in its order, each with its swing; nothing else.
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var head = lines.FindIndex(l => l.StartsWith("  What moves the range", StringComparison.Ordinal));
        head.Should().BeGreaterThan(0, text);
        var listed = lines.Skip(head + 1).TakeWhile(l => l.StartsWith("  - ", StringComparison.Ordinal)).ToList();
        listed.Should().HaveCount(movers.Count);
        for (var i = 0; i < movers.Count; i++)
            listed[i].Should().StartWith($"  - {movers[i].Str("name")} [{movers[i].Str("id")}]").And.Contain($"moves {Text.Money(movers[i].Dec("swing"))}");

        // The lowest probabilities follow under their own label, not as what moves the range.
        var low = lines.FindIndex(l => l == "  Lowest renewal probabilities:");
        low.Should().BeGreaterThan(head);
        var lowest = lines.Skip(low + 1).TakeWhile(l => l.StartsWith("  - ", StringComparison.Ordinal)).ToList();
        var accounts = forecast.Objects("accounts").ToList();
        lowest.Should().HaveCount(accounts.Count);
        for (var i = 0; i < accounts.Count; i++)
            lowest[i].Should().StartWith($"  - {accounts[i].Str("name")} [{accounts[i].Str("id")}]").And.Contain($"probability {Text.Frac(accounts[i].Dec("probability"))}");
        text.Should().NotContain("(what moves the range)");
    }

    [Fact]
    public async Task Board_prep_defaults_to_the_last_full_quarter_and_accepts_years_and_ranges()
    {
        (await Render("board_prep_summary", ("as_of", ServerFixture.AsOfText))).Should().Contain("for 2026-Q3 (movements dated 2026-07-01 to 2026-09-30)");
        (await Render("board_prep_summary", ("as_of", ServerFixture.AsOfText), ("period", "2025"))).Should().Contain("\"period_start\": \"2025-01-01\", \"period_end\": \"2026-01-01\"");
        (await Render("board_prep_summary", ("as_of", ServerFixture.AsOfText), ("period", "2026-02-01..2026-05-01"))).Should().Contain("2026-02-01..2026-05-01");
    }

    [Fact]
    public async Task Csm_coaching_embeds_the_book_of_that_csm()
    {
        var csm = server.Facts.Accounts.Select(a => a["csm"]).First(c => c.Length > 0);
        var text = await Render("csm_coaching", ("csm", csm.ToUpperInvariant()), ("as_of", ServerFixture.AsOfText));

        text.Should().Contain($"coaching conversation with {csm}");
        text.Should().Contain($"csm_book {{\"csm\": \"{csm}\"}}");
        var book = await server.Ok("csm_book", J.Args(("csm", csm)));
        text.Should().Contain($"{book.Obj("kpis").Int("account_count")} accounts, ARR managed {Text.Money(book.Obj("kpis").Dec("arr_managed"))}");
        foreach (var a in book.Objects("needs_attention").Take(3)) text.Should().Contain(a.Str("id"));
    }

    [Fact]
    public async Task Weekly_review_embeds_the_movers_and_the_risks()
    {
        var text = await Render("weekly_at_risk_review", ("days", "14"), ("as_of", ServerFixture.AsOfText));

        text.Should().Contain("portfolio_movers {\"days\": 14}");
        var movers = await server.Ok("portfolio_movers", J.Args(("days", 14)));
        text.Should().Contain($"Movers since {movers.Str("since")}: {movers.Int("total")}");
        var risks = await server.Ok("list_renewal_risks", J.Args(("within_days", 90), ("min_risk", "medium"), ("limit", 10)));
        foreach (var a in risks.Objects("accounts")) text.Should().Contain(a.Str("id"));

        (await Render("weekly_at_risk_review", ("as_of", ServerFixture.AsOfText))).Should().Contain("(7 days)");
    }

    [Fact]
    public async Task Forecast_review_names_the_tools_and_embeds_the_figures_forecast_accuracy_and_renewal_forecast_give()
    {
        var text = await Render("forecast_review", ("as_of", ServerFixture.AsOfText));

        text.Should().Contain("renewals dated in 2026-Q3 (2026-07-01 to 2026-09-30)", "the last full quarter before as_of by default");
        text.Should().Contain("forecast_accuracy {\"period_start\": \"2026-07-01\", \"period_end\": \"2026-10-01\", \"group_by\": \"segment\"}");
        text.Should().Contain("\"probabilities\": \"measured\"");

        var accuracy = await server.Ok("forecast_accuracy", J.Args(("period_start", "2026-07-01"), ("period_end", "2026-10-01"), ("group_by", "segment"), ("as_of", ServerFixture.AsOfText)));
        var o = accuracy.Obj("overall");
        o.Int("count").Should().BeGreaterThan(0, "the demo has renewals decided in 2026-Q3");
        text.Should().Contain($"- Overall: {o.Int("count")} renewals ({o.Int("renewed")} renewed");
        text.Should().Contain($"Brier {Math.Round(o.Dec("brier"), 4).ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)}");
        text.Should().Contain($"- Misses: {accuracy.Int("miss_count")} ");
        foreach (var g in accuracy.Objects("groups"))
            text.Should().Contain($"- Segment {g.Str("group")}: {g.Int("count")} renewals");

        var measured = await server.Ok("renewal_forecast", J.Args(("period_start", ServerFixture.AsOfText), ("period_end", "2027-02-22"), ("probabilities", "measured"), ("as_of", ServerFixture.AsOfText)));
        text.Should().Contain($"with the measured table downside {Text.Money(measured.Dec("downside"))}, base {Text.Money(measured.Dec("base"))}, upside {Text.Money(measured.Dec("upside"))}");
        text.Should().Contain($"- Measured table: {measured.Str("probabilities")}.");
    }

    [Theory]
    [InlineData("csm_coaching", "csm", "Nobody Atall", "known values")]
    [InlineData("board_prep_summary", "period", "2026-Q5", "accepted: a quarter (2026-Q1)")]
    [InlineData("board_prep_summary", "period", "2027", "starts after as_of")]
    [InlineData("weekly_at_risk_review", "days", "0", "accepted: a whole number of days from 1 to 90")]
    [InlineData("forecast_review", "period", "Q3", "accepted: a quarter (2026-Q1)")]
    [InlineData("forecast_review", "period", "2027-Q1", "starts after as_of")]
    [InlineData("forecast_review", "as_of", "soon", "not a date")]
    [InlineData("weekly_at_risk_review", "as_of", "yesterday", "not a date")]
    public async Task Bad_arguments_are_an_mcp_error_that_says_what_is_accepted(string prompt, string name, string value, string expected)
    {
        var args = new List<(string, object?)> { (name, value) };
        if (name != "as_of") args.Add(("as_of", ServerFixture.AsOfText));
        var act = () => Render(prompt, [.. args]);
        (await act.Should().ThrowAsync<McpException>()).Which.Message.Should().Contain(expected);
    }
}

public sealed class PeriodsTests
{
    [Theory]
    [InlineData("2026-Q1", "2026-01-01", "2026-04-01")]
    [InlineData("2026-q4", "2026-10-01", "2027-01-01")]
    [InlineData("2026", "2026-01-01", "2027-01-01")]
    [InlineData(" 2026-01-15..2026-02-15 ", "2026-01-15", "2026-02-15")]
    public void Parses_quarters_years_and_ranges(string text, string start, string end)
    {
        var p = Periods.Parse(text, "period");
        p.Start.Should().Be(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture));
        p.End.Should().Be(DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("2026-11-24", "2026-Q3")]
    [InlineData("2026-09-30", "2026-Q3")]
    [InlineData("2026-09-29", "2026-Q2")]
    [InlineData("2026-02-10", "2025-Q4")]
    public void The_last_full_quarter(string asOf, string label) =>
        Periods.LastFullQuarter(DateOnly.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture)).Label.Should().Be(label);

    [Theory]
    [InlineData("Q1 2026")]
    [InlineData("2026-04-01..2026-01-01")]
    [InlineData("2026-01-01..")]
    public void Refuses_anything_else(string text)
    {
        var act = () => Periods.Parse(text, "period");
        act.Should().Throw<InputException>();
    }

}
