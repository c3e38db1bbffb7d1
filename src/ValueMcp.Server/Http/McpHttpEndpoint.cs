using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Server.Protocol;
using ValueMcp.Server.Security;

namespace ValueMcp.Server.Http;

/// <summary>
/// The Streamable HTTP endpoint (MCP 2025-11-25, Transports) on the core SDK's StreamableHttpServerTransport:
/// POST carries one JSON-RPC message and answers with an SSE stream (or 202 when there is nothing to answer),
/// GET opens the session's stream for server-initiated messages, DELETE ends the session. A session starts with
/// initialize and is named by the Mcp-Session-Id the server returns; an unknown id is 404, so the client starts over.
/// </summary>
public sealed class McpHttpEndpoint(
    HttpSessionStore sessions,
    HttpServeOptions options,
    IOptions<McpServerOptions> mcpOptions,
    IHostApplicationLifetime lifetime,
    IServiceProvider services,
    ILoggerFactory loggerFactory)
{
    public const string SessionHeader = "Mcp-Session-Id";
    public const string ProtocolVersionHeader = "MCP-Protocol-Version";

    /// <summary>The revisions that use the initialize handshake and sessions, which this endpoint serves.</summary>
    public static readonly IReadOnlyList<string> ProtocolVersions = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];

    private readonly ILogger _logger = loggerFactory.CreateLogger<McpHttpEndpoint>();

    public async Task Post(HttpContext context)
    {
        if (!await ProtocolVersionOk(context)) return;
        var request = context.Request;
        var accept = request.GetTypedHeaders().Accept;
        if (!accept.Any(a => a.MatchesMediaType("application/json")) || !accept.Any(a => a.MatchesMediaType("text/event-stream")))
        {
            await JsonRpcErrors.Write(context, StatusCodes.Status406NotAcceptable, JsonRpcErrors.Refused,
                "Not Acceptable: the client must accept both application/json and text/event-stream.");
            return;
        }
        if (request.GetTypedHeaders().ContentType is not { } type || !type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await JsonRpcErrors.Write(context, StatusCodes.Status415UnsupportedMediaType, JsonRpcErrors.Refused,
                "Unsupported Media Type: the body must be one JSON-RPC message with Content-Type: application/json.");
            return;
        }
        if (request.ContentLength > options.MaxRequestBytes)
        {
            await TooLarge(context);
            return;
        }
        var body = await ReadBody(context);
        if (body is null) return;
        var verdict = JsonRpcGate.Check(body);
        if (verdict.Outcome != GateOutcome.Forward && verdict.IsAboutMessage)
        {
            // Not one well-formed JSON-RPC message, or a notification or response that cannot be taken: 400 (Transports).
            if (verdict.Outcome == GateOutcome.Drop) _logger.LogWarning("refused: {Problem}", verdict.Message);
            await JsonRpcErrors.Write(context, StatusCodes.Status400BadRequest, verdict.Answer());
            return;
        }

        var caller = Caller.From(context.User);
        HttpSession? session = null;
        var sessionId = request.Headers[SessionHeader].ToString();
        if (sessionId.Length > 0)
        {
            session = await Find(context, sessionId, caller);
            if (session is null) return;
        }
        else if (!verdict.IsInitialize)
        {
            await JsonRpcErrors.Write(context, StatusCodes.Status400BadRequest, JsonRpcErrors.Refused,
                "Bad Request: the Mcp-Session-Id header is required; a session starts with an initialize request.");
            return;
        }
        if (verdict.Outcome == GateOutcome.Answer)
        {
            // A well-formed request whose method or params are wrong: the JSON-RPC error is its answer, 200 as for any
            // answer. A malformed initialize opens no session.
            if (session is not null) context.Response.Headers[SessionHeader] = session.Id;
            await JsonRpcErrors.Write(context, StatusCodes.Status200OK, verdict.Answer());
            return;
        }
        session ??= await Open(context, caller);
        if (session is null) return;
        var message = verdict.Parsed!;

        using var _ = session.Enter();
        // The caller travels with the message, so that request filters and tools see who asks (RequestContext.User).
        message.Context = new JsonRpcMessageContext { User = context.User.Identity?.IsAuthenticated == true ? context.User : null };
        context.Response.Headers[SessionHeader] = session.Id;
        StartEventStream(context);
        var wrote = await session.Transport.HandlePostRequestAsync(message, context.Response.Body, context.RequestAborted);
        if (!wrote)
        {
            // A notification or a response: nothing to answer.
            context.Response.Headers.ContentType = (string?)null;
            context.Response.StatusCode = StatusCodes.Status202Accepted;
        }
    }

    public async Task Get(HttpContext context)
    {
        if (!await ProtocolVersionOk(context)) return;
        if (!context.Request.GetTypedHeaders().Accept.Any(a => a.MatchesMediaType("text/event-stream")))
        {
            await JsonRpcErrors.Write(context, StatusCodes.Status406NotAcceptable, JsonRpcErrors.Refused,
                "Not Acceptable: the GET stream is text/event-stream; the client must accept it.");
            return;
        }
        var session = await Find(context, context.Request.Headers[SessionHeader].ToString(), Caller.From(context.User));
        if (session is null) return;
        if (!session.TryStartGet())
        {
            await JsonRpcErrors.Write(context, StatusCodes.Status409Conflict, JsonRpcErrors.Refused,
                "Conflict: this session already has a GET stream open; server messages go to that one.");
            return;
        }
        try
        {
            using var _ = session.Enter();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping, session.Closed);
            context.Response.Headers[SessionHeader] = session.Id;
            StartEventStream(context);
            await context.Response.Body.FlushAsync(stop.Token); // the 200 now: messages may come much later
            await session.Transport.HandleGetRequestAsync(context.Response.Body, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // The client went away, the session ended or the server is stopping: that is how SSE streams end.
        }
        catch (ObjectDisposedException)
        {
            // The session ended while the stream was open.
        }
        finally
        {
            session.EndGet();
        }
    }

    public async Task Delete(HttpContext context)
    {
        if (!await ProtocolVersionOk(context)) return;
        var session = await Find(context, context.Request.Headers[SessionHeader].ToString(), Caller.From(context.User));
        if (session is null) return;
        await sessions.EndAsync(session.Id, "closed by the client");
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task<HttpSession?> Open(HttpContext context, Caller caller)
    {
        if (sessions.Count >= options.MaxSessions)
        {
            context.Response.Headers.RetryAfter = "60";
            await JsonRpcErrors.Write(context, StatusCodes.Status503ServiceUnavailable, JsonRpcErrors.Refused,
                $"Service Unavailable: {options.MaxSessions} sessions are open; try again when idle ones have expired.");
            return null;
        }
        var id = HttpSessionStore.NewId();
        var transport = new StreamableHttpServerTransport(loggerFactory) { SessionId = id };
        var server = McpServer.Create(transport, mcpOptions.Value, loggerFactory, services);
        var session = new HttpSession(id, caller.Name, transport, server, sessions.Clock);
        if (!sessions.TryAdd(session)) throw new InvalidOperationException("a fresh 128-bit session id collided");
        _logger.LogInformation("session {Session} opened by {Caller} ({Role})", HttpSessionStore.Short(id), caller.Name, TokenStore.RoleName(caller.Role));
        return session;
    }

    private async Task<HttpSession?> Find(HttpContext context, string id, Caller caller)
    {
        if (id.Length == 0)
        {
            await JsonRpcErrors.Write(context, StatusCodes.Status400BadRequest, JsonRpcErrors.Refused,
                "Bad Request: the Mcp-Session-Id header is required.");
            return null;
        }
        if (!sessions.TryGet(id, out var session) || session.IsDisposed)
        {
            await JsonRpcErrors.Write(context, StatusCodes.Status404NotFound, JsonRpcErrors.SessionNotFound,
                "Session not found: it was ended (DELETE, idle expiry, server restart) or never existed. Start a new one with initialize.");
            return null;
        }
        if (!string.Equals(session.Owner, caller.Name, StringComparison.Ordinal))
        {
            await JsonRpcErrors.Write(context, StatusCodes.Status403Forbidden, JsonRpcErrors.Refused,
                "Forbidden: this session was opened with another token.");
            return null;
        }
        return session;
    }

    /// <summary>A missing header is allowed (the 2025-03-26 rule); a value this endpoint does not serve is 400.</summary>
    private static async Task<bool> ProtocolVersionOk(HttpContext context)
    {
        var version = context.Request.Headers[ProtocolVersionHeader].ToString();
        if (version.Length == 0 || ProtocolVersions.Contains(version)) return true;
        var shown = new string(version.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        await JsonRpcErrors.Write(context, StatusCodes.Status400BadRequest, JsonRpcErrors.Refused,
            $"Bad Request: MCP-Protocol-Version \"{shown}\" is not supported here; supported: {string.Join(", ", ProtocolVersions)}.");
        return false;
    }

    /// <summary>The body's bytes (the gate reads them), or null after answering 413.</summary>
    private async Task<byte[]?> ReadBody(HttpContext context)
    {
        using var body = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await TooLarge(context);
            return null;
        }
        return body.ToArray();
    }

    private Task TooLarge(HttpContext context) =>
        JsonRpcErrors.Write(context, StatusCodes.Status413PayloadTooLarge, JsonRpcErrors.Refused,
            $"Payload Too Large: a request body may have at most {options.MaxRequestBytes:N0} bytes.");

    private static void StartEventStream(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentType = "text/event-stream";
        headers.CacheControl = "no-cache,no-store";
        headers.ContentEncoding = "identity";
        headers["X-Accel-Buffering"] = "no"; // proxies must not hold events back
        context.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();
    }
}
