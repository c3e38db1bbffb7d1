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
    private readonly string _dataHome;

    private HttpServerProcess(Process process, Uri baseUrl, ConcurrentQueue<string> stderr, string dataHome)
    {
        _process = process;
        BaseUrl = baseUrl;
        Stderr = stderr;
        _dataHome = dataHome;
    }

    public Uri BaseUrl { get; }
    public Uri Endpoint => new(BaseUrl, "/mcp");
    public ConcurrentQueue<string> Stderr { get; }
    public bool HasExited => _process.HasExited;

    /// <summary>Starts the server and waits until it listens; throws with its stderr if it exits instead.</summary>
    public static async Task<HttpServerProcess> Start(string dbPath, IEnumerable<string>? extraArgs = null, IDictionary<string, string?>? env = null)
    {
        var (process, stderr, exited, dataHome) = Launch(["serve", "--http", "--urls", "http://127.0.0.1:0", "--db", dbPath, .. extraArgs ?? []], env);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var line = stderr.FirstOrDefault(l => l.Contains(" over HTTP at ", StringComparison.Ordinal));
            if (line is not null && ListeningAt().Match(line) is { Success: true } m)
                return new HttpServerProcess(process, new Uri(m.Groups[1].Value), stderr, dataHome);
            if (exited.Task.IsCompleted)
            {
                process.WaitForExit(); // the last stderr lines too
                DeleteDataHome(dataHome);
                throw new InvalidOperationException($"the server exited ({process.ExitCode}) before listening: {string.Join("\n", stderr)}");
            }
            await Task.Delay(50);
        }
        process.Kill(entireProcessTree: true);
        DeleteDataHome(dataHome);
        throw new TimeoutException("the server did not start listening: " + string.Join("\n", stderr));
    }

    /// <summary>
    /// Runs valuemcp with the arguments to its end: exit code and stderr (for refusals). wrap starts it through another
    /// program: as a user who cannot write what the tests made (Unprivileged.Wrap), or on a terminal (TerminalTests).
    /// </summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExit(IEnumerable<string> args, IDictionary<string, string?>? env = null,
        Func<ProcessStartInfo, ProcessStartInfo>? wrap = null)
    {
        var (process, stderr, exited, dataHome) = Launch(args, env, captureStdout: true, wrap);
        using var cts = new CancellationTokenSource(StartTimeout);
        try
        {
            var stdout = await process.StandardOutput.ReadToEndAsync(cts.Token);
            // Waits for the exit and for the end of the redirected stderr: the Exited event can come before the last
            // stderr lines are delivered (seen with the Native AOT build: a one-line error read as no line at all).
            await process.WaitForExitAsync(cts.Token);
            return (process.ExitCode, stdout, string.Join("\n", stderr));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.Dispose();
            DeleteDataHome(dataHome);
        }
    }

    /// <summary>The variable that moves the user's data directory (LocalApplicationData) on Linux.</summary>
    public const string DataHomeVariable = "XDG_DATA_HOME";

    private static (Process, ConcurrentQueue<string>, TaskCompletionSource, string DataHome) Launch(IEnumerable<string> args, IDictionary<string, string?>? env,
        bool captureStdout = false, Func<ProcessStartInfo, ProcessStartInfo>? wrap = null)
    {
        var start = ServerFixture.ServerStart(args);
        if (wrap is not null) start = wrap(start);
        start.RedirectStandardError = start.RedirectStandardOutput = start.RedirectStandardInput = true;
        // The token variables and the data directory (default tokens file, default and demo databases) of the machine
        // running the tests must not reach the servers they start: each gets an empty data directory of its own.
        start.Environment.Remove("VALUEMCP_TOKENS");
        start.Environment.Remove("VALUEMCP_TOKENS_FILE");
        start.Environment.Remove("VALUEMCP_DB");
        var dataHome = Path.Combine(Path.GetTempPath(), "valuemcp-data-home-" + Guid.NewGuid().ToString("N")[..12]);
        start.Environment[DataHomeVariable] = dataHome;
        foreach (var (k, v) in env ?? new Dictionary<string, string?>()) start.Environment[k] = v;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var stderr = new ConcurrentQueue<string>();
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.Enqueue(e.Data); };
        process.Exited += (_, _) => exited.TrySetResult();
        process.Start();
        process.BeginErrorReadLine();
        if (!captureStdout) process.BeginOutputReadLine();
        return (process, stderr, exited, dataHome);
    }

    private static void DeleteDataHome(string dataHome)
    {
        try { if (Directory.Exists(dataHome)) Directory.Delete(dataHome, recursive: true); }
        catch (IOException) { /* still held by an exiting process: it is in the temporary folder */ }
        catch (UnauthorizedAccessException) { }
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
        DeleteDataHome(_dataHome);
    }

    /// <summary>A fresh database with the demo portfolio imported (the committed CSVs), in its own temporary folder.</summary>
    public static string DemoDatabase(string workDir)
    {
        Directory.CreateDirectory(workDir);
        return TestStore.Imported(TestStore.Target(Path.Combine(workDir, "http.db")), Path.Combine(TestPaths.RepoRoot, "samples", "demo-portfolio"));
    }

    [GeneratedRegex(@" over HTTP at (http://[^ ]+?)/mcp")]
    private static partial Regex ListeningAt();
}
