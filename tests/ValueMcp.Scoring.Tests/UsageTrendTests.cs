using ValueMcp.Scoring;

namespace ValueMcp.Scoring.Tests;

/// <summary>Trend signals computed from metric readings (definitions.md, "Evidence and signals from product usage").</summary>
public class UsageTrendTests
{
    private static readonly DateOnly AsOf = new(2026, 3, 31);

    private static readonly AccountProfile Profile = new("acc-001", "Acme", "Enterprise", "1", "Dana", "Fox", "Skinner",
        new DateOnly(2025, 6, 1), new DateOnly(2027, 6, 1), null, null);

    private static MetricReading R(string date, decimal value, string metric = "weekly_active_users") =>
        new("acc-001", metric, DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), value, "product_analytics");

    /// <summary>The worked example's readings: prior window 100, 100, 90; recent 110, 120, 125, 130.</summary>
    private static readonly MetricReading[] Example =
    [
        R("2026-02-10", 100m), R("2026-02-17", 100m), R("2026-02-24", 90m),
        R("2026-03-03", 110m), R("2026-03-10", 120m), R("2026-03-17", 125m), R("2026-03-24", 130m),
    ];

    private static AccountHistory History(IReadOnlyList<MetricReading> readings, params SignalFact[] signals) =>
        new(Profile, [], [], [], signals, [], []) { Readings = readings };

    private static IReadOnlyList<SignalFact> Signals(IReadOnlyList<MetricReading> readings, ScoringPolicy? policy = null) =>
        UsageTrends.Signals(History(readings), AsOf, policy ?? ScoringPolicy.Default);

    [Fact]
    public void Worked_example_a_rise_of_25_percent_is_a_positive_usage_signal_with_both_means_in_its_note()
    {
        var windows = UsageTrends.Windows(Example, AsOf, ScoringPolicy.Default);
        windows.Should().ContainSingle();
        UsageTrends.Mean(windows[0].PriorSum, windows[0].PriorCount).Should().Be(96.666667m);
        UsageTrends.Mean(windows[0].RecentSum, windows[0].RecentCount).Should().Be(121.25m);
        Math.Round(UsageTrends.Change(windows[0])!.Value, 4).Should().Be(0.2543m);

        var s = Signals(Example).Should().ContainSingle().Subject;
        s.Id.Should().Be("trend:weekly_active_users");
        s.Kind.Should().Be("weekly_active_users_trend");
        s.Category.Should().Be(SignalCategory.Usage);
        s.Polarity.Should().Be(1);
        s.ObservedAt.Should().Be(AsOf);
        s.Computed.Should().BeTrue();
        s.Note.Should().Contain("121.25").And.Contain("96.666667").And.Contain("+25.4%").And.Contain("4 reading(s)").And.Contain("3 reading(s)");
    }

    [Fact]
    public void Worked_example_a_fall_of_17_percent_is_no_signal()
    {
        var readings = Example.Take(3).Append(R("2026-03-10", 80m)).ToArray();
        Signals(readings).Should().BeEmpty();
    }

    [Fact]
    public void The_thresholds_are_inclusive_and_from_the_policy()
    {
        Signals([R("2026-02-10", 100m), R("2026-03-10", 120m)]).Should().ContainSingle().Which.Polarity.Should().Be(1);
        Signals([R("2026-02-10", 100m), R("2026-03-10", 119.99m)]).Should().BeEmpty();
        Signals([R("2026-02-10", 100m), R("2026-03-10", 80m)]).Should().ContainSingle().Which.Polarity.Should().Be(-1);
        Signals([R("2026-02-10", 100m), R("2026-03-10", 80.01m)]).Should().BeEmpty();

        var strict = ScoringPolicy.Default with { TrendRise = 0.5m, TrendFall = 0.1m };
        Signals([R("2026-02-10", 100m), R("2026-03-10", 120m)], strict).Should().BeEmpty();
        Signals([R("2026-02-10", 100m), R("2026-03-10", 90m)], strict).Should().ContainSingle().Which.Polarity.Should().Be(-1);
    }

    [Fact]
    public void The_windows_end_on_as_of_and_on_the_day_before_the_recent_one_starts()
    {
        // recent: 2026-03-02 .. 2026-03-31; prior: 2026-01-31 .. 2026-03-01.
        Signals([R("2026-01-31", 100m), R("2026-03-02", 200m)]).Should().ContainSingle();
        Signals([R("2026-01-30", 100m), R("2026-03-02", 200m)]).Should().BeEmpty(); // prior window empty
        Signals([R("2026-03-01", 100m), R("2026-04-01", 200m)]).Should().BeEmpty(); // recent window empty (after as_of)

        var week = ScoringPolicy.Default with { TrendWindowDays = 7 };
        Signals([R("2026-03-18", 100m), R("2026-03-25", 200m)], week).Should().ContainSingle();
    }

    [Fact]
    public void A_prior_mean_of_zero_gives_no_signal_and_a_negative_one_is_compared_by_its_size()
    {
        Signals([R("2026-02-10", 0m), R("2026-03-10", 50m)]).Should().BeEmpty();
        Signals([R("2026-02-10", -100m), R("2026-03-10", -50m)]).Should().ContainSingle().Which.Polarity.Should().Be(1);
    }

    [Fact]
    public void Each_metric_is_judged_on_its_own_in_ordinal_order()
    {
        var readings = new[]
        {
            R("2026-02-10", 100m, "logins"), R("2026-03-10", 50m, "logins"),
            R("2026-02-10", 100m, "api_calls"), R("2026-03-10", 150m, "api_calls"),
            R("2026-02-10", 100m, "reports"), R("2026-03-10", 100m, "reports"),
        };
        Signals(readings).Select(s => (s.Kind, s.Polarity)).Should().Equal(("api_calls_trend", 1), ("logins_trend", -1));
    }

    [Fact]
    public void Trend_signals_count_in_engagement_risk_signals_and_lanes_like_recorded_ones()
    {
        var falling = new[] { R("2026-02-10", 100m, "logins"), R("2026-03-10", 50m, "logins") };
        var facts = AccountDerivation.Derive(History(falling), AsOf, ScoringPolicy.Default);
        facts.Recent.EngagementSum.Should().Be(-1);
        facts.Recent.RiskSignals.Should().ContainSingle().Which.Kind.Should().Be("logins_trend");

        var rising = new[] { R("2026-02-10", 100m, "logins"), R("2026-03-10", 150m, "logins") };
        var up = AccountDerivation.Derive(History(rising), AsOf, ScoringPolicy.Default);
        up.Recent.EngagementSum.Should().Be(1);
        up.Recent.PositiveUsage.Should().Be(1);
        up.Recent.RiskSignals.Should().BeEmpty();
        AccountScoring.SuggestLane(up.Recent).Reason.Should().Contain("modules 1");
    }

    [Fact]
    public void Sums_given_by_the_store_for_the_same_as_of_score_as_the_readings_and_are_ignored_at_another_date()
    {
        var windows = UsageTrends.Windows(Example, AsOf, ScoringPolicy.Default);
        var summed = new AccountHistory(Profile, [], [], [], [], [], []) { TrendWindows = new TrendWindows(AsOf, 30, windows) };
        UsageTrends.Signals(summed, AsOf, ScoringPolicy.Default).Should().BeEquivalentTo(Signals(Example));

        // Summed for another date or window length: not used (the account has no readings here, so no signal).
        UsageTrends.Signals(summed, AsOf.AddDays(1), ScoringPolicy.Default).Should().BeEmpty();
        UsageTrends.Signals(summed, AsOf, ScoringPolicy.Default with { TrendWindowDays = 31 }).Should().BeEmpty();
    }
}
