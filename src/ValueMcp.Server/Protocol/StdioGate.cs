using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ValueMcp.Server.Protocol;

/// <summary>
/// MCP over stdio with the JSON-RPC gate in front of the SDK: each line read from stdin goes through JsonRpcGate;
/// a well-formed message is passed on unchanged to the SDK's stream transport (through a pipe), anything else gets its
/// JSON-RPC error on stdout (or, for a notification or a response, a log line on stderr). The gate's answers and the
/// SDK's messages share one lock on stdout and are written as whole lines, so they never interleave. At the end of
/// input the SDK sees its end of input only once every request read has been answered (bounded by DrainTimeout), so
/// `printf '&lt;initialize&gt;\n&lt;tools/list&gt;\n' | valuemcp serve` prints both answers. The application stops when the session ends.
/// </summary>
public sealed class StdioGate(Stream input, Stream output, IServiceProvider services) : BackgroundService
{
    /// <summary>How long, after the end of input, the requests already read may take to be answered.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(2);

    private const string ListenMethod = "subscriptions/listen";
    private const int ReadSize = 64 * 1024;
    private static readonly ReadOnlyMemory<byte> Newline = "\n"u8.ToArray();

    private readonly SemaphoreSlim _stdout = new(1, 1);
    private readonly Outstanding _outstanding = new();
    private readonly ILoggerFactory _loggers = services.GetRequiredService<ILoggerFactory>();
    private readonly ILogger _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<StdioGate>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var toSdk = new Pipe();
            await using var transport = new GatedTransport(toSdk.Reader.AsStream(), output, _stdout, _outstanding, _loggers);
            await using var server = McpServer.Create(transport, services.GetRequiredService<IOptions<McpServerOptions>>().Value, _loggers, services);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var serving = server.RunAsync(stop.Token);
            var reading = Read(toSdk.Writer, stop.Token);
            if (await Task.WhenAny(serving, reading) == serving) await stop.CancelAsync(); // the session ended: stop reading stdin
            try
            {
                await reading;
            }
            catch (OperationCanceledException)
            {
            }
            await toSdk.Writer.CompleteAsync(); // the SDK's end of input: the session ends
            try
            {
                await serving;
            }
            catch (OperationCanceledException)
            {
            }
        }
        finally
        {
            services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        }
    }

    /// <summary>Reads stdin line by line through the gate until its end, then waits for the answers still owed.</summary>
    private async Task Read(PipeWriter toSdk, CancellationToken ct)
    {
        var chunk = new byte[ReadSize]; // owned here: a read abandoned by cancellation can only ever write into it
        var line = new ArrayBufferWriter<byte>(ReadSize);
        while (true)
        {
            // Console streams ignore cancellation while blocked in read(2); WaitAsync lets a stop go ahead anyway.
            var count = await input.ReadAsync(chunk.AsMemory(), ct).AsTask().WaitAsync(ct);
            if (count == 0) break;
            var start = 0;
            while (Array.IndexOf(chunk, (byte)'\n', start, count - start) is var newline and >= 0)
            {
                line.Write(chunk.AsSpan(start, newline - start));
                await Handle(line.WrittenMemory, toSdk, ct);
                line.ResetWrittenCount();
                start = newline + 1;
            }
            line.Write(chunk.AsSpan(start, count - start));
        }
        if (line.WrittenCount > 0) await Handle(line.WrittenMemory, toSdk, ct); // a last line without its newline

        var owed = _outstanding.Count;
        if (owed == 0) return;
        try
        {
            await _outstanding.WhenNone().WaitAsync(DrainTimeout, ct);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("stdin ended; {Count} request(s) still unanswered after {Seconds} s, stopping", _outstanding.Count,
                DrainTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture));
        }
    }

    private async Task Handle(ReadOnlyMemory<byte> line, PipeWriter toSdk, CancellationToken ct)
    {
        if (line.Span is [.., (byte)'\r']) line = line[..^1];
        if (line.Span.Trim(" \t\r"u8).IsEmpty) return; // blank lines carry nothing
        var verdict = JsonRpcGate.Check(line);
        switch (verdict.Outcome)
        {
            case GateOutcome.Forward:
                // subscriptions/listen (2026-07-28) is answered only when the client ends the stream: at the end of input
                // nobody is left to wait for it, so it is not an answer owed.
                if (verdict is { Kind: MessageKind.Request, Id: { } id } && verdict.Method != ListenMethod) _outstanding.Add(id);
                if (verdict.Cancels is { } cancelled) _outstanding.Done(cancelled); // a cancelled request gets no answer (MCP, Cancellation)
                await toSdk.WriteAsync(line, ct);
                await toSdk.WriteAsync(Newline, ct);
                break;
            case GateOutcome.Answer:
                await WriteLine(verdict.Answer(), ct);
                break;
            default:
                _logger.LogWarning("dropped: {Problem}", verdict.Message);
                break;
        }
    }

    private async Task WriteLine(byte[] json, CancellationToken ct)
    {
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        await _stdout.WaitAsync(ct);
        try
        {
            await output.WriteAsync(line, ct);
            await output.FlushAsync(ct);
        }
        catch (IOException e)
        {
            _logger.LogDebug("stdout closed: {Problem}", e.Message); // the client went away; its end of input follows
        }
        finally
        {
            _stdout.Release();
        }
    }

    public override void Dispose()
    {
        _stdout.Dispose();
        base.Dispose();
    }

    /// <summary>The SDK's stream transport, writing under the gate's stdout lock and counting the requests it answers.</summary>
    private sealed class GatedTransport(Stream input, Stream output, SemaphoreSlim stdout, Outstanding outstanding, ILoggerFactory loggers)
        : StreamServerTransport(input, output, Hosting.ServerName, loggers)
    {
        public override async Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default)
        {
            try
            {
                await stdout.WaitAsync(cancellationToken);
                try
                {
                    await base.SendMessageAsync(message, cancellationToken);
                }
                finally
                {
                    stdout.Release();
                }
            }
            finally
            {
                // Answered, or never to be: either way no longer owed.
                if (message is JsonRpcResponse or JsonRpcError) outstanding.Done(((JsonRpcMessageWithId)message).Id);
            }
        }
    }

    /// <summary>The requests passed to the SDK and not answered yet, by id (a client may reuse one).</summary>
    private sealed class Outstanding
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<RequestId, int> _count = [];
        private TaskCompletionSource? _none;

        public int Count
        {
            get
            {
                lock (_lock) return _count.Values.Sum();
            }
        }

        public void Add(RequestId id)
        {
            lock (_lock) _count[id] = _count.GetValueOrDefault(id) + 1;
        }

        public void Done(RequestId id)
        {
            lock (_lock)
            {
                if (!_count.TryGetValue(id, out var n)) return;
                if (n > 1) _count[id] = n - 1;
                else _count.Remove(id);
                if (_count.Count > 0) return;
                _none?.TrySetResult();
                _none = null;
            }
        }

        public Task WhenNone()
        {
            lock (_lock)
            {
                if (_count.Count == 0) return Task.CompletedTask;
                _none ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _none.Task;
            }
        }
    }
}
