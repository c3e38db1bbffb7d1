using System.Text;
using Microsoft.Data.Sqlite;
using ValueMcp.Store;

namespace ValueMcp.Server.Tests;

/// <summary>
/// Every rule of a fact kind that both front doors write (promised outcomes, evidence, signals: FactRules, through the
/// registry FactKinds) is run through both: the CSV import (a dry run on the demo) and the write tool (on a server of
/// its own). Both refuse, on the same field, with the same words where both reach the rule. A rule added to one of
/// these kinds without a case here fails the coverage test.
/// </summary>
public sealed class FactRuleDoorsTests(FactRuleDoorsTests.Server fixture) : IClassFixture<FactRuleDoorsTests.Server>
{
    public sealed class Server : IAsyncLifetime
    {
        public OwnServer Own { get; private set; } = null!;
        public string ImportDir { get; } = OwnServer.NewDir("rule-doors-import");
        public async Task InitializeAsync() => Own = await OwnServer.Start("rule-doors");

        public async Task DisposeAsync()
        {
            await Own.DisposeAsync();
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(ImportDir)) Directory.Delete(ImportDir, recursive: true);
        }
    }

    /// <summary>A rule (kind, index in its table), the CSV row that breaks it, the tool call that breaks it, and whether
    /// the import reaches the rule itself (false: its parse refuses the value first, on the same field).</summary>
    public sealed record Case(string Kind, int Rule, string Row, string Tool, string Args, bool SameWords = true)
    {
        public override string ToString() => $"{Kind} rule {Rule}";
    }

    public static readonly IReadOnlyList<Case> All =
    [
        new("outcomes", 0, "O9,ACC-0001,Grow,m,u,0,10,,2026-01-01,,", "add_promised_outcome",
            """{"account_id":"ACC-0001","title":"Grow","baseline":0,"target":10,"promised_at":"2026-01-01"}"""),
        new("outcomes", 1, "O9,ACC-0001,Grow,m,u,10,5,increase,2026-01-01,,", "add_promised_outcome",
            """{"account_id":"ACC-0001","title":"Grow","baseline":10,"target":5,"direction":"increase","promised_at":"2026-01-01"}"""),
        new("outcomes", 2, "O9,ACC-0001,Go live,,,,,,2026-06-01,2026-05-01,", "add_promised_outcome",
            """{"account_id":"ACC-0001","title":"Go live","promised_at":"2026-06-01","due_date":"2026-05-01"}"""),
        new("outcomes", 3, "O9,ACC-0001,Grow,m,u,-2000000000000,,,2026-01-01,,", "add_promised_outcome",
            """{"account_id":"ACC-0001","title":"Grow","baseline":-2000000000000,"promised_at":"2026-01-01"}"""),
        new("outcomes", 4, "O9,ACC-0001,Grow,m,u,0,2000000000000,increase,2026-01-01,,", "add_promised_outcome",
            """{"account_id":"ACC-0001","title":"Grow","baseline":0,"target":2000000000000,"direction":"increase","promised_at":"2026-01-01"}"""),
        new("evidence", 0, "E9,OUT-00001,2026-03-01,usage,-2000000000000,,,", "record_evidence",
            """{"outcome_id":"OUT-00001","observed_value":-2000000000000,"captured_at":"2026-03-01"}"""),
        new("signals", 0, "S9,ACC-0001,2026-03-01,usage,x,2,", "log_signal",
            """{"account_id":"ACC-0001","category":"usage","kind":"x","polarity":2,"observed_at":"2026-03-01"}""", SameWords: false),
    ];

    public static TheoryData<Case> Cases()
    {
        var data = new TheoryData<Case>();
        foreach (var c in All) data.Add(c);
        return data;
    }

    private static IReadOnlyList<string> Fields(string kind) => kind switch
    {
        "outcomes" => FactKinds.Outcomes.Rules.Rules.Select(r => r.Field).ToList(),
        "evidence" => FactKinds.Evidence.Rules.Rules.Select(r => r.Field).ToList(),
        "signals" => FactKinds.Signals.Rules.Rules.Select(r => r.Field).ToList(),
        _ => throw new ArgumentException(kind),
    };

    [Fact]
    public void Every_rule_of_the_kinds_both_doors_write_has_a_case()
    {
        foreach (var kind in new[] { "outcomes", "evidence", "signals" })
            All.Where(c => c.Kind == kind).Select(c => c.Rule).Should().BeEquivalentTo(Enumerable.Range(0, Fields(kind).Count),
                $"every rule of {kind} (FactRules) is run through the import and the write tool here");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Both_doors_refuse_a_fact_that_breaks_the_rule_on_the_same_field(Case c)
    {
        var field = Fields(c.Kind)[c.Rule];
        var kind = FactKinds.All.Single(k => k.Table == c.Kind);

        var imported = Import(kind, c.Row);
        imported.Ok.Should().BeFalse($"the import refuses {c}");
        var error = imported.Errors.Should().ContainSingle($"one error for {c}: {string.Join("; ", imported.Errors)}").Subject;
        error.Column.Should().Be(field);

        var before = fixture.Own.Fingerprint();
        var result = await fixture.Own.Call(c.Tool, c.Args);
        var text = ServerFixture.Text(result);
        (result.IsError ?? false).Should().BeTrue($"{c.Tool} refuses {c}; it answered {text}");
        text.Should().StartWith($"{field}:");
        if (c.SameWords) text.Should().EndWith(error.Message, "both doors say the rule's words");
        fixture.Own.Fingerprint().Should().Be(before, "a refused call writes nothing");
    }

    private ImportReport Import(FactEntry kind, string row)
    {
        var dir = Path.Combine(fixture.ImportDir, Guid.NewGuid().ToString("N")[..8]);
        var target = OwnServer.NewDemoDatabase(dir);
        using var db = TestStore.Open(target);
        var csv = Encoding.UTF8.GetBytes(string.Join(",", kind.CsvColumns) + "\n" + row + "\n");
        return db.Import(
            ImportSource.FromStreams("case", new Dictionary<string, Func<Stream>> { [kind.File!] = () => new MemoryStream(csv) }),
            new ImportOptions { DryRun = true });
    }
}
