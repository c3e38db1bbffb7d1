using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ValueMcp.DemoData;
using ValueMcp.Store;
using Xunit.Abstractions;

namespace ValueMcp.Server.Tests;

/// <summary>
/// SIGKILL in the middle of an import and of a stream of write tool calls, repeated: the database reopens with
/// PRAGMA integrity_check ok, every acknowledged write is there, and an interrupted import left nothing half-written
/// (the row counts are those before it or those after it, never in between).
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Iterations = 10;
    private const int MinAcknowledgedPerRun = 2;
    private readonly string _dir = OwnServer.NewDir("crash");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static string IntegrityCheck(string path)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA integrity_check";
        return (string)cmd.ExecuteScalar()!;
    }

    private static Process Start(params string[] args)
    {
        var start = ServerFixture.ServerStart(args);
        start.RedirectStandardInput = start.RedirectStandardOutput = start.RedirectStandardError = true;
        return Process.Start(start)!;
    }

    [SqliteFact]
    public async Task An_import_killed_at_any_moment_leaves_the_store_as_before_or_as_after()
    {
        // A small store, and a 2,000-account portfolio (about 65,000 rows) of other ids to import into it.
        var seed = Path.Combine(_dir, "seed");
        Directory.CreateDirectory(seed);
        File.WriteAllText(Path.Combine(seed, "accounts.csv"),
            "id,name,segment,tier,csm,account_manager,contract_start,renewal_date,contracted_capacity,used_capacity,executive_sponsor\nSEED-1,Seed,SMB,2,Dana,Sam,2025-01-01,2027-06-30,,,\n");
        var csv = Path.Combine(_dir, "csv");
        PortfolioGenerator.Write(csv, new GeneratorOptions(2_000, Metrics: false));
        var baseline = Path.Combine(_dir, "baseline.db");
        using (var db = Database.Open(baseline)) new FactImporter(db).Import(ImportSource.FromFolder(seed), new ImportOptions()).Ok.Should().BeTrue();
        SqliteConnection.ClearAllPools();
        var before = OwnServer.Counts(baseline);
        var full = Path.Combine(_dir, "full.db");
        File.Copy(baseline, full);
        using (var db = Database.Open(full)) new FactImporter(db).Import(ImportSource.FromFolder(csv), new ImportOptions()).Ok.Should().BeTrue();
        SqliteConnection.ClearAllPools();
        var after = OwnServer.Counts(full);

        // How long a whole import takes here, process start to exit: the kills are spread over that time, so that they
        // land while the process starts, while rows are loaded, and while the transaction commits.
        // A 1 MiB page cache: the load spills pages into the WAL before the commit, so a kill leaves uncommitted frames
        // there that reopening must ignore. The kills are spread over the time from the end of accounts.csv (the first
        // progress line: the process is up and loading) to the exit, measured on a whole run (after a warm-up run).
        string[] Import(string db) => ["import", csv, "--db", db, "--cache-mb", "1"];
        var loading = TimeSpan.Zero;
        for (var run = 0; run < 2; run++)
        {
            var timing = Path.Combine(_dir, $"timing-{run}.db");
            File.Copy(baseline, timing);
            using var whole = Start(Import(timing));
            var started = new TaskCompletionSource<TimeSpan>();
            var clock = Stopwatch.StartNew();
            whole.ErrorDataReceived += (_, e) => { if (e.Data?.Contains("rows read") == true) started.TrySetResult(clock.Elapsed); };
            whole.BeginErrorReadLine();
            await whole.StandardOutput.ReadToEndAsync();
            await whole.WaitForExitAsync();
            whole.ExitCode.Should().Be(0);
            loading = clock.Elapsed - await started.Task.WaitAsync(TimeSpan.FromSeconds(5));
            OwnServer.Counts(timing).Should().Equal(after);
        }

        var random = new Random(20261124);
        var interrupted = 0;
        var spilled = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var path = Path.Combine(_dir, $"run-{i}.db");
            File.Copy(baseline, path);
            using var process = Start(Import(path));
            var reading = new ManualResetEventSlim(false);
            process.ErrorDataReceived += (_, e) => { if (e.Data?.Contains("rows read") == true) reading.Set(); };
            process.BeginErrorReadLine();
            var stdout = process.StandardOutput.ReadToEndAsync();
            reading.Wait(TimeSpan.FromSeconds(60)).Should().BeTrue("the import starts loading");
            var at = loading * (1.1 * i / (Iterations - 1)) * (0.9 + 0.2 * random.NextDouble());
            await Task.Delay(at);
            var exited = process.HasExited;
            if (!exited) process.Kill();
            await process.WaitForExitAsync();
            var acknowledged = exited && process.ExitCode == 0 && (await stdout).Contains("imported into");
            var wal = File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0;
            SqliteConnection.ClearAllPools();

            IntegrityCheck(path).Should().Be("ok", $"run {i}");
            var counts = OwnServer.Counts(path);
            output.WriteLine($"run {i}, {at.TotalMilliseconds:F0} of {loading.TotalMilliseconds:F0} ms into the load: {(exited ? $"exited {process.ExitCode}" : "killed")}, " +
                $"WAL {wal:N0} bytes; accounts {counts["accounts"]}, evidence {counts["evidence"]}");
            if (acknowledged) counts.Should().Equal(after, $"run {i}: an acknowledged import is all there");
            else if (counts["accounts"] == before["accounts"])
            {
                counts.Should().Equal(before, $"run {i}: nothing half-written");
                interrupted++;
                if (wal > 0) spilled++;
            }
            else counts.Should().Equal(after, $"run {i}: committed just before the kill, all of it");
        }
        interrupted.Should().BeGreaterThanOrEqualTo(3, "several kills interrupt the import");
        spilled.Should().BePositive("some kills leave uncommitted frames in the WAL, which reopening ignores");
    }

    [Fact]
    public async Task A_server_killed_during_a_stream_of_writes_keeps_every_acknowledged_one()
    {
        var path = OwnServer.NewDemoDatabase(_dir);
        var acknowledged = new List<string>();
        var random = new Random(1124);
        for (var i = 0; i < Iterations; i++)
        {
            using var process = Start("serve", "--db", path, "--operator", "crash-test");
            var client = new RawClient(process);
            await client.Initialize();
            var acked = new ConcurrentBag<string>();
            using var stop = new CancellationTokenSource();
            // The kill comes right after a random number of acknowledgements, with the other writes in flight: it waits
            // on the server's answers, not on time, so a slow (loaded) machine changes nothing but the duration.
            var killAfter = random.Next(MinAcknowledgedPerRun, 16);
            var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            // Four writers in flight at a time until the kill.
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    var response = await client.Call("log_signal",
                        new JsonObject { ["account_id"] = $"ACC-000{w + 1}", ["category"] = "usage", ["kind"] = $"crash_{i}_{w}_{n}", ["polarity"] = 1 });
                    if (response is null) return; // the server is gone
                    if (response["result"]?["isError"]?.GetValue<bool>() == true) throw new InvalidOperationException(response.ToJsonString());
                    acked.Add(response["result"]!["structuredContent"]!["signal"]!["id"]!.GetValue<string>());
                    if (acked.Count >= killAfter) enough.TrySetResult();
                }
            })).ToArray();
            var allWriters = Task.WhenAll(writers);
            // A generous safety net only: a writer that fails ends the wait with its exception.
            var first = await Task.WhenAny(enough.Task, allWriters).WaitAsync(TimeSpan.FromMinutes(2));
            if (first == allWriters) await allWriters;
            process.Kill();
            stop.Cancel();
            await process.WaitForExitAsync();
            await allWriters;
            acked.Should().HaveCountGreaterThanOrEqualTo(killAfter, $"run {i}: the kill came after {killAfter} acknowledged writes");
            acknowledged.AddRange(acked);
            SqliteConnection.ClearAllPools();

            if (!TestStore.Postgres) IntegrityCheck(path).Should().Be("ok", $"run {i}");
            using var c = TestStore.Connection(path);
            var stored = Ids(c, "SELECT id FROM signals WHERE kind LIKE 'crash!_%' ESCAPE '!'");
            stored.Should().Contain(acknowledged, $"run {i}: every acknowledged write survives the kill");
            var audited = Ids(c, TestStore.Postgres
                ? "SELECT arguments::json->>'id' FROM audit_log WHERE operation = 'log_signal'"
                : "SELECT json_extract(arguments, '$.id') FROM audit_log WHERE operation = 'log_signal'");
            audited.Should().BeEquivalentTo(stored, $"run {i}: a fact and its audit entry are written together or not at all");
            output.WriteLine($"run {i}: {acked.Count} acknowledged, {stored.Count} stored in all");
        }
        acknowledged.Should().HaveCountGreaterThan(Iterations, "writes were acknowledged before the kills");
    }

    private static HashSet<string> Ids(System.Data.Common.DbConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var r = cmd.ExecuteReader();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (r.Read()) ids.Add(r.GetString(0));
        return ids;
    }

    /// <summary>JSON-RPC over the server's stdin and stdout, with several calls in flight.</summary>
    private sealed class RawClient
    {
        private readonly Process _process;
        private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> _pending = new();
        private readonly SemaphoreSlim _send = new(1, 1);
        private int _next;
        private bool _closed;

        public RawClient(Process process)
        {
            _process = process;
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();
            _ = Task.Run(Receive);
        }

        private async Task Receive()
        {
            try
            {
                while (await _process.StandardOutput.ReadLineAsync() is { } line)
                {
                    var message = JsonNode.Parse(line);
                    if (message?["id"] is { } id && _pending.TryRemove(id.GetValue<int>(), out var waiter)) waiter.TrySetResult(message);
                }
            }
            catch (Exception) { /* the process was killed */ }
            Volatile.Write(ref _closed, true);
            foreach (var waiter in _pending.Values) waiter.TrySetResult(null);
        }

        public async Task<JsonNode?> Send(string method, JsonNode? parameters, bool notification = false)
        {
            var message = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method };
            if (parameters is not null) message["params"] = parameters;
            TaskCompletionSource<JsonNode?>? waiter = null;
            if (!notification)
            {
                var id = Interlocked.Increment(ref _next);
                message["id"] = id;
                waiter = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
                _pending[id] = waiter;
            }
            await _send.WaitAsync();
            try
            {
                await _process.StandardInput.WriteLineAsync(message.ToJsonString());
                await _process.StandardInput.FlushAsync();
            }
            catch (IOException) { waiter?.TrySetResult(null); }
            finally { _send.Release(); }
            if (Volatile.Read(ref _closed)) waiter?.TrySetResult(null); // the output ended: no answer will come
            return waiter is null ? null : await waiter.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }

        public async Task Initialize()
        {
            var init = await Send("initialize", JsonNode.Parse("""{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"crash","version":"1.0"}}"""));
            init?["result"].Should().NotBeNull("the server answers initialize");
            await Send("notifications/initialized", null, notification: true);
        }

        public Task<JsonNode?> Call(string tool, JsonObject arguments) =>
            Send("tools/call", new JsonObject { ["name"] = tool, ["arguments"] = arguments });
    }
}
