using static ValueMcp.Store.Tests.TempDatabase;

namespace ValueMcp.Store.Tests;

/// <summary>Promised, evidenced, overdue and low-confidence outcomes as of a date (domain.md, "Per-account scores").</summary>
public sealed class OutcomeFactsTests : IClassFixture<OutcomeFactsTests.Contracts>
{
    public sealed class Contracts : IDisposable
    {
        public TempDatabase Store { get; } = new();

        public Contracts() => Store.ImportOk(Csv.Files(
            accounts: [Csv.Account("O"), Csv.Account("P"), Csv.Account("Q")],
            movements: ["O,2025-01-01,new,100000,,", "P,2025-01-01,new,50000,,", "Q,2025-01-01,new,50000,,"],
            outcomes:
            [
                // id,account_id,title,metric,unit,baseline,target,direction,promised_at,due_date,source
                "o1,O,Cut forecast cycle,cycle,days,10,6,decrease,2025-01-15,2025-06-30,deal-1",
                "o2,O,Increase adoption,adoption,pct,0,100,increase,2025-01-15,2025-07-31,deal-1",
                "o3,O,Reach 100 reports,reports,n,0,100,increase,2025-02-01,2025-12-31,deal-1",
                "o4,O,Cut errors to 6,errors,n,20,6,decrease,2025-02-01,,deal-1",
                "o5,O,Go live in Europe,,,,,,2025-02-01,,deal-1",
                "o6,O,Promised after as_of,,,,,,2026-01-10,2026-06-30,deal-2",
                "o7,O,Evidenced after as_of,,,,,,2025-03-01,2025-12-31,deal-1",
                "o8,O,\"Launch the \"\"exec\"\" dashboard, v2\",,,,,,2025-03-01,2025-09-30,deal-1",
                "o9,O,Reach 100 seats,seats,n,0,100,increase,2025-03-01,,deal-1",
                "o10,O,No target,nps,,,,,2025-03-01,,deal-1",
                "o11,P,Evidenced before promised,,,,,,2025-04-01,,deal-3",
                "o12,P,Later,,,,,,2025-05-01,,deal-3",
                "o13,Q,Never evidenced,,,,,,2025-01-01,2025-02-01,deal-4",
            ],
            evidence:
            [
                // id,outcome_id,captured_at,source,observed_value,achieved,note,captured_by
                "e1a,o1,2025-03-01,usage,5,,met (decrease),bot",
                "e1b,o1,2025-05-01,usage,9,,worse later,bot",
                "e2a,o2,2025-04-01,survey,150,false,value meets but explicitly not achieved,cs",
                "e3a,o3,2025-05-10,meeting,100,,exactly the target,cs",
                "e3b,o3,2025-06-01,usage,50,,a usage reading that does not achieve,bot",
                "e4a,o4,2025-02-15,,6,,exactly the target; empty source,cs",
                "e4b,o4,2026-02-01,usage,,true,high confidence but after as_of,bot",
                "e5a,o5,2025-04-01,meeting,,true,,cs",
                "e5b,o5,2025-06-01,usage,,TRUE,,bot",
                "e6,o6,2026-01-20,import,,true,,bot",
                "e7,o7,2026-01-15,usage,,true,,bot",
                "e9,o9,2025-04-01,usage,99,,one short,bot",
                "e10,o10,2025-04-01,usage,500,,no target to meet,bot",
                "e11,o11,2025-03-20,import,,true,captured before the promise,bot",
                "e12,o12,2025-06-15,communication,,true,,cs",
            ]));

        public void Dispose() => Store.Dispose();
    }

    private readonly TempDatabase _t;

    public OutcomeFactsTests(Contracts c) => _t = c.Store;

    [Fact]
    public void Outcomes_promised_after_as_of_are_not_counted()
    {
        _t.Facts("O", "2025-12-31").OutcomesPromised.Should().Be(9);
        _t.Facts("O", "2026-01-10").OutcomesPromised.Should().Be(10);
        _t.Facts("O", "2025-01-14").OutcomesPromised.Should().Be(0);
        _t.Facts("O", "2025-01-15").OutcomesPromised.Should().Be(2);
    }

    [Fact]
    public void Evidenced_outcomes_follow_the_achieves_rule()
    {
        // o1 (decrease met, then worse), o3 (increase met exactly), o4 (decrease met exactly), o5 (achieved true).
        // Not: o2 (achieved false with a value meeting the target), o7 (evidence after as_of), o8 (none), o9 (one short),
        // o10 (no target), o6 (promised after as_of).
        _t.Facts("O", "2025-12-31").OutcomesEvidenced.Should().Be(4);
    }

    [Theory]
    [InlineData("2025-02-28", 1)] // o4 (2025-02-15)
    [InlineData("2025-03-01", 2)] // + o1
    [InlineData("2025-04-30", 3)] // + o5
    [InlineData("2025-05-01", 3)] // o1's worse reading does not undo it
    [InlineData("2025-05-10", 4)] // + o3
    [InlineData("2025-12-31", 4)]
    [InlineData("2026-01-14", 4)]
    [InlineData("2026-01-15", 5)] // + o7
    [InlineData("2026-01-20", 6)] // + o6, promised 2026-01-10
    public void Evidenced_count_over_time(string asOf, int expected) =>
        _t.Facts("O", asOf).OutcomesEvidenced.Should().Be(expected);

    [Fact]
    public void Overdue_outcomes_are_due_before_as_of_and_not_evidenced_with_their_titles()
    {
        var facts = _t.Facts("O", "2025-12-31");
        // o7 is due ON as_of: not overdue yet. o3 is due on as_of and evidenced. o1 is due before but evidenced.
        facts.OverdueOutcomes.Select(o => (o.Id, o.Title, o.DueDate)).Should().Equal(
            ("o2", "Increase adoption", D("2025-07-31")),
            ("o8", "Launch the \"exec\" dashboard, v2", D("2025-09-30")));
        facts.OutcomesOverdue.Should().Be(2);
    }

    [Fact]
    public void An_outcome_becomes_overdue_the_day_after_its_due_date()
    {
        _t.Facts("O", "2026-01-01").OverdueOutcomes.Select(o => o.Id).Should().Equal("o2", "o8", "o7");
        _t.Facts("O", "2026-01-15").OverdueOutcomes.Select(o => o.Id).Should().Equal("o2", "o8");
        _t.Facts("Q", "2025-02-01").OverdueOutcomes.Should().BeEmpty();
        _t.Facts("Q", "2025-02-02").OverdueOutcomes.Select(o => o.Id).Should().Equal("o13");
    }

    [Fact]
    public void Low_confidence_only_counts_outcomes_achieved_by_meeting_or_manual_evidence_alone()
    {
        // o3: meeting (the usage reading does not achieve); o4: empty source, read as manual. o5 also has usage; o1 is usage.
        _t.Facts("O", "2025-12-31").EvidencedLowConfidenceOnly.Should().Be(2);
        // o4's usage evidence of 2026-02-01 achieves it too; o7 (usage) and o6 (import) are high.
        _t.Facts("O", "2026-02-01").EvidencedLowConfidenceOnly.Should().Be(1);
        // Between the meeting and the usage evidence of o5, o5 rests on the meeting alone.
        _t.Facts("O", "2025-04-30").EvidencedLowConfidenceOnly.Should().Be(2);
        // communication is medium, import is high.
        _t.Facts("P", "2025-12-31").EvidencedLowConfidenceOnly.Should().Be(0);
    }

    [Fact]
    public void First_evidenced_at_is_the_earliest_evidenced_date_never_before_the_promise()
    {
        _t.Facts("O", "2025-02-14").FirstEvidencedAt.Should().BeNull();
        _t.Facts("O", "2025-12-31").FirstEvidencedAt.Should().Be(D("2025-02-15"));
        _t.Facts("P", "2025-03-31").FirstEvidencedAt.Should().BeNull("o11 is not promised yet");
        _t.Facts("P", "2025-12-31").FirstEvidencedAt.Should().Be(D("2025-04-01"), "e11 was captured before o11 was promised");
        _t.Facts("Q", "2025-12-31").FirstEvidencedAt.Should().BeNull();
    }

    [Fact]
    public void Detail_reads_outcomes_and_evidence_back_as_imported()
    {
        var detail = _t.Reader.Detail("O", D("2025-12-31"))!;
        detail.Outcomes.Should().HaveCount(10);
        var o1 = detail.Outcomes.Single(o => o.Id == "o1");
        o1.Baseline.Should().Be(10m);
        o1.Target.Should().Be(6m);
        o1.Direction.Should().Be(Scoring.Direction.Decrease);
        o1.DueDate.Should().Be(D("2025-06-30"));
        detail.Outcomes.Single(o => o.Id == "o5").DueDate.Should().BeNull();
        var e4a = detail.Evidence.Single(e => e.Id == "e4a");
        e4a.Source.Should().Be(Scoring.EvidenceSource.Manual, "an empty source counts as manual");
        e4a.Achieved.Should().BeNull();
        detail.Evidence.Single(e => e.Id == "e5b").Achieved.Should().BeTrue();
        detail.Evidence.Single(e => e.Id == "e2a").Achieved.Should().BeFalse();
    }
}
