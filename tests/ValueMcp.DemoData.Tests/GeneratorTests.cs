using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace ValueMcp.DemoData.Tests;

public sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "valuemcp-demodata-" + Guid.NewGuid().ToString("N"));

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

/// <summary>The default demo portfolio, generated once for the tests that only read it.</summary>
public sealed class DemoFixture : IDisposable
{
    private readonly TempFolder _temp = new();

    public DemoFixture()
    {
        Folder = _temp.Sub("demo");
        Counts = PortfolioGenerator.Write(Folder, new GeneratorOptions());
        Files = PortfolioFiles.Load(Folder);
        Verdicts = DomainChecker.Evaluate(Files, PortfolioGenerator.DemoAnchorDate);
    }

    public string Folder { get; }
    public IReadOnlyDictionary<string, long> Counts { get; }
    internal PortfolioFiles Files { get; }
    internal List<Verdict> Verdicts { get; }

    public void Dispose() => _temp.Dispose();
}

public sealed class GeneratorTests(DemoFixture demo, ITestOutputHelper output) : IClassFixture<DemoFixture>, IDisposable
{
    private static readonly string[] FileNames = ["accounts.csv", "arr_movements.csv", "outcomes.csv", "evidence.csv", "signals.csv", "milestones.csv", "renewals.csv", "metrics.csv"];
    private static readonly DateOnly Anchor = PortfolioGenerator.DemoAnchorDate;
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ValueMcp.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("ValueMcp.sln not found above " + AppContext.BaseDirectory);
    }

    private static DateOnly D(string s) => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------ determinism and the committed files

    [Fact]
    public void Same_options_give_byte_identical_files_and_another_seed_differs()
    {
        var a = _temp.Sub("a");
        var b = _temp.Sub("b");
        var c = _temp.Sub("c");
        PortfolioGenerator.Write(a, new GeneratorOptions(Accounts: 300, Seed: 7));
        PortfolioGenerator.Write(b, new GeneratorOptions(Accounts: 300, Seed: 7));
        PortfolioGenerator.Write(c, new GeneratorOptions(Accounts: 300, Seed: 8));
        foreach (var f in FileNames)
        {
            File.ReadAllBytes(Path.Combine(a, f)).Should().Equal(File.ReadAllBytes(Path.Combine(b, f)), f);
            File.ReadAllBytes(Path.Combine(a, f)).SequenceEqual(File.ReadAllBytes(Path.Combine(c, f))).Should().BeFalse(f);
        }
    }

    [Fact]
    public void Full_year_readings_give_every_account_5_metrics_x_52_weeks_and_leave_the_other_files_alone()
    {
        var plain = _temp.Sub("plain");
        var full = _temp.Sub("full");
        PortfolioGenerator.Write(plain, new GeneratorOptions(Accounts: 400, Seed: 11));
        var counts = PortfolioGenerator.Write(full, new GeneratorOptions(Accounts: 400, Seed: 11, FullYearReadings: true));

        counts["metrics.csv"].Should().Be(400 * 5 * 52);
        foreach (var f in FileNames.Where(f => f != "metrics.csv"))
            File.ReadAllBytes(Path.Combine(full, f)).Should().Equal(File.ReadAllBytes(Path.Combine(plain, f)), f);
        // Without the option, readings run from the contract start until a churn only: fewer rows.
        File.ReadLines(Path.Combine(plain, "metrics.csv")).Count().Should().BeLessThan(400 * 5 * 52 + 1);

        var readings = CsvTable.Load(Path.Combine(full, "metrics.csv")).Rows;
        var yearAgo = Anchor.AddDays(-7 * 52);
        foreach (var account in readings.GroupBy(r => r["account_id"]))
        {
            var metrics = account.GroupBy(r => r["metric"]).ToList();
            metrics.Should().HaveCount(5, account.Key);
            foreach (var m in metrics)
            {
                var days = m.Select(r => D(r["observed_at"])).ToList();
                days.Distinct().Should().HaveCount(52, $"{account.Key} {m.Key}");
                days.Should().OnlyContain(d => d > yearAgo && d <= Anchor, $"{account.Key} {m.Key}");
            }
        }
        readings.Select(r => r["account_id"]).Distinct().Should().HaveCount(400);
    }

    [Fact]
    public void Default_options_mean_150_accounts_seed_20261124_at_2026_11_24()
    {
        var explicitFolder = _temp.Sub("explicit");
        PortfolioGenerator.Write(explicitFolder, new GeneratorOptions(150, 20261124, new DateOnly(2026, 11, 24)));
        foreach (var f in FileNames)
            File.ReadAllBytes(Path.Combine(explicitFolder, f)).Should().Equal(File.ReadAllBytes(Path.Combine(demo.Folder, f)), f);
    }

    [Fact]
    public void Committed_demo_files_equal_a_fresh_generation_with_default_options()
    {
        var committed = Path.Combine(RepoRoot(), "samples", "demo-portfolio");
        foreach (var f in FileNames)
        {
            var path = Path.Combine(committed, f);
            File.Exists(path).Should().BeTrue($"{path} is committed");
            File.ReadAllBytes(path).Should().Equal(File.ReadAllBytes(Path.Combine(demo.Folder, f)),
                $"samples/demo-portfolio/{f} must be regenerated with PortfolioGenerator.Write(folder, new GeneratorOptions()), never edited by hand");
        }
    }

    [Fact]
    public void Embedded_files_are_the_committed_demo()
    {
        var embedded = DemoPortfolio.EmbeddedFiles();
        embedded.Keys.Should().BeEquivalentTo(FileNames);
        foreach (var (name, open) in embedded)
        {
            using var stream = open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.ToArray().Should().Equal(File.ReadAllBytes(Path.Combine(demo.Folder, name)), name);
        }
    }

    [Fact]
    public void Write_returns_the_data_row_count_of_each_file()
    {
        demo.Counts.Keys.Should().BeEquivalentTo(FileNames);
        demo.Counts["accounts.csv"].Should().Be(demo.Files.Accounts.Rows.Count).And.Be(150);
        demo.Counts["arr_movements.csv"].Should().Be(demo.Files.Movements.Rows.Count);
        demo.Counts["outcomes.csv"].Should().Be(demo.Files.Outcomes.Rows.Count);
        demo.Counts["evidence.csv"].Should().Be(demo.Files.Evidence.Rows.Count);
        demo.Counts["signals.csv"].Should().Be(demo.Files.Signals.Rows.Count);
        demo.Counts["milestones.csv"].Should().Be(demo.Files.Milestones.Rows.Count);
        demo.Counts["metrics.csv"].Should().Be(File.ReadLines(Path.Combine(demo.Folder, "metrics.csv")).Count() - 1);
        output.WriteLine(string.Join(", ", demo.Counts.Select(kv => $"{kv.Key}={kv.Value}")));
    }

    // ------------------------------------------------------------------ format

    [Fact]
    public void Files_follow_the_import_format()
    {
        var p = demo.Files;
        p.Accounts.Header.Should().Equal("id", "name", "segment", "tier", "csm", "account_manager", "contract_start", "renewal_date", "contracted_capacity", "used_capacity", "executive_sponsor");
        p.Movements.Header.Should().Equal("account_id", "effective_date", "kind", "amount", "lane", "note");
        p.Outcomes.Header.Should().Equal("id", "account_id", "title", "metric", "unit", "baseline", "target", "direction", "promised_at", "due_date", "source");
        p.Evidence.Header.Should().Equal("id", "outcome_id", "captured_at", "source", "observed_value", "achieved", "note", "captured_by");
        p.Signals.Header.Should().Equal("id", "account_id", "observed_at", "category", "kind", "polarity", "note");
        p.Milestones.Header.Should().Equal("account_id", "kind", "reached_at");

        var number = new Regex(@"^\d+(\.\d{1,2})?$");
        void Num(string v, string what) { if (v.Length > 0) number.IsMatch(v).Should().BeTrue($"{what} '{v}' is a plain number with at most 2 decimals"); }
        void FactDate(string v, string what) => D(v).Should().BeOnOrBefore(Anchor, what);

        foreach (var a in p.Accounts.Rows)
        {
            a["id"].Should().MatchRegex(@"^ACC-\d{4}$");
            a["name"].Should().NotBeEmpty();
            a["segment"].Should().BeOneOf("Enterprise", "Mid-Market", "SMB");
            a["tier"].Should().BeOneOf("1", "2", "3", "");
            a["csm"].Should().NotBeEmpty();
            D(a["contract_start"]).Should().BeOnOrAfter(Anchor.AddYears(-3)).And.BeOnOrBefore(Anchor);
            D(a["renewal_date"]).Should().BeOnOrAfter(Anchor.AddDays(-30)).And.BeOnOrBefore(Anchor.AddDays(400));
            var start = D(a["contract_start"]);
            var renewal = D(a["renewal_date"]);
            Enumerable.Range(1, 4).Any(k => start.AddYears(k) == renewal).Should().BeTrue($"{a["id"]}: renewal is a contract anniversary");
            (a["contracted_capacity"].Length == 0).Should().Be(a["used_capacity"].Length == 0, "capacities come in pairs");
            Num(a["contracted_capacity"], "contracted_capacity");
            Num(a["used_capacity"], "used_capacity");
        }
        foreach (var m in p.Movements.Rows)
        {
            FactDate(m["effective_date"], "movement date");
            m["kind"].Should().BeOneOf("new", "expansion", "contraction", "churn");
            if (m["kind"] == "churn") m["amount"].Should().BeEmpty();
            else { m["amount"].Should().NotBeEmpty(); Num(m["amount"], "amount"); decimal.Parse(m["amount"], CultureInfo.InvariantCulture).Should().BePositive(); }
            m["lane"].Should().BeOneOf("modules", "data_integration", "managed_services", "seats", "price", "");
            if (m["kind"] != "expansion") m["lane"].Should().BeEmpty();
        }
        foreach (var o in p.Outcomes.Rows)
        {
            o["id"].Should().MatchRegex(@"^OUT-\d{5}$");
            o["title"].Should().NotBeEmpty();
            FactDate(o["promised_at"], "promised_at");
            if (o["due_date"].Length > 0) D(o["due_date"]);
            Num(o["baseline"], "baseline");
            Num(o["target"], "target");
            if (o["target"].Length > 0) o["direction"].Should().BeOneOf("increase", "decrease");
            else o["direction"].Should().BeEmpty();
            if (o["baseline"].Length > 0 && o["target"].Length > 0)
            {
                var b = decimal.Parse(o["baseline"], CultureInfo.InvariantCulture);
                var t = decimal.Parse(o["target"], CultureInfo.InvariantCulture);
                (o["direction"] == "increase" ? t > b : t < b).Should().BeTrue($"{o["id"]}: direction agrees with baseline -> target");
            }
            var title = o["title"].ToLowerInvariant();
            if (Regex.IsMatch(title, @"^(reduce|cut|shorten|halve|consolidate)")) o["direction"].Should().Be("decrease", o["title"]);
            if (Regex.IsMatch(title, @"^(increase|improve|raise|get|achieve|lift|save|double|reach)")) o["direction"].Should().Be("increase", o["title"]);
        }
        foreach (var e in p.Evidence.Rows)
        {
            e["id"].Should().MatchRegex(@"^EV-\d{6}$");
            FactDate(e["captured_at"], "captured_at");
            e["source"].Should().BeOneOf("usage", "meeting", "survey", "communication", "manual", "import", "");
            e["achieved"].Should().BeOneOf("true", "false", "");
            Num(e["observed_value"], "observed_value");
        }
        foreach (var s in p.Signals.Rows)
        {
            s["id"].Should().MatchRegex(@"^SIG-\d{6}$");
            FactDate(s["observed_at"], "observed_at");
            s["category"].Should().BeOneOf("usage", "data", "success", "capacity", "risk", "timing");
            s["polarity"].Should().BeOneOf("+1", "-1");
            s["kind"].Should().NotBeEmpty();
        }
        foreach (var m in p.Milestones.Rows)
        {
            m["kind"].Should().BeOneOf("kickoff", "live", "first_value", "adopted", "renewed");
            FactDate(m["reached_at"], "reached_at");
        }

        // RFC 4180 quoting is exercised (names like "X, Inc.", notes with quotes)
        File.ReadAllText(Path.Combine(demo.Folder, "accounts.csv")).Should().Contain(", Inc.\"");
        p.Accounts.Rows.Should().Contain(a => a["name"].Contains(", Inc."));
    }

    [Fact]
    public void Each_kind_has_one_category_and_one_polarity()
    {
        foreach (var g in demo.Files.Signals.Rows.GroupBy(s => s["kind"]))
        {
            g.Select(s => s["category"]).Distinct().Should().ContainSingle(g.Key);
            g.Select(s => s["polarity"]).Distinct().Should().ContainSingle(g.Key);
        }
        var p = demo.Files.Signals.Rows;
        p.Select(s => s["category"]).Distinct().Should().BeEquivalentTo(["usage", "data", "success", "capacity", "risk", "timing"]);
        p.Select(s => s["kind"]).Should().Contain(["dau_growth", "login_decline", "new_department", "source_request", "roi_documented",
            "ticket_spike", "sponsor_change", "budget_cycle", "capacity_limit", "api_volume_up"]);
        p.Where(s => s["kind"] == "login_decline" || s["kind"] == "sponsor_change").Should().OnlyContain(s => s["polarity"] == "-1");
        p.Where(s => s["kind"] == "dau_growth" || s["kind"] == "roi_documented").Should().OnlyContain(s => s["polarity"] == "+1");
    }

    // ------------------------------------------------------------------ integrity

    [Theory]
    [InlineData(150, 20261124)]
    [InlineData(1200, 99)]
    public void Keys_are_unique_sorted_and_references_resolve(int accounts, int seed)
    {
        PortfolioFiles p;
        if (accounts == 150 && seed == 20261124) p = demo.Files;
        else
        {
            var folder = _temp.Sub("ri");
            PortfolioGenerator.Write(folder, new GeneratorOptions(accounts, seed));
            p = PortfolioFiles.Load(folder);
        }

        static void UniqueAndOrdinallySorted(IEnumerable<string> ids, string what)
        {
            var list = ids.ToList();
            list.Should().OnlyHaveUniqueItems(what);
            for (var i = 1; i < list.Count; i++)
                string.CompareOrdinal(list[i - 1], list[i]).Should().BeNegative($"{what} sort in generation order");
        }
        UniqueAndOrdinallySorted(p.Accounts.Rows.Select(r => r["id"]), "account ids");
        UniqueAndOrdinallySorted(p.Outcomes.Rows.Select(r => r["id"]), "outcome ids");
        UniqueAndOrdinallySorted(p.Evidence.Rows.Select(r => r["id"]), "evidence ids");
        UniqueAndOrdinallySorted(p.Signals.Rows.Select(r => r["id"]), "signal ids");
        p.Accounts.Rows.Select(r => r["name"]).Should().OnlyHaveUniqueItems("company names");

        var accountIds = p.Accounts.Rows.Select(r => r["id"]).ToHashSet(StringComparer.Ordinal);
        var outcomeIds = p.Outcomes.Rows.Select(r => r["id"]).ToHashSet(StringComparer.Ordinal);
        p.Movements.Rows.Should().OnlyContain(r => accountIds.Contains(r["account_id"]));
        p.Outcomes.Rows.Should().OnlyContain(r => accountIds.Contains(r["account_id"]));
        p.Signals.Rows.Should().OnlyContain(r => accountIds.Contains(r["account_id"]));
        p.Milestones.Rows.Should().OnlyContain(r => accountIds.Contains(r["account_id"]));
        p.Evidence.Rows.Should().OnlyContain(r => outcomeIds.Contains(r["outcome_id"]));

        p.Movements.Rows.Select(r => (r["account_id"], r["effective_date"], r["kind"], r["amount"])).Should().OnlyHaveUniqueItems("movement key");
        p.Milestones.Rows.Select(r => (r["account_id"], r["kind"])).Should().OnlyHaveUniqueItems("milestone key");

        // every account has exactly one `new`, at contract_start; churn is last; ARR never negative
        var starts = p.Accounts.Rows.ToDictionary(r => r["id"], r => r["contract_start"]);
        foreach (var g in p.Movements.Rows.GroupBy(r => r["account_id"]))
        {
            var rows = g.OrderBy(r => D(r["effective_date"])).ToList();
            rows.Count(r => r["kind"] == "new").Should().Be(1);
            rows[0]["kind"].Should().Be("new");
            rows[0]["effective_date"].Should().Be(starts[g.Key]);
            rows.Select(r => r["effective_date"]).Should().OnlyHaveUniqueItems();
            var arr = 0m;
            foreach (var r in rows)
            {
                if (r["kind"] == "churn") { r.Should().BeSameAs(rows[^1]); arr = 0; continue; }
                var amount = decimal.Parse(r["amount"], CultureInfo.InvariantCulture);
                arr += r["kind"] == "contraction" ? -amount : amount;
                arr.Should().BeGreaterThan(0, $"{g.Key}: a contraction never exceeds the ARR");
            }
        }
        p.Movements.Rows.Select(r => r["account_id"]).Distinct().Should().HaveCount(p.Accounts.Rows.Count, "every account has a `new` movement");
    }

    // ------------------------------------------------------------------ the demo at the anchor

    [Fact]
    public void Demo_shows_every_verdict_among_active_accounts()
    {
        var active = demo.Verdicts.Where(v => v.Active).ToList();
        string Dist(Func<Verdict, string?> key) => string.Join(", ", active.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key ?? "-"} {g.Count()}"));
        output.WriteLine($"active {active.Count} of {demo.Verdicts.Count}");
        output.WriteLine("band: " + Dist(v => v.Band));
        output.WriteLine("readiness: " + Dist(v => v.Readiness));
        output.WriteLine("flag: " + Dist(v => v.Flag));
        output.WriteLine("risk: " + Dist(v => v.Risk));
        output.WriteLine("action: " + Dist(v => v.Action));
        output.WriteLine("lane (ready/emerging): " + string.Join(", ", active.Where(v => v.Lane is not null).GroupBy(v => $"{v.Readiness}/{v.Lane}").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}")));
        output.WriteLine("stage: " + Dist(v => v.Stage));
        output.WriteLine($"ttfv breach: {active.Count(v => v.TtfvBreach)}; renewal passed: {active.Count(v => v.DaysToRenewal < 0)}");

        AssertEveryVerdict(active);
    }

    private static void AssertEveryVerdict(IReadOnlyCollection<Verdict> active)
    {
        active.Select(v => v.Band).Distinct().Should().BeEquivalentTo(["on_track", "at_risk", "critical", "no_contract"]);
        active.Select(v => v.Readiness).Distinct().Should().BeEquivalentTo(["ready", "emerging", "not_ready", "blocked"]);
        active.Select(v => v.Flag).Distinct().Should().BeEquivalentTo(["red", "amber", "none"]);
        active.Should().Contain(v => v.DaysToRenewal < 0, "a renewal date already passed");
        active.Select(v => v.Risk).Distinct().Should().BeEquivalentTo(["high", "medium", "low", "none"]);
        active.Select(v => v.Action).Distinct().Should().BeEquivalentTo([
            "escalate_renewal_risk", "establish_value_contract", "capture_missing_evidence", "schedule_impact_review",
            "initiate_expansion_conversation", "request_advocacy", "monitor"]);
        active.Where(v => v.Readiness is "ready" or "emerging").Select(v => v.Lane).Distinct()
            .Should().BeEquivalentTo(["modules", "data_integration", "managed_services"]);
        foreach (var readiness in new[] { "ready", "emerging" })
            active.Where(v => v.Readiness == readiness).Select(v => v.Lane).Distinct()
                .Should().BeEquivalentTo(["modules", "data_integration", "managed_services"], readiness);
        active.Select(v => v.Stage).Distinct().Should().BeEquivalentTo(["onboarding", "first_value", "adoption", "renewal", "expansion"]);
        active.Should().Contain(v => v.TtfvBreach);
    }

    [Theory]
    [InlineData(150, 20261124, "2026-11-24")]
    [InlineData(150, 1, "2026-11-24")]
    [InlineData(150, 424242, "2026-11-24")]
    [InlineData(150, 5, "2028-03-01")]
    [InlineData(2000, 20261124, "2026-11-24")]
    public void Every_account_has_the_verdicts_its_archetype_was_built_for(int accounts, int seed, string anchor)
    {
        var asOf = D(anchor);
        var options = new GeneratorOptions(accounts, seed, asOf);
        var folder = _temp.Sub($"arch-{accounts}-{seed}");
        PortfolioGenerator.Write(folder, options);
        var verdicts = DomainChecker.Evaluate(PortfolioFiles.Load(folder), asOf).ToDictionary(v => v.Id);
        var failures = new List<string>();
        foreach (var design in PortfolioGenerator.Describe(options))
        {
            var v = verdicts[design.AccountId];
            if (design.Expect is not { } e)
            {
                if (v.Active) failures.Add($"{v.Id} ({design.Archetype}) should be churned");
                continue;
            }
            var expectedLane = e.HasLane ? design.Lane : null;
            var got = (v.Active, v.Band, v.Readiness, v.Flag, v.Risk, v.Action, v.Stage, v.Lane);
            var want = (true, e.Band, e.Readiness, e.Flag, e.Risk, e.Action, e.Stage, expectedLane);
            if (got != want) failures.Add($"{v.Id} ({design.Archetype}): got {got}, want {want}");
            if (e.TtfvBreach is { } breach && breach != v.TtfvBreach) failures.Add($"{v.Id} ({design.Archetype}): ttfv breach {v.TtfvBreach}, want {breach}");
        }
        failures.Should().BeEmpty();
        AssertEveryVerdict(verdicts.Values.Where(v => v.Active).ToList());
    }

    [Fact]
    public void Demo_looks_like_a_real_book()
    {
        var p = demo.Files;
        var n = p.Accounts.Rows.Count;
        var segments = p.Accounts.Rows.GroupBy(r => r["segment"]).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine("segments: " + string.Join(", ", segments.Select(kv => $"{kv.Key} {kv.Value}")));
        segments["Enterprise"].Should().BeInRange(18, 45);
        segments["Mid-Market"].Should().BeInRange(45, 75);
        segments["SMB"].Should().BeInRange(45, 75);
        p.Accounts.Rows.Select(r => r["csm"]).Distinct().Should().HaveCount(5);
        p.Accounts.Rows.Should().Contain(r => r["tier"] == "");
        p.Accounts.Rows.Count(r => r["contracted_capacity"] == "").Should().BeInRange(3, 40, "some accounts have no capacity");

        var churned = demo.Verdicts.Count(v => !v.Active);
        churned.Should().BeInRange(12, 15, "about 8-10 % churned");
        p.Movements.Rows.Count(r => r["kind"] == "churn").Should().Be(churned);
        demo.Verdicts.Count(v => v.Promised == 0).Should().BeInRange(4, 8, "a few accounts (~5) have no value contract");
        demo.Verdicts.Where(v => v.Promised > 0).Should().OnlyContain(v => v.Promised >= 2 && v.Promised <= 6);

        var utils = p.Accounts.Rows.Where(r => r["contracted_capacity"] != "")
            .Select(r => decimal.Parse(r["used_capacity"], CultureInfo.InvariantCulture) / decimal.Parse(r["contracted_capacity"], CultureInfo.InvariantCulture)).ToList();
        utils.Min().Should().BeGreaterThanOrEqualTo(0.4m);
        utils.Max().Should().BeLessThanOrEqualTo(1.1m);

        p.Outcomes.Rows.Should().Contain(o => D(o["promised_at"]) > Anchor.AddDays(-30), "a handful of outcomes were promised in the last 30 days");
        p.Evidence.Rows.Select(e => e["source"]).Distinct().Should().BeEquivalentTo(["usage", "meeting", "survey", "communication", "manual", "import", ""]);
        p.Evidence.Rows.Select(e => e["achieved"]).Distinct().Should().BeEquivalentTo(["true", "false", ""]);
        p.Movements.Rows.Where(r => r["kind"] == "expansion").Select(r => r["lane"]).Distinct()
            .Should().Contain(["modules", "data_integration", "managed_services", "seats", "price"]);
        p.Movements.Rows.Should().Contain(r => r["kind"] == "contraction");
        p.Milestones.Rows.Select(m => m["kind"]).Distinct().Should().BeEquivalentTo(["kickoff", "live", "first_value", "adopted", "renewed"]);

        var news = p.Movements.Rows.Where(r => r["kind"] == "new").ToDictionary(r => r["account_id"], r => decimal.Parse(r["amount"], CultureInfo.InvariantCulture));
        foreach (var a in p.Accounts.Rows)
        {
            var (lo, hi) = a["segment"] switch { "Enterprise" => (120_000m, 600_000m), "Mid-Market" => (30_000m, 120_000m), _ => (5_000m, 30_000m) };
            news[a["id"]].Should().BeInRange(lo, hi, a["id"]);
        }
    }

    // ------------------------------------------------------------------ scale

    [Fact]
    public void Two_thousand_accounts_generate_quickly_with_the_benchmark_ratios()
    {
        var folder = _temp.Sub("scale");
        var clock = Stopwatch.StartNew();
        var progress = new List<string>();
        var counts = PortfolioGenerator.Write(folder, new GeneratorOptions(Accounts: 2000, Metrics: false), new SyncProgress(progress.Add));
        clock.Stop();
        output.WriteLine($"{clock.ElapsedMilliseconds} ms: " + string.Join(", ", counts.Select(kv => $"{kv.Key}={kv.Value}")));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(10));
        progress.Should().NotBeEmpty();

        counts["accounts.csv"].Should().Be(2000);
        (counts["outcomes.csv"] / 2000.0).Should().BeInRange(3.6, 4.4, "~4 outcomes per account");
        (counts["evidence.csv"] / 2000.0).Should().BeInRange(9.0, 11.0, "~10 evidence rows per account");
        (counts["signals.csv"] / 2000.0).Should().BeInRange(9.0, 11.0, "~10 signals per account");
        (counts["arr_movements.csv"] / 2000.0).Should().BeInRange(2.7, 3.3, "~3 ARR movements per account");

        // ids widen with size and still sort
        var p = PortfolioFiles.Load(folder);
        p.Accounts.Rows[0]["id"].Should().Be("ACC-0001");
        p.Outcomes.Rows[0]["id"].Should().Be("OUT-00001");
        p.Evidence.Rows[0]["id"].Should().Be("EV-000001");
        p.Signals.Rows[0]["id"].Should().Be("SIG-000001");
        p.Accounts.Rows.Select(r => r["name"]).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Bad_options_are_refused()
    {
        var act = () => PortfolioGenerator.Write(_temp.Sub("bad"), new GeneratorOptions(Accounts: 0));
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    private sealed class SyncProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
