using System.Text.Json.Nodes;
using ModelContextProtocol.Client;

namespace ValueMcp.Server.Tests;

/// <summary>
/// retention_metrics, renewal_forecast, model_expansion_scenario and segment_insights on the demo portfolio, over a
/// real McpClient; retention against an independent replay of the CSV ledger. Read-only: nothing here writes.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AnalyticsToolTests(ServerFixture server)
{
    public static readonly string[] AnalyticsTools = ["retention_metrics", "renewal_forecast", "forecast_accuracy", "model_expansion_scenario", "segment_insights"];

    private const string Q3Start = "2026-07-01";
    private const string Q3End = "2026-10-01";

    [Fact]
    public async Task The_analytics_tools_are_listed_read_only_with_an_as_of_and_an_output_schema()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var tools = (await server.Client.ListToolsAsync(cancellationToken: cts.Token)).ToDictionary(t => t.Name);
        foreach (var name in AnalyticsTools)
        {
            tools.Should().ContainKey(name);
            var t = tools[name].ProtocolTool;
            t.Annotations!.ReadOnlyHint.Should().BeTrue(name);
            t.Annotations.IdempotentHint.Should().BeTrue(name);
            t.Annotations.DestructiveHint.Should().BeFalse(name);
            t.Annotations.OpenWorldHint.Should().BeFalse(name);
            t.OutputSchema.Should().NotBeNull(name);
            t.InputSchema.GetProperty("properties").TryGetProperty("as_of", out _).Should().BeTrue(name);
        }
    }

    /// <summary>Retention recomputed from the CSVs, independently of Store and Scoring: (S, E, C, X, logos, retained) per segment.</summary>
    private Dictionary<string, (decimal S, decimal E, decimal C, decimal X, int Logos, int Retained)> Replay(DateOnly start, DateOnly end)
    {
        static int Order(string kind) => kind switch { "new" => 0, "expansion" => 1, "contraction" => 2, _ => 3 };
        var segmentOf = server.Facts.Accounts.ToDictionary(a => a["id"], a => a["segment"]);
        var result = new Dictionary<string, (decimal S, decimal E, decimal C, decimal X, int Logos, int Retained)>();
        foreach (var account in server.Facts.Movements
                     .Select((m, i) => (m, i, date: DemoFacts.Date(m["effective_date"]), order: Order(m["kind"].Trim())))
                     .Where(x => x.date < end)
                     .GroupBy(x => x.m["account_id"]))
        {
            decimal arr = 0m, s = 0m, e = 0m, c = 0m, x = 0m;
            var started = false;
            foreach (var (m, _, date, order) in account.OrderBy(x => x.date).ThenBy(x => x.order).ThenBy(x => x.i))
            {
                if (date >= start && !started) { s = arr; started = true; }
                var amount = m["amount"].Trim().Length == 0 ? 0m : DemoFacts.Dec(m["amount"]);
                var cohort = started && s > 0m;
                switch (order)
                {
                    case 0: arr += amount; break;
                    case 1: arr += amount; if (cohort) e += amount; break;
                    case 2: arr -= amount; if (cohort) c += amount; break;
                    default: if (cohort) x += arr; arr = 0m; break;
                }
            }
            if (!started) s = arr;
            if (s <= 0m) continue;
            var key = segmentOf[account.Key];
            var t = result.GetValueOrDefault(key);
            result[key] = (t.S + s, t.E + e, t.C + c, t.X + x, t.Logos + 1, t.Retained + (arr > 0m ? 1 : 0));
        }
        return result;
    }

    private static void ShouldMatch(JsonObject row, (decimal S, decimal E, decimal C, decimal X, int Logos, int Retained) r, string group)
    {
        row.Dec("starting_arr").Should().Be(r.S, group);
        row.Dec("expansion").Should().Be(r.E, group);
        row.Dec("contraction").Should().Be(r.C, group);
        row.Dec("churn").Should().Be(r.X, group);
        row.Int("logos_start").Should().Be(r.Logos, group);
        row.Int("logos_retained").Should().Be(r.Retained, group);
        row.Dec("ending_arr").Should().Be(r.S + r.E - r.C - r.X, group);
        row.Dec("nrr").Should().Be((r.S + r.E - r.C - r.X) / r.S, group);
        row.Dec("grr").Should().Be(Math.Min(1m, (r.S - r.C - r.X) / r.S), group);
        row.Dec("logo_retention").Should().Be((decimal)r.Retained / r.Logos, group);
    }

    [Fact]
    public async Task Retention_by_segment_matches_an_independent_replay_of_the_ledger()
    {
        var expected = Replay(DemoFacts.Date(Q3Start), DemoFacts.Date(Q3End));
        expected.Should().NotBeEmpty();

        var r = await server.Ok("retention_metrics", J.Args(("period_start", Q3Start), ("period_end", Q3End), ("group_by", "segment")));

        r.Str("group_by").Should().Be("segment");
        r.Str("measured_through").Should().Be("2026-09-30");
        r.Req("complete").GetValue<bool>().Should().BeTrue();
        var rows = r.Objects("rows").ToDictionary(o => o.Str("group"));
        rows.Keys.Should().BeEquivalentTo(expected.Keys);
        foreach (var (segment, e) in expected) ShouldMatch(rows[segment], e, segment);

        var total = expected.Values.Aggregate((a, b) => (a.S + b.S, a.E + b.E, a.C + b.C, a.X + b.X, a.Logos + b.Logos, a.Retained + b.Retained));
        ShouldMatch(r.Obj("total"), total, "total");
        r.Obj("total").Obj("expansion_by_lane").Sum(kv => kv.Value!.GetValue<decimal>()).Should().Be(total.E, "lanes split the expansion");
        r.Obj("definitions").Should().ContainKey("nrr");
        r.Arr("benchmarks").Should().NotBeEmpty();
    }

    [Fact]
    public async Task Cohort_rows_are_labelled_by_contract_start_and_add_up_to_the_total()
    {
        foreach (var (groupBy, pattern) in new[] { ("cohort_year", @"^\d{4}$"), ("cohort_quarter", @"^\d{4}-Q[1-4]$") })
        {
            var r = await server.Ok("retention_metrics", J.Args(("period_start", "2026-01-01"), ("period_end", "2026-07-01"), ("group_by", groupBy)));
            var rows = r.Objects("rows").ToList();
            rows.Should().NotBeEmpty();
            rows.ShouldAll(row => System.Text.RegularExpressions.Regex.IsMatch(row.Str("group"), pattern), groupBy);
            rows.Select(row => row.Str("group")).Should().BeInAscendingOrder(StringComparer.Ordinal);
            rows.Sum(row => row.Dec("starting_arr")).Should().Be(r.Obj("total").Dec("starting_arr"));
            rows.Sum(row => row.Dec("churn")).Should().Be(r.Obj("total").Dec("churn"));
            rows.Sum(row => row.Int("logos_start")).Should().Be(r.Obj("total").Int("logos_start"));
        }
    }

    [Fact]
    public async Task A_period_not_ended_at_as_of_is_measured_to_date()
    {
        var r = await server.Ok("retention_metrics", J.Args(("period_start", "2026-10-01"), ("period_end", "2027-01-01")));
        r.Req("complete").GetValue<bool>().Should().BeFalse();
        r.Str("measured_through").Should().Be(ServerFixture.AsOfText);
        var expected = Replay(new DateOnly(2026, 10, 1), ServerFixture.AsOf.AddDays(1));
        r.Obj("total").Dec("starting_arr").Should().Be(expected.Values.Sum(v => v.S));
        r.Obj("total").Dec("churn").Should().Be(expected.Values.Sum(v => v.X));
        r.Rows().Should().ContainSingle().Which.Str("group").Should().Be("all");
    }

    [Fact]
    public async Task Renewal_forecast_ranges_are_monotone_and_add_up_over_the_renewals_in_the_window()
    {
        var start = ServerFixture.AsOf.AddDays(-90);
        var end = ServerFixture.AsOf.AddDays(181);
        var f = await server.Ok("renewal_forecast", J.Args(("period_start", $"{start:yyyy-MM-dd}"), ("period_end", $"{end:yyyy-MM-dd}")));

        var accounts = f.Objects("accounts").ToList();
        accounts.Should().HaveCount(f.Int("total"));
        accounts.Should().NotBeEmpty();
        var active = server.Facts.ActiveAt(ServerFixture.AsOf);
        var due = server.Facts.Accounts
            .Where(a => active.ContainsKey(a["id"]))
            .Where(a => DemoFacts.Date(a["renewal_date"]) >= start && DemoFacts.Date(a["renewal_date"]) < end)
            .Select(a => a["id"]).ToHashSet();
        accounts.Select(a => a.Str("id")).Should().BeEquivalentTo(due, "renewals dated in [period_start, period_end) of the active accounts");

        f.Dec("arr_due").Should().Be(accounts.Sum(a => a.Dec("arr")));
        f.Dec("arr_due").Should().Be(due.Sum(id => active[id]));
        f.Dec("downside").Should().Be(accounts.Sum(a => a.Dec("downside")));
        f.Dec("base").Should().Be(accounts.Sum(a => a.Dec("base")));
        f.Dec("upside").Should().Be(accounts.Sum(a => a.Dec("upside")));
        f.Dec("downside").Should().BeLessThanOrEqualTo(f.Dec("base"));
        f.Dec("base").Should().BeLessThanOrEqualTo(f.Dec("upside"));
        f.Dec("upside").Should().BeLessThanOrEqualTo(f.Dec("arr_due"));
        foreach (var a in accounts)
        {
            a.Dec("base").Should().Be(a.Dec("arr") * a.Dec("probability"));
            a.Dec("downside_probability").Should().BeLessThanOrEqualTo(a.Dec("probability"));
            a.Dec("probability").Should().BeLessThanOrEqualTo(a.Dec("upside_probability"));
            a.Str("reason").Should().StartWith("risk ");
            a.Str("scenario_note").Should().StartWith(a.Str("scenario_role"));
        }
        accounts.Select(a => a.Dec("probability")).Should().BeInAscendingOrder();
        f.Obj("probability_table").Obj("base_by_risk").Dec("high").Should().Be(0.40m);
        f.Obj("by_scenario_role").Sum(kv => kv.Value!.Int("count")).Should().Be(f.Int("total"));
    }

    [Fact]
    public async Task Renewal_forecast_filters_and_limits_without_changing_the_totals()
    {
        var args = J.Args(("period_start", "2026-08-01"), ("period_end", "2027-06-01"), ("segment", "smb"));
        var all = await server.Ok("renewal_forecast", args);
        all.Objects("accounts").ShouldAll(a => a.Str("segment") == "SMB");
        all.Obj("filters").Str("segment").Should().Be("SMB");

        args["limit"] = 2;
        var limited = await server.Ok("renewal_forecast", args);
        limited.Arr("accounts").Count.Should().BeLessThanOrEqualTo(2);
        limited.Dec("base").Should().Be(all.Dec("base"), "the totals cover every account, listed or not");
        limited.Int("total").Should().Be(all.Int("total"));
    }

    [Fact]
    public async Task The_scenario_model_reproduces_the_seed_example()
    {
        var s = await server.Ok("model_expansion_scenario",
            J.Args(("customers", 100), ("acv", 65000), ("renewal_rate", 0.85),
                ("lanes", new[] { new Dictionary<string, object> { ["lane"] = "modules", ["attach_rate"] = 0.35, ["avg_value"] = 42000 } })));

        s.Dec("funnel_product").Should().Be(0.5072m);
        s.Dec("funnel_product_exact").Should().Be(0.507195m);
        var y1 = s.Objects("years").First();
        y1.Dec("arr_start").Should().Be(6_500_000m);
        y1.Dec("churn").Should().Be(975_000m);
        y1.Dec("expansion").Should().Be(1_249_500m);
        y1.Dec("arr_end").Should().Be(6_774_500m);
        Math.Round(y1.Dec("nrr"), 4).Should().Be(1.0422m);
        s.Arr("years").Should().HaveCount(3);
        s.Objects("years").ElementAt(2).Dec("customers_start").Should().Be(72.25m);
        s.Obj("sensitivity").Dec("value_per_year").Should().Be(650_000m);
        s.Obj("assumptions").Objects("sources").Should().Contain(a => a.Str("name") == "customers" && a.Str("source") == "given");
        ServerFixture.Text(await server.Call("model_expansion_scenario", J.Args(("customers", 100), ("acv", 65000))))
            .Should().Contain("NRR 85.0%").And.Contain("650,000");
    }

    [Fact]
    public async Task From_portfolio_measures_the_rates_on_the_demo()
    {
        var active = server.Facts.ActiveAt(ServerFixture.AsOf);
        var s = await server.Ok("model_expansion_scenario", J.Args(("from_portfolio", true), ("years", 2)));

        var a = s.Obj("assumptions");
        a.Req("from_portfolio").GetValue<bool>().Should().BeTrue();
        a.Str("measured_as_of").Should().Be(ServerFixture.AsOfText);
        a.Dec("customers").Should().Be(active.Count);
        a.Dec("acv").Should().Be(active.Values.Sum() / active.Count);
        a.Dec("renewal_rate").Should().BeInRange(0m, 1m);
        a.Arr("lanes").Should().NotBeEmpty();
        var sources = a.Objects("sources").ToList();
        sources.Should().Contain(x => x.Str("name") == "renewal_rate" && x.Str("source") == "measured" && x.Str("how").Contains("logo retention"));
        sources.Should().Contain(x => x.Str("name") == "stage_rates.onboarding");
        s.Objects("years").First().Dec("arr_start").Should().Be(active.Values.Sum());

        // A given argument overrides its measured value.
        var overridden = await server.Ok("model_expansion_scenario", J.Args(("from_portfolio", true), ("renewal_rate", 0.5)));
        overridden.Obj("assumptions").Dec("renewal_rate").Should().Be(0.5m);
        overridden.Obj("assumptions").Objects("sources").Should().Contain(x => x.Str("name") == "renewal_rate" && x.Str("source") == "given");
    }

    [Fact]
    public async Task Segment_insights_state_their_numbers()
    {
        var r = await server.Ok("segment_insights");
        var insights = r.Objects("insights").ToList();
        insights.Select(i => i.Str("kind")).Distinct().Should().BeEquivalentTo(
            "low_fulfilment_by_segment", "low_fulfilment_by_csm", "expansion_ready_by_segment", "renewal_risk_by_fulfilment_band", "ttfv_breach_by_segment");
        var segments = server.Facts.Accounts.Where(a => server.Facts.ActiveAt(ServerFixture.AsOf).ContainsKey(a["id"]))
            .Select(a => a["segment"]).Distinct().ToList();
        insights.Where(i => i.Str("kind") == "low_fulfilment_by_segment").Select(i => i.Str("group")).Should().BeEquivalentTo(segments);
        foreach (var i in insights.Where(i => i.Str("kind") == "low_fulfilment_by_segment"))
        {
            var n = i.Obj("numbers");
            i.Str("statement").Should().Contain($"{n.Int("below_threshold")} of {n.Int("with_value_contract")} accounts");
        }
        var bands = insights.Where(i => i.Str("kind") == "renewal_risk_by_fulfilment_band").ToList();
        bands.Sum(b => b.Obj("numbers").Dec("arr")).Should().Be(r.Dec("arr_managed"), "the bands partition the portfolio");
        r.Int("account_count").Should().Be(server.Facts.ActiveAt(ServerFixture.AsOf).Count);
    }

    [Theory]
    [InlineData("retention_metrics", """{"period_start": "2026-10-01", "period_end": "2026-07-01"}""", "must be after period_start")]
    [InlineData("retention_metrics", """{"period_start": "2026-07-01", "period_end": "2026-10-01", "group_by": "region"}""", "accepted: none, segment, tier, csm, cohort_year, cohort_quarter")]
    [InlineData("retention_metrics", """{"period_start": "July", "period_end": "2026-10-01"}""", "not a date")]
    [InlineData("retention_metrics", """{"period_end": "2026-10-01"}""", "period_start is required")]
    [InlineData("retention_metrics", """{"period_start": "2027-01-01", "period_end": "2027-04-01"}""", "the period has not started at as_of")]
    [InlineData("renewal_forecast", """{"period_start": "2026-12-01", "period_end": "2026-12-01"}""", "must be after period_start")]
    [InlineData("renewal_forecast", """{"period_start": "2026-12-01", "period_end": "2027-03-01", "segment": "Government"}""", "known values")]
    [InlineData("model_expansion_scenario", """{"acv": 65000}""", "customers is required")]
    [InlineData("model_expansion_scenario", """{"customers": 100, "acv": 65000, "renewal_rate": 1.5}""", "renewal_rate: 1.5 is out of range")]
    [InlineData("model_expansion_scenario", """{"customers": -1, "acv": 65000}""", "customers: -1 is out of range")]
    [InlineData("model_expansion_scenario", """{"customers": 100, "acv": 65000, "years": 11}""", "years: 11 is out of range; accepted: 1 to 10")]
    [InlineData("model_expansion_scenario", """{"customers": 100, "acv": 65000, "lanes": [{"lane": "modules", "attach_rate": "high", "avg_value": 1}]}""", "lanes[0].attach_rate")]
    [InlineData("model_expansion_scenario", """{"customers": 100, "acv": 65000, "lanes": [{"lane": "modules", "avg_value": 1}]}""", "lanes[0].attach_rate is required")]
    [InlineData("model_expansion_scenario", """{"customers": 100, "acv": 65000, "lanes": [{"lane": "modules", "attach_rate": 0.2, "avg_value": 1, "colour": "red"}]}""", "unknown field \"colour\"")]
    [InlineData("model_expansion_scenario", """{"customers": 100, "acv": 65000, "stage_rates": {"adoption": 2}}""", "stage_rates.adoption: 2 is out of range")]
    [InlineData("segment_insights", """{"band": "amber"}""", "accepted: on_track, at_risk, critical, no_contract")]
    public async Task Bad_input_is_an_error_that_says_what_is_accepted(string tool, string args, string expected)
    {
        var result = await server.Call(tool, args);
        (result.IsError ?? false).Should().BeTrue();
        ServerFixture.Text(result).Should().Contain(expected);
    }
}

internal static class RetentionJson
{
    public static IEnumerable<JsonObject> Rows(this JsonObject result) => result.Objects("rows");
}
