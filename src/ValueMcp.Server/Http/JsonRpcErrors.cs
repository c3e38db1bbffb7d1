using Microsoft.AspNetCore.Http;
using ValueMcp.Server.Protocol;

namespace ValueMcp.Server.Http;

/// <summary>
/// The refusals of the guards in front of the SDK's transport (Host, Origin, tokens, limits, the JSON-RPC gate) as a
/// JSON-RPC error object (id null: the request was not read, or not understood; the gate's answers carry the id when
/// the message had a valid one). Sessions, protocol versions and GET streams are the SDK's, and so are their errors.
/// </summary>
public static class JsonRpcErrors
{
    /// <summary>Server-defined: the request was refused before it reached MCP (headers, size, limits, auth).</summary>
    public const int Refused = -32000;

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
