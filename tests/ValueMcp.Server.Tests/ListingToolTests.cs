using System.Text.Json.Nodes;

namespace ValueMcp.Server.Tests;

/// <summary>list_renewal_risks, expansion_ready_accounts, portfolio_movers and csm_book on the demo portfolio.</summary>
[Collection(ServerCollection.Name)]
public sealed class ListingToolTests(ServerFixture server)
{
    private static int RiskRank(string risk) => risk switch
    {
        "high" => 3,
        "medium" => 2,
        "low" => 1,
        "none" => 0,
        _ => throw new InvalidOperationException($"unknown risk {risk}"),
    };

    [Theory]
    [InlineData(180, "low")]
    [InlineData(90, "medium")]
    [InlineData(365, "high")]
    public async Task Renewal_risks_stay_in_the_window_and_above_min_risk_and_the_arr_by_risk_adds_up(int within, string minRisk)
    {
        var r = await server.Ok("list_renewal_risks", J.Args(("within_days", within), ("min_risk", minRisk), ("limit", 200)));
        r.Int("within_days").Should().Be(within);
        var accounts = r.Objects("accounts").ToList();
        accounts.Should().HaveCount(r.Int("total"), "limit 200 shows every listed account of the demo");
        foreach (var a in accounts)
        {
            var id = a.Str("id");
            a.Int("days_to_renewal").Should().BeLessThanOrEqualTo(within, $"{id} renews within {within} days");
            RiskRank(a.Str("risk")).Should().BeGreaterThanOrEqualTo(RiskRank(minRisk), $"{id} risk {a.Str("risk")} >= {minRisk}");
            a.Str("risk_reasons").Should().NotBeNullOrWhiteSpace();
        }
        accounts.Select(a => RiskRank(a.Str("risk"))).Should().BeInDescendingOrder("highest risk first");

        var byRisk = r.Obj("arr_by_risk");
        var health = await server.Ok("get_portfolio_health", J.Args(("renewal_within_days", Math.Min(within, 180))));
        if (within <= 180)
        {
            // Within 180 days every account has a risk of at least low, so the three levels cover the window.
            (byRisk.Dec("high") + byRisk.Dec("medium") + byRisk.Dec("low")).Should().Be(health.Obj("kpis").Dec("arr_managed"),
                "arr_by_risk covers the ARR renewing in the window");
        }
        foreach (var level in new[] { "high", "medium", "low" }.Where(l => RiskRank(l) >= RiskRank(minRisk)))
            byRisk.Dec(level).Should().Be(accounts.Where(a => a.Str("risk") == level).Sum(a => a.Dec("arr")),
                $"arr_by_risk.{level} sums the ARR of the {level}-risk accounts listed");
    }

    [Fact]
    public async Task Renewal_risks_beyond_180_days_are_none()
    {
        var r = await server.Ok("list_renewal_risks", J.Args(("within_days", 3650), ("limit", 200)));
        r.Objects("accounts").Should().NotBeEmpty();
        r.Objects("accounts").ShouldAll(a => a.Int("days_to_renewal") <= 180,
            "domain.md: beyond 180 days the renewal risk is none, whatever else is true");
    }

    [Fact]
    public async Task Expansion_ready_accounts_are_ready_and_their_arr_matches_portfolio_health()
    {
        var health = await server.Ok("get_portfolio_health");
        var r = await server.Ok("expansion_ready_accounts", J.Args(("limit", 200)));
        var accounts = r.Objects("accounts").ToList();
        accounts.Should().NotBeEmpty("the demo has expansion-ready accounts");
        accounts.ShouldAll(a => a.Str("readiness") == "ready");
        accounts.ShouldAll(a => a.OptStr("lane") != null && a.Str("timing").Length > 0 && a.Str("lane_reasons").Length > 0);
        r.Dec("expansion_ready_arr").Should().Be(health.Obj("kpis").Dec("expansion_ready_arr"));
        r.Int("total").Should().Be(health.Obj("kpis").Int("expansion_ready_count"));
        accounts.Sum(a => a.Dec("arr")).Should().Be(r.Dec("expansion_ready_arr"));
        accounts.Select(a => a.Dec("arr")).Should().BeInDescendingOrder();

        var withEmerging = await server.Ok("expansion_ready_accounts", J.Args(("include_emerging", true), ("limit", 200)));
        var listed = withEmerging.Objects("accounts").ToList();
        listed.ShouldAll(a => a.Str("readiness") == "ready" || a.Str("readiness") == "emerging");
        withEmerging.Int("total").Should().Be(health.Obj("by_readiness").Req("ready").Int("count") + health.Obj("by_readiness").Req("emerging").Int("count"));
        withEmerging.Dec("expansion_ready_arr").Should().Be(r.Dec("expansion_ready_arr"));
        withEmerging.Dec("emerging_arr").Should().Be(health.Obj("by_readiness").Req("emerging").Dec("arr"));
    }

    [Fact]
    public async Task Movers_over_30_days_each_changed_between_before_and_after()
    {
        var r = await server.Ok("portfolio_movers", J.Args(("days", 30)));
        r.Str("since").Should().Be(ServerFixture.AsOf.AddDays(-30).ToString("yyyy-MM-dd"));
        var movers = r.Objects("movers").ToList();
        movers.Should().HaveCount(r.Int("total"));
        movers.Should().NotBeEmpty("the demo has movers over a month");
        var active = server.Facts.ActiveAt(ServerFixture.AsOf);
        var since = ServerFixture.AsOf.AddDays(-30);
        foreach (var m in movers)
        {
            var account = m.Obj("account");
            var id = account.Str("id");
            active.Should().ContainKey(id, "movers are active at as_of");
            JsonNode.DeepEquals(m.Obj("before"), m.Obj("after")).Should().BeFalse(
                $"{id} is a mover: before {J.Short(m.Obj("before"))} differs from after {J.Short(m.Obj("after"))}");
            m.Obj("after").Str("band").Should().Be(account.Str("band"));
            m.Obj("after").Str("readiness").Should().Be(account.Str("readiness"));
            var expectedSignals = server.Facts.Signals
                .Where(s => s["account_id"] == id && DemoFacts.Date(s["observed_at"]) > since && DemoFacts.Date(s["observed_at"]) <= ServerFixture.AsOf)
                .Select(s => s["id"]);
            m.Objects("new_signals").Select(s => s.Str("id")).Should().BeEquivalentTo(expectedSignals,
                $"{id}: new_signals are its signals observed after since and on or before as_of");
            m.Req("outcomes_fell_behind").Should().BeOfType<JsonArray>();
        }

        var bySince = await server.Ok("portfolio_movers", J.Args(("since", since.ToString("yyyy-MM-dd"))));
        JsonNode.DeepEquals(bySince.Arr("movers"), r.Arr("movers")).Should().BeTrue("since = as_of - 30 is the same as days 30");
    }

    [Fact]
    public async Task Csm_book_kpis_equal_portfolio_health_filtered_by_that_csm()
    {
        var active = server.Facts.ActiveAt(ServerFixture.AsOf);
        var csms = server.Facts.Accounts.Where(a => active.ContainsKey(a["id"])).Select(a => a["csm"])
            .Where(c => c.Length > 0).Distinct().Order(StringComparer.Ordinal).Take(2).ToList();
        csms.Should().NotBeEmpty();
        foreach (var csm in csms)
        {
            var book = await server.Ok("csm_book", J.Args(("csm", csm.ToLowerInvariant())));
            book.Str("csm").Should().Be(csm);
            var health = await server.Ok("get_portfolio_health", J.Args(("csm", csm)));
            JsonNode.DeepEquals(book.Obj("kpis"), health.Obj("kpis")).Should().BeTrue(
                $"csm_book({csm}) KPIs {J.Short(book.Obj("kpis"))} equal get_portfolio_health(csm) {J.Short(health.Obj("kpis"))}");

            var expectedIds = server.Facts.Accounts.Where(a => a["csm"] == csm && active.ContainsKey(a["id"])).Select(a => a["id"]).ToList();
            book.Obj("kpis").Int("account_count").Should().Be(expectedIds.Count);
            book.Obj("kpis").Dec("arr_managed").Should().Be(expectedIds.Sum(id => active[id]));

            var attention = book.Objects("needs_attention").ToList();
            attention.ShouldAll(a => a.Str("csm") == csm && a.Obj("next_action").Str("kind") != "monitor");
            attention.Select(a => a.Str("id")).Should().OnlyHaveUniqueItems();

            var distribution = book.Objects("fulfilment_distribution").ToList();
            distribution.Sum(b => b.Int("count")).Should().Be(expectedIds.Count, "the fulfilment distribution covers the book");
            distribution.Sum(b => b.Dec("arr")).Should().Be(book.Obj("kpis").Dec("arr_managed"));
            book.Obj("by_band").Sum(kv => kv.Value!.Int("count")).Should().Be(expectedIds.Count);
        }
    }

    [Fact]
    public async Task Every_read_tool_renders_a_non_empty_text()
    {
        var id = (await server.Ok("list_accounts", J.Args(("limit", 1)))).Objects("accounts").Single().Str("id");
        var csm = server.Facts.Accounts.First(a => a["csm"].Length > 0)["csm"];
        (string Tool, Dictionary<string, object?> Args)[] calls =
        [
            ("get_portfolio_health", J.Args()),
            ("list_accounts", J.Args(("limit", 3))),
            ("get_account_scorecard", J.Args(("account_id", id))),
            ("list_renewal_risks", J.Args()),
            ("expansion_ready_accounts", J.Args()),
            ("portfolio_movers", J.Args(("days", 30))),
            ("csm_book", J.Args(("csm", csm))),
        ];
        foreach (var (tool, args) in calls)
        {
            var result = await server.Call(tool, args);
            (result.IsError ?? false).Should().BeFalse($"{tool}: {ServerFixture.Text(result)}");
            var text = ServerFixture.Text(result);
            text.Should().NotBeNullOrWhiteSpace($"{tool} renders a text");
            text.Should().Contain(ServerFixture.AsOfText, $"{tool}'s text names the as_of date");
        }
    }
}
