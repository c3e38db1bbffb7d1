using System.Globalization;
using ValueMcp.Scoring;
using static ValueMcp.Store.Tests.TempDatabase;

namespace ValueMcp.Store.Tests;

/// <summary>
/// The per-account aggregates computed in SQL agree with what OutcomeScoring computes from the same stored rows.
/// </summary>
public sealed class CrossCheckTests
{
    public static TheoryData<string> AsOfDates => new() { "2025-01-31", "2025-03-15", "2025-06-30", "2025-09-30", "2025-12-31", "2026-06-30" };

    [Theory]
    [MemberData(nameof(AsOfDates))]
    public void Sql_facts_agree_with_outcome_scoring_on_a_hand_built_portfolio(string asOf)
    {
        using var t = new TempDatabase();
        t.ImportOk(Csv.Files(
            accounts: [Csv.Account("acme"), Csv.Account("globex"), Csv.Account("initech"), Csv.Account("umbrella"), Csv.Account("hooli")],
            movements: ["acme,2025-01-01,new,120000,,", "globex,2025-01-01,new,80000,,", "initech,2025-02-01,new,30000,,",
                "umbrella,2025-01-01,new,60000,,", "umbrella,2025-08-01,churn,,,", "hooli,2025-01-01,new,10000,,"],
            outcomes:
            [
                "a1,acme,Cut close time,days,days,10,5,decrease,2025-01-10,2025-04-30,deal",
                "a2,acme,Grow usage,dau,n,100,200,increase,2025-01-10,2025-06-30,deal",
                "a3,acme,Go live,,,,,,2025-02-01,2025-03-01,deal",
                "a4,acme,Late promise,,,,,,2025-10-01,2026-03-01,deal",
                "g1,globex,Reduce tickets,tickets,n,50,20,decrease,2025-01-05,2025-05-31,deal",
                "g2,globex,Adopt reporting,reports,n,0,10,increase,2025-01-05,2025-12-31,deal",
                "i1,initech,Onboard 50 users,users,n,0,50,increase,2025-02-01,2025-03-31,deal",
                "u1,umbrella,Faster quotes,hours,h,48,24,decrease,2025-01-01,2025-03-31,deal",
                "u2,umbrella,Fewer errors,errors,n,10,2,decrease,2025-01-01,,deal",
            ],
            evidence:
            [
                "ae1,a1,2025-02-01,usage,7,,,bot",
                "ae2,a1,2025-03-10,usage,5,,,bot",
                "ae3,a1,2025-05-01,usage,8,,,bot",
                "ae4,a2,2025-03-01,meeting,210,false,,cs",
                "ae5,a2,2025-07-01,survey,205,,,cs",
                "ae6,a3,2025-01-20,manual,,true,before the promise,cs",
                "ae7,a4,2025-11-01,import,,true,,bot",
                "ge1,g1,2025-06-15,communication,20,,,cs",
                "ge2,g2,2025-04-01,usage,9,,,bot",
                "ge3,g2,2025-09-01,meeting,,true,,cs",
                "ge4,g2,2025-09-02,usage,11,,,bot",
                "ie1,i1,2025-03-31,,50,,,cs",
                "ue1,u1,2025-02-01,usage,30,,,bot",
                "ue2,u2,2025-02-01,usage,1,false,,bot",
            ]));

        AssertSqlAgreesWithScoring(t, D(asOf));
    }

    [Fact]
    public void Sql_facts_agree_with_outcome_scoring_on_a_generated_portfolio()
    {
        using var t = new TempDatabase();
        t.ImportOk(Generated(seed: 7, accounts: 25));
        for (var asOf = D("2024-12-31"); asOf <= D("2026-12-31"); asOf = asOf.AddDays(37))
            AssertSqlAgreesWithScoring(t, asOf);
    }

    private static void AssertSqlAgreesWithScoring(TempDatabase t, DateOnly asOf)
    {
        var policy = ScoringPolicy.Default;
        var all = t.Reader.AccountFacts(asOf, policy, onlyActive: false);
        all.Should().NotBeEmpty();
        foreach (var facts in all)
        {
            var detail = t.Reader.Detail(facts.Id, asOf)!;
            var scores = detail.Outcomes
                .Select(o => OutcomeScoring.Score(o, detail.Evidence, asOf, policy))
                .OfType<OutcomeScore>()
                .ToList();
            var because = $"account {facts.Id} as of {asOf:yyyy-MM-dd}";

            facts.OutcomesPromised.Should().Be(scores.Count, because);
            facts.OutcomesEvidenced.Should().Be(scores.Count(s => s.Evidenced), because);
            facts.OutcomesOverdue.Should().Be(scores.Count(s => s.Overdue), because);
            facts.OverdueOutcomes.Select(o => o.Id).Should().BeEquivalentTo(scores.Where(s => s.Overdue).Select(s => s.Outcome.Id), because);
            facts.FirstEvidencedAt.Should().Be(scores.Where(s => s.Evidenced).Min(s => s.EvidencedAt), because);
            facts.EvidencedLowConfidenceOnly.Should().Be(scores.Count(s => s.Confidence == Confidence.Low), because);
        }
    }

    /// <summary>A deterministic portfolio with many edge cases: dates around each other, all sources, all achieved forms.</summary>
    private static Dictionary<string, string> Generated(int seed, int accounts)
    {
        var rng = new Random(seed);
        var start = D("2025-01-01");
        string Day(int from, int span) => start.AddDays(from + rng.Next(span)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string[] sources = ["usage", "meeting", "survey", "communication", "manual", "import", ""];
        var accountRows = new List<string>();
        var movementRows = new List<string>();
        var outcomeRows = new List<string>();
        var evidenceRows = new List<string>();
        for (var a = 0; a < accounts; a++)
        {
            var id = $"acct{a:D2}";
            accountRows.Add(Csv.Account(id));
            movementRows.Add($"{id},2025-01-01,new,{1000 + a},,");
            for (var o = 0; o < rng.Next(0, 6); o++)
            {
                var oid = $"{id}-o{o}";
                var baseline = rng.Next(0, 50);
                var target = rng.Next(0, 100);
                if (target == baseline) target++; // a valid outcome's target moves from its baseline (FactRules)
                var direction = target > baseline ? "increase" : "decrease";
                var hasTarget = rng.Next(5) > 0;
                var promised = rng.Next(0, 400);
                var due = rng.Next(4) == 0 ? "" : Day(promised, 500); // on or after the promise (FactRules)
                outcomeRows.Add($"{oid},{id},Outcome {o} of {id},m,u,{baseline},{(hasTarget ? target.ToString(CultureInfo.InvariantCulture) : "")},{(hasTarget ? direction : "")},{Day(promised, 1)},{due},deal");
                for (var e = 0; e < rng.Next(0, 5); e++)
                {
                    var achieved = rng.Next(4) switch { 0 => "true", 1 => "false", _ => "" };
                    var observed = rng.Next(3) == 0 ? "" : rng.Next(0, 100).ToString(CultureInfo.InvariantCulture);
                    evidenceRows.Add($"{oid}-e{e},{oid},{Day(-30, 600)},{sources[rng.Next(sources.Length)]},{observed},{achieved},,gen");
                }
            }
        }
        return Csv.Files(accounts: [.. accountRows], movements: [.. movementRows], outcomes: [.. outcomeRows], evidence: [.. evidenceRows]);
    }
}
