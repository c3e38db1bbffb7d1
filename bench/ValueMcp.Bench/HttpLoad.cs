using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace ValueMcp.Bench;

/// <summary>
/// `bench-http`: the HTTP load test, on loopback only and bounded in time. Prepares a copy of the demo portfolio and a
/// read and a write token with the server's own command line (`valuemcp demo`, `valuemcp token add`), starts
/// `valuemcp serve --http` on it, then N concurrent MCP clients (each its own session, the SDK's HttpClientTransport)
/// mix read tools and, when the server has it, the log_signal write tool, for the given duration. Reports requests per
/// second, p50/p99 latency, errors, lost writes (each acknowledged write must be in the database) and the server's
/// memory after warm-up and at the end. Exit 0 when there were no errors and no lost writes.
/// </summary>
public static class HttpLoad
{
    private const string WriteTool = "log_signal";
    private const string NotePrefix = "loadtest-";
    private const string AsOf = "2026-11-24"; // the demo portfolio's anchor date

    public static Command Command()
    {
        var duration = new Option<int>("--duration") { Description = "Seconds of load after the warm-up (1-600).", DefaultValueFactory = _ => 60 };
        var clients = new Option<int>("--clients") { Description = "Concurrent MCP clients, each with its own session (1-256).", DefaultValueFactory = _ => 16 };
        var writeShare = new Option<int>("--write-percent") { Description = "Share of calls that write (0-100), when the server has a write tool.", DefaultValueFactory = _ => 20 };
        var server = ScaleBench.ServerOption();
        var cmd = new Command("bench-http", "Load test over Streamable HTTP on loopback: concurrent clients mixing reads and writes; req/s, p50/p99, errors, lost writes, memory.")
            { duration, clients, writeShare, server };
        cmd.SetAction((parse, ct) => ScaleBench.Guarded(() => Run(parse.GetValue(duration), parse.GetValue(clients), parse.GetValue(writeShare),
            parse.GetValue(server), ct), "bench-http"));
        return cmd;
    }

    private sealed record Sample(string Tool, double Ms, bool Ok, string? Error);

    public static async Task<int> Run(int seconds, int clientCount, int writePercent, string? serverPath, CancellationToken ct)
    {
        if (seconds is < 1 or > 600 || clientCount is < 1 or > 256 || writePercent is < 0 or > 100)
            throw new BenchException("--duration accepts 1 to 600, --clients 1 to 256, --write-percent 0 to 100");
        var program = ServerProgram.Resolve(serverPath);
        using var work = Workspace.Open(null, "bench-http");
        var db = Path.Combine(work.Dir, "load.db");
        var tokensFile = Path.Combine(work.Dir, "tokens.txt");
        // The server's own data directory is the work folder's: nothing of the user's is read or written.
        var env = new Dictionary<string, string> { ["XDG_DATA_HOME"] = Path.Combine(work.Dir, "data") };
        Process? server = null;
        try
        {
            await Must(program.Run(["demo", "--db", db], TimeSpan.FromMinutes(5), env), "valuemcp demo");
            var writeToken = (await Must(program.Run(["token", "add", "load-writer", "--role", "write", "--file", tokensFile], TimeSpan.FromMinutes(2), env), "valuemcp token add")).Stdout.Trim();
            var readToken = (await Must(program.Run(["token", "add", "load-reader", "--role", "read", "--file", tokensFile], TimeSpan.FromMinutes(2), env), "valuemcp token add")).Stdout.Trim();
            // Rate limit off: every client shares the loopback address; the limiter is tested elsewhere.
            (server, var endpoint) = await StartServer(program, db, tokensFile, env, ct);
            await Console.Error.WriteLineAsync($"bench-http: server pid {server.Id} at {endpoint}; {clientCount} clients, {seconds} s, {writePercent}% writes");

            var clients = new List<McpClient>();
            for (var i = 0; i < clientCount; i++) clients.Add(await Connect(endpoint, i % 4 == 3 ? readToken : writeToken, ct));
            var accounts = await AccountIds(clients[0], ct);
            var writes = await ProbeWrite(clients[0], accounts[0], ct);
            if (writes is { } problem)
            {
                await Console.Error.WriteLineAsync($"bench-http: writes skipped ({problem}); reads only");
                writePercent = 0;
            }
            var notesBefore = Notes(db);

            var samples = new ConcurrentQueue<Sample>();
            var acknowledged = new ConcurrentBag<string>();
            var warmUp = TimeSpan.FromSeconds(Math.Clamp(seconds / 5.0, 2, 10));
            await Console.Error.WriteLineAsync($"bench-http: warm-up {warmUp.TotalSeconds:0} s");
            await Drive(clients, accounts, writePercent, warmUp, new ConcurrentQueue<Sample>(), acknowledged, ct);
            var rssWarm = ProcFs.RssKb(server.Id);
            // The server's memory, sampled six times over the run: flat means it levels off, not that it never moves.
            var rssSeries = new ConcurrentQueue<long>();
            using var sampling = new CancellationTokenSource();
            var pid = server.Id;
            var sampler = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds / 6.0));
                while (await timer.WaitForNextTickAsync(sampling.Token).ConfigureAwait(false))
                    if (ProcFs.RssKb(pid) is { } kb) rssSeries.Enqueue(kb);
            }, CancellationToken.None);
            var watch = Stopwatch.StartNew();
            await Drive(clients, accounts, writePercent, TimeSpan.FromSeconds(seconds), samples, acknowledged, ct);
            watch.Stop();
            await sampling.CancelAsync();
            try { await sampler; } catch (OperationCanceledException) { }
            var rssEnd = ProcFs.RssKb(server.Id);
            foreach (var c in clients) await c.DisposeAsync();

            var stored = Notes(db) - notesBefore;
            var lost = acknowledged.Count - stored; // every acknowledged write (warm-up included) must be stored
            var all = samples.ToList();
            var ms = all.Select(s => s.Ms).Order().ToList();
            var errors = all.Where(s => !s.Ok).ToList();
            var p = (double q) => ms.Count == 0 ? 0 : ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)];
            Console.Out.WriteLine($"requests        {all.Count:N0} in {watch.Elapsed.TotalSeconds:0.0} s ({clientCount} clients); server {program.Description}");
            Console.Out.WriteLine($"throughput      {all.Count / watch.Elapsed.TotalSeconds:N1} req/s");
            Console.Out.WriteLine($"latency         p50 {p(0.50):0.0} ms, p99 {p(0.99):0.0} ms, max {(ms.Count == 0 ? 0 : ms[^1]):0.0} ms");
            foreach (var g in all.GroupBy(s => s.Tool).OrderBy(g => g.Key, StringComparer.Ordinal))
                Console.Out.WriteLine($"  {g.Key,-26} {g.Count(),7:N0} calls, p50 {Stats.Median(g.Select(s => s.Ms).ToList()):0.0} ms");
            Console.Out.WriteLine($"errors          {errors.Count}");
            foreach (var e in errors.GroupBy(e => e.Error).Take(5)) Console.Out.WriteLine($"  {e.Count()} x {e.Key}");
            Console.Out.WriteLine(writePercent == 0
                ? "writes          none (reads only)"
                : $"writes          {acknowledged.Count:N0} acknowledged, {stored:N0} in the database, lost {lost}");
            Console.Out.WriteLine(rssWarm is null || rssEnd is null
                ? "server memory   not measurable here (no /proc)"
                : $"server memory   {rssWarm / 1024.0:N0} MB after warm-up, {rssEnd / 1024.0:N0} MB at the end ({(rssEnd - rssWarm) / 1024.0:+0;-0} MB); " +
                  $"during the run: {string.Join(", ", rssSeries.Select(kb => (kb / 1024.0).ToString("N0", CultureInfo.InvariantCulture)))} MB");
            var ok = errors.Count == 0 && lost == 0;
            Console.Out.WriteLine(ok ? "result          ok: no errors, no lost writes" : "result          FAILED");
            return ok ? Exit.Ok : Exit.Failed;
        }
        finally
        {
            if (server is { HasExited: false })
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync(CancellationToken.None);
            }
            server?.Dispose();
            SqliteConnection.ClearAllPools();
        }
    }

    private static async Task<ProcessRun> Must(Task<ProcessRun> running, string what)
    {
        var run = await running;
        return run.ExitCode == 0 ? run : throw new BenchException($"{what} failed: {run.LastError}", Exit.Failed);
    }

    private static async Task Drive(List<McpClient> clients, IReadOnlyList<string> accounts, int writePercent, TimeSpan length,
        ConcurrentQueue<Sample> samples, ConcurrentBag<string> acknowledged, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(length);
        await Task.WhenAll(clients.Select((client, index) => Task.Run(async () =>
        {
            var random = new Random(index);
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var write = writePercent > 0 && index % 4 != 3 && random.Next(100) < writePercent;
                var account = accounts[random.Next(accounts.Count)];
                var (tool, args) = write
                    ? (WriteTool, SignalArgs(account, $"{NotePrefix}{index}-{n++}-{Guid.NewGuid():N}"))
                    : Read(random.Next(4), account);
                var watch = Stopwatch.StartNew();
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                    var result = await client.CallToolAsync(tool, args, cancellationToken: timeout.Token);
                    watch.Stop();
                    var ok = result.IsError != true;
                    if (ok && write) acknowledged.Add((string)args["note"]!);
                    samples.Enqueue(new Sample(tool, watch.Elapsed.TotalMilliseconds, ok, ok ? null : Short(Tool.Text(result))));
                }
                catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    samples.Enqueue(new Sample(tool, watch.Elapsed.TotalMilliseconds, false, $"{e.GetType().Name}: {Short(e.Message)}"));
                }
                catch (OperationCanceledException)
                {
                    // The run ended during this call: not counted.
                }
            }
        }, CancellationToken.None)));
    }

    private static (string, Dictionary<string, object?>) Read(int which, string account) => which switch
    {
        0 => ("get_portfolio_health", new() { ["as_of"] = AsOf }),
        1 => ("list_accounts", new() { ["as_of"] = AsOf, ["sort_by"] = "fulfilment", ["limit"] = 25 }),
        2 => ("get_account_scorecard", new() { ["as_of"] = AsOf, ["account_id"] = account }),
        _ => ("list_renewal_risks", new() { ["as_of"] = AsOf }),
    };

    private static Dictionary<string, object?> SignalArgs(string account, string note) => new()
    {
        ["account_id"] = account,
        ["category"] = "usage",
        ["kind"] = "dau_growth",
        ["polarity"] = 1,
        ["note"] = note,
        ["observed_at"] = AsOf,
    };

    /// <summary>Null when a write goes through, else why writes are left out of this run.</summary>
    private static async Task<string?> ProbeWrite(McpClient client, string account, CancellationToken ct)
    {
        var tools = await client.ListToolsAsync(cancellationToken: ct);
        if (tools.All(t => t.Name != WriteTool)) return $"the server has no {WriteTool} tool";
        var result = await client.CallToolAsync(WriteTool, SignalArgs(account, "probe-" + Guid.NewGuid().ToString("N")), cancellationToken: ct);
        return result.IsError == true ? $"{WriteTool} refused the probe: {Short(Tool.Text(result))}" : null;
    }

    private static async Task<IReadOnlyList<string>> AccountIds(McpClient client, CancellationToken ct)
    {
        var (s, _) = await Tool.Call(client, "list_accounts", new() { ["as_of"] = AsOf, ["limit"] = 200 }, ct);
        var ids = s.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("id").GetString()!).ToList();
        return ids.Count > 0 ? ids : throw new BenchException("list_accounts returned no account", Exit.Failed);
    }

    private static Task<McpClient> Connect(Uri endpoint, string token, CancellationToken ct) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        }), new McpClientOptions { ProtocolVersion = "2025-11-25", InitializationTimeout = TimeSpan.FromSeconds(60) }, cancellationToken: ct);

    private static async Task<(Process, Uri)> StartServer(ServerProgram program, string db, string tokensFile, Dictionary<string, string> env, CancellationToken ct)
    {
        var start = program.Start(["serve", "--http", "--urls", "http://127.0.0.1:0", "--db", db, "--tokens", tokensFile, "--rate-limit", "0"], env);
        var process = Process.Start(start) ?? throw new BenchException("could not start the server");
        var lastLines = new ConcurrentQueue<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lastLines.Enqueue(e.Data);
            while (lastLines.Count > 20) lastLines.TryDequeue(out string? dropped);
            var at = e.Data.IndexOf(" over HTTP at ", StringComparison.Ordinal);
            if (at >= 0) listening.TrySetResult(new Uri(e.Data[(at + " over HTTP at ".Length)..].Split(' ')[0]));
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var exited = process.WaitForExitAsync(ct);
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(120), ct));
        if (first == listening.Task) return (process, await listening.Task);
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        throw new BenchException($"the server did not start listening: {string.Join(" / ", lastLines)}", Exit.Failed);
    }

    private static long Notes(string db)
    {
        using var c = Floor.Open(db);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM signals WHERE note LIKE $prefix";
        cmd.Parameters.AddWithValue("$prefix", NotePrefix + "%");
        return (long)cmd.ExecuteScalar()!;
    }

    private static string Short(string s) => s.Length > 160 ? s[..160] + "..." : s;
}
