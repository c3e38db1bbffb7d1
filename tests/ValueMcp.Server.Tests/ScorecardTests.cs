using System.Text.Json.Nodes;

namespace ValueMcp.Server.Tests;

/// <summary>get_account_scorecard on demo accounts, its counts against its own outcomes and against the CSVs.</summary>
[Collection(ServerCollection.Name)]
public sealed class ScorecardTests(ServerFixture server)
{
    private async Task<List<JsonObject>> Cards() =>
        (await server.Ok("list_accounts", J.Args(("limit", 200)))).Objects("accounts").ToList();

    [Fact]
    public async Task Scorecards_counts_and_fulfilment_agree_with_their_outcomes()
    {
        var cards = await Cards();
        // A few accounts of different shapes: the largest, one per band, and the smallest.
        var picks = new List<JsonObject> { cards[0], cards[^1] };
        foreach (var band in new[] { "on_track", "at_risk", "critical", "no_contract" })
            if (cards.FirstOrDefault(c => c.Str("band") == band) is { } c) picks.Add(c);

        foreach (var card in picks.DistinctBy(c => c.Str("id")))
        {
            var id = card.Str("id");
            var s = await server.Ok("get_account_scorecard", J.Args(("account_id", id)));
            s.Str("id").Should().Be(id);
            s.Str("as_of").Should().Be(ServerFixture.AsOfText);
            s.Dec("arr").Should().Be(card.Dec("arr"), $"{id}: scorecard and card agree");
            s.Str("band").Should().Be(card.Str("band"));

            var outcomes = s.Objects("outcomes").ToList();
            s.Int("outcomes_promised").Should().Be(outcomes.Count, $"{id}: outcomes_promised counts its outcomes");
            var evidenced = outcomes.Count(o => o.Req("evidenced").GetValue<bool>());
            s.Int("outcomes_evidenced").Should().Be(evidenced, $"{id}: outcomes_evidenced counts its evidenced outcomes");
            s.Int("outcomes_overdue").Should().Be(outcomes.Count(o => o.Req("overdue").GetValue<bool>()));
            if (outcomes.Count == 0) s["fulfilment"].Should().BeNull();
            else s.Dec("fulfilment").Should().Be((decimal)evidenced / outcomes.Count, $"{id}: fulfilment = evidenced / promised");

            foreach (var o in outcomes)
            {
                o.Select(kv => kv.Key).Should().Contain(["id", "title", "target", "direction", "due_date", "evidenced", "progress",
                    "overdue", "exceeded", "confidence", "evidence"]);
                var isEvidenced = o.Req("evidenced").GetValue<bool>();
                if (isEvidenced) o.Dec("progress").Should().Be(1m, "an evidenced outcome has progress 1");
                else o.Dec("progress").Should().BeInRange(0m, 1m);
                if (isEvidenced) o.Req("overdue").GetValue<bool>().Should().BeFalse("an evidenced outcome is never overdue");
                o.Objects("evidence").ShouldAll(e => DemoFacts.Date(e.Str("captured_at")) <= ServerFixture.AsOf,
                    "evidence captured after as_of does not count");
                DemoFacts.Date(o.Str("promised_at")).Should().BeOnOrBefore(ServerFixture.AsOf);
            }

            foreach (var sig in s.Objects("signals_recent"))
            {
                sig.Select(kv => kv.Key).Should().Contain(["id", "observed_at", "category", "kind", "polarity", "note"]);
                DemoFacts.Date(sig.Str("observed_at")).Should().BeOnOrAfter(ServerFixture.AsOf.AddDays(-89)).And.BeOnOrBefore(ServerFixture.AsOf);
            }

            var windowStart = ServerFixture.AsOf.AddDays(-89);
            var expectedSignals = server.Facts.Signals
                .Where(x => x["account_id"] == id && DemoFacts.Date(x["observed_at"]) >= windowStart && DemoFacts.Date(x["observed_at"]) <= ServerFixture.AsOf)
                .Select(x => x["id"]);
            s.Objects("signals_recent").Where(x => !x.Req("computed").GetValue<bool>()).Select(x => x.Str("id")).Should().BeEquivalentTo(expectedSignals,
                $"{id}: signals_recent is every signal of signals.csv in as_of - 89 .. as_of, and the computed usage trends");
            s.Objects("signals_recent").Where(x => x.Req("computed").GetValue<bool>()).ShouldAll(x =>
                x.Str("id").StartsWith("trend:", StringComparison.Ordinal) && x.Str("kind").EndsWith("_trend", StringComparison.Ordinal)
                && x.Str("category") == "usage" && x.Str("observed_at") == ServerFixture.AsOfText, "a computed signal is a usage trend observed on as_of");

            var history = s.Objects("arr_history").ToList();
            history.Should().HaveCount(server.Facts.Movements.Count(m => m["account_id"] == id && DemoFacts.Date(m["effective_date"]) <= ServerFixture.AsOf),
                $"{id}: arr_history is its movements up to as_of");
            history.Should().NotBeEmpty($"{id} is active, it has movements");
            history.ShouldAll(p => DemoFacts.Date(p.Str("effective_date")) <= ServerFixture.AsOf);
            history[^1].Dec("arr_after").Should().Be(s.Dec("arr"), $"{id}: the ledger ends at the account's ARR");

            s.Obj("reasons").Select(kv => kv.Key).Should().Contain(["band", "readiness", "risk", "action"]);
            s.Req("overrides").Should().BeOfType<JsonArray>();
        }
    }

    [Fact]
    public async Task An_account_with_evidence_matches_the_evidenced_rule_recomputed_from_the_csvs()
    {
        var facts = server.Facts;
        var active = facts.ActiveAt(ServerFixture.AsOf);
        // An active account with evidenced and unevidenced outcomes, some evidence rows with achieved empty (value vs target).
        var candidates = active.Keys.Order(StringComparer.Ordinal)
            .Select(id => (id, outcomes: facts.OutcomesOf(id, ServerFixture.AsOf)))
            .Where(x => x.outcomes.Any(o => o.Evidenced) && x.outcomes.Any(o => !o.Evidenced))
            .ToList();
        candidates.Should().NotBeEmpty("the demo has accounts with part of their value contract evidenced");

        var byValue = candidates.FirstOrDefault(x => x.outcomes.Any(o => o.Evidenced && facts.Evidence
            .Where(e => e["outcome_id"] == o.Id && DemoFacts.Date(e["captured_at"]) <= ServerFixture.AsOf)
            .Any(e => e["achieved"].Trim().Length == 0)));
        var (id, expected) = byValue.id is not null ? byValue : candidates[0];

        var s = await server.Ok("get_account_scorecard", J.Args(("account_id", id)));
        var outcomes = s.Objects("outcomes").ToDictionary(o => o.Str("id"), o => o.Req("evidenced").GetValue<bool>());
        outcomes.Should().BeEquivalentTo(expected.ToDictionary(o => o.Id, o => o.Evidenced),
            $"{id}: the evidenced outcomes follow domain.md (achieved true; or achieved empty and the value meets the target)");
        s.Int("outcomes_promised").Should().Be(expected.Count);
        s.Int("outcomes_evidenced").Should().Be(expected.Count(o => o.Evidenced));
        s.Dec("fulfilment").Should().Be((decimal)expected.Count(o => o.Evidenced) / expected.Count);

        // A later as_of never un-evidences an outcome; an earlier one only sees what was known then.
        var earlier = ServerFixture.AsOf.AddDays(-120);
        var past = await server.Ok("get_account_scorecard", J.Args(("account_id", id), ("as_of", earlier.ToString("yyyy-MM-dd"))));
        var expectedPast = facts.OutcomesOf(id, earlier);
        past.Int("outcomes_promised").Should().Be(expectedPast.Count, $"{id} at {earlier}: outcomes promised by then");
        past.Int("outcomes_evidenced").Should().Be(expectedPast.Count(o => o.Evidenced), $"{id} at {earlier}: evidenced by then");
    }

    [Fact]
    public async Task A_churned_account_has_a_scorecard_but_no_place_in_the_portfolio()
    {
        var arr = server.Facts.ArrAt(ServerFixture.AsOf);
        var churned = server.Facts.Movements
            .Where(m => m["kind"] == "churn" && DemoFacts.Date(m["effective_date"]) <= ServerFixture.AsOf)
            .Select(m => m["account_id"]).Where(id => arr[id] == 0m).Order(StringComparer.Ordinal).FirstOrDefault();
        if (churned is null) return; // the demo always has some; nothing to check otherwise

        var s = await server.Ok("get_account_scorecard", J.Args(("account_id", churned)));
        s.Dec("arr").Should().Be(0m);
        s.Req("active").GetValue<bool>().Should().BeFalse();

        var listed = (await server.Ok("list_accounts", J.Args(("limit", 200)))).Objects("accounts").Select(c => c.Str("id"));
        listed.Should().NotContain(churned);
    }
}
