using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace ValueMcp.Server.Http;

/// <summary>
/// One MCP session over HTTP: the SDK's Streamable HTTP transport and the McpServer running on it, bound to the
/// caller who opened it. It counts the requests in flight, so that the idle sweep never ends a busy session.
/// </summary>
public sealed class HttpSession : IAsyncDisposable
{
    private readonly CancellationTokenSource _closed = new();
    private readonly TimeProvider _clock;
    private int _inFlight;
    private int _getOpen;
    private int _disposed;
    private long _lastActivity;

    public HttpSession(string id, string owner, StreamableHttpServerTransport transport, McpServer server, TimeProvider clock)
    {
        Id = id;
        Owner = owner;
        Transport = transport;
        Server = server;
        _clock = clock;
        _lastActivity = clock.GetTimestamp();
        RunTask = server.RunAsync(_closed.Token);
    }

    public string Id { get; }
    /// <summary>The caller name that opened the session; only that caller may use it.</summary>
    public string Owner { get; }
    public StreamableHttpServerTransport Transport { get; }
    public McpServer Server { get; }
    public Task RunTask { get; }
    public CancellationToken Closed => _closed.Token;
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Marks a request in flight until the returned scope is disposed.</summary>
    public Scope Enter()
    {
        Interlocked.Increment(ref _inFlight);
        Interlocked.Exchange(ref _lastActivity, _clock.GetTimestamp());
        return new Scope(this);
    }

    public bool IsIdleFor(TimeSpan timeout) =>
        Volatile.Read(ref _inFlight) == 0 && _clock.GetElapsedTime(Interlocked.Read(ref _lastActivity)) > timeout;

    /// <summary>Only one standalone GET stream per session: a second one would race the first for messages.</summary>
    public bool TryStartGet() => Interlocked.Exchange(ref _getOpen, 1) == 0;
    public void EndGet() => Volatile.Write(ref _getOpen, 0);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            // The transport first, so that the server's message loop ends quietly, then the loop, then the server.
            await Transport.DisposeAsync();
            await _closed.CancelAsync();
            await RunTask;
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await Server.DisposeAsync();
            _closed.Dispose();
        }
    }

    public readonly struct Scope(HttpSession session) : IDisposable
    {
        public void Dispose()
        {
            Interlocked.Exchange(ref session._lastActivity, session._clock.GetTimestamp());
            Interlocked.Decrement(ref session._inFlight);
        }
    }
}

/// <summary>
/// The live sessions by id, with a background sweep that ends the ones idle longer than the timeout and, when the
/// host stops, all of them. Ids are 128 random bits from the OS's CSPRNG, base64url-encoded.
/// </summary>
public sealed class HttpSessionStore(HttpServeOptions options, TimeProvider clock, ILogger<HttpSessionStore> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, HttpSession> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;
    public TimeProvider Clock => clock;

    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return WebEncoders.Base64UrlEncode(bytes);
    }

    public bool TryAdd(HttpSession session) => _sessions.TryAdd(session.Id, session);

    public bool TryGet(string id, out HttpSession session) => _sessions.TryGetValue(id, out session!);

    /// <summary>Ends a session (DELETE, idle expiry); false when there is no such session.</summary>
    public async Task<bool> EndAsync(string id, string why)
    {
        if (!_sessions.TryRemove(id, out var session)) return false;
        logger.LogInformation("session {Session} of {Owner} ended ({Why})", Short(id), session.Owner, why);
        await session.DisposeAsync();
        return true;
    }

    /// <summary>The first characters of an id, enough to follow a session in the log without handing it out.</summary>
    public static string Short(string id) => id.Length > 6 ? id[..6] + "…" : id;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromTicks(Math.Clamp(options.SessionIdleTimeout.Ticks / 4, TimeSpan.FromMilliseconds(250).Ticks, TimeSpan.FromSeconds(30).Ticks));
        using var timer = new PeriodicTimer(period, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var session in _sessions.Values.Where(s => s.IsIdleFor(options.SessionIdleTimeout)).ToList())
                    await EndAsync(session.Id, $"idle for more than {options.SessionIdleTimeout.TotalSeconds:0} s");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var id in _sessions.Keys.ToList()) await EndAsync(id, "server stopping");
    }
}
