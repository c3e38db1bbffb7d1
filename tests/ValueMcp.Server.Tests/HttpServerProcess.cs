using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using ModelContextProtocol.Client;
using ValueMcp.Store;

namespace ValueMcp.Server.Tests;

/// <summary>
/// `dotnet valuemcp.dll serve --http --urls http://127.0.0.1:0 ...` as a child process: the port the server picked is
/// read from its stderr ("serving ... over HTTP at http://127.0.0.1:PORT/mcp"). Disposing stops it.
/// </summary>
public sealed partial class HttpServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private HttpServerProcess(Process process, Uri baseUrl, ConcurrentQueue<string> stderr)
    {
        _process = process;
        BaseUrl = baseUrl;
        Stderr = stderr;
    }

    public Uri BaseUrl { get; }
    public Uri Endpoint => new(BaseUrl, "/mcp");
    public ConcurrentQueue<string> Stderr { get; }
    public bool HasExited => _process.HasExited;

    /// <summary>Starts the server and waits until it listens; throws with its stderr if it exits instead.</summary>
    public static async Task<HttpServerProcess> Start(string dbPath, IEnumerable<string>? extraArgs = null, IDictionary<string, string?>? env = null)
    {
        var (process, stderr, exited) = Launch(["serve", "--http", "--urls", "http://127.0.0.1:0", "--db", dbPath, .. extraArgs ?? []], env);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var line = stderr.FirstOrDefault(l => l.Contains(" over HTTP at ", StringComparison.Ordinal));
            if (line is not null && ListeningAt().Match(line) is { Success: true } m)
                return new HttpServerProcess(process, new Uri(m.Groups[1].Value), stderr);
            if (exited.Task.IsCompleted)
                throw new InvalidOperationException($"the server exited ({process.ExitCode}) before listening: {string.Join("\n", stderr)}");
            await Task.Delay(50);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException("the server did not start listening: " + string.Join("\n", stderr));
    }

    /// <summary>Runs valuemcp with the arguments to its end: exit code and stderr (for refusals).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExit(IEnumerable<string> args, IDictionary<string, string?>? env = null)
    {
        var (process, stderr, exited) = Launch(args, env, captureStdout: true);
        using var cts = new CancellationTokenSource(StartTimeout);
        try
        {
            var stdout = await process.StandardOutput.ReadToEndAsync(cts.Token);
            await exited.Task.WaitAsync(cts.Token);
            return (process.ExitCode, stdout, string.Join("\n", stderr));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.Dispose();
        }
    }

    private static (Process, ConcurrentQueue<string>, TaskCompletionSource) Launch(IEnumerable<string> args, IDictionary<string, string?>? env, bool captureStdout = false)
    {
        var start = ServerFixture.ServerStart(args);
        start.RedirectStandardError = start.RedirectStandardOutput = start.RedirectStandardInput = true;
        // The token variables of the machine running the tests must not leak into the servers they start.
        start.Environment.Remove("VALUEMCP_TOKENS");
        start.Environment.Remove("VALUEMCP_TOKENS_FILE");
        foreach (var (k, v) in env ?? new Dictionary<string, string?>()) start.Environment[k] = v;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var stderr = new ConcurrentQueue<string>();
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.Enqueue(e.Data); };
        process.Exited += (_, _) => exited.TrySetResult();
        process.Start();
        process.BeginErrorReadLine();
        if (!captureStdout) process.BeginOutputReadLine();
        return (process, stderr, exited);
    }

    /// <summary>An MCP client over Streamable HTTP, with a bearer token when given.</summary>
    public Task<McpClient> Client(string? token = null, string? protocolVersion = "2025-11-25")
    {
        var headers = new Dictionary<string, string>();
        if (token is not null) headers["Authorization"] = "Bearer " + token;
        var options = ServerFixture.ClientOptions;
        options.ProtocolVersion = protocolVersion;
        return McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Endpoint,
            Name = "e2e-http",
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = headers,
        }), options);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    /// <summary>A fresh database with the demo portfolio imported (the committed CSVs), in its own temporary folder.</summary>
    public static string DemoDatabase(string workDir)
    {
        Directory.CreateDirectory(workDir);
        var path = Path.Combine(workDir, "http.db");
        using (var db = Database.Open(path))
        {
            var report = new FactImporter(db).Import(ImportSource.FromFolder(Path.Combine(TestPaths.RepoRoot, "samples", "demo-portfolio")), new ImportOptions());
            report.Ok.Should().BeTrue(string.Join("; ", report.Errors.Take(5).Select(e => e.ToString())));
        }
        SqliteConnection.ClearAllPools();
        return path;
    }

    [GeneratedRegex(@" over HTTP at (http://[^ ]+?)/mcp")]
    private static partial Regex ListeningAt();
}
