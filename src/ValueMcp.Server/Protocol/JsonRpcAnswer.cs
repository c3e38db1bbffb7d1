using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace ValueMcp.Server.Protocol;

/// <summary>The JSON-RPC error codes the gate answers with (JSON-RPC 2.0, section 5.1).</summary>
public static class JsonRpcCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
}

/// <summary>A JSON-RPC error response as UTF-8 JSON on one line (no newline inside): what both transports write.</summary>
public static class JsonRpcAnswer
{
    // Quotes as \" rather than \u0022: the messages stay readable in a terminal (they are never embedded in HTML).
    private static readonly JsonWriterOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Error(RequestId? id, int code, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Writing))
        {
            writer.WriteStartObject();
            writer.WriteString("jsonrpc", "2.0");
            switch (id?.Id)
            {
                case string text:
                    writer.WriteString("id", text);
                    break;
                case long number:
                    writer.WriteNumber("id", number);
                    break;
                default:
                    writer.WriteNull("id");
                    break;
            }
            writer.WriteStartObject("error");
            writer.WriteNumber("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>
/// Values shown in answers and logs: never more than the first characters, then how long the value was, so that an
/// answer stays small whatever the request carried (a 10 MB method name gets a 200-byte answer).
/// </summary>
public static class Shown
{
    public const int Characters = 64;

    /// <summary>"text" quoted, or "first characters…" (N characters); control characters as '?'.</summary>
    public static string Text(string value)
    {
        var head = Clean(value.Length > Characters ? value[..Characters] : value);
        return value.Length > Characters
            ? $"\"{head}…\" ({value.Length.ToString("N0", CultureInfo.InvariantCulture)} characters)"
            : $"\"{head}\"";
    }

    /// <summary>A name in a path (params.arguments.NAME): at most 40 characters, unquoted.</summary>
    public static string Name(string name) => Clean(name.Length > 40 ? name[..40] + "…" : name);

    /// <summary>What a JSON value is, for "got ...": the text "…", the number 1.5, true, null, an object, an array.</summary>
    public static string Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => TryText(value) is { } text ? "the text " + Text(text) : "a text that is not valid Unicode",
        JsonValueKind.Number => "the number " + Raw(value),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "nothing",
    };

    public static string? TryText(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Raw(JsonElement number)
    {
        var raw = number.GetRawText();
        return raw.Length > Characters ? $"{raw[..Characters]}… ({raw.Length.ToString("N0", CultureInfo.InvariantCulture)} characters)" : raw;
    }

    private static string Clean(string s) =>
        string.Create(s.Length, s, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = char.IsControl(source[i]) || char.IsSurrogate(source[i]) && !IsPaired(source, i) ? '?' : source[i];
        });

    private static bool IsPaired(string s, int i) =>
        char.IsHighSurrogate(s[i]) ? i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) : i > 0 && char.IsHighSurrogate(s[i - 1]);
}
