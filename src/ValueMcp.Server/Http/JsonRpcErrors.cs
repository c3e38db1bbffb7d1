using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ValueMcp.Server.Http;

/// <summary>HTTP-level refusals as a JSON-RPC error object (id null: the request was not read, or not understood).</summary>
public static class JsonRpcErrors
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    /// <summary>Server-defined: the request was refused before it reached MCP (headers, size, limits, auth).</summary>
    public const int Refused = -32000;
    /// <summary>The session named by Mcp-Session-Id does not exist (what the TypeScript and C# SDKs answer).</summary>
    public const int SessionNotFound = -32001;

    public static async Task Write(HttpContext context, int status, int code, string message)
    {
        var response = context.Response;
        if (response.HasStarted) return;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WriteNull("id");
        writer.WriteStartObject("error");
        writer.WriteNumber("code", code);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
