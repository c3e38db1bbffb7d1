using System.Text.Json.Nodes;

namespace ValueMcp.Server.Tests;

/// <summary>
/// The contract-start cohort filters (cohort_year, cohort_quarter) through a real MCP client, checked against the demo
/// CSVs read independently (DemoFacts), and the accounts renewal_forecast names as moving its range.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class CohortFilterTests(ServerFixture server)
{
    /// <summary>Every card of the listing, all pages (200 at a time).</summary>
    private async Task<List<JsonObject>> AllCards(IReadOnlyDictionary<string, object?> filters)
    {
        var cards = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var args = new Dictionary<string, object?>(filters) { ["limit"] = 200 };
            if (cursor is not null) args["cursor"] = cursor;
            var page = await server.Ok("list_accounts", args);
            cards.AddRange(page.Objects("accounts"));
            cursor = page.OptStr("next_cursor");
        } while (cursor is not null);
        return cards;
    }

    private Dictionary<string, DateOnly> ContractStarts() =>
        server.Facts.Accounts.ToDictionary(a => a["id"], a => DemoFacts.Date(a["contract_start"]), StringComparer.Ordinal);

    private static string Quarter(DateOnly d) => $"{d.Year:D4}-Q{(d.Month + 2) / 3}";

    [Fact]
    public async Task Cohort_year_and_quarter_list_the_active_accounts_whose_contract_started_then_as_retention_metrics_names_the_cohorts()
    {
        var starts = ContractStarts();
        var all = await AllCards(new Dictionary<string, object?>());
        all.Should().NotBeEmpty();
        var retention = await server.Ok("retention_metrics", J.Args(("period_start", "2025-10-01"), ("period_end", "2026-10-01"), ("group_by", "cohort_year")));
        var years = retention.Objects("rows").Select(r => r.Str("group")).ToList();
        years.Should().HaveCountGreaterThan(1, "the demo's accounts started in several years");

        foreach (var year in years)
        {
            var want = all.Where(c => starts[c.Str("id")].Year.ToString("D4") == year).Select(c => c.Str("id")).ToList();
            var got = await AllCards(J.Args(("cohort_year", year)));
            got.Select(c => c.Str("id")).Should().Equal(want, $"cohort_year {year}: the active accounts whose contract started in {year}, in the listing's order");

            var listing = await server.Ok("list_accounts", J.Args(("cohort_year", year), ("limit", 1)));
            listing.Obj("filters").Str("cohort_year").Should().Be(year, "the answer echoes the filter");
            listing.Int("total").Should().Be(want.Count);
            var health = await server.Ok("get_portfolio_health", J.Args(("cohort_year", year)));
            health.Obj("kpis").Int("account_count").Should().Be(want.Count, $"get_portfolio_health over cohort {year} covers the same accounts");
            health.Obj("kpis").Dec("arr_managed").Should().Be(got.Sum(c => c.Dec("arr")));
        }

        var quarters = all.Select(c => Quarter(starts[c.Str("id")])).Distinct().Order(StringComparer.Ordinal).ToList();
        var covered = 0;
        foreach (var quarter in quarters.Take(6))
        {
            var want = all.Where(c => Quarter(starts[c.Str("id")]) == quarter).Select(c => c.Str("id")).ToList();
            var got = await AllCards(J.Args(("cohort_quarter", quarter.ToLowerInvariant())));
            got.Select(c => c.Str("id")).Should().Equal(want, $"cohort_quarter {quarter} (given in lower case)");
            covered += got.Count;
            var both = await AllCards(J.Args(("cohort_quarter", quarter), ("cohort_year", quarter[..4])));
            both.Select(c => c.Str("id")).Should().Equal(want, "a quarter with its own year is the quarter");
        }
        covered.Should().BeGreaterThan(0);

        var none = await server.Ok("list_accounts", J.Args(("cohort_year", "1999")));
        none.Int("total").Should().Be(0, "no contract of the demo started in 1999");
        ServerFixture.Text(await server.Call("list_accounts", J.Args(("cohort_year", "1999")))).Should().Contain("contract started in 1999");
    }

    [Fact]
    public async Task Renewal_forecast_names_the_accounts_that_move_its_range_most_of_all_renewing_not_only_the_listed_ones()
    {
        var args = J.Args(("period_start", "2026-08-26"), ("period_end", "2027-02-23"));
        var full = await server.Ok("renewal_forecast", new Dictionary<string, object?>(args) { ["limit"] = 200 });
        var accounts = full.Objects("accounts").ToList();
        accounts.Should().HaveCount(full.Int("total"), "limit 200 lists every renewal of the demo's window");
        var want = accounts
            .Where(a => a.Dec("upside") != a.Dec("downside"))
            .OrderByDescending(a => a.Dec("upside") - a.Dec("downside")).ThenByDescending(a => a.Dec("arr")).ThenBy(a => a.Str("id"), StringComparer.Ordinal)
            .Take(5).ToList();
        want.Should().NotBeEmpty("the demo's window has accounts whose upside exceeds their downside");

        var shortList = await server.Ok("renewal_forecast", new Dictionary<string, object?>(args) { ["limit"] = 1 });
        var movers = shortList.Objects("movers").ToList();
        movers.Select(m => m.Str("id")).Should().Equal(want.Select(a => a.Str("id")), "movers come from every renewing account, whatever the limit");
        foreach (var (m, a) in movers.Zip(want))
        {
            m.Dec("swing").Should().Be(a.Dec("upside") - a.Dec("downside"));
            foreach (var field in new[] { "arr", "downside", "base", "upside" }) m.Dec(field).Should().Be(a.Dec(field), $"{m.Str("id")} {field}");
            m.Str("name").Should().Be(a.Str("name"));
            m.Str("scenario_note").Should().Be(a.Str("scenario_note"));
        }
        ServerFixture.Text(await server.Call("renewal_forecast", args)).Should().Contain($"move the range most").And.Contain(movers[0].Str("id"));
    }
}
