using ValueMcp.Scoring;

namespace ValueMcp.DemoData.Internal;

internal sealed record ReadingRow(string Metric, DateOnly ObservedAt, decimal Value);

/// <summary>
/// Weekly product-usage readings of an account over the year before the anchor: the metrics its outcomes name (moving
/// from the baseline toward the target after the promise, reaching it no earlier than the recorded evidence did, and
/// never for an outcome that is not evidenced or rests on low-confidence evidence only), then general usage metrics up
/// to <see cref="PerAccount"/>, some with a rise or a fall over the last 30 days. The series are checked with the
/// scoring library: the account's verdicts at the anchor are those of its archetype, readings or not; a series that
/// would change them is made plainer (trends flattened, then the outcomes' series frozen over the last 60 days, then
/// general metrics only). With <see cref="GeneratorOptions.FullYearReadings"/> every account has all 52 weeks (before its
/// contract start and after a churn too), so that each account has <see cref="PerAccount"/> x <see cref="Weeks"/> readings.
/// </summary>
internal static class MetricSeries
{
    public const int PerAccount = 5;
    public const int Weeks = 52;
    public const string Source = "product_analytics";
    private const ulong StreamMetrics = 0x4D45_5452_4943_5331;

    private static readonly string[] General = ["weekly_active_users", "reports_run", "api_calls", "dashboards_viewed", "records_synced"];

    public static List<ReadingRow> For(GeneratorContext ctx, int index, AccountFacts f)
    {
        var anchor = ctx.Anchor;
        var policy = ScoringPolicy.Default;
        var history = History(f);
        var expected = Verdicts(history, anchor, policy);
        for (var plainness = 0; plainness < 4; plainness++)
        {
            var r = Rng.For(ctx.Seed, StreamMetrics, (ulong)index);
            var rows = Build(r, f, index, anchor, history, policy, plainness, ctx.FullYearReadings);
            var with = history with { Readings = rows.Select(x => new MetricReading(f.Id, x.Metric, x.ObservedAt, x.Value, Source)).ToArray() };
            if (Verdicts(with, anchor, policy) == expected) return rows;
        }
        return [];
    }

    private static List<ReadingRow> Build(Rng r, AccountFacts f, int index, DateOnly anchor, AccountHistory history, ScoringPolicy policy, int plainness, bool fullYear)
    {
        var churn = f.Movements.Where(m => m.Kind == "churn").Select(m => (DateOnly?)m.Date).FirstOrDefault();
        var days = new List<DateOnly>(Weeks);
        for (var k = Weeks - 1; k >= 0; k--)
        {
            var d = anchor.AddDays(-7 * k - index % 7);
            if (fullYear || (d >= f.ContractStart && (churn is not DateOnly c || d < c))) days.Add(d);
        }
        var rows = new List<ReadingRow>(PerAccount * Weeks);
        var used = new HashSet<string>(StringComparer.Ordinal);

        // The outcomes' metrics (the first outcome naming a metric gives its series).
        if (plainness < 3)
        {
            foreach (var o in history.Outcomes)
            {
                if (used.Count == PerAccount) break;
                if (o.Metric.Length == 0 || o.Baseline is not decimal b || o.Target is not decimal t || o.Direction is null || !used.Add(o.Metric)) continue;
                var judged = OutcomeScoring.Judge(o, history.Evidence, anchor);
                // Where the series stands at the anchor: the target from the day the recorded evidence achieved it (when
                // that evidence is not of low confidence only), else short of it.
                DateOnly? reach = judged.Evidenced && judged.Confidence != Confidence.Low ? judged.EvidencedAt : null;
                var finalShare = r.Range(30, 86) / 100m;
                var freezeFrom = plainness >= 2 ? anchor.AddDays(-2 * policy.TrendWindowDays) : DateOnly.MaxValue;
                foreach (var d in days)
                {
                    var at = d > freezeFrom ? freezeFrom : d;
                    decimal share;
                    if (at < o.PromisedAt) share = 0m;
                    else if (reach is DateOnly e && at >= e) share = 1m;
                    else
                    {
                        var end = reach ?? anchor;
                        var span = Math.Max(1, end.DayNumber - o.PromisedAt.DayNumber);
                        var top = reach is null ? finalShare : 0.95m;
                        share = Math.Min(top, top * (at.DayNumber - o.PromisedAt.DayNumber) / span);
                    }
                    rows.Add(new ReadingRow(o.Metric, d, Math.Round(b + (t - b) * share, 2)));
                }
            }
        }

        // General usage metrics, each around its own level (within 4%), a few rising or falling by 30% over the last 30 days.
        var trendFrom = anchor.AddDays(1 - policy.TrendWindowDays);
        foreach (var metric in General)
        {
            if (used.Count == PerAccount) break;
            if (!used.Add(metric)) continue;
            var level = metric == "weekly_active_users" && f.UsedCapacity is int seats && seats > 0 ? seats * 0.8m : r.Range(40, 5000);
            var trend = r.Weighted([70, 18, 12]) switch { 1 => 1.30m, 2 => 0.70m, _ => 1m };
            if (plainness >= 1) trend = 1m;
            foreach (var d in days)
            {
                var noise = 1m + (r.Range(0, 81) - 40) / 1000m;
                var value = level * noise * (d >= trendFrom ? trend : 1m);
                rows.Add(new ReadingRow(metric, d, Math.Round(value, 0)));
            }
        }
        return rows;
    }

    private static (Band, Readiness, ExpansionLane?, RenewalRisk, LifecycleStage, ActionKind, bool, int, DateOnly?) Verdicts(
        AccountHistory h, DateOnly anchor, ScoringPolicy policy)
    {
        var facts = AccountDerivation.Derive(h, anchor, policy);
        var s = AccountScoring.Score(facts, anchor, policy, explain: false);
        return (s.Band.Value, s.Readiness.Value, s.Lane?.Lane, s.Risk.Value, s.Stage, s.NextAction.Kind, s.TtfvBreach,
            facts.OutcomesEvidenced, s.FirstValueAt);
    }

    private static T P<T>(string name) where T : struct, Enum =>
        Wire.TryParse<T>(name, out var v) ? v : throw new InvalidOperationException($"the generator made an unknown {typeof(T).Name}: {name}");

    /// <summary>The account's generated facts as the scoring library reads them (as the import would store them).</summary>
    private static AccountHistory History(AccountFacts f)
    {
        var profile = new AccountProfile(f.Id, f.Name, f.Segment, f.Tier ?? "", f.Csm, f.AccountManager ?? "", f.ExecutiveSponsor ?? "",
            f.ContractStart, f.RenewalDate, f.ContractedCapacity, f.UsedCapacity);
        var movements = f.Movements.Select(m => new MovementFact(f.Id, m.Date, P<MovementKind>(m.Kind), m.Amount ?? 0m, m.Lane ?? "", "")).ToArray();
        var outcomes = new List<OutcomeFact>();
        var evidence = new List<EvidenceFact>();
        var n = 0;
        foreach (var o in f.Outcomes)
        {
            var id = "o" + n++;
            outcomes.Add(new OutcomeFact(id, f.Id, o.Title, o.Metric ?? "", o.Unit ?? "", o.Baseline, o.Target,
                o.Direction is null ? null : P<Direction>(o.Direction), o.PromisedAt, o.DueDate, o.Source ?? ""));
            var m = 0;
            foreach (var e in o.Evidence)
                evidence.Add(new EvidenceFact(id + "e" + m++, id, e.CapturedAt,
                    string.IsNullOrEmpty(e.Source) ? EvidenceSource.Manual : P<EvidenceSource>(e.Source), e.Observed, e.Achieved, "", ""));
        }
        var signals = f.Signals.Select((s, i) => new SignalFact("s" + i, f.Id, s.ObservedAt, P<SignalCategory>(s.Category), s.Kind, s.Polarity, "")).ToArray();
        var milestones = f.Milestones.Select(m => new MilestoneFact(f.Id, P<MilestoneKind>(m.Kind), m.ReachedAt)).ToArray();
        return new AccountHistory(profile, movements, outcomes, evidence, signals, milestones, []);
    }
}
