using System.Text.Json.Nodes;

namespace ValueMcp.Server.Tests;

/// <summary>get_portfolio_health and list_accounts on the demo portfolio, against figures recomputed from the CSVs.</summary>
[Collection(ServerCollection.Name)]
public sealed class PortfolioHealthTests(ServerFixture server)
{
    private static readonly string[] CardFields =
    [
        "id", "name", "segment", "tier", "csm", "arr", "fulfilment", "band", "outcomes_promised", "outcomes_evidenced",
        "outcomes_overdue", "readiness", "renewal_date", "days_to_renewal", "renewal_flag", "lifecycle_stage", "next_action",
    ];

    private static readonly string[] KpiFields =
    [
        "arr_managed", "account_count", "on_track_pct", "expansion_ready_count", "expansion_ready_arr", "arr_at_risk",
        "arr_without_value_contract", "arr_renewing_90d", "arr_renewing_180d",
    ];

    private async Task<List<JsonObject>> AllAccounts(IReadOnlyDictionary<string, object?>? filters = null)
    {
        var cards = new List<JsonObject>();
        string? cursor = null;
        int? total = null;
        for (var page = 0; page < 100; page++)
        {
            var args = new Dictionary<string, object?>(filters ?? new Dictionary<string, object?>()) { ["limit"] = 50 };
            if (cursor is not null) args["cursor"] = cursor;
            var r = await server.Ok("list_accounts", args);
            var t = r.Int("total");
            if (total is not null) t.Should().Be(total, "total stays the same from page to page");
            total = t;
            var items = r.Objects("accounts").ToList();
            items.Count.Should().BeLessThanOrEqualTo(50);
            cards.AddRange(items);
            cursor = r.OptStr("next_cursor");
            if (cursor is null) break;
            items.Should().HaveCount(50, "only the last page may be short");
        }
        cursor.Should().BeNull("paging ends");
        cards.Should().HaveCount(total!.Value, "paging returns every account of total");
        return cards;
    }

    [Fact]
    public async Task Kpis_match_the_arr_recomputed_from_the_movements()
    {
        var active = server.Facts.ActiveAt(ServerFixture.AsOf);
        active.Should().NotBeEmpty();

        var health = await server.Ok("get_portfolio_health");
        health.Str("as_of").Should().Be(ServerFixture.AsOfText);
        var kpis = health.Obj("kpis");
        kpis.Select(kv => kv.Key).Should().Contain(KpiFields);
        kpis.Int("account_count").Should().Be(active.Count, "the portfolio is the accounts with ARR above 0 at as_of");
        kpis.Dec("arr_managed").Should().Be(active.Values.Sum(), "arr_managed is the exact sum of the ARR of the active accounts");

        var list = await server.Ok("list_accounts", J.Args(("limit", 1)));
        list.Int("total").Should().Be(active.Count);
    }

    [Fact]
    public async Task Breakdowns_add_up_and_the_kpis_follow_from_them()
    {
        var health = await server.Ok("get_portfolio_health");
        var kpis = health.Obj("kpis");
        var count = kpis.Int("account_count");
        var arr = kpis.Dec("arr_managed");
        count.Should().BeGreaterThan(0);

        foreach (var breakdown in new[] { "by_band", "by_readiness", "by_renewal_flag" })
        {
            var parts = health.Obj(breakdown);
            parts.Sum(kv => kv.Value!.Int("count")).Should().Be(count, $"{breakdown} counts sum to account_count");
            parts.Sum(kv => kv.Value!.Dec("arr")).Should().Be(arr, $"{breakdown} ARR sums to arr_managed");
        }
        var bands = health.Obj("by_band");
        bands.Select(kv => kv.Key).Should().BeEquivalentTo("on_track", "at_risk", "critical", "no_contract");
        health.Obj("by_readiness").Select(kv => kv.Key).Should().BeEquivalentTo("ready", "emerging", "not_ready", "blocked");
        health.Obj("by_renewal_flag").Select(kv => kv.Key).Should().BeEquivalentTo("red", "amber", "none");

        kpis.Dec("on_track_pct").Should().Be((decimal)bands.Req("on_track").Int("count") / count);
        kpis.Dec("arr_at_risk").Should().Be(bands.Req("at_risk").Dec("arr") + bands.Req("critical").Dec("arr"));
        kpis.Dec("arr_without_value_contract").Should().Be(bands.Req("no_contract").Dec("arr"));
        kpis.Int("expansion_ready_count").Should().Be(health.Obj("by_readiness").Req("ready").Int("count"));
        kpis.Dec("expansion_ready_arr").Should().Be(health.Obj("by_readiness").Req("ready").Dec("arr"));
        kpis.Dec("arr_renewing_90d").Should().Be(health.Obj("by_renewal_flag").Req("red").Dec("arr"), "red is renewing within 90 days");
        kpis.Dec("arr_renewing_180d").Should().Be(
            health.Obj("by_renewal_flag").Req("red").Dec("arr") + health.Obj("by_renewal_flag").Req("amber").Dec("arr"));

        var segments = health.Objects("by_segment").ToList();
        segments.Sum(s => s.Obj("kpis").Int("account_count")).Should().Be(count);
        segments.Sum(s => s.Obj("kpis").Dec("arr_managed")).Should().Be(arr);
    }

    [Fact]
    public async Task Paging_list_accounts_returns_every_active_account_once_sorted_by_arr_desc_then_id()
    {
        var active = server.Facts.ActiveAt(ServerFixture.AsOf);
        var cards = await AllAccounts();

        var ids = cards.Select(c => c.Str("id")).ToList();
        ids.Should().OnlyHaveUniqueItems();
        ids.Should().BeEquivalentTo(active.Keys, "the listing is exactly the active accounts");

        for (var i = 1; i < cards.Count; i++)
        {
            var (a, b) = (cards[i - 1], cards[i]);
            var ordered = a.Dec("arr") > b.Dec("arr") ||
                          (a.Dec("arr") == b.Dec("arr") && string.CompareOrdinal(a.Str("id"), b.Str("id")) < 0);
            ordered.Should().BeTrue($"arr desc then id asc: {a.Str("id")} ({a.Dec("arr")}) before {b.Str("id")} ({b.Dec("arr")})");
        }

        foreach (var card in cards)
        {
            var id = card.Str("id");
            card.Select(kv => kv.Key).Should().Contain(CardFields, $"card {id} has the fields of tools.md");
            card.Obj("next_action").Select(kv => kv.Key).Should().Contain(["kind", "reason"]);
            card.Dec("arr").Should().Be(active[id], $"ARR of {id} recomputed from arr_movements.csv");

            var account = server.Facts.Account(id);
            var days = DemoFacts.Date(account["renewal_date"]).DayNumber - ServerFixture.AsOf.DayNumber;
            card.Int("days_to_renewal").Should().Be(days, $"days_to_renewal of {id}");
            card.Str("renewal_flag").Should().Be(days <= 90 ? "red" : days <= 180 ? "amber" : "none", $"renewal_flag of {id}");

            var outcomes = server.Facts.OutcomesOf(id, ServerFixture.AsOf);
            card.Int("outcomes_promised").Should().Be(outcomes.Count, $"outcomes promised by {id} (outcomes.csv)");
            card.Int("outcomes_evidenced").Should().Be(outcomes.Count(o => o.Evidenced), $"outcomes evidenced for {id} (evidence.csv)");
            if (outcomes.Count == 0)
            {
                card["fulfilment"].Should().BeNull($"{id} has no value contract");
                card.Str("band").Should().Be("no_contract");
            }
            else
            {
                var f = (decimal)outcomes.Count(o => o.Evidenced) / outcomes.Count;
                card.Dec("fulfilment").Should().Be(f, $"fulfilment of {id}");
                card.Str("band").Should().Be(f >= 0.70m ? "on_track" : f >= 0.40m ? "at_risk" : "critical", $"band of {id}");
            }
        }
    }

    [Fact]
    public async Task A_lower_case_segment_filter_gives_that_segments_kpis_and_by_segment_matches()
    {
        var whole = await server.Ok("get_portfolio_health");
        var segments = whole.Objects("by_segment").ToList();
        segments.Select(s => s.Str("segment")).Should().Contain("SMB");

        var smb = await server.Ok("get_portfolio_health", J.Args(("segment", "smb")));
        smb.Obj("filters").Str("segment").Should().Be("SMB", "the filter echoes the stored spelling");
        var smbRow = segments.Single(s => s.Str("segment") == "SMB");
        JsonNode.DeepEquals(smb.Obj("kpis"), smbRow.Obj("kpis")).Should().BeTrue(
            $"segment=smb KPIs {J.Short(smb.Obj("kpis"))} equal by_segment SMB {J.Short(smbRow.Obj("kpis"))}");

        var active = server.Facts.ActiveAt(ServerFixture.AsOf);
        var smbIds = server.Facts.Accounts.Where(a => string.Equals(a["segment"], "SMB", StringComparison.OrdinalIgnoreCase))
            .Select(a => a["id"]).Where(active.ContainsKey).ToList();
        smb.Obj("kpis").Int("account_count").Should().Be(smbIds.Count);
        smb.Obj("kpis").Dec("arr_managed").Should().Be(smbIds.Sum(id => active[id]));

        foreach (var row in segments.Where(s => s.Str("segment") != "SMB"))
        {
            var name = row.Str("segment");
            var filtered = await server.Ok("get_portfolio_health", J.Args(("segment", name.ToUpperInvariant())));
            JsonNode.DeepEquals(filtered.Obj("kpis"), row.Obj("kpis")).Should().BeTrue($"segment={name} KPIs equal by_segment");
        }

        var listed = await AllAccounts(J.Args(("segment", "sMb")));
        listed.Select(c => c.Str("id")).Should().BeEquivalentTo(smbIds);
    }

    [Fact]
    public async Task Filters_narrow_the_listing_consistently_with_the_health_breakdowns()
    {
        var health = await server.Ok("get_portfolio_health");
        foreach (var band in new[] { "on_track", "at_risk", "critical", "no_contract" })
        {
            var listed = await server.Ok("list_accounts", J.Args(("band", band), ("limit", 200)));
            listed.Int("total").Should().Be(health.Obj("by_band").Req(band).Int("count"), $"band={band}");
            listed.Objects("accounts").ShouldAll(c => c.Str("band") == band);
        }

        var minArr = 50_000m;
        var rich = await server.Ok("list_accounts", J.Args(("min_arr", minArr), ("limit", 200)));
        var expected = server.Facts.ActiveAt(ServerFixture.AsOf).Count(kv => kv.Value >= minArr);
        rich.Int("total").Should().Be(expected, "min_arr is inclusive");
        rich.Objects("accounts").ShouldAll(c => c.Dec("arr") >= minArr);

        var soon = await server.Ok("get_portfolio_health", J.Args(("renewal_within_days", 90)));
        soon.Obj("kpis").Dec("arr_managed").Should().Be(health.Obj("kpis").Dec("arr_renewing_90d"));
    }

    [Fact]
    public async Task Other_sort_keys_follow_their_default_directions()
    {
        var byRenewal = (await server.Ok("list_accounts", J.Args(("sort_by", "renewal_date"), ("limit", 200)))).Objects("accounts").ToList();
        byRenewal.Select(c => (c.Str("renewal_date"), c.Str("id"))).Should().BeInAscendingOrder(
            Comparer<(string, string)>.Create((x, y) =>
            {
                var c = string.CompareOrdinal(x.Item1, y.Item1);
                return c != 0 ? c : string.CompareOrdinal(x.Item2, y.Item2);
            }));

        var byFulfilment = (await server.Ok("list_accounts", J.Args(("sort_by", "fulfilment"), ("descending", true), ("limit", 200))))
            .Objects("accounts").ToList();
        var firstNoContract = byFulfilment.FindIndex(c => c["fulfilment"] is null);
        if (firstNoContract >= 0)
            byFulfilment.Skip(firstNoContract).ShouldAll(c => c["fulfilment"] == null, "no_contract stays last, descending too");
        byFulfilment.Where(c => c["fulfilment"] is not null).Select(c => c.Dec("fulfilment")).Should().BeInDescendingOrder();
    }
}
