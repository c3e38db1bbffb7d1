using ValueMcp.DemoData;
using ValueMcp.Scoring;
using static ValueMcp.Store.Tests.TempDatabase;

namespace ValueMcp.Store.Tests;

/// <summary>The embedded demo portfolio imports cleanly, idempotently, and reads back consistently.</summary>
public sealed class DemoImportTests
{
    private static ImportSource Demo() => ImportSource.FromStreams("demo", DemoPortfolio.EmbeddedFiles());

    [Fact]
    public void The_demo_portfolio_imports_cleanly()
    {
        using var t = new TempDatabase();
        var report = t.Importer.Import(Demo(), new ImportOptions());

        report.Errors.Select(e => e.ToString()).Should().BeEmpty();
        report.Warnings.Should().BeEmpty();
        report.Committed.Should().BeTrue();
        report.Files.Select(f => f.File).Should().Equal(FactImporter.FileOrder);
        report.Files.Should().AllSatisfy(f =>
        {
            f.Rows.Should().BePositive(f.File);
            f.Inserted.Should().Be(f.Rows, f.File);
        });
        report.Files.Single(f => f.File == "accounts.csv").Rows.Should().Be(150);
        t.Reader.Counts()["accounts"].Should().Be(150);
    }

    [Fact]
    public void Importing_the_demo_twice_changes_nothing()
    {
        using var t = new TempDatabase();
        t.Importer.Import(Demo(), new ImportOptions()).Ok.Should().BeTrue();
        var rows = t.Snapshot();

        var second = t.Importer.Import(Demo(), new ImportOptions());

        second.Ok.Should().BeTrue();
        second.Files.Should().AllSatisfy(f => f.Unchanged.Should().Be(f.Rows, f.File));
        t.Snapshot().Should().Equal(rows);
    }

    [Fact]
    public void The_demo_facts_agree_with_outcome_scoring()
    {
        using var t = new TempDatabase();
        t.Importer.Import(Demo(), new ImportOptions()).Ok.Should().BeTrue();
        var policy = ScoringPolicy.Default;
        foreach (var asOf in new[] { D("2026-01-01"), D("2026-11-24") })
        {
            var active = t.Reader.AccountFacts(asOf, policy, onlyActive: true);
            active.Should().NotBeEmpty();
            active.Should().AllSatisfy(f => f.Arr.Should().BePositive());
            foreach (var facts in t.Reader.AccountFacts(asOf, policy, onlyActive: false))
            {
                // Evidence recorded and computed from the account's metric readings.
                var history = t.Reader.History(facts.Id).History!;
                var evidence = UsageEvidence.WithRecorded(history, asOf);
                var scores = history.Outcomes.Select(o => OutcomeScoring.Score(o, evidence, asOf, policy)).OfType<OutcomeScore>().ToList();
                var because = $"{facts.Id} as of {asOf:yyyy-MM-dd}";
                facts.OutcomesPromised.Should().Be(scores.Count, because);
                facts.OutcomesEvidenced.Should().Be(scores.Count(s => s.Evidenced), because);
                facts.OutcomesOverdue.Should().Be(scores.Count(s => s.Overdue), because);
                facts.FirstEvidencedAt.Should().Be(scores.Where(s => s.Evidenced).Min(s => s.EvidencedAt), because);
                facts.EvidencedLowConfidenceOnly.Should().Be(scores.Count(s => s.Confidence == Confidence.Low), because);
                // Scoring the facts never throws and every verdict is defined.
                AccountScoring.Score(facts, asOf, policy).Band.Should().NotBeNull(because);
            }
        }
    }
}
