using Microsoft.AspNetCore.Http;
using ValueMcp.Server.Protocol;

namespace ValueMcp.Server.Http;

/// <summary>
/// HTTP-level refusals as a JSON-RPC error object (id null: the request was not read, or not understood), and the
/// JSON-RPC gate's answers (Protocol.JsonRpcGate), with the id when the message had a valid one.
/// </summary>
public static class JsonRpcErrors
{
    /// <summary>Server-defined: the request was refused before it reached MCP (headers, size, limits, auth).</summary>
    public const int Refused = -32000;
    /// <summary>The session named by Mcp-Session-Id does not exist (what the TypeScript and C# SDKs answer).</summary>
    public const int SessionNotFound = -32001;

    public static Task Write(HttpContext context, int status, int code, string message) =>
        Write(context, status, JsonRpcAnswer.Error(null, code, message));

    /// <summary>A JSON-RPC error answer (JsonRpcAnswer, JsonRpcGate) as the body, with the status.</summary>
    public static async Task Write(HttpContext context, int status, byte[] answer)
    {
        var response = context.Response;
        if (response.HasStarted) return;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        // Not RequestAborted: a request timeout answers 504 through here after cancelling it. The body is small; a write
        // to a connection that is gone does not block.
        await response.Body.WriteAsync(answer, CancellationToken.None);
    }
}
