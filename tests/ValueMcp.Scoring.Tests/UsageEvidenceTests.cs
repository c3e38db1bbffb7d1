using ValueMcp.Scoring;

namespace ValueMcp.Scoring.Tests;

/// <summary>Evidence computed from metric readings (definitions.md, "Evidence and signals from product usage").</summary>
public class UsageEvidenceTests
{
    private static readonly AccountProfile Profile = new("acc-001", "Acme", "Enterprise", "1", "Dana", "Fox", "Skinner",
        new DateOnly(2025, 6, 1), new DateOnly(2027, 6, 1), null, null);

    /// <summary>The worked example: "Cut forecast cycle time to 6 days", baseline 10, target 6, decrease, promised 2026-01-01.</summary>
    private static readonly OutcomeFact Forecast = new("out-1", "acc-001", "Cut forecast cycle time to 6 days", "forecast_cycle_days", "days",
        10m, 6m, Direction.Decrease, new DateOnly(2026, 1, 1), new DateOnly(2026, 6, 30), "deal-1");

    private static MetricReading Reading(string date, decimal value, string metric = "forecast_cycle_days", string account = "acc-001") =>
        new(account, metric, DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), value, "product_analytics");

    private static readonly MetricReading[] ExampleReadings =
        [Reading("2025-12-20", 9m), Reading("2026-02-01", 8m), Reading("2026-03-01", 7m), Reading("2026-04-01", 6m)];

    private static OutcomeScore Score(DateOnly asOf, IReadOnlyList<MetricReading> readings, params EvidenceFact[] recorded)
    {
        var history = new AccountHistory(Profile, [], [Forecast], recorded, [], [], []) { Readings = readings };
        return OutcomeScoring.Score(Forecast, UsageEvidence.WithRecorded(history, asOf), asOf, ScoringPolicy.Default)!;
    }

    [Fact]
    public void Worked_example_before_the_target_is_reached_progress_from_the_latest_reading_after_the_promise()
    {
        var score = Score(new DateOnly(2026, 2, 15), ExampleReadings);

        score.Evidenced.Should().BeFalse();
        score.Evidence.Should().ContainSingle().Which.CapturedAt.Should().Be(new DateOnly(2026, 2, 1));
        score.LatestObservedValue.Should().Be(8m);
        score.Progress.Should().Be(0.5m);
    }

    [Fact]
    public void Worked_example_the_reading_that_reaches_the_target_evidences_the_outcome_with_high_confidence()
    {
        var score = Score(new DateOnly(2026, 4, 1), ExampleReadings);

        score.Evidenced.Should().BeTrue();
        score.EvidencedAt.Should().Be(new DateOnly(2026, 4, 1));
        score.Confidence.Should().Be(Confidence.High);
        score.Progress.Should().Be(1m);
        var e = score.Evidence.Last();
        e.Id.Should().Be("usage:forecast_cycle_days:2026-04-01");
        e.Source.Should().Be(EvidenceSource.Usage);
        e.Computed.Should().BeTrue();
        e.Achieved.Should().BeNull();
        e.Note.Should().Contain("forecast_cycle_days").And.Contain("2026-04-01").And.Contain("product_analytics");
    }

    [Fact]
    public void A_reading_before_the_promise_is_not_evidence_even_when_it_reaches_the_target()
    {
        var score = Score(new DateOnly(2026, 4, 1), [Reading("2025-12-31", 5m)]);

        score.Evidenced.Should().BeFalse();
        score.Evidence.Should().BeEmpty();
    }

    [Fact]
    public void A_reading_on_the_promise_day_and_one_on_as_of_count()
    {
        UsageEvidence.Counts(Forecast, Reading("2026-01-01", 5m), new DateOnly(2026, 1, 1)).Should().BeTrue();
        Score(new DateOnly(2026, 1, 1), [Reading("2026-01-01", 5m)]).Evidenced.Should().BeTrue();
    }

    [Fact]
    public void A_reading_after_as_of_is_not_evidence()
    {
        Score(new DateOnly(2026, 3, 31), [Reading("2026-04-01", 5m)]).Evidence.Should().BeEmpty();
    }

    [Fact]
    public void Only_the_outcomes_own_metric_and_account_count_with_the_name_matched_exactly()
    {
        var readings = new[]
        {
            Reading("2026-02-01", 5m, metric: "Forecast_Cycle_Days"),
            Reading("2026-02-01", 5m, metric: "tickets"),
            Reading("2026-02-01", 5m, account: "acc-002"),
        };
        Score(new DateOnly(2026, 4, 1), readings).Evidence.Should().BeEmpty();
    }

    [Fact]
    public void An_outcome_without_a_metric_gets_no_evidence_from_readings()
    {
        UsageEvidence.Of(Forecast with { Metric = "" }, [Reading("2026-02-01", 5m, metric: "")], new DateOnly(2026, 4, 1)).Should().BeEmpty();
    }

    [Fact]
    public void A_later_worse_reading_does_not_undo_it_and_the_latest_value_decides_exceeded()
    {
        var evidenced = Score(new DateOnly(2026, 6, 1), [Reading("2026-03-01", 6m), Reading("2026-05-01", 8m)]);
        evidenced.Evidenced.Should().BeTrue();
        evidenced.EvidencedAt.Should().Be(new DateOnly(2026, 3, 1));
        evidenced.Exceeded.Should().BeFalse();

        // margin 0.10 x |6 - 10| = 0.4: a latest reading of 5.6 or less is exceeded.
        Score(new DateOnly(2026, 6, 1), [Reading("2026-03-01", 6m), Reading("2026-05-01", 5.6m)]).Exceeded.Should().BeTrue();
    }

    [Fact]
    public void Recorded_evidence_and_readings_count_together_the_highest_confidence_wins()
    {
        var meeting = new EvidenceFact("ev-1", "out-1", new DateOnly(2026, 2, 1), EvidenceSource.Meeting, null, true, "", "csm");
        var score = Score(new DateOnly(2026, 4, 1), ExampleReadings, meeting);

        score.Evidenced.Should().BeTrue();
        score.EvidencedAt.Should().Be(new DateOnly(2026, 2, 1));
        score.Confidence.Should().Be(Confidence.High);
        score.Evidence.Should().HaveCount(4);
        score.Evidence.Count(e => e.Computed).Should().Be(3);
    }

    [Fact]
    public void Readings_count_in_the_accounts_fulfilment_and_first_value()
    {
        var history = new AccountHistory(Profile, [], [Forecast], [], [], [], []) { Readings = ExampleReadings };

        var before = AccountDerivation.Derive(history, new DateOnly(2026, 3, 31), ScoringPolicy.Default);
        before.OutcomesEvidenced.Should().Be(0);

        var after = AccountDerivation.Derive(history, new DateOnly(2026, 4, 1), ScoringPolicy.Default);
        after.OutcomesEvidenced.Should().Be(1);
        after.EvidencedLowConfidenceOnly.Should().Be(0);
        after.FirstEvidencedAt.Should().Be(new DateOnly(2026, 4, 1));
    }

    [Fact]
    public void A_subset_holding_the_first_achieving_reading_judges_as_the_whole_series()
    {
        // The portfolio stream gives per outcome only its first achieving reading, and the trend windows summed: the
        // account's facts are the same.
        foreach (var day in new[] { "2026-02-15", "2026-03-31", "2026-04-01", "2026-05-01" })
        {
            var asOf = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);
            var whole = new AccountHistory(Profile, [], [Forecast], [], [], [], []) { Readings = ExampleReadings };
            var first = ExampleReadings.Where(r => UsageEvidence.Counts(Forecast, r, asOf) && r.Value <= 6m).Take(1).ToArray();
            var subset = whole with
            {
                Readings = first,
                TrendWindows = new TrendWindows(asOf, 30, UsageTrends.Windows(ExampleReadings, asOf, ScoringPolicy.Default)),
            };
            AccountDerivation.Derive(subset, asOf, ScoringPolicy.Default).Should().BeEquivalentTo(AccountDerivation.Derive(whole, asOf, ScoringPolicy.Default));
        }
    }
}
