using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ValueMcp.DemoData;

namespace ValueMcp.Bench;

/// <summary>
/// `bench`: the read path of the server against the floor, in one run, on a large generated portfolio. The floor is
/// one SQL statement of the benchmark's own (Floor) computing the per-account facts and the four KPIs; the server is
/// the shipped one, a child process over stdio, asked through a real MCP client: the first get_portfolio_health at
/// dates never asked before, repeated reads at a date already asked, the next health after one record_evidence, and
/// its peak memory. Prints each p50 as a ratio to the floor's, next to its target. A report: exit 0 whether targets are
/// met or not; 1 when the server's KPIs differ from the floor's or a write is not reflected (the numbers are wrong).
/// </summary>
public static class ScaleBench
{
    public const double FirstHealthTarget = 1.2, RepeatedReadTarget = 0.02, AfterWriteTarget = 0.05, PeakMemoryTargetMb = 400;

    public sealed record Options(int Accounts, int Calls, int Writes, string? Work, string? Server, bool Metrics = false, string? Db = null);

    public static Command Command()
    {
        var accounts = new Option<int>("--accounts") { Description = "Portfolio size when generating (1-1,000,000).", DefaultValueFactory = _ => 100_000 };
        var calls = new Option<int>("--calls") { Description = "Samples per measure (floor runs, new dates, each repeated read): p50 over them (1-100).", DefaultValueFactory = _ => 5 };
        var writes = new Option<int>("--writes") { Description = "record_evidence writes, each followed by a timed get_portfolio_health (0-50).", DefaultValueFactory = _ => 3 };
        var work = WorkOption();
        var server = ServerOption();
        var metrics = new Option<bool>("--metrics") { Description = "Include metric readings: 5 metrics per account, a reading a week for a year (26 million rows at 100,000 accounts); the floor computes evidence from usage and trend signals too." };
        var db = BenchStore.Option();
        var cmd = new Command("bench", "The read path against the floor, in one run: the floor (one SQL statement: per-account facts and the four KPIs), " +
                                       "the first get_portfolio_health at new dates, repeated reads, the next health after a write, the server's peak memory; ratios and targets.")
            { accounts, calls, writes, work, server, metrics, db };
        cmd.SetAction((parse, ct) => Guarded(() => Run(new Options(parse.GetValue(accounts), parse.GetValue(calls), parse.GetValue(writes),
            parse.GetValue(work), parse.GetValue(server), parse.GetValue(metrics), parse.GetValue(db)), Console.Out, ct), "bench"));
        return cmd;
    }

    public static Option<string?> WorkOption() => new("--work")
    {
        Description = "Working folder, kept: the generated CSVs and the imported database are reused when it holds them. Default: a temporary folder, deleted after.",
        HelpName = "DIR",
    };

    public static Option<string?> ServerOption() => new("--server")
    {
        Description = "The server to measure: a valuemcp.dll (run through dotnet) or a valuemcp executable (e.g. the Native AOT build). Default: the valuemcp.dll built next to the benchmark.",
        HelpName = "PATH",
    };

    /// <summary>
    /// Runs a command: a BenchException is one line on stderr ("valuemcp NAME: ...") and its exit code; the server
    /// failing under it (a protocol error, a lost connection, a timeout, a file error) one line and exit 1.
    /// </summary>
    public static async Task<int> Guarded(Func<Task<int>> run, string name)
    {
        try
        {
            return await run();
        }
        catch (BenchException e)
        {
            await Console.Error.WriteLineAsync($"valuemcp {name}: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (e is McpException or IOException or UnauthorizedAccessException or SqliteException or Npgsql.NpgsqlException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"valuemcp {name}: failed: {e.GetType().Name}: {e.Message}");
            return Exit.Failed;
        }
    }

    private sealed record Row(string Measure, int Samples, double P50Ms, double? Target, string? Note = null);

    public static async Task<int> Run(Options o, TextWriter output, CancellationToken ct)
    {
        if (o.Accounts is < 1 or > 1_000_000 || o.Calls is < 1 or > 100 || o.Writes is < 0 or > 50)
            throw new BenchException("--accounts accepts 1 to 1,000,000, --calls 1 to 100, --writes 0 to 50");
        var server = ServerProgram.Resolve(o.Server);
        using var work = Workspace.Open(o.Work, "bench");
        using var store = BenchStore.Open(o.Db, work);
        var log = Console.Error;
        await log.WriteLineAsync($"bench: server {server.Description}; work folder {work.Dir}; store {store.Describe}");
        await log.WriteLineAsync("bench: " + work.EnsureCsv(o.Accounts, o.Metrics));
        await log.WriteLineAsync("bench: " + await store.EnsureDatabase(server, ct));
        var db = store.FreshCopy();
        var load = Machine.LoadAverage();

        var anchor = PortfolioGenerator.DemoAnchorDate;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        // The warm-up date, then dates asked once each; none of them today (the server may score today on its own).
        var warmDate = anchor == today ? anchor.AddDays(-(o.Calls + 2)) : anchor;
        var newDates = Enumerable.Range(1, o.Calls + 1).Select(k => anchor.AddDays(-k)).Where(d => d != today && d != warmDate).Take(o.Calls).ToList();
        var readDate = newDates[0];

        // The floor's connection, read-only, open for the whole run; one warm-up run before the server starts.
        using var floorDb = Floor.OpenAny(db);
        Floor.Run(floorDb, warmDate);
        var segment = MostCommon(floorDb, "segment");
        var csm = MostCommon(floorDb, "csm");
        var reads = RepeatedReads(segment, csm);
        var mismatches = new List<string>();
        var checks = new List<string>();

        await using var serving = await server.Serve(db, [], ct);
        var client = serving.Client;
        await log.WriteLineAsync($"bench: server started (pid {serving.Pid?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}); waiting for it to be quiet...");
        await Quiet(serving, log, ct);

        // 1. Warm the process (JIT, connections) with every read at a date used nowhere else.
        await log.WriteLineAsync($"bench: warm-up at {Floor.Iso(warmDate)}...");
        await Health(client, warmDate, ct);
        string? cursor = null;
        foreach (var (_, tool, args) in reads)
        {
            var (s, _) = await Tool.Call(client, tool, With(args(cursor), warmDate), ct);
            cursor ??= NextCursor(s);
        }

        // 2. At each new date, on a quiet server: the floor, then the first get_portfolio_health there (the expensive
        //    question), one after the other so that both meet the same load on a shared machine; the KPIs compared.
        await log.WriteLineAsync($"bench: the floor and the first get_portfolio_health at {newDates.Count} new date(s)...");
        var floorTimes = new List<double>();
        var firstTimes = new List<double>();
        Floor.Result atReadDate = null!;
        Kpis? before = null;
        foreach (var d in newDates)
        {
            await Quiet(serving, log, ct);
            var f = Floor.Run(floorDb, d, keepRows: d == readDate);
            floorTimes.Add(f.Elapsed.TotalMilliseconds);
            var (kpis, ms) = await Health(client, d, ct);
            firstTimes.Add(ms);
            if (d == readDate) (atReadDate, before) = (f, kpis);
            Compare($"as_of {Floor.Iso(d)}", f.Kpis, kpis, checks, mismatches);
        }
        var floor = Stats.Median(floorTimes);
        var rows = new List<Row>
        {
            new("floor: one SQL statement, per-account facts + the 4 KPIs", floorTimes.Count, floor, null),
            new("first get_portfolio_health at a new as_of", firstTimes.Count, Stats.Median(firstTimes), store.FirstHealthTarget),
        };

        // 3. Repeated reads at a date already asked, the data unchanged.
        await log.WriteLineAsync($"bench: repeated reads at {Floor.Iso(readDate)}...");
        cursor = null;
        foreach (var (label, tool, args) in reads)
        {
            var times = new List<double>();
            for (var i = 0; i < o.Calls; i++)
            {
                var (s, ms) = await Tool.Call(client, tool, With(args(cursor), readDate), ct);
                times.Add(ms);
                cursor ??= NextCursor(s);
            }
            rows.Add(new($"repeated: {label}", times.Count, Stats.Median(times), RepeatedReadTarget));
        }

        // 4. One record_evidence that lifts an account into on_track, then the next health at that date: timed, and
        //    checked against the floor run again on the written database (the write must show in the KPIs).
        var candidates = Candidates(atReadDate.Accounts, Floor.Thresholds.Default.OnTrackFulfilment).Take(o.Writes).ToList();
        var writeTimes = new List<double>();
        var afterTimes = new List<double>();
        if (o.Writes > 0)
            await log.WriteLineAsync($"bench: {candidates.Count} write(s) at {Floor.Iso(readDate)}...");
        foreach (var account in candidates)
        {
            var outcome = Floor.UnevidencedOutcome(floorDb, account.Id, readDate)
                          ?? throw new BenchException($"no unevidenced outcome on {account.Id} at {Floor.Iso(readDate)}", Exit.Failed);
            await Quiet(serving, log, ct);
            var (_, writeMs) = await Tool.Call(client, "record_evidence", new Dictionary<string, object?>
            {
                ["outcome_id"] = outcome,
                ["achieved"] = true,
                ["source"] = "usage",
                ["note"] = "valuemcp bench: one evidenced outcome",
                ["captured_at"] = Floor.Iso(readDate),
            }, ct);
            var (after, ms) = await Health(client, readDate, ct);
            writeTimes.Add(writeMs);
            afterTimes.Add(ms);
            var expected = Floor.Run(floorDb, readDate).Kpis;
            var where = $"after evidence on {outcome} ({account.Id}, {account.Evidenced + 1} of {account.Promised} evidenced)";
            Compare(where, expected, after, checks, mismatches);
            if (before is not null && before.Differences(after).Count == 0)
                mismatches.Add($"{where}: the KPIs did not change ({after}), but the account left at_risk for on_track");
            before = after;
        }
        if (o.Writes > 0 && candidates.Count == 0)
            rows.Add(new("after record_evidence: the next health", 0, double.NaN, AfterWriteTarget, "not measured: no active at_risk account one outcome below on_track"));
        else if (o.Writes > 0)
        {
            rows.Add(new("after record_evidence: the next health", afterTimes.Count, Stats.Median(afterTimes), AfterWriteTarget));
            rows.Add(new("record_evidence itself", writeTimes.Count, Stats.Median(writeTimes), null));
        }

        var peakKb = serving.Pid is int pid ? ProcFs.PeakKb(pid) : null;
        var loadEnd = Machine.LoadAverage();

        // The report.
        await output.WriteLineAsync();
        await output.WriteLineAsync($"valuemcp bench: {atReadDate.Rows:N0} accounts ({before?.AccountCount ?? 0:N0} active at {Floor.Iso(readDate)}); " +
                                    $"{o.Calls} sample(s) per measure; server {server.Description}");
        await output.WriteLineAsync($"store: {store.Describe}");
        await output.WriteLineAsync(Machine.Describe(load, loadEnd));
        await output.WriteLineAsync($"dates: warm-up {Floor.Iso(warmDate)}; new dates {Floor.Iso(newDates[^1])}..{Floor.Iso(newDates[0])}; repeated reads and writes at {Floor.Iso(readDate)}");
        foreach (var line in checks) await output.WriteLineAsync(line);
        await output.WriteLineAsync();
        await WriteTable(output, rows, floor, peakKb);
        if (mismatches.Count > 0)
        {
            await output.WriteLineAsync();
            foreach (var m in mismatches)
            {
                await output.WriteLineAsync($"KPI MISMATCH: {m}");
                await Console.Error.WriteLineAsync($"valuemcp bench: KPI MISMATCH: {m}");
            }
            return Exit.Failed;
        }
        return Exit.Ok;
    }

    private static void Compare(string where, Kpis floor, Kpis server, List<string> checks, List<string> mismatches)
    {
        var diff = floor.Differences(server);
        if (diff.Count == 0) checks.Add($"KPIs {where}: floor = server ({server})");
        else mismatches.Add($"{where}: floor vs server: {string.Join("; ", diff)}");
    }

    private static async Task WriteTable(TextWriter output, List<Row> rows, double floor, long? peakKb)
    {
        const string header = "measure                                                        n     p50 ms   x floor   target    verdict";
        await output.WriteLineAsync(header);
        await output.WriteLineAsync(new string('-', header.Length));
        int met = 0, targets = 0;
        foreach (var r in rows)
        {
            var ratio = r.P50Ms / floor;
            var target = r.Target is double t ? $"<= {t.ToString("0.0#", CultureInfo.InvariantCulture)}" : "";
            var verdict = r.Target is not double limit ? "" : double.IsNaN(ratio) ? "NOT measured" : ratio <= limit ? "met" : "NOT MET  <<<";
            if (r.Target is not null) { targets++; if (verdict == "met") met++; }
            await output.WriteLineAsync($"{r.Measure,-60} {r.Samples,3} {Stats.Ms(r.P50Ms),10} {(double.IsNaN(ratio) ? "-" : ratio.ToString("0.000", CultureInfo.InvariantCulture)),9}   {target,-8}  {verdict}");
            if (r.Note is not null) await output.WriteLineAsync($"    {r.Note}");
        }
        targets++;
        var mb = peakKb / 1024.0;
        var memoryVerdict = mb is null ? "NOT measured (no /proc)" : mb < PeakMemoryTargetMb ? "met" : "NOT MET  <<<";
        if (memoryVerdict == "met") met++;
        await output.WriteLineAsync($"{"server peak memory (VmHWM), MB",-60} {"",3} {(mb is double m ? m.ToString("#,##0", CultureInfo.InvariantCulture) : "-"),10} {"",9}   {"< " + PeakMemoryTargetMb.ToString(CultureInfo.InvariantCulture),-8}  {memoryVerdict}");
        await output.WriteLineAsync(new string('-', header.Length));
        await output.WriteLineAsync($"targets met: {met} of {targets}" + (met < targets ? "  (NOT MET above)" : ""));
    }

    /// <summary>The repeated reads: a label, the tool and its arguments (given the cursor of the first page, once known).</summary>
    private static List<(string Label, string Tool, Func<string?, Dictionary<string, object?>> Args)> RepeatedReads(string segment, string csm) =>
    [
        ("get_portfolio_health, no filter (asked before)", "get_portfolio_health", _ => new()),
        ($"get_portfolio_health, segment {segment}", "get_portfolio_health", _ => new() { ["segment"] = segment }),
        ("list_accounts, sort fulfilment, first page of 50", "list_accounts", _ => new() { ["sort_by"] = "fulfilment", ["limit"] = 50 }),
        ("list_accounts, sort fulfilment, next page (cursor)", "list_accounts", c => c is null
            ? new() { ["sort_by"] = "fulfilment", ["limit"] = 50 }
            : new() { ["sort_by"] = "fulfilment", ["limit"] = 50, ["cursor"] = c }),
        ("list_renewal_risks", "list_renewal_risks", _ => new()),
        ($"csm_book {csm}", "csm_book", _ => new() { ["csm"] = csm }),
    ];

    private static Dictionary<string, object?> With(Dictionary<string, object?> args, DateOnly asOf)
    {
        args["as_of"] = Floor.Iso(asOf);
        return args;
    }

    private static string? NextCursor(JsonElement structured) =>
        structured.TryGetProperty("next_cursor", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;

    private static async Task<(Kpis, double)> Health(McpClient client, DateOnly asOf, CancellationToken ct)
    {
        var (s, ms) = await Tool.Call(client, "get_portfolio_health", new() { ["as_of"] = Floor.Iso(asOf) }, ct);
        return (Kpis.FromHealth(s), ms);
    }

    /// <summary>
    /// Active accounts, band at_risk by computation (no override), one evidenced outcome short of on_track: evidence on
    /// one of their outcomes moves the on-track share and ARR at risk. Spread over the portfolio.
    /// </summary>
    public static IEnumerable<Floor.AccountRow> Candidates(IReadOnlyList<Floor.AccountRow> accounts, double onTrack)
    {
        var fit = accounts.Where(a => a.ArrCents > 0 && !a.BandOverridden && a.Band == "at_risk" && a.Promised > 0
                                      && (double)(a.Evidenced + 1) / a.Promised >= onTrack).ToList();
        var step = Math.Max(1, fit.Count / 50);
        return fit.Where((_, i) => i % step == 0);
    }

    /// <summary>The most common non-empty value of an account column (segment, csm): a real filter value.</summary>
    private static string MostCommon(System.Data.Common.DbConnection c, string column)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = column switch
        {
            "segment" => "SELECT segment FROM accounts WHERE segment <> '' GROUP BY segment ORDER BY COUNT(*) DESC, segment LIMIT 1",
            _ => "SELECT csm FROM accounts WHERE csm <> '' GROUP BY csm ORDER BY COUNT(*) DESC, csm LIMIT 1",
        };
        return cmd.ExecuteScalar() as string ?? throw new BenchException($"the portfolio has no account with a {column}");
    }

    private static async Task Quiet(StdioServer serving, TextWriter log, CancellationToken ct)
    {
        var waited = await ProcFs.WaitQuiet(serving.Pid, TimeSpan.FromMinutes(5), ct);
        if (waited is TimeSpan w && w > TimeSpan.FromSeconds(3))
            await log.WriteLineAsync($"bench: waited {w.TotalSeconds:F0} s for the server to be quiet");
    }
}
