using ValueMcp.Scoring;
using static ValueMcp.Scoring.Tests.OutcomeData;

namespace ValueMcp.Scoring.Tests;

/// <summary>Evidenced outcome, confidence, exceeded, progress and overdue.</summary>
public class OutcomeScoringTests
{
    // as_of

    [Fact]
    public void Evidence_captured_after_as_of_is_ignored()
    {
        var score = Score(Outcome(), Evidence(AsOf.AddDays(1), achieved: true, observed: 30m));

        score.Evidenced.Should().BeFalse();
        score.Evidence.Should().BeEmpty();
        score.LatestObservedValue.Should().BeNull();
        score.Progress.Should().Be(0m);
    }

    [Fact]
    public void Evidence_captured_on_as_of_counts()
    {
        var score = Score(Outcome(), Evidence(AsOf, achieved: true));

        score.Evidenced.Should().BeTrue();
        score.EvidencedAt.Should().Be(AsOf);
    }

    [Fact]
    public void An_outcome_promised_after_as_of_does_not_exist_yet()
    {
        OutcomeScoring.Score(Outcome(promisedAt: AsOf.AddDays(1)), [], AsOf, ScoringPolicy.Default).Should().BeNull();
    }

    [Fact]
    public void An_outcome_promised_on_as_of_exists()
    {
        OutcomeScoring.Score(Outcome(promisedAt: AsOf), [], AsOf, ScoringPolicy.Default).Should().NotBeNull();
    }

    [Fact]
    public void Evidence_of_another_outcome_is_ignored()
    {
        Score(Outcome(), Evidence(AsOf.AddDays(-1), achieved: true, outcomeId: "out-2")).Evidenced.Should().BeFalse();
    }

    // achieves

    [Theory]
    [InlineData(30)]
    [InlineData(20)]
    [InlineData(null)]
    public void Achieved_false_never_achieves_whatever_the_value(int? observed)
    {
        var outcome = Outcome();
        var evidence = Evidence(AsOf.AddDays(-1), observed: observed, achieved: false);

        OutcomeScoring.Achieves(evidence, outcome).Should().BeFalse();
        Score(outcome, evidence).Evidenced.Should().BeFalse();
    }

    [Fact]
    public void Achieved_true_achieves_whatever_the_value()
    {
        OutcomeScoring.Achieves(Evidence(AsOf, observed: 11m, achieved: true), Outcome()).Should().BeTrue();
        OutcomeScoring.Achieves(Evidence(AsOf, achieved: true), Outcome(target: null, direction: null)).Should().BeTrue();
    }

    [Theory]
    [InlineData("20", true)]      // exactly at target
    [InlineData("25", true)]
    [InlineData("19.99", false)]
    public void Empty_achieved_increase_achieves_when_observed_is_at_least_target(string observed, bool expected)
    {
        var value = decimal.Parse(observed, System.Globalization.CultureInfo.InvariantCulture);

        OutcomeScoring.Achieves(Evidence(AsOf, observed: value), Outcome()).Should().Be(expected);
    }

    [Theory]
    [InlineData("60", true)]      // exactly at target
    [InlineData("45", true)]
    [InlineData("60.01", false)]
    public void Empty_achieved_decrease_achieves_when_observed_is_at_most_target(string observed, bool expected)
    {
        var value = decimal.Parse(observed, System.Globalization.CultureInfo.InvariantCulture);

        OutcomeScoring.Achieves(Evidence(AsOf, observed: value), Decrease()).Should().Be(expected);
    }

    [Fact]
    public void Empty_achieved_without_an_observed_value_does_not_achieve()
    {
        OutcomeScoring.Achieves(Evidence(AsOf), Outcome()).Should().BeFalse();
    }

    [Fact]
    public void Empty_achieved_against_an_outcome_without_target_does_not_achieve()
    {
        OutcomeScoring.Achieves(Evidence(AsOf, observed: 100m), Outcome(target: null)).Should().BeFalse();
    }

    [Fact]
    public void Once_evidenced_an_outcome_stays_evidenced_after_a_worse_reading()
    {
        var score = Score(Outcome(dueDate: AsOf.AddDays(-5)),
            Evidence(AsOf.AddDays(-50), observed: 21m, id: "ev-1"),
            Evidence(AsOf.AddDays(-10), observed: 12m, id: "ev-2"),
            Evidence(AsOf.AddDays(-5), observed: 11m, achieved: false, id: "ev-3"));

        score.Evidenced.Should().BeTrue();
        score.EvidencedAt.Should().Be(AsOf.AddDays(-50));
        score.Progress.Should().Be(1m);
        score.Overdue.Should().BeFalse();
        score.LatestObservedValue.Should().Be(11m);
        score.Exceeded.Should().BeFalse("exceeded looks at the latest observed value");
        score.Evidence.Select(e => e.Id).Should().Equal("ev-1", "ev-2", "ev-3");
    }

    // progress

    [Theory]
    [InlineData("15", "0.5")]
    [InlineData("10", "0")]
    [InlineData("5", "0")]        // clamped below
    [InlineData("19", "0.9")]
    public void Progress_is_clamped_share_of_the_way_from_baseline_to_target(string observed, string expected)
    {
        var value = decimal.Parse(observed, System.Globalization.CultureInfo.InvariantCulture);

        Score(Outcome(), Evidence(AsOf.AddDays(-1), observed: value))
            .Progress.Should().Be(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Progress_is_clamped_to_1_for_a_reading_beyond_target_that_does_not_achieve()
    {
        var score = Score(Outcome(), Evidence(AsOf.AddDays(-1), observed: 30m, achieved: false));

        score.Evidenced.Should().BeFalse();
        score.Progress.Should().Be(1m);
    }

    [Fact]
    public void Progress_of_a_decrease_outcome()
    {
        Score(Decrease(), Evidence(AsOf.AddDays(-1), observed: 80m)).Progress.Should().Be(0.5m);
        Score(Decrease(), Evidence(AsOf.AddDays(-1), observed: 120m)).Progress.Should().Be(0m);
    }

    [Fact]
    public void Progress_uses_the_latest_evidence_with_an_observed_value()
    {
        var score = Score(Outcome(),
            Evidence(AsOf.AddDays(-30), observed: 18m, id: "ev-1"),
            Evidence(AsOf.AddDays(-20), observed: 12m, id: "ev-2"),
            Evidence(AsOf.AddDays(-10), id: "ev-3"));   // no value: skipped

        score.LatestObservedValue.Should().Be(12m);
        score.Progress.Should().Be(0.2m);
    }

    [Fact]
    public void Progress_is_0_when_baseline_or_target_is_unknown_or_there_is_no_reading()
    {
        Score(Outcome(baseline: null), Evidence(AsOf.AddDays(-1), observed: 15m)).Progress.Should().Be(0m);
        Score(Outcome(target: null), Evidence(AsOf.AddDays(-1), observed: 15m)).Progress.Should().Be(0m);
        Score(Outcome()).Progress.Should().Be(0m);
        Score(Outcome(), Evidence(AsOf.AddDays(-1), achieved: false)).Progress.Should().Be(0m);
    }

    [Fact]
    public void Progress_is_1_when_evidenced_even_without_a_value()
    {
        Score(Outcome(baseline: null, target: null), Evidence(AsOf.AddDays(-1), achieved: true)).Progress.Should().Be(1m);
    }

    // overdue

    [Fact]
    public void Overdue_when_due_before_as_of_and_not_evidenced()
    {
        Score(Outcome(dueDate: AsOf.AddDays(-1))).Overdue.Should().BeTrue();
    }

    [Fact]
    public void Not_overdue_when_due_on_as_of()
    {
        Score(Outcome(dueDate: AsOf)).Overdue.Should().BeFalse();
    }

    [Fact]
    public void Not_overdue_when_evidenced()
    {
        Score(Outcome(dueDate: AsOf.AddDays(-30)), Evidence(AsOf.AddDays(-1), achieved: true)).Overdue.Should().BeFalse();
    }

    [Fact]
    public void Not_overdue_without_a_due_date()
    {
        Score(Outcome(dueDate: null)).Overdue.Should().BeFalse();
    }

    // exceeded

    [Theory]
    [InlineData("21", true)]       // target 20 + 10% of (20 - 10) = 21
    [InlineData("20.99", false)]
    [InlineData("20", false)]
    public void Exceeded_for_increase_at_10_percent_of_the_span_beyond_target(string latest, bool expected)
    {
        var value = decimal.Parse(latest, System.Globalization.CultureInfo.InvariantCulture);

        var score = Score(Outcome(), Evidence(AsOf.AddDays(-1), observed: value));

        score.Evidenced.Should().BeTrue();
        score.Exceeded.Should().Be(expected);
    }

    [Theory]
    [InlineData("56", true)]       // target 60 - 10% of |60 - 100| = 56
    [InlineData("56.01", false)]
    [InlineData("60", false)]
    public void Exceeded_for_decrease_at_10_percent_of_the_span_beyond_target(string latest, bool expected)
    {
        var value = decimal.Parse(latest, System.Globalization.CultureInfo.InvariantCulture);

        var score = Score(Decrease(), Evidence(AsOf.AddDays(-1), observed: value));

        score.Evidenced.Should().BeTrue();
        score.Exceeded.Should().Be(expected);
    }

    [Fact]
    public void Exceeded_requires_evidenced()
    {
        Score(Outcome(), Evidence(AsOf.AddDays(-1), observed: 30m, achieved: false)).Exceeded.Should().BeFalse();
    }

    [Fact]
    public void Exceeded_uses_the_latest_value_not_the_best()
    {
        var score = Score(Outcome(),
            Evidence(AsOf.AddDays(-20), observed: 25m, id: "ev-1"),
            Evidence(AsOf.AddDays(-10), observed: 20.5m, id: "ev-2"));

        score.Exceeded.Should().BeFalse();
    }

    [Fact]
    public void Exceeded_margin_comes_from_the_policy()
    {
        var policy = ScoringPolicy.Default with { ExceededMargin = 0.5m };

        OutcomeScoring.Score(Outcome(), [Evidence(AsOf, observed: 24m)], AsOf, policy)!.Exceeded.Should().BeFalse();
        OutcomeScoring.Score(Outcome(), [Evidence(AsOf, observed: 25m)], AsOf, policy)!.Exceeded.Should().BeTrue();
    }

    // confidence

    [Theory]
    [InlineData(EvidenceSource.Usage, Confidence.High)]
    [InlineData(EvidenceSource.Import, Confidence.High)]
    [InlineData(EvidenceSource.Survey, Confidence.Medium)]
    [InlineData(EvidenceSource.Communication, Confidence.Medium)]
    [InlineData(EvidenceSource.Meeting, Confidence.Low)]
    [InlineData(EvidenceSource.Manual, Confidence.Low)]
    public void Confidence_by_source(EvidenceSource source, Confidence expected)
    {
        OutcomeScoring.ConfidenceOf(source).Should().Be(expected);
        Score(Outcome(), Evidence(AsOf, achieved: true, source: source)).Confidence.Should().Be(expected);
    }

    [Fact]
    public void Confidence_is_the_highest_among_the_achieving_evidence()
    {
        var score = Score(Outcome(),
            Evidence(AsOf.AddDays(-20), achieved: true, source: EvidenceSource.Meeting, id: "ev-1"),
            Evidence(AsOf.AddDays(-10), achieved: true, source: EvidenceSource.Import, id: "ev-2"),
            Evidence(AsOf.AddDays(-5), achieved: true, source: EvidenceSource.Survey, id: "ev-3"));

        score.Confidence.Should().Be(Confidence.High);
    }

    [Fact]
    public void Evidence_that_does_not_achieve_does_not_raise_confidence()
    {
        var score = Score(Outcome(),
            Evidence(AsOf.AddDays(-20), observed: 30m, achieved: false, source: EvidenceSource.Usage, id: "ev-1"),
            Evidence(AsOf.AddDays(-10), observed: 12m, source: EvidenceSource.Import, id: "ev-2"),
            Evidence(AsOf.AddDays(-5), achieved: true, source: EvidenceSource.Communication, id: "ev-3"));

        score.Confidence.Should().Be(Confidence.Medium);
    }

    [Fact]
    public void No_confidence_when_not_evidenced()
    {
        Score(Outcome(), Evidence(AsOf, observed: 12m)).Confidence.Should().BeNull();
    }
}
