using ValueMcp.Scoring;

namespace ValueMcp.Scoring.Tests;

/// <summary>Retention over [start, end) (domain.md, "Retention over a period"), against hand-built ledgers.</summary>
public class RetentionTests
{
    private static readonly DateOnly Start = new(2026, 1, 1);
    private static readonly DateOnly End = new(2026, 4, 1);
    private static readonly RetentionPeriod Q1 = new(Start, End);

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static MovementFact New(string date, decimal amount) => new("", D(date), MovementKind.New, amount, "", "");
    private static MovementFact Expansion(string date, decimal amount, string lane = "modules") => new("", D(date), MovementKind.Expansion, amount, lane, "");
    private static MovementFact Contraction(string date, decimal amount) => new("", D(date), MovementKind.Contraction, amount, "", "");
    private static MovementFact Churn(string date) => new("", D(date), MovementKind.Churn, 0m, "", "");

    private static AccountHistory Ledger(string id, params MovementFact[] movements) =>
        Ledger(id, "Enterprise", movements);

    private static AccountHistory Ledger(string id, string segment, params MovementFact[] movements) =>
        AccountHistory.Empty(Profile(id, segment, "1", "Dana", new DateOnly(2025, 1, 1))) with { Movements = movements };

    private static AccountHistory Ledger(string id, string segment, DateOnly contractStart, MovementFact[] movements) =>
        AccountHistory.Empty(Profile(id, segment, "", "", contractStart)) with { Movements = movements };

    /// <summary>An account with the attributes retention groups by.</summary>
    private static AccountProfile Profile(string id, string segment, string tier, string csm, DateOnly contractStart) =>
        new(id, id, segment, tier, csm, "", "", contractStart, contractStart.AddYears(1), null, null);

    [Fact]
    public void The_seed_example_gives_nrr_1_0422()
    {
        // 100 customers at 65,000; 15 churn; 35% of the 85 renewing buy 42,000 more: 29.75 x 42,000 = 1,249,500,
        // built as 29 expansions of 42,000 and one of 31,500 (0.75 x 42,000).
        var ledgers = new List<AccountHistory>();
        for (var i = 0; i < 100; i++)
        {
            var movements = new List<MovementFact> { New("2025-01-01", 65_000m) };
            if (i < 15) movements.Add(Churn("2026-02-15"));
            else if (i < 15 + 29) movements.Add(Expansion("2026-03-01", 42_000m));
            else if (i == 15 + 29) movements.Add(Expansion("2026-03-01", 31_500m));
            ledgers.Add(Ledger($"acc-{i:000}", [.. movements]));
        }

        var all = Retention.Measure(ledgers, Q1, RetentionGrouping.None).Total;

        all.StartingArr.Should().Be(6_500_000m);
        all.Churn.Should().Be(975_000m);
        all.Expansion.Should().Be(1_249_500m);
        all.Contraction.Should().Be(0m);
        all.EndingArr.Should().Be(6_774_500m);
        all.Nrr.Should().Be(6_774_500m / 6_500_000m);
        Math.Round(all.Nrr!.Value, 4).Should().Be(1.0422m);
        all.Grr.Should().Be(0.85m);
        all.LogosStart.Should().Be(100);
        all.LogosRetained.Should().Be(85);
        all.LogoRetention.Should().Be(0.85m);
    }

    [Fact]
    public void New_logos_of_the_period_are_excluded_and_reported_apart()
    {
        var report = Retention.Measure(
        [
            Ledger("old", New("2025-06-01", 100m), Expansion("2026-02-01", 10m)),
            Ledger("new", New("2026-02-01", 500m), Expansion("2026-03-01", 50m)),
            Ledger("on-start", New("2026-01-01", 70m)), // dated on start: in the period, so a new logo
        ], Q1, RetentionGrouping.None);

        var all = report.Total;
        all.StartingArr.Should().Be(100m);
        all.Expansion.Should().Be(10m, "the new logo's expansion is not the cohort's");
        all.Nrr.Should().Be(1.10m);
        all.LogosStart.Should().Be(1);
        all.NewLogos.Should().Be(2);
        all.NewLogoArr.Should().Be(620m);
    }

    [Fact]
    public void Churn_mid_period_removes_the_arr_just_before_it_including_same_day_movements()
    {
        var r = Retention.Replay(
        [
            New("2025-01-01", 100m),
            Expansion("2026-02-01", 20m),
            // Same day: new, expansion, contraction, then churn, whatever the listed order.
            Churn("2026-03-01"),
            Contraction("2026-03-01", 5m),
            Expansion("2026-03-01", 15m, "seats"),
        ], Q1);

        r.InCohort.Should().BeTrue();
        r.StartingArr.Should().Be(100m);
        r.Expansion.Should().Be(35m);
        r.ExpansionByLane.Should().BeEquivalentTo(new Dictionary<string, decimal> { ["modules"] = 20m, ["seats"] = 15m });
        r.Contraction.Should().Be(5m);
        r.Churn.Should().Be(130m, "100 + 20 + 15 - 5 is what the churn removed");
        r.ActiveBeforeEnd.Should().BeFalse();

        var row = Retention.Measure([Ledger("a", "", Start, [
            New("2025-01-01", 100m), Expansion("2026-02-01", 20m), Churn("2026-03-01"), Contraction("2026-03-01", 5m), Expansion("2026-03-01", 15m, "seats")])],
            Q1, RetentionGrouping.None).Total;
        row.Nrr.Should().Be(0m);
        row.Grr.Should().Be(-0.35m, "(S - C - X) / S = (100 - 5 - 130) / 100: expansion later lost counts against GRR");
        row.LogoRetention.Should().Be(0m);
    }

    [Fact]
    public void Contraction_then_expansion()
    {
        var all = Retention.Measure([Ledger("a", New("2025-01-01", 100m), Contraction("2026-01-15", 30m), Expansion("2026-03-15", 50m))],
            Q1, RetentionGrouping.None).Total;

        all.StartingArr.Should().Be(100m);
        all.Contraction.Should().Be(30m);
        all.Expansion.Should().Be(50m);
        all.Nrr.Should().Be(1.20m);
        all.Grr.Should().Be(0.70m);
        all.LogoRetention.Should().Be(1m);
    }

    [Fact]
    public void Grr_is_never_above_1()
    {
        var all = Retention.Measure([Ledger("a", New("2025-01-01", 100m), Expansion("2026-02-01", 900m))], Q1, RetentionGrouping.None).Total;
        all.Nrr.Should().Be(10m);
        all.Grr.Should().Be(1m);
    }

    [Fact]
    public void A_group_with_zero_starting_arr_has_no_nrr_grr_or_logo_retention()
    {
        var report = Retention.Measure(
        [
            Ledger("e1", "Enterprise", New("2025-01-01", 100m)),
            Ledger("s1", "SMB", New("2026-02-01", 40m)), // only a new logo in SMB
        ], Q1, RetentionGrouping.Segment);

        report.Rows.Select(r => r.Group).Should().Equal("Enterprise", "SMB");
        var smb = report.Rows[1];
        smb.StartingArr.Should().Be(0m);
        smb.Nrr.Should().BeNull();
        smb.Grr.Should().BeNull();
        smb.LogoRetention.Should().BeNull();
        smb.NewLogos.Should().Be(1);
        report.Total.Nrr.Should().Be(1m);
    }

    [Fact]
    public void No_account_at_all_gives_one_empty_all_row()
    {
        var report = Retention.Measure([], Q1, RetentionGrouping.None);
        report.Rows.Should().ContainSingle().Which.Group.Should().Be("all");
        report.Total.Nrr.Should().BeNull();
    }

    [Fact]
    public void The_period_is_half_open()
    {
        var r = Retention.Replay([New("2025-01-01", 100m), Expansion("2026-01-01", 10m), Expansion("2026-04-01", 99m), Churn("2026-04-01")], Q1);
        r.Expansion.Should().Be(10m, "a movement dated on start is in the period");
        r.Churn.Should().Be(0m, "a churn dated on end is not");
        r.ActiveBeforeEnd.Should().BeTrue();

        var before = Retention.Replay([New("2025-01-01", 100m), Expansion("2025-12-31", 10m)], Q1);
        before.StartingArr.Should().Be(110m, "a movement dated the day before start is part of S");
        before.Expansion.Should().Be(0m);
    }

    [Fact]
    public void An_account_churned_before_the_period_is_not_in_the_cohort_and_a_win_back_counts_as_a_new_logo()
    {
        var gone = Retention.Replay([New("2024-01-01", 100m), Churn("2025-06-01")], Q1);
        gone.InCohort.Should().BeFalse();
        gone.StartingArr.Should().Be(0m);

        var back = Retention.Replay([New("2024-01-01", 100m), Churn("2025-06-01"), New("2026-02-01", 80m)], Q1);
        back.InCohort.Should().BeFalse();
        back.NewLogoArr.Should().Be(80m);
    }

    [Fact]
    public void Expansion_by_lane_lists_every_lane_of_the_fact_model()
    {
        var all = Retention.Measure([Ledger("a", New("2025-01-01", 100m), Expansion("2026-02-01", 5m, ""), Expansion("2026-02-02", 7m, "price"))],
            Q1, RetentionGrouping.None).Total;
        all.ExpansionByLane.Keys.Should().BeEquivalentTo("modules", "data_integration", "managed_services", "seats", "price", "");
        all.ExpansionByLane[""].Should().Be(5m);
        all.ExpansionByLane["price"].Should().Be(7m);
        all.ExpandingLogosByLane["price"].Should().Be(1);
        all.ExpandingLogosByLane["modules"].Should().Be(0);
    }

    [Theory]
    [InlineData(RetentionGrouping.None, "all")]
    [InlineData(RetentionGrouping.Segment, "Mid-Market")]
    [InlineData(RetentionGrouping.Tier, "")]
    [InlineData(RetentionGrouping.Csm, "Fox Mulder")]
    [InlineData(RetentionGrouping.CohortYear, "2024")]
    [InlineData(RetentionGrouping.CohortQuarter, "2024-Q3")]
    public void Group_labels(RetentionGrouping groupBy, string expected)
    {
        var account = Profile("a", "Mid-Market", "", "Fox Mulder", new DateOnly(2024, 9, 30));
        Retention.GroupOf(account, groupBy).Should().Be(expected);
    }

    [Fact]
    public void Cohort_grouping_splits_the_cohort_by_contract_start_and_rows_add_up_to_the_total()
    {
        AccountHistory L(string id, DateOnly contractStart, params MovementFact[] m) =>
            AccountHistory.Empty(Profile(id, "SMB", "2", "Dana", contractStart)) with { Movements = m };
        var ledgers = new[]
        {
            L("q1", new DateOnly(2024, 2, 10), New("2024-02-10", 100m), Expansion("2026-02-01", 20m)),
            L("q1b", new DateOnly(2024, 3, 31), New("2024-03-31", 50m), Churn("2026-03-01")),
            L("q4", new DateOnly(2024, 12, 1), New("2024-12-01", 200m), Contraction("2026-01-10", 40m)),
            L("y25", new DateOnly(2025, 4, 1), New("2025-04-01", 80m)),
        };

        var quarters = Retention.Measure(ledgers, Q1, RetentionGrouping.CohortQuarter);
        quarters.Rows.Select(r => r.Group).Should().Equal("2024-Q1", "2024-Q4", "2025-Q2");
        var q1 = quarters.Rows[0];
        q1.StartingArr.Should().Be(150m);
        q1.Nrr.Should().Be((150m + 20m - 50m) / 150m);
        q1.LogoRetention.Should().Be(0.5m);
        quarters.Rows[1].Grr.Should().Be(0.8m);

        var years = Retention.Measure(ledgers, Q1, RetentionGrouping.CohortYear);
        years.Rows.Select(r => r.Group).Should().Equal("2024", "2025");
        years.Rows[0].StartingArr.Should().Be(350m);

        foreach (var report in new[] { quarters, years })
        {
            report.Rows.Sum(r => r.StartingArr).Should().Be(report.Total.StartingArr);
            report.Rows.Sum(r => r.Expansion).Should().Be(report.Total.Expansion);
            report.Rows.Sum(r => r.Contraction).Should().Be(report.Total.Contraction);
            report.Rows.Sum(r => r.Churn).Should().Be(report.Total.Churn);
            report.Rows.Sum(r => r.LogosStart).Should().Be(report.Total.LogosStart);
        }
        years.Total.StartingArr.Should().Be(430m);
    }

    [Fact]
    public void A_period_needs_start_before_end()
    {
        var act = () => new RetentionPeriod(Start, Start);
        act.Should().Throw<ArgumentException>();
    }
}
