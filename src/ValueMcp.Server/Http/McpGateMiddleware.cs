using Microsoft.AspNetCore.Http;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Server.Tools;
using ValueMcp.Server.Protocol;
using ValueMcp.Server.Security;

namespace ValueMcp.Server.Http;

/// <summary>
/// What a POST to the MCP endpoint passes before the SDK's Streamable HTTP transport (MapMcp) reads it: the client
/// accepts both application/json and text/event-stream (406), the body is declared application/json (415) and is
/// within the size limit (413), and it is one well-formed JSON-RPC message (the JSON-RPC gate, the same as on stdio:
/// 400 for a body that is not one message, 200 with the JSON-RPC error for a request whose params are wrong). The body
/// read here is handed on unchanged. GET and DELETE go straight to the SDK, which checks their headers and sessions.
/// </summary>
public sealed class McpGateMiddleware(HttpServeOptions options, HttpGuards guards, IOptions<McpServerOptions> mcp, ILogger<McpGateMiddleware> logger)
{
    private const string SessionHeader = "Mcp-Session-Id";
    private const string ProtocolVersionHeader = "MCP-Protocol-Version";
    /// <summary>The first revision without the initialize handshake and sessions.</summary>
    public const string StatelessRevision = "2026-07-28";

    public async Task Invoke(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.Path.Equals(HttpServeOptions.EndpointPath, StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }
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
        if (verdict.Outcome == GateOutcome.Answer && !verdict.IsAboutMessage && RemovedInStatelessEra(request, verdict.Method))
        {
            // A 2026-07-28 request for a method that revision removed: the SDK answers 404 with -32601, as that revision
            // requires, whatever the params (the gate's rules are those of the handshake revisions).
            verdict = verdict with { Outcome = GateOutcome.Forward };
        }
        if (verdict.Outcome != GateOutcome.Forward)
        {
            if (verdict.IsAboutMessage)
            {
                // Not one well-formed JSON-RPC message, or a notification or response that cannot be taken: 400 (Transports).
                if (verdict.Outcome == GateOutcome.Drop) logger.LogWarning("refused: {Problem}", verdict.Message);
                await JsonRpcErrors.Write(context, StatusCodes.Status400BadRequest, verdict.Answer());
            }
            else
            {
                // A well-formed request whose params are wrong: the JSON-RPC error is its answer, 200 as for any answer.
                await JsonRpcErrors.Write(context, StatusCodes.Status200OK, verdict.Answer());
            }
            return;
        }
        if (WriteToolName(verdict) is { } tool && OAuth.IsOAuthCaller(context.User) && !Caller.From(context.User).CanWrite)
        {
            // An access token with the read scope calling a tool that writes: 403 with the scope it needs, so that the
            // client can ask the authorization server for it (static read tokens get an isError result, RoleFilter).
            await guards.InsufficientScope(context, OAuthOptions.WriteScope,
                $"Forbidden: {tool} changes data and needs the scope {OAuthOptions.WriteScope}; the access token has only {OAuthOptions.ReadScope}. Nothing was written.");
            return;
        }
        if (verdict.IsInitialize) LogSessionOpened(context);
        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
        await next(context);
    }

    /// <summary>The tool a tools/call names, when it is one of this server's tools that is not read-only.</summary>
    private string? WriteToolName(GateVerdict verdict)
    {
        if (verdict.Parsed is not JsonRpcRequest { Method: RequestMethods.ToolsCall } call) return null;
        if (call.Params?["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name)) return null;
        return mcp.Value.ToolCollection is { } tools && tools.TryGetPrimitive(name, out var tool) && !ReadOnlyMode.IsReadOnlyTool(tool.ProtocolTool)
            ? name
            : null;
    }

    /// <summary>The methods the 2026-07-28 revision removed, which this server still serves to the older ones.</summary>
    private static readonly HashSet<string> RemovedMethods = new(StringComparer.Ordinal)
    {
        "initialize", "logging/setLevel", "resources/subscribe", "resources/unsubscribe",
    };

    /// <summary>The request declares 2026-07-28 or later (dates compare as text) and names a method that revision removed.</summary>
    private static bool RemovedInStatelessEra(HttpRequest request, string method) =>
        RemovedMethods.Contains(method)
        && request.Headers[ProtocolVersionHeader].ToString() is { Length: 10 } version
        && string.CompareOrdinal(version, StatelessRevision) >= 0;

    /// <summary>The log names who opened a session (the token's holder and role), never the token.</summary>
    private void LogSessionOpened(HttpContext context) =>
        context.Response.OnStarting(() =>
        {
            if (context.Response.Headers[SessionHeader].ToString() is { Length: > 0 } id)
            {
                var caller = Caller.From(context.User);
                logger.LogInformation("session {Session} opened by {Caller} ({Role})", id[..Math.Min(6, id.Length)] + "…", caller.Name, TokenStore.RoleName(caller.Role));
            }
            return Task.CompletedTask;
        });

    /// <summary>The body's bytes, or null after answering 413 (a body streamed past Kestrel's limit).</summary>
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
}
