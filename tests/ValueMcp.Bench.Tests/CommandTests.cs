namespace ValueMcp.Bench.Tests;

/// <summary>
/// The three commands run end to end on small inputs: they finish, check what they check and print every figure. No
/// figure is asserted (the machines are shared and noisy): the benchmarks report ratios, they are not timed tests.
/// </summary>
public sealed class CommandTests : IDisposable
{
    private readonly string _dir = Paths.NewDir("commands");

    public CommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Paths.Delete(_dir);

    [Fact]
    public async Task Bench_measures_every_read_against_the_floor_and_reuses_its_work_folder()
    {
        var work = Path.Combine(_dir, "work");
        var run = await Paths.RunBench(["bench", "--accounts", "600", "--calls", "2", "--writes", "2", "--work", work]);

        run.ExitCode.Should().Be(0, run.Stdout + run.Stderr);
        run.Stdout.Should().NotContain("MISMATCH");
        string[] measures =
        [
            "floor: one SQL statement, per-account facts + the 4 KPIs",
            "first get_portfolio_health at a new as_of",
            "repeated: get_portfolio_health, no filter (asked before)",
            "repeated: get_portfolio_health, segment ",
            "repeated: list_accounts, sort fulfilment, first page of 50",
            "repeated: list_accounts, sort fulfilment, next page (cursor)",
            "repeated: list_renewal_risks",
            "repeated: csm_book ",
            "after record_evidence: the next health",
            "record_evidence itself",
            "server peak memory (VmHWM), MB",
            "targets met: ",
        ];
        foreach (var m in measures) run.Stdout.Should().Contain(m);
        // Every new date and every write is checked against the floor.
        run.Stdout.Split('\n').Count(l => l.StartsWith("KPIs as_of ", StringComparison.Ordinal) && l.Contains("floor = server")).Should().Be(2);
        run.Stdout.Split('\n').Count(l => l.StartsWith("KPIs after evidence on ", StringComparison.Ordinal) && l.Contains("floor = server")).Should().Be(2);
        run.Stderr.Should().Contain("generated 600 accounts").And.Contain("overrides set through set_override");
        File.Exists(Path.Combine(work, "bench.db")).Should().BeTrue("the work folder is kept");

        var again = await Paths.RunBench(["bench", "--calls", "1", "--writes", "0", "--work", work]);
        again.ExitCode.Should().Be(0, again.Stdout + again.Stderr);
        again.Stderr.Should().Contain("reusing the CSV files").And.Contain("reusing the database");
        again.Stdout.Should().Contain("600 accounts").And.NotContain("after record_evidence");
    }

    [Fact]
    public async Task Bench_import_prints_the_ratio_against_its_target()
    {
        var run = await Paths.RunBench(["bench-import", "--accounts", "300", "--work", Path.Combine(_dir, "import")]);

        run.ExitCode.Should().Be(0, run.Stdout + run.Stderr);
        run.Stdout.Should().Contain("import: valuemcp import (all checks, one transaction): ");
        var sqlite3 = Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(p => File.Exists(Path.Combine(p, "sqlite3")));
        if (sqlite3)
        {
            run.Stdout.Should().MatchRegex(@"floor: sqlite3 \.import, the same keys and indexes: .*ratio import / floor \d+\.\d\d \(target >= 0\.5\): (met|NOT MET)");
            run.Stdout.Should().MatchRegex(@"floor: sqlite3 \.import, the same keys only: .*ratio import / floor \d+\.\d\d \(target >= 0\.5\): reference");
        }
        else run.Stdout.Should().Contain("skipped (no working sqlite3");
    }

    [Fact]
    public async Task With_metrics_the_import_loads_the_readings_and_the_servers_kpis_equal_the_floors()
    {
        var work = Path.Combine(_dir, "metrics");
        var import = await Paths.RunBench(["bench-import", "--accounts", "200", "--metrics", "--work", work]);
        import.ExitCode.Should().Be(0, import.Stdout + import.Stderr);
        import.Stdout.Should().MatchRegex(@"metric_readings [1-9][0-9,]*\)");

        // The same folder: bench reuses the CSVs with metrics.csv; the server's KPIs must equal the floor's (or it exits 1).
        var run = await Paths.RunBench(["bench", "--accounts", "200", "--calls", "1", "--writes", "1", "--metrics", "--work", work]);
        run.ExitCode.Should().Be(0, run.Stdout + run.Stderr);
        run.Stdout.Should().NotContain("MISMATCH");
        run.Stderr.Should().Contain("with metrics.csv");
    }

    [Fact]
    public async Task Bench_http_short_run_has_no_errors_and_no_lost_writes()
    {
        var run = await Paths.RunBench(["bench-http", "--duration", "2", "--clients", "2"]);

        run.ExitCode.Should().Be(0, run.Stdout + run.Stderr);
        run.Stdout.Should().Contain("result          ok: no errors, no lost writes").And.MatchRegex(@"writes +\d+ acknowledged");
    }

    [Fact]
    public async Task A_folder_that_cannot_be_made_is_one_clear_line_in_every_command()
    {
        var file = Path.Combine(_dir, "a-file");
        await File.WriteAllTextAsync(file, "not a folder\n");
        var under = Path.Combine(file, "sub");
        var cases = new (string[] Args, Dictionary<string, string>? Env)[]
        {
            (["bench", "--work", file, "--accounts", "10"], null),
            (["bench", "--work", under, "--accounts", "10"], null),
            (["bench-import", "--work", under, "--accounts", "10"], null),
            (["bench-http", "--duration", "1", "--clients", "1"], new() { ["TMPDIR"] = under }),
            (["bench", "--server", Path.Combine(_dir, "no-such-valuemcp.dll"), "--accounts", "10"], null),
            (["bench", "--calls", "0"], null),
        };
        foreach (var (args, env) in cases)
        {
            var run = await Paths.RunBench(args, env);
            var because = string.Join(' ', args);
            var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            run.Stderr.Should().NotContain("   at ", because).And.NotContain("Unhandled exception", because);
            lines.Should().HaveCount(1, $"one clear line ({because}), not:\n{run.Stderr}");
            lines[0].Should().StartWith($"valuemcp {args[0]}: ", because);
            run.ExitCode.Should().Be(2, because);
        }
        (await File.ReadAllTextAsync(file)).Should().Be("not a folder\n");
    }
}
