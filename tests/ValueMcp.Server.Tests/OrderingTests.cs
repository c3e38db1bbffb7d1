using System.Text.Json.Nodes;

namespace ValueMcp.Server.Tests;

/// <summary>
/// Issue 11, "ordering a person expects", on the demo portfolio: csm_book by action priority, then renewal risk, then ARR;
/// movers worst first, each with the facts that caused its change; renewal risks, expansion accounts and segment
/// insights in the orders their descriptions state.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class OrderingTests(ServerFixture server)
{
    private static readonly string[] Actions =
    [
        "escalate_renewal_risk", "establish_value_contract", "capture_missing_evidence", "schedule_impact_review",
        "initiate_expansion_conversation", "request_advocacy", "monitor",
    ];

    private static int Risk(string risk) => Array.IndexOf(["none", "low", "medium", "high"], risk);
    private static int Band(string band) => Array.IndexOf(["on_track", "no_contract", "at_risk", "critical"], band);
    private static int Readiness(string readiness) => Array.IndexOf(["ready", "emerging", "not_ready", "blocked"], readiness);

    /// <summary>Fails with the first adjacent pair out of order.</summary>
    private static void InOrder<T>(IReadOnlyList<T> items, Comparison<T> order, Func<T, string> show, string what)
    {
        for (var i = 1; i < items.Count; i++)
            order(items[i - 1], items[i]).Should().BeLessThan(0, $"{what}: {show(items[i - 1])} must come before {show(items[i])}");
    }

    [Fact]
    public async Task Csm_book_lists_accounts_by_action_priority_then_renewal_risk_then_arr()
    {
        var csms = server.Facts.Accounts.Select(a => a["csm"]).Where(c => c.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
        var checkedPairs = 0;
        foreach (var csm in csms)
        {
            var attention = (await server.Ok("csm_book", J.Args(("csm", csm)))).Objects("needs_attention").ToList();
            InOrder(attention, (x, y) =>
            {
                var c = Array.IndexOf(Actions, x.Obj("next_action").Str("kind")).CompareTo(Array.IndexOf(Actions, y.Obj("next_action").Str("kind")));
                if (c == 0) c = Risk(y.Str("renewal_risk")).CompareTo(Risk(x.Str("renewal_risk")));
                if (c == 0) c = y.Dec("arr").CompareTo(x.Dec("arr"));
                return c != 0 ? c : string.CompareOrdinal(x.Str("id"), y.Str("id"));
            }, a => $"{a.Str("id")} ({a.Obj("next_action").Str("kind")}, risk {a.Str("renewal_risk")}, ARR {a.Dec("arr")})", $"csm_book({csm})");
            checkedPairs += Math.Max(0, attention.Count - 1);
        }
        checkedPairs.Should().BePositive();
    }

    [Theory]
    [InlineData(30)]
    [InlineData(90)]
    public async Task Movers_come_worst_first_each_with_the_facts_that_caused_the_change(int days)
    {
        var movers = (await server.Ok("portfolio_movers", J.Args(("days", days)))).Objects("movers").ToList();
        movers.Should().NotBeEmpty();
        int Move(JsonObject m, Func<string, int> rank, string field) => rank(m.Obj("after").Str(field)) - rank(m.Obj("before").Str(field));
        InOrder(movers, (x, y) =>
        {
            var c = Move(y, Risk, "risk").CompareTo(Move(x, Risk, "risk"));
            if (c == 0) c = Move(y, Band, "band").CompareTo(Move(x, Band, "band"));
            if (c == 0) c = Move(y, Readiness, "readiness").CompareTo(Move(x, Readiness, "readiness"));
            if (c == 0) c = y.Obj("account").Dec("arr").CompareTo(x.Obj("account").Dec("arr"));
            return c != 0 ? c : string.CompareOrdinal(x.Obj("account").Str("id"), y.Obj("account").Str("id"));
        }, m => $"{m.Obj("account").Str("id")} ({string.Join(", ", m.Arr("changes").Select(c => c!.GetValue<string>()))})", $"movers over {days} days");

        foreach (var m in movers)
        {
            var id = m.Obj("account").Str("id");
            m.Arr("causes").Should().NotBeEmpty($"{id} changed ({J.Short(m.Arr("changes"))}): its causes say which facts did it");
            foreach (var fell in m.Objects("outcomes_fell_behind"))
                m.Arr("causes").Select(c => c!.GetValue<string>()).Should().Contain(c => c.Contains($"[{fell.Str("id")}] fell overdue"), id);
        }
        if (days == 90)
        {
            var causes = movers.SelectMany(m => m.Arr("causes").Select(c => c!.GetValue<string>())).ToList();
            causes.Should().Contain(c => c.StartsWith("renewal entered the 90-day window: renews in ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Renewal_risks_come_highest_risk_first_then_soonest_then_largest()
    {
        var accounts = (await server.Ok("list_renewal_risks", J.Args(("limit", 200)))).Objects("accounts").ToList();
        InOrder(accounts, (x, y) =>
        {
            var c = Risk(y.Str("risk")).CompareTo(Risk(x.Str("risk")));
            if (c == 0) c = x.Int("days_to_renewal").CompareTo(y.Int("days_to_renewal"));
            if (c == 0) c = y.Dec("arr").CompareTo(x.Dec("arr"));
            return c != 0 ? c : string.CompareOrdinal(x.Str("id"), y.Str("id"));
        }, a => $"{a.Str("id")} ({a.Str("risk")}, {a.Int("days_to_renewal")} days, ARR {a.Dec("arr")})", "list_renewal_risks");
    }

    [Fact]
    public async Task Expansion_accounts_come_ready_first_then_largest()
    {
        var accounts = (await server.Ok("expansion_ready_accounts", J.Args(("include_emerging", true), ("limit", 200)))).Objects("accounts").ToList();
        InOrder(accounts, (x, y) =>
        {
            var c = Readiness(x.Str("readiness")).CompareTo(Readiness(y.Str("readiness")));
            if (c == 0) c = y.Dec("arr").CompareTo(x.Dec("arr"));
            return c != 0 ? c : string.CompareOrdinal(x.Str("id"), y.Str("id"));
        }, a => $"{a.Str("id")} ({a.Str("readiness")}, ARR {a.Dec("arr")})", "expansion_ready_accounts");
    }

    [Fact]
    public async Task Segment_insights_put_the_worst_group_of_each_kind_first()
    {
        var insights = (await server.Ok("segment_insights")).Objects("insights").ToList();
        decimal N(JsonObject i, string key) => i.Obj("numbers")[key]?.GetValue<decimal>() ?? -1m;
        foreach (var (kind, first, second) in new[]
                 {
                     ("low_fulfilment_by_segment", "share_below_threshold", "arr_below_threshold"),
                     ("low_fulfilment_by_csm", "share_below_threshold", "arr_below_threshold"),
                     ("expansion_ready_by_segment", "ready_arr", "ready_accounts"),
                     ("ttfv_breach_by_segment", "share_breaching", "arr_breaching"),
                 })
        {
            var ofKind = insights.Where(i => i.Str("kind") == kind).ToList();
            ofKind.Should().NotBeEmpty(kind);
            InOrder(ofKind, (x, y) =>
            {
                var c = N(y, first).CompareTo(N(x, first));
                if (c == 0) c = N(y, second).CompareTo(N(x, second));
                return c != 0 ? c : string.CompareOrdinal(x.Str("group"), y.Str("group"));
            }, i => $"{i.Str("group")} ({first} {N(i, first)})", kind);
        }
        insights.Where(i => i.Str("kind") == "renewal_risk_by_fulfilment_band").Select(i => i.Str("group"))
            .Should().Equal("on_track", "at_risk", "critical", "no_contract");
    }
}
