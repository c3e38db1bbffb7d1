using System.Collections.Concurrent;
using System.Diagnostics;
using ModelContextProtocol.Client;

namespace ValueMcp.Bench;

/// <summary>
/// The shipped server, started as a child process: the valuemcp.dll built next to the benchmark (run through dotnet),
/// or the program the server option names (a valuemcp.dll elsewhere, or an executable such as the Native AOT build).
/// </summary>
public sealed class ServerProgram
{
    /// <summary>Variables of the server a benchmark must not inherit from the shell that runs it (it sets its own).</summary>
    private static readonly string[] Cleared =
        ["VALUEMCP_DB", "VALUEMCP_POLICY", "VALUEMCP_TOKENS", "VALUEMCP_TOKENS_FILE", "VALUEMCP_IMPORT_ROOT", "VALUEMCP_OPERATOR", "VALUEMCP_TRACE_STARTUP"];

    private readonly string _command;
    private readonly string[] _prefix;

    private ServerProgram(string command, string[] prefix, string describe)
    {
        _command = command;
        _prefix = prefix;
        Description = describe;
    }

    /// <summary>What runs, for the report: "dotnet /path/valuemcp.dll" or the executable.</summary>
    public string Description { get; }

    public static string DefaultDll => Path.Combine(AppContext.BaseDirectory, "valuemcp.dll");

    /// <summary>The server to start: path (a .dll runs through dotnet, anything else is run as it is), else the built one.</summary>
    public static ServerProgram Resolve(string? path)
    {
        var target = Path.GetFullPath(string.IsNullOrWhiteSpace(path) ? DefaultDll : path);
        if (!File.Exists(target))
            throw new BenchException(path is null
                ? $"the server is not built next to the benchmark ({target}); build bench/ValueMcp.Bench, or give --server PATH"
                : $"--server: no such file: {target} (accepted: a valuemcp.dll, run through dotnet, or a valuemcp executable)");
        if (!target.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) return new(target, [], target);
        var host = DotnetHost();
        return new(host, [target], $"{host} {target}");
    }

    /// <summary>The dotnet host running this program when it runs through one, else dotnet from the PATH.</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? p : "dotnet";

    public IList<string> Arguments(IEnumerable<string> args) => [.. _prefix, .. args];

    /// <summary>A process start of the server with args, every stream redirected, the server's variables cleared.</summary>
    public ProcessStartInfo Start(IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var start = new ProcessStartInfo(_command)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in Arguments(args)) start.ArgumentList.Add(a);
        foreach (var name in Cleared) start.Environment.Remove(name);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) start.Environment[k] = v;
        return start;
    }

    /// <summary>Runs the server's command line to its end (import, demo, token add...): exit code, stdout, stderr, time.</summary>
    public Task<ProcessRun> Run(IEnumerable<string> args, TimeSpan timeout, IDictionary<string, string>? env = null) =>
        ProcessRun.ToExit(Start(args, env), timeout);

    /// <summary>
    /// Starts `serve` with args over stdio and connects an MCP client to it. The process is found by its parent (this
    /// process) and its database path, to read its memory and CPU time from /proc.
    /// </summary>
    public async Task<StdioServer> Serve(string dbPath, IEnumerable<string> extraArgs, CancellationToken ct)
    {
        var stderr = new ConcurrentQueue<string>();
        var args = Arguments(["serve", "--db", dbPath, .. extraArgs]);
        var env = new Dictionary<string, string?>();
        foreach (var name in Cleared) env[name] = null;
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "valuemcp-bench",
            Command = _command,
            Arguments = args,
            EnvironmentVariables = env,
            StandardErrorLines = line =>
            {
                stderr.Enqueue(line);
                while (stderr.Count > 200) stderr.TryDequeue(out _);
            },
            ShutdownTimeout = TimeSpan.FromSeconds(10),
        });
        var client = await McpClient.CreateAsync(transport, new McpClientOptions
        {
            // A cold `dotnet valuemcp.dll` on a busy machine can take longer than the SDK's default probe.
            InitializationTimeout = TimeSpan.FromSeconds(120),
        }, cancellationToken: ct);
        var pid = ProcFs.ChildServing(Environment.ProcessId, dbPath);
        return new StdioServer(client, pid, stderr);
    }
}

/// <summary>A server over stdio: its MCP client, its process id (null where /proc cannot tell), its last stderr lines.</summary>
public sealed class StdioServer(McpClient client, int? pid, ConcurrentQueue<string> stderr) : IAsyncDisposable
{
    public McpClient Client { get; } = client;
    public int? Pid { get; } = pid;
    public IReadOnlyCollection<string> Stderr => stderr;

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}

/// <summary>A program run to its end.</summary>
public sealed record ProcessRun(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>Starts the process, reads both streams to their end and waits for the exit (killed after timeout).</summary>
    public static async Task<ProcessRun> ToExit(ProcessStartInfo start, TimeSpan timeout)
    {
        start.RedirectStandardOutput = start.RedirectStandardError = start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new BenchException($"could not start {start.FileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new BenchException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish within {timeout.TotalSeconds:0} s", Exit.Failed);
        }
        var elapsed = watch.Elapsed;
        return new ProcessRun(process.ExitCode, await stdout, await stderr, elapsed);
    }

    /// <summary>The last line of stderr (where the server says why it refused).</summary>
    public string LastError => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {ExitCode}";
}
