using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ValueMcp.Server.Tests;

/// <summary>
/// `valuemcp serve` over stdio, spoken to in raw lines: every line that is not a well-formed JSON-RPC message gets a
/// JSON-RPC error answer (or, for a notification or a response, a log line and no answer), the server keeps serving
/// afterwards, answers stay bounded, and every request read before the end of input is answered before it exits.
/// </summary>
public sealed class StdioProtocolTests(StdioProtocolTests.Server server) : IClassFixture<StdioProtocolTests.Server>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [MemberData(nameof(ProtocolCases.Names), MemberType = typeof(ProtocolCases))]
    public async Task Each_malformed_line_is_answered_or_logged_and_the_server_keeps_serving(string name)
    {
        var c = ProtocolCases.Named(name);
        var before = await server.Raw.Exchange(c.Bytes, c.Code is null ? null : c.Id, "after-" + name);
        var answers = before.Where(l => l.Answer is not null).Select(l => l.Answer!).ToList();
        if (c.Code is null)
        {
            answers.Should().BeEmpty($"{name}: a notification or a response is never answered; got {string.Join(" ", before.Select(l => l.Text))}");
            await server.Raw.WaitForStderr(l => l.Contains("dropped", StringComparison.Ordinal) && c.MessageHas.All(w => l.Contains(w, StringComparison.Ordinal)),
                $"{name}: the dropped message is logged on stderr");
        }
        else
        {
            answers.Should().ContainSingle($"{name}: exactly one answer; got {string.Join(" ", before.Select(l => l.Text))}");
            ProtocolCases.ShouldAnswer(answers[0], c);
            before.Single(l => l.Answer == answers[0]).Text.Length.Should().BeLessThan(2_000, "answers are bounded");
        }
    }

    [Theory]
    [MemberData(nameof(ProtocolCases.Huge), MemberType = typeof(ProtocolCases))]
    public async Task A_10_mb_value_is_never_echoed_back_whole(string where)
    {
        const int size = 10 * 1024 * 1024;
        var id = "huge-" + where;
        var (json, code) = ProtocolCases.HugeRequest(where, size, id);
        var lines = await server.Raw.Exchange(Encoding.UTF8.GetBytes(json), id, "after-huge-" + where);
        var answer = lines.Single(l => l.Answer?["id"]?.GetValue<string>() == id);
        answer.Text.Length.Should().BeLessThan(1_000, "the answer shows the first characters and the length, not the value");
        answer.Answer!["error"]!["code"]!.GetValue<int>().Should().Be(code);
        answer.Answer["error"]!["message"]!.GetValue<string>().Should().Contain("mmmm").And.Contain("characters");
    }

    [Fact]
    public async Task The_server_still_answers_a_tool_call_after_the_malformed_lines()
    {
        var lines = await server.Raw.Exchange(
            Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":"health","method":"tools/call","params":{"name":"get_portfolio_health","arguments":{"as_of":"2026-11-24"}}}"""),
            "health", "after-health");
        var answer = lines.Single(l => l.Answer?["id"]?.GetValue<string>() == "health").Answer!;
        answer["result"]!["structuredContent"]!["kpis"]!["account_count"]!.GetValue<int>().Should().BePositive();
    }

    [Fact]
    public async Task Every_request_read_before_the_end_of_input_is_answered_before_the_server_exits()
    {
        // The user's report: printf '<initialize>\n<tools/list>\n' | valuemcp serve printed nothing.
        await using var raw = RawStdio.Start(server.DbPath);
        var input = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"printf\",\"version\":\"1\"}}}\n" +
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}\n" +
                    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"get_portfolio_health\",\"arguments\":{\"as_of\":\"2026-11-24\"}}}\n" +
                    "{not json\n";
        await raw.Write(Encoding.UTF8.GetBytes(input));
        raw.CloseInput();
        var lines = await raw.ReadToEnd();
        var exit = await raw.Exit();

        var byId = lines.Where(l => l.Answer is not null).ToDictionary(l => l.Answer!["id"]?.ToJsonString() ?? "null", l => l.Answer!);
        byId.Keys.Should().BeEquivalentTo(["1", "2", "3", "null"], $"every request is answered; stdout: {string.Join("\n", lines.Select(l => l.Text[..Math.Min(200, l.Text.Length)]))}");
        byId["1"]["result"]!["serverInfo"]!["name"]!.GetValue<string>().Should().Be("valuemcp");
        byId["2"]["result"]!["tools"]!.AsArray().Should().NotBeEmpty();
        byId["3"]["result"]!["structuredContent"].Should().NotBeNull();
        byId["null"]["error"]!["code"]!.GetValue<int>().Should().Be(ProtocolCases.ParseError);
        exit.Should().Be(0, "the end of input ends the server cleanly once everything is answered");
    }

    [Fact]
    public async Task A_malformed_initialize_is_32602_naming_what_is_missing_and_a_good_one_then_succeeds()
    {
        await using var raw = RawStdio.Start(server.DbPath);
        var bad = await raw.Exchange(Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"""), 1, null);
        ProtocolCases.ShouldAnswer(bad.Single(l => l.Answer?["id"]?.ToJsonString() == "1").Answer!, ProtocolCases.Named("initialize_empty_params") with { Id = 1 });
        var good = await raw.Exchange(Encoding.UTF8.GetBytes(RawStdio.Initialize(2)), 2, null);
        good.Single(l => l.Answer?["id"]?.ToJsonString() == "2").Answer!["result"]!["serverInfo"].Should().NotBeNull();
    }

    /// <summary>One server for the table: a fresh demo database served read-only, initialized.</summary>
    public sealed class Server : IAsyncLifetime
    {
        private readonly string _dir = OwnServer.NewDir("protocol-stdio");
        public string DbPath { get; private set; } = "";
        public RawStdio Raw { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            DbPath = OwnServer.NewDemoDatabase(_dir);
            Raw = RawStdio.Start(DbPath);
            var init = await Raw.Exchange(Encoding.UTF8.GetBytes(RawStdio.Initialize("init")), "init", null);
            init.Single(l => l.Answer?["id"]?.GetValue<string>() == "init").Answer!["result"].Should().NotBeNull();
            await Raw.Write(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"));
        }

        public async Task DisposeAsync()
        {
            await Raw.DisposeAsync();
            HttpFixture.Cleanup(_dir);
        }
    }
}

/// <summary>A server process over stdio, written to in raw bytes; its stdout read line by line, its stderr kept.</summary>
public sealed class RawStdio : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly Channel<string> _stdout = Channel.CreateUnbounded<string>();
    private readonly Task _reader;

    private RawStdio(Process process)
    {
        _process = process;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Stderr.Enqueue(e.Data); };
        process.BeginErrorReadLine();
        _reader = Task.Run(async () =>
        {
            try
            {
                while (await process.StandardOutput.ReadLineAsync() is { } line) await _stdout.Writer.WriteAsync(line);
            }
            finally
            {
                _stdout.Writer.TryComplete();
            }
        });
    }

    public ConcurrentQueue<string> Stderr { get; } = new();

    public static string Initialize(object id) =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":{(id is string s ? $"\"{s}\"" : id)},\"method\":\"initialize\",\"params\":{{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{{}},\"clientInfo\":{{\"name\":\"raw\",\"version\":\"1\"}}}}}}";

    public static RawStdio Start(string dbPath)
    {
        var start = ServerFixture.ServerStart("serve", "--db", dbPath, "--read-only");
        start.RedirectStandardInput = start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.StandardOutputEncoding = Encoding.UTF8;
        start.Environment.Remove(App.OperatorAuthor.Variable);
        start.Environment.Remove(App.ImportRoot.Variable);
        return new RawStdio(Process.Start(start)!);
    }

    public async Task Write(byte[] bytes)
    {
        var stdin = _process.StandardInput.BaseStream;
        await stdin.WriteAsync(bytes);
        await stdin.FlushAsync();
    }

    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>
    /// Writes the line, then a ping with the id `ping` (when given), and reads stdout until the answers to both the ping
    /// and `waitFor` (an id, when given) have come; returns every line read, the ping's answer last or among them.
    /// </summary>
    public async Task<List<Line>> Exchange(byte[] line, JsonNode? waitFor, string? ping)
    {
        await Write([.. line, (byte)'\n']);
        if (ping is not null) await Write(Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":\"{ping}\",\"method\":\"ping\"}}\n"));
        var lines = new List<Line>();
        var pingSeen = ping is null;
        var waitSeen = waitFor is null;
        using var cts = new CancellationTokenSource(Timeout);
        while (!(pingSeen && waitSeen))
        {
            string text;
            try
            {
                text = await _stdout.Reader.ReadAsync(cts.Token);
            }
            catch (ChannelClosedException)
            {
                throw new InvalidOperationException("the server closed stdout; stderr: " + string.Join("\n", Stderr));
            }
            var answer = Parse(text);
            var id = answer?["id"]?.ToJsonString();
            if (ping is not null && id == $"\"{ping}\"")
            {
                answer!["result"].Should().NotBeNull("the server keeps serving: it answers the ping after the malformed line");
                pingSeen = true;
                continue;
            }
            if (waitFor is not null && id == waitFor.ToJsonString()) waitSeen = true;
            lines.Add(new Line(text, answer));
        }
        return lines;
    }

    public async Task<List<Line>> ReadToEnd()
    {
        var lines = new List<Line>();
        using var cts = new CancellationTokenSource(Timeout);
        await foreach (var text in _stdout.Reader.ReadAllAsync(cts.Token)) lines.Add(new Line(text, Parse(text)));
        return lines;
    }

    public async Task<int> Exit()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async Task WaitForStderr(Func<string, bool> predicate, string because)
    {
        // Waits on the server's own log line (an event), with a generous safety net.
        var deadline = DateTime.UtcNow + Timeout;
        while (!Stderr.Any(predicate) && DateTime.UtcNow < deadline) await Task.Delay(50);
        Stderr.Should().Contain(l => predicate(l), because);
    }

    private static JsonObject? Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            throw new InvalidOperationException("stdout carries only JSON-RPC messages, not: " + text[..Math.Min(200, text.Length)]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        await _reader.ContinueWith(_ => { }, TaskScheduler.Default);
        _process.Dispose();
    }

    public sealed record Line(string Text, JsonObject? Answer);
}
