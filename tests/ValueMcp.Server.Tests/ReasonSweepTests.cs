using Microsoft.Data.Sqlite;
using ValueMcp.DemoData;
using ValueMcp.Scoring;
using ValueMcp.Scoring.Tests;
using ValueMcp.Server.App;
using ValueMcp.Server.Tools;
using ValueMcp.Store;

namespace ValueMcp.Server.Tests;

/// <summary>
/// Issue 11, item 2: no reason contradicts another field of the same card. A generated portfolio (with human overrides
/// added) is scored at many as_of dates; every reason of every scorecard, every risk_reasons of list_renewal_risks,
/// every lane reason of expansion_ready_accounts and every forecast reason and scenario note is checked against the
/// card's own numbers (ReasonClaims: risk signal counts, days, flag, band, fulfilment, overdue counts, verdicts); and
/// every mover over the 30 days before each date comes with at least one cause.
/// </summary>
public sealed class ReasonSweepTests : IDisposable
{
    private readonly string _dir = OwnServer.NewDir("reason-sweep");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A generated portfolio of n accounts in a new database, with overrides of every field on some accounts.</summary>
    public static async Task<Database> GeneratedDatabase(string dir, int accounts, int seed)
    {
        var csv = Path.Combine(dir, "csv");
        PortfolioGenerator.Write(csv, new GeneratorOptions(accounts, seed));
        var db = Database.Open(Path.Combine(dir, "sweep.db"));
        var report = new FactImporter(db).Import(ImportSource.FromFolder(csv), new ImportOptions());
        report.Ok.Should().BeTrue(string.Join("; ", report.Errors.Take(5)));

        var writer = new FactWriter(db);
        List<string> ids;
        using (var stream = new FactReader(db).Histories(PortfolioGenerator.DemoAnchorDate)) ids = stream.Select(h => h.Id).ToList();
        var anchor = PortfolioGenerator.DemoAnchorDate;
        for (var i = 0; i < ids.Count; i += 5)
        {
            var (field, value) = (i / 5 % 6) switch
            {
                0 => (OverrideField.Risk, "high"),
                1 => (OverrideField.Risk, "low"),
                2 => (OverrideField.Band, "critical"),
                3 => (OverrideField.Band, "on_track"),
                4 => (OverrideField.Readiness, "ready"),
                _ => (OverrideField.Readiness, "blocked"),
            };
            var created = anchor.AddDays(-30 * (i % 12));
            DateOnly? expires = i % 3 == 0 ? created.AddDays(120) : null;
            await writer.SetOverride(ids[i], new OverrideFact(field, value, "account team judgement", "vp.cs", created, expires),
                _ => new WriteAudit("set_override", "{}", "vp.cs", DateTimeOffset.UnixEpoch));
        }
        return db;
    }

    private static CardView View(AccountCard c, int riskSignals)
    {
        string Computed<T>(OverrideField field, T inForce) where T : struct, Enum =>
            c.Overrides.FirstOrDefault(o => o.Field == field)?.Computed ?? Wire.Name(inForce);
        return new CardView(c.Fulfilment, c.OutcomesEvidenced, c.OutcomesPromised, c.OutcomesOverdue, riskSignals, c.DaysToRenewal,
            Wire.Name(c.RenewalFlag), Wire.Name(c.Band), Computed(OverrideField.Band, c.Band), Wire.Name(c.Engagement), c.Utilisation,
            Wire.Name(c.Readiness), Computed(OverrideField.Readiness, c.Readiness), Wire.Name(c.RenewalRisk), Computed(OverrideField.Risk, c.RenewalRisk),
            c.Lane is { } l ? Wire.Name(l) : null);
    }

    [Fact]
    public async Task No_reason_contradicts_its_card_in_a_generated_portfolio_at_many_dates()
    {
        using var db = await GeneratedDatabase(_dir, 180, 4242);
        var values = new ValueService(db, ScoringPolicy.Default, TimeProvider.System);
        var ids = values.Scored(PortfolioGenerator.DemoAnchorDate).All.Select(a => a.Id).ToList();

        var problems = new List<string>();
        void Add(DateOnly asOf, string id, IEnumerable<string> found)
        {
            foreach (var p in found)
                if (problems.Count < 25) problems.Add($"{id} as of {asOf:yyyy-MM-dd}: {p}");
        }

        var checkedCards = 0;
        var lowWithSignals = 0;
        var movers = 0;
        var causeKinds = new HashSet<string>(StringComparer.Ordinal);
        for (var asOf = PortfolioGenerator.DemoAnchorDate.AddDays(-390); asOf <= PortfolioGenerator.DemoAnchorDate.AddDays(60); asOf = asOf.AddDays(30))
        {
            var views = new Dictionary<string, CardView>(StringComparer.Ordinal);
            foreach (var id in ids)
            {
                var s = ScorecardTool.Answer(values, id, asOf);
                var riskSignals = s.SignalsRecent.Count(x => x.Polarity < 0 && x.Category is SignalCategory.Risk or SignalCategory.Usage);
                var view = View(s, riskSignals);
                views[id] = view;
                checkedCards++;
                if (view.Risk == "low" && riskSignals > 0) lowWithSignals++;
                Add(asOf, id, ReasonClaims.Contradictions(view, ReasonClaims.Field.Band, s.Reasons.Band));
                Add(asOf, id, ReasonClaims.Contradictions(view, ReasonClaims.Field.Readiness, s.Reasons.Readiness));
                Add(asOf, id, ReasonClaims.Contradictions(view, ReasonClaims.Field.Risk, s.Reasons.Risk));
                Add(asOf, id, ReasonClaims.Contradictions(view, ReasonClaims.Field.Action, s.Reasons.Action));
                Add(asOf, id, ReasonClaims.Contradictions(view, ReasonClaims.Field.Action, s.NextAction.Reason));
                Add(asOf, id, ReasonClaims.Contradictions(view, ReasonClaims.Field.Lane, s.Reasons.Lane));
            }

            foreach (var r in RenewalRisksTool.Answer(values, asOf, PortfolioFilter.None, 3650, RenewalRisk.Low, Inputs.MaxLimit).Accounts)
                Add(asOf, r.Id, ReasonClaims.Contradictions(views[r.Id], ReasonClaims.Field.Risk, r.RiskReasons));
            foreach (var e in ExpansionReadyTool.Answer(values, asOf, PortfolioFilter.None, includeEmerging: true, Inputs.MaxLimit).Accounts)
                Add(asOf, e.Id, ReasonClaims.Contradictions(views[e.Id] with { Lane = e.Lane is { } l ? Wire.Name(l) : null }, ReasonClaims.Field.Lane, e.LaneReasons));
            foreach (var m in MoversTool.Answer(values, asOf.AddDays(-30), asOf, PortfolioFilter.None).Movers)
            {
                movers++;
                if (m.Causes.Count == 0 && problems.Count < 25)
                    problems.Add($"{m.Account.Id} as of {asOf:yyyy-MM-dd}: mover ({string.Join(", ", m.Changes)}) without a cause");
                causeKinds.UnionWith(m.Causes.Select(c => c.Split(':')[0].Split(' ')[0]));
            }
            foreach (var f in RenewalForecastTool.Answer(values, asOf.AddDays(-3650), asOf.AddDays(3650), PortfolioFilter.None, asOf, Inputs.MaxLimit).Accounts)
            {
                Add(asOf, f.Id, ReasonClaims.Contradictions(views[f.Id], ReasonClaims.Field.Forecast, f.Reason));
                Add(asOf, f.Id, ReasonClaims.Contradictions(views[f.Id], ReasonClaims.Field.ScenarioNote, f.ScenarioNote));
            }
        }

        checkedCards.Should().Be(ids.Count * 16);
        lowWithSignals.Should().BePositive("the sweep must reach the reported case: renewal risk low with a risk signal in the window");
        movers.Should().BePositive();
        causeKinds.Should().Contain(["renewal", "new", "evidence", "outcome", "band", "risk"], "the sweep reaches movers of many causes: " + string.Join(", ", causeKinds));
        problems.Should().BeEmpty();
    }
}
