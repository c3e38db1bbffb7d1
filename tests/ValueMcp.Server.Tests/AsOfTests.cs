using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace ValueMcp.Server.Tests;

/// <summary>
/// Issue 11, item 8: nothing dated after as_of appears in any answer. Two servers serve the demo portfolio; the second
/// also holds facts of every kind dated after as_of (ARR movements of each kind, an outcome, evidence, signals of each
/// polarity, a milestone, overrides) on the same accounts. Every read tool, asked as of the demo's date, must answer
/// both alike, to the byte. get_audit_log is left out: it is a log of operations by wall-clock time with no as_of
/// (domain.md's "as of" covers facts, and the audit log records writes, not facts).
/// </summary>
public sealed class AsOfTests
{
    private const string AsOf = ServerFixture.AsOfText;

    /// <summary>The accounts the future facts go to: active at as_of, each with an outcome not evidenced at as_of.</summary>
    private static List<(string Account, string Csm, string Outcome)> Targets(DemoFacts facts)
    {
        var active = facts.ActiveAt(ServerFixture.AsOf);
        return facts.Accounts
            .Where(a => active.ContainsKey(a["id"]))
            .Select(a => (Account: a["id"], Csm: a["csm"], Outcome: facts.OutcomesOf(a["id"], ServerFixture.AsOf).FirstOrDefault(o => !o.Evidenced).Id))
            .Where(t => t.Outcome is not null)
            .Take(8)
            .ToList();
    }

    /// <summary>Facts of every kind, each dated after as_of (2026-11-25 onwards), on the target accounts.</summary>
    private static void AddFutureFacts(string dbPath, List<(string Account, string Csm, string Outcome)> targets)
    {
        using var c = TestStore.Connection(dbPath);
        using var tx = c.BeginTransaction();
        void Exec(string sql, params (string Name, object? Value)[] args)
        {
            using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            foreach (var (name, value) in args)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = name;
                p.Value = value ?? DBNull.Value;
                cmd.Parameters.Add(p);
            }
            cmd.ExecuteNonQuery();
        }
        var kinds = new[] { "expansion", "contraction", "churn", "new" };
        for (var i = 0; i < targets.Count; i++)
        {
            var (account, _, outcome) = targets[i];
            var day = ServerFixture.AsOf.AddDays(1 + i);
            string D(DateOnly d) => d.ToString("yyyy-MM-dd");
            Exec("INSERT INTO arr_movements (account_id, effective_date, kind, amount_cents, lane, note) VALUES (@a, @d, @k, @c, @l, 'future movement')",
                ("@a", account), ("@d", D(day)), ("@k", kinds[i % kinds.Length]), ("@c", 1_234_500L), ("@l", i % kinds.Length == 0 ? "modules" : ""));
            Exec("INSERT INTO outcomes (id, account_id, title, metric, unit, baseline, target, direction, promised_at, due_date, source) " +
                 "VALUES (@id, @a, 'Future outcome', 'm', 'u', 0, 10, 'increase', @p, @due, 'future deal')",
                ("@id", $"FUT-OUT-{i}"), ("@a", account), ("@p", D(day)), ("@due", D(day.AddDays(10))));
            Exec("INSERT INTO evidence (id, outcome_id, captured_at, source, observed_value, achieved, note, captured_by) " +
                 "VALUES (@id, @o, @d, 'usage', 999, 1, 'future evidence', 'tester')",
                ("@id", $"FUT-EV-{i}"), ("@o", outcome), ("@d", D(day)));
            Exec("INSERT INTO evidence (id, outcome_id, captured_at, source, observed_value, achieved, note, captured_by) " +
                 "VALUES (@id, @o, @d, 'survey', 999, 1, 'future evidence on a future outcome', 'tester')",
                ("@id", $"FUT-EV2-{i}"), ("@o", $"FUT-OUT-{i}"), ("@d", D(day.AddDays(1))));
            foreach (var (category, polarity, n) in new[] { ("risk", -1, 0), ("usage", -1, 1), ("usage", 1, 2), ("data", 1, 3), ("capacity", 1, 4), ("success", 1, 5) })
                Exec("INSERT INTO signals (id, account_id, observed_at, category, kind, polarity, note) VALUES (@id, @a, @d, @c, 'future_kind', @p, 'future signal')",
                    ("@id", $"FUT-SIG-{i}-{n}"), ("@a", account), ("@d", D(day)), ("@c", category), ("@p", polarity));
            Exec("INSERT INTO milestones (account_id, kind, reached_at) VALUES (@a, 'renewed', @d) ON CONFLICT DO NOTHING", ("@a", account), ("@d", D(day)));
            Exec("INSERT INTO milestones (account_id, kind, reached_at) VALUES (@a, 'adopted', @d) ON CONFLICT DO NOTHING", ("@a", account), ("@d", D(day)));
            var field = new[] { "band", "readiness", "risk" }[i % 3];
            var value = new[] { "critical", "blocked", "high" }[i % 3];
            Exec("INSERT INTO overrides (account_id, field, value, reason, author, created_at, expires_at) VALUES (@a, @f, @v, 'future judgement', 'vp.cs', @d, NULL)",
                ("@a", account), ("@f", field), ("@v", value), ("@d", D(day)));
        }
        tx.Commit();
    }

    /// <summary>Every read tool (get_audit_log aside), with arguments that reach the target accounts and periods spanning as_of.</summary>
    private static List<(string Tool, Dictionary<string, object?> Args)> Calls(List<(string Account, string Csm, string Outcome)> targets)
    {
        var calls = new List<(string, Dictionary<string, object?>)>
        {
            ("get_portfolio_health", J.Args()),
            ("list_accounts", J.Args(("limit", 200))),
            ("list_accounts", J.Args(("limit", 200), ("sort_by", "fulfilment"))),
            ("list_renewal_risks", J.Args(("within_days", 3650), ("limit", 200))),
            ("expansion_ready_accounts", J.Args(("include_emerging", true), ("limit", 200))),
            ("portfolio_movers", J.Args(("since", "2026-09-01"))),
            ("portfolio_movers", J.Args(("days", 7))),
            ("retention_metrics", J.Args(("period_start", "2026-10-01"), ("period_end", "2027-01-01"), ("group_by", "segment"))),
            ("retention_metrics", J.Args(("period_start", "2025-01-01"), ("period_end", "2027-06-01"))),
            ("renewal_forecast", J.Args(("period_start", "2026-01-01"), ("period_end", "2028-01-01"))),
            ("model_expansion_scenario", J.Args(("from_portfolio", true))),
            ("segment_insights", J.Args()),
        };
        foreach (var (account, csm, _) in targets)
        {
            calls.Add(("get_account_scorecard", J.Args(("account_id", account))));
            calls.Add(("csm_book", J.Args(("csm", csm))));
        }
        foreach (var c in calls) c.Item2["as_of"] = AsOf;
        return calls;
    }

    [Fact]
    public async Task Facts_dated_after_as_of_appear_in_no_answer_of_any_read_tool()
    {
        var facts = DemoFacts.Load(OwnServer.DemoFolder);
        var targets = Targets(facts);
        targets.Should().HaveCountGreaterThanOrEqualTo(6);

        var futureDir = OwnServer.NewDir("asof-future");
        OwnServer.NewDemoDatabase(futureDir);
        AddFutureFacts(TestStore.Target(Path.Combine(futureDir, "own.db")), targets);
        SqliteConnection.ClearAllPools();

        await using var plain = await OwnServer.Start("asof-plain", ["--read-only"]);
        await using var future = await OwnServer.Start("asof-future", ["--read-only"], dir: futureDir);

        var differences = new List<string>();
        foreach (var (tool, args) in Calls(targets))
        {
            var a = await plain.Ok(tool, args);
            var b = await future.Ok(tool, args);
            var left = a.ToJsonString();
            var right = b.ToJsonString();
            if (left != right)
                differences.Add($"{tool} {JsonSerializer.Serialize(args)}: first difference at {FirstDifference(left, right)}");
            var textA = ServerFixture.Text(await plain.Call(tool, args));
            var textB = ServerFixture.Text(await future.Call(tool, args));
            if (textA != textB) differences.Add($"{tool} text: first difference at {FirstDifference(textA, textB)}");
        }
        differences.Should().BeEmpty("an answer as of {0} may not change when facts dated after it are added", AsOf);
    }

    private static string FirstDifference(string a, string b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        var from = Math.Max(0, i - 80);
        return $"{i}: ...{a[from..Math.Min(a.Length, i + 120)]} | vs | ...{b[from..Math.Min(b.Length, i + 120)]}";
    }
}
