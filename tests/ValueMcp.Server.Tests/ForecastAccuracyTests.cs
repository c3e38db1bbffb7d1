using System.Text.Json.Nodes;
using static ValueMcp.Server.Tests.J;

namespace ValueMcp.Server.Tests;

/// <summary>
/// forecast_accuracy and renewal_forecast probabilities=measured over a real McpClient, on a store imported from CSVs
/// holding the worked example of definitions.md, "Forecast accuracy": four renewals dated 2026-09-30, forecast on
/// 2026-07-02. A (Enterprise, tier 1, Dana, on track, 100,000) renewed; B (Mid-Market, tier 1, Fox, on track, 50,000)
/// churned, reason competitor; C (Mid-Market, tier 2, Fox, critical, 80,000) renewed with renewed_arr 90,000, decided
/// 2026-10-03; D (Enterprise, tier 2, Dana, critical, 20,000) churned by a churn movement. E (SMB, on track, 30,000)
/// renews 2026-12-15, still open: the account the measured table is applied to. Every figure is computed by hand in
/// the comments; the server is started with measured_min_count 2 so that two cells of the measured table are used.
/// </summary>
public sealed class ForecastAccuracyTests(ForecastAccuracyTests.Server fixture) : IClassFixture<ForecastAccuracyTests.Server>
{
    public sealed class Server : IAsyncLifetime
    {
        public OwnServer Own { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var dir = OwnServer.NewDir("accuracy");
            var csv = Path.Combine(dir, "csv");
            Directory.CreateDirectory(csv);
            File.WriteAllText(Path.Combine(csv, "accounts.csv"), """
                id,name,segment,tier,csm,account_manager,contract_start,renewal_date,contracted_capacity,used_capacity,executive_sponsor
                A,Alder,Enterprise,1,Dana,,2025-09-30,2026-09-30,,,
                B,Birch,Mid-Market,1,Fox,,2025-09-30,2026-09-30,,,
                C,Cedar,Mid-Market,2,Fox,,2025-09-30,2026-09-30,,,
                D,Dogwood,Enterprise,2,Dana,,2025-09-30,2026-09-30,,,
                E,Elm,SMB,3,Fox,,2025-12-15,2026-12-15,,,

                """);
            File.WriteAllText(Path.Combine(csv, "arr_movements.csv"), """
                account_id,effective_date,kind,amount,lane,note
                A,2025-09-30,new,100000,,
                B,2025-09-30,new,50000,,
                C,2025-09-30,new,80000,,
                D,2025-09-30,new,20000,,
                D,2026-09-30,churn,,,
                E,2025-12-15,new,30000,,

                """);
            // On track: one outcome promised at the start and evidenced (achieved) 100 days in. Critical: one outcome never evidenced, no due date.
            File.WriteAllText(Path.Combine(csv, "outcomes.csv"), """
                id,account_id,title,metric,unit,baseline,target,direction,promised_at,due_date,source
                A-o1,A,Cut cycle time,,,,,,2025-09-30,,
                B-o1,B,Cut cycle time,,,,,,2025-09-30,,
                C-o1,C,Cut cycle time,,,,,,2025-09-30,,
                D-o1,D,Cut cycle time,,,,,,2025-09-30,,
                E-o1,E,Cut cycle time,,,,,,2025-12-15,,

                """);
            File.WriteAllText(Path.Combine(csv, "evidence.csv"), """
                id,outcome_id,captured_at,source,observed_value,achieved,note,captured_by
                A-e1,A-o1,2026-01-08,usage,,true,,
                B-e1,B-o1,2026-01-08,usage,,true,,
                E-e1,E-o1,2026-03-25,usage,,true,,

                """);
            File.WriteAllText(Path.Combine(csv, "renewals.csv"), """
                account_id,renewal_date,outcome,renewed_arr,next_renewal_date,reason,decided_at,note
                A,2026-09-30,renewed,,2027-09-30,,2026-09-30,
                B,2026-09-30,churned,,,competitor,2026-09-30,lost to a cheaper rival
                C,2026-09-30,renewed,90000,2027-09-30,,2026-10-03,

                """);
            TestStore.Imported(TestStore.Target(Path.Combine(dir, "own.db")), csv);
            var policy = Path.Combine(dir, "policy.json");
            File.WriteAllText(policy, """{ "measured_min_count": 2 }""");
            Own = await OwnServer.Start("accuracy", ["--policy", policy, "--read-only"], dir: dir);
        }

        public async Task DisposeAsync() => await Own.DisposeAsync();
    }

    private OwnServer S => fixture.Own;

    private static Dictionary<string, object?> Q3(params (string Key, object? Value)[] more)
    {
        var args = Args(("period_start", "2026-07-01"), ("period_end", "2026-10-01"), ("as_of", "2026-10-31"));
        foreach (var (k, v) in more) args[k] = v;
        return args;
    }

    [Fact]
    public async Task The_worked_example_gives_the_hand_computed_brier_score_split_and_reliability_table()
    {
        var f = await S.Ok("forecast_accuracy", Q3());

        f.Int("horizon_days").Should().Be(90, "the policy's forecast_horizon_days");
        var o = f.Obj("overall");
        o.Int("count").Should().Be(4);
        o.Int("renewed").Should().Be(2, "A renewed, C contracted-or-renewed: the logo renewed");
        o.Dec("observed_rate").Should().Be(0.5m);
        o.Dec("mean_forecast").Should().Be(0.6m); // (0.95 + 0.95 + 0.25 + 0.25) / 4
        o.Dec("brier").Should().Be(0.3825m);      // (0.0025 + 0.9025 + 0.5625 + 0.0625) / 4
        o.Dec("reliability").Should().Be(0.1325m); // (2 x 0.25^2 + 2 x 0.45^2) / 4
        o.Dec("resolution").Should().Be(0m);
        o.Dec("uncertainty").Should().Be(0.25m);
        o.Dec("within_bin").Should().Be(0m);
        var bins = o.Objects("bins").ToList();
        bins.Should().HaveCount(10, "reliability_bins 10");
        bins.Sum(b => b.Int("count")).Should().Be(4);
        bins.Where(b => b.Int("count") > 0).Select(b => (b.Dec("lower"), b.Int("count"), b.Int("renewed"), b.Dec("mean_forecast"), b.Dec("observed_rate")))
            .Should().Equal((0.2m, 2, 1, 0.25m, 0.5m), (0.9m, 2, 1, 0.95m, 0.5m));
        f.Int("skipped_count").Should().Be(0);
    }

    [Fact]
    public async Task The_worked_example_gives_the_hand_computed_range_coverage_bias_and_error()
    {
        var o = (await S.Ok("forecast_accuracy", Q3())).Obj("overall");

        o.Dec("arr_due").Should().Be(250_000m);
        o.Dec("base").Should().Be(167_500m);     // 95,000 + 47,500 + 20,000 + 5,000
        o.Dec("downside").Should().Be(142_500m); // A and B steady (0.95); C and D high_risk (0)
        o.Dec("upside").Should().Be(175_000m);   // A and B in full; C and D at 0.25
        o.Dec("realised").Should().Be(180_000m); // 100,000 + 0 + 80,000 (90,000 capped at the ARR due) + 0
        o.Int("inside_range").Should().Be(2);    // A and D
        o.Dec("coverage").Should().Be(0.5m);
        o["total_inside_range"]!.GetValue<bool>().Should().BeFalse("180,000 is above the upside 175,000");
        o.Dec("bias").Should().Be(-12_500m);
        o.Dec("weighted_absolute_error").Should().Be(0.47m); // (5,000 + 47,500 + 60,000 + 5,000) / 250,000
        o.Obj("overrides").Int("count").Should().Be(0, "no probability override in force");
    }

    [Fact]
    public async Task Misses_carry_the_recorded_cause_and_the_facts_known_on_the_forecast_date()
    {
        var f = await S.Ok("forecast_accuracy", Q3());

        f.Int("miss_count").Should().Be(2);
        f.Dec("miss_high").Should().Be(0.7m);
        f.Dec("miss_low").Should().Be(0.4m);
        var misses = f.Objects("misses").ToList();
        misses.Select(m => m.Str("account_id")).Should().Equal("C", "B"); // largest ARR due first
        var c = misses[0];
        c.Str("kind").Should().Be("forecast at 0.25 (<= 0.40) and renewed in full");
        c.Str("forecast_date").Should().Be("2026-07-02");
        c.Dec("arr_due").Should().Be(80_000m);
        c.Dec("realised_renewed_arr").Should().Be(80_000m);
        c.Arr("known_facts").Select(n => n!.GetValue<string>()).Should().Contain(s => s.StartsWith("band critical", StringComparison.Ordinal));
        var b = misses[1];
        b.Str("kind").Should().Be("forecast at 0.95 (>= 0.70) and churned");
        b.Str("outcome").Should().Be("churned");
        b.Str("reason").Should().Be("competitor");
        b.Str("note").Should().Be("lost to a cheaper rival");
        b.Str("decided_by").Should().Be("recorded");

        var text = ServerFixture.Text(await S.Call("forecast_accuracy", Q3()));
        text.Should().Contain("Misses (forecast >= 0.70 that churned or contracted, or <= 0.40 that renewed in full): 2.")
            .And.Contain("cause competitor").And.Contain("Brier 0.3825");
    }

    [Theory]
    // Enterprise A (0.95, renewed) and D (0.25, churned): Brier (0.0025 + 0.0625) / 2; base 95,000 + 5,000 = realised 100,000.
    // Mid-Market B (0.95, churned) and C (0.25, renewed): Brier (0.9025 + 0.5625) / 2; base 47,500 + 20,000 against 80,000.
    [InlineData("segment", "Enterprise", 0.0325, 120_000, 0, "Mid-Market", 0.7325, 130_000, -12_500)]
    [InlineData("csm", "Dana", 0.0325, 120_000, 0, "Fox", 0.7325, 130_000, -12_500)]
    // Tier 1 A and B (both 0.95): Brier (0.0025 + 0.9025) / 2, base 142,500 against 100,000; tier 2 C and D (both 0.25): (0.5625 + 0.0625) / 2, base 25,000 against 80,000.
    [InlineData("tier", "1", 0.4525, 150_000, 42_500, "2", 0.3125, 100_000, -55_000)]
    public async Task Group_by_gives_each_groups_figures_with_its_counts(string groupBy, string g1, double brier1, int due1, int bias1,
        string g2, double brier2, int due2, int bias2)
    {
        var f = await S.Ok("forecast_accuracy", Q3(("group_by", groupBy)));

        f.Str("group_by").Should().Be(groupBy);
        var groups = f.Objects("groups").ToList();
        groups.Select(g => g.Str("group")).Should().Equal(g1, g2);
        groups.ShouldAll(g => g.Int("count") == 2 && g.Int("renewed") == 1, "two renewals per group, one renewed");
        groups[0].Dec("brier").Should().Be((decimal)brier1);
        groups[0].Dec("arr_due").Should().Be(due1);
        groups[0].Dec("bias").Should().Be(bias1);
        groups[1].Dec("brier").Should().Be((decimal)brier2);
        groups[1].Dec("arr_due").Should().Be(due2);
        groups[1].Dec("bias").Should().Be(bias2);
        f.Obj("overall").Dec("brier").Should().Be(0.3825m, "grouping leaves the overall figures as they are");
    }

    [Fact]
    public async Task Only_renewals_decided_by_as_of_count_and_a_forecast_date_after_as_of_is_skipped_with_why()
    {
        // As of 2026-10-01 C (decided 2026-10-03) is not decided yet: A, B, D remain.
        var before = await S.Ok("forecast_accuracy", Q3(("as_of", "2026-10-01")));
        before.Obj("overall").Int("count").Should().Be(3);
        before.Obj("overall").Dec("arr_due").Should().Be(170_000m);

        // With a horizon of 10 days the forecast date 2026-09-20 is after as_of 2026-09-15: nothing is decided by then either.
        var early = await S.Ok("forecast_accuracy", Args(("period_start", "2026-07-01"), ("period_end", "2026-10-01"), ("as_of", "2026-09-15"), ("horizon_days", 10)));
        early.Obj("overall").Int("count").Should().Be(0);

        // Renewals decided by 2026-10-31 but forecast 40 days ahead of a period ending after as_of: E renews 2026-12-15, open; nothing skipped, nothing counted.
        var later = await S.Ok("forecast_accuracy", Args(("period_start", "2026-10-01"), ("period_end", "2027-01-01"), ("as_of", "2026-10-31")));
        later.Obj("overall").Int("count").Should().Be(0, "E's renewal is not decided");
        ServerFixture.Text(await S.Call("forecast_accuracy", Args(("period_start", "2026-10-01"), ("period_end", "2027-01-01"), ("as_of", "2026-10-31"))))
            .Should().Contain("no renewal backtested");
    }

    [Fact]
    public async Task A_longer_horizon_forecasts_from_the_earlier_facts()
    {
        // 300 days before 2026-09-30 is 2025-12-04: A's and B's evidence (2026-01-08) was not captured yet, so they were not on track then.
        var f = await S.Ok("forecast_accuracy", Q3(("horizon_days", 300)));
        f.Int("horizon_days").Should().Be(300);
        var o = f.Obj("overall");
        o.Int("count").Should().Be(4);
        o.Dec("mean_forecast").Should().NotBe(0.6m, "the facts known on 2025-12-04 are not those known on 2026-07-02");
        o.Objects("bins").Where(b => b.Int("count") > 0).Should().NotContain(b => b.Dec("lower") == 0.9m, "nobody was on track with a near renewal");
    }

    [Fact]
    public async Task Renewal_forecast_with_measured_probabilities_names_its_table_and_each_cells_count()
    {
        // Lookback 365 days before 2026-10-31: the four renewals of the example, forecast 90 days before. Cell (low, on_track): A and B,
        // one renewed, 0.50; cell (high, critical): C and D, one renewed, 0.50; the other 14 cells have none and keep the policy.
        // E (on track, renews 2026-12-15, 45 days after as_of: red, risk low) is in cell (low, on_track): 0.90 + 0.05 = 0.95 from the policy, 0.50 measured.
        var args = Args(("period_start", "2026-11-01"), ("period_end", "2027-01-01"), ("as_of", "2026-10-31"));
        var policy = await S.Ok("renewal_forecast", args);
        policy.Str("probabilities").Should().StartWith("policy");
        policy["measured_table"].Should().BeNull();
        var e = policy.Objects("accounts").Single(a => a.Str("id") == "E");
        e.Dec("probability").Should().Be(0.95m);

        args["probabilities"] = "measured";
        var measured = await S.Ok("renewal_forecast", args);
        measured.Str("probabilities").Should().StartWith("measured").And.Contain("2 of 16 cells");
        var table = measured.Obj("measured_table");
        table.Int("min_count").Should().Be(2);
        table.Int("renewals").Should().Be(4);
        var cells = table.Objects("cells").ToList();
        cells.Should().HaveCount(16);
        cells.Where(c => c["used"]!.GetValue<bool>()).Select(c => (c.Str("risk"), c.Str("band"), c.Int("count"), c.Int("renewed")))
            .Should().BeEquivalentTo([("high", "critical", 2, 1), ("low", "on_track", 2, 1)]);
        cells.Sum(c => c.Int("count")).Should().Be(4, "each renewal in one cell");
        var em = measured.Objects("accounts").Single(a => a.Str("id") == "E");
        em.Dec("probability").Should().Be(0.5m);
        em.Str("reason").Should().Be("measured cell risk low, band on_track: 1 of 2 renewed = 0.50");
        measured.Dec("base").Should().Be(15_000m); // 30,000 x 0.50
        ServerFixture.Text(await S.Call("renewal_forecast", args)).Should().Contain("Probabilities: measured");
    }

    [Fact]
    public async Task The_forecast_review_prompt_drafts_from_the_worked_example()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var prompt = await S.Client.GetPromptAsync("forecast_review", Args(("period", "2026-Q3"), ("as_of", "2026-10-31")), cancellationToken: cts.Token);
        var text = string.Join("\n", prompt.Messages.Select(m => m.Content).OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(t => t.Text));

        text.Should().Contain("- Overall: 4 renewals (2 renewed, rate 0.50; mean forecast 0.60): Brier 0.3825 (reliability 0.1325, resolution 0.0000, uncertainty 0.2500)");
        text.Should().Contain("always the observed rate scores 0.2500");
        text.Should().Contain("[0.20, 0.30) 2 renewal(s), mean forecast 0.25, observed 0.50; [0.90, 1.00] 2 renewal(s), mean forecast 0.95, observed 0.50.");
        text.Should().Contain("- Segment Enterprise: 2 renewals (1 renewed").And.Contain("- Segment Mid-Market: 2 renewals (1 renewed");
        text.Should().Contain("- CSM Dana: 2 renewals (1 renewed), Brier 0.0325, bias 0.").And.Contain("- CSM Fox: 2 renewals (1 renewed), Brier 0.7325, bias -12,500.");
        // C renewed in full at 0.25 (no cause), B churned at 0.95 (competitor).
        text.Should().Contain("- Misses: 2 (forecast >= 0.70 that churned or contracted: 1; <= 0.40 that renewed in full: 1); causes: competitor 1, no cause recorded 1. Largest:");
        text.Should().Contain("Birch [B] CSM Fox, renewal 2026-09-30, ARR due 50,000: forecast at 0.95 (>= 0.70) and churned, cause competitor (lost to a cheaper rival).");
        // Next 90 days from 2026-10-31: E alone (30,000), 0.95 by the policy, 0.50 measured (cell low / on_track: 1 of 2).
        text.Should().Contain("1 renewals, ARR due 30,000: with the policy's table downside 28,500, base 28,500, upside 30,000; with the measured table downside");
        text.Should().Contain("base 15,000");
        text.Should().Contain("  - risk low, band on_track: 1 of 2 renewed (0.50), used.");
        text.Should().Contain("  - risk high, band critical: 1 of 2 renewed (0.50), used.");
    }

    [Theory]
    [InlineData("""{"period_start": "2026-10-01", "period_end": "2026-07-01"}""", "period_end: 2026-07-01 must be after period_start 2026-10-01")]
    [InlineData("""{"period_start": "2026-07-01", "period_end": "2026-07-01"}""", "must be after period_start")]
    [InlineData("""{"period_start": "2026-07-01", "period_end": "2026-10-01", "horizon_days": 0}""", "horizon_days: 0 is out of range; accepted: 1 to 3650")]
    [InlineData("""{"period_start": "2026-07-01", "period_end": "2026-10-01", "horizon_days": -5}""", "horizon_days: -5 is out of range; accepted: 1 to 3650")]
    [InlineData("""{"period_start": "2026-07-01", "period_end": "2026-10-01", "group_by": "region"}""", "group_by: unknown value \"region\"; accepted: none, segment, csm, tier")]
    [InlineData("""{"period_start": "Q3", "period_end": "2026-10-01"}""", "not a date")]
    [InlineData("""{"period_end": "2026-10-01"}""", "period_start is required")]
    [InlineData("""{"period_start": "2026-07-01", "period_end": "2026-10-01", "limit": 0}""", "limit: 0 is out of range")]
    public async Task Bad_arguments_are_clear_errors(string args, string expected)
    {
        var result = await S.Call("forecast_accuracy", args);
        (result.IsError ?? false).Should().BeTrue();
        ServerFixture.Text(result).Should().Contain(expected).And.NotContain("   at ");
    }

    [Fact]
    public async Task Renewal_forecast_refuses_an_unknown_probability_table()
    {
        var result = await S.Call("renewal_forecast", """{"period_start": "2026-11-01", "period_end": "2027-01-01", "probabilities": "learned"}""");
        (result.IsError ?? false).Should().BeTrue();
        ServerFixture.Text(result).Should().Contain("probabilities: \"learned\" is not accepted; accepted: policy, measured");
    }
}
