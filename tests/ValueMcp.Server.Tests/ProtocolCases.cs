using System.Text;
using System.Text.Json.Nodes;

namespace ValueMcp.Server.Tests;

/// <summary>
/// One malformed incoming message and the answer it must get, the same on both transports: the JSON-RPC error code,
/// the id echoed (null when the message has no valid id) and words the message must contain (which field is wrong,
/// what is accepted). Code null: a notification or a response that is wrong, dropped with a log line, never answered
/// over stdio (JSON-RPC never answers those); over HTTP it is refused with 400.
/// </summary>
public sealed record ProtocolCase(string Name, byte[] Bytes, int? Code, JsonNode? Id, params string[] MessageHas)
{
    public ProtocolCase(string name, string text, int? code, JsonNode? id, params string[] messageHas)
        : this(name, Encoding.UTF8.GetBytes(text), code, id, messageHas)
    {
    }

    /// <summary>Errors about the message itself (not JSON, not JSON-RPC): HTTP 400. Errors about a request's params: HTTP 200.</summary>
    public bool IsMessageLevel => Code is null or ProtocolCases.ParseError or ProtocolCases.InvalidRequest;

    /// <summary>An initialize starts a session over HTTP: it is sent without the Mcp-Session-Id header.</summary>
    public bool IsInitialize => Encoding.UTF8.GetString(Bytes).Contains("\"initialize\"", StringComparison.Ordinal);

    public override string ToString() => Name;
}

public static class ProtocolCases
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;

    private const string Health = "\"name\":\"get_portfolio_health\"";

    public static readonly IReadOnlyList<ProtocolCase> All =
    [
        // Not JSON, or JSON that is not one JSON-RPC object: -32700 / -32600 with id null.
        new("not_json", "{not json", ParseError, null, "Parse error", "not valid JSON"),
        new("bom_prefix", "\uFEFF{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", ParseError, null, "byte order mark"),
        new("empty_array", "[]", InvalidRequest, null, "batch"),
        new("batch", "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", InvalidRequest, null, "batch", "one JSON-RPC message"),
        new("json_null", "null", InvalidRequest, null, "JSON object"),
        new("json_number", "42", InvalidRequest, null, "JSON object"),
        new("empty_object", "{}", InvalidRequest, null, "method"),
        new("id_object", "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}", InvalidRequest, null, "id", "string or an integer"),
        new("id_array", "{\"jsonrpc\":\"2.0\",\"id\":[],\"method\":\"ping\"}", InvalidRequest, null, "id", "string or an integer"),
        new("id_true", "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}", InvalidRequest, null, "id", "string or an integer"),
        new("id_fraction", "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}", InvalidRequest, null, "id", "1.5", "integer"),
        new("id_beyond_int64", "{\"jsonrpc\":\"2.0\",\"id\":9223372036854775808,\"method\":\"ping\"}", InvalidRequest, null, "id", "9223372036854775808", "64-bit"),
        new("id_1e308", "{\"jsonrpc\":\"2.0\",\"id\":1e308,\"method\":\"ping\"}", InvalidRequest, null, "id", "1e308"),
        new("id_null", "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", InvalidRequest, null, "id", "null"),
        new("id_lone_surrogate", "{\"jsonrpc\":\"2.0\",\"id\":\"\\ud800\",\"method\":\"ping\"}", InvalidRequest, null, "id", "surrogate"),
        new("jsonrpc_1_0", "{\"jsonrpc\":\"1.0\",\"id\":5,\"method\":\"ping\"}", InvalidRequest, 5, "jsonrpc", "\"2.0\""),
        new("jsonrpc_missing", "{\"id\":\"five\",\"method\":\"ping\"}", InvalidRequest, "five", "jsonrpc", "\"2.0\""),
        new("method_number", "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":5}", InvalidRequest, 6, "method", "string"),
        new("method_lone_surrogate", "{\"jsonrpc\":\"2.0\",\"id\":61,\"method\":\"pi\\udc00ng\"}", InvalidRequest, 61, "method", "surrogate"),
        new("neither_method_nor_result", "{\"jsonrpc\":\"2.0\",\"id\":7}", InvalidRequest, 7, "method", "result"),
        new("member_twice", "{\"jsonrpc\":\"2.0\",\"id\":40,\"method\":\"ping\",\"method\":\"tools/list\"}", InvalidRequest, 40, "method", "twice"),

        // A request whose params are wrong: -32602 with its id, naming the field and what is accepted.
        new("lone_surrogate_argument", $"{{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":{{{Health},\"arguments\":{{\"as_of\":\"\\ud800\"}}}}}}",
            InvalidParams, 8, "params.arguments.as_of", "surrogate"),
        new("invalid_utf8_argument",
            [.. Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":81,\"method\":\"tools/call\",\"params\":{{{Health},\"arguments\":{{\"as_of\":\""), 0xC3, 0x28,
             .. Encoding.UTF8.GetBytes("\"}}}")],
            InvalidParams, 81, "params.arguments.as_of", "UTF-8"),
        new("params_array", "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":[]}", InvalidParams, 9, "params", "object", "an array"),
        new("params_string", "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"tools/call\",\"params\":\"x\"}", InvalidParams, 10, "params", "object"),
        new("ping_params_array", "{\"jsonrpc\":\"2.0\",\"id\":101,\"method\":\"ping\",\"params\":[1]}", InvalidParams, 101, "params", "object"),
        new("arguments_array", $"{{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/call\",\"params\":{{{Health},\"arguments\":[]}}}}", InvalidParams, 11, "params.arguments", "object"),
        new("arguments_string", $"{{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"tools/call\",\"params\":{{{Health},\"arguments\":\"x\"}}}}", InvalidParams, 12, "params.arguments", "object"),
        new("call_without_name", "{\"jsonrpc\":\"2.0\",\"id\":13,\"method\":\"tools/call\",\"params\":{}}", InvalidParams, 13, "params.name", "missing", "tools/list"),
        new("call_without_params", "{\"jsonrpc\":\"2.0\",\"id\":131,\"method\":\"tools/call\"}", InvalidParams, 131, "params.name", "missing"),
        new("call_name_number", "{\"jsonrpc\":\"2.0\",\"id\":14,\"method\":\"tools/call\",\"params\":{\"name\":5}}", InvalidParams, 14, "params.name", "string", "the number 5"),
        new("read_without_uri", "{\"jsonrpc\":\"2.0\",\"id\":15,\"method\":\"resources/read\",\"params\":{}}", InvalidParams, 15, "params.uri", "missing"),
        new("read_uri_number", "{\"jsonrpc\":\"2.0\",\"id\":16,\"method\":\"resources/read\",\"params\":{\"uri\":5}}", InvalidParams, 16, "params.uri", "string"),
        new("set_level_unknown", "{\"jsonrpc\":\"2.0\",\"id\":17,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"loud\"}}", InvalidParams, 17,
            "params.level", "\"loud\"", "debug", "emergency"),
        new("set_level_missing", "{\"jsonrpc\":\"2.0\",\"id\":171,\"method\":\"logging/setLevel\",\"params\":{}}", InvalidParams, 171, "params.level", "missing"),
        new("prompt_argument_number", "{\"jsonrpc\":\"2.0\",\"id\":18,\"method\":\"prompts/get\",\"params\":{\"name\":\"board_prep_summary\",\"arguments\":{\"as_of\":5}}}",
            InvalidParams, 18, "params.arguments.as_of", "string"),
        new("prompt_arguments_array", "{\"jsonrpc\":\"2.0\",\"id\":181,\"method\":\"prompts/get\",\"params\":{\"name\":\"board_prep_summary\",\"arguments\":[]}}",
            InvalidParams, 181, "params.arguments", "object"),
        new("list_cursor_number", "{\"jsonrpc\":\"2.0\",\"id\":23,\"method\":\"tools/list\",\"params\":{\"cursor\":5}}", InvalidParams, 23, "params.cursor", "string"),
        new("templates_cursor_array", "{\"jsonrpc\":\"2.0\",\"id\":32,\"method\":\"resources/templates/list\",\"params\":{\"cursor\":[]}}", InvalidParams, 32, "params.cursor", "string"),
        new("initialize_empty_params", "{\"jsonrpc\":\"2.0\",\"id\":25,\"method\":\"initialize\",\"params\":{}}", InvalidParams, 25,
            "params.protocolVersion", "params.capabilities", "params.clientInfo", "missing"),
        new("initialize_without_params", "{\"jsonrpc\":\"2.0\",\"id\":251,\"method\":\"initialize\"}", InvalidParams, 251, "params.protocolVersion"),
        new("initialize_client_without_version",
            "{\"jsonrpc\":\"2.0\",\"id\":26,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"x\"}}}",
            InvalidParams, 26, "params.clientInfo.version", "missing"),
        new("initialize_capability_of_wrong_type",
            "{\"jsonrpc\":\"2.0\",\"id\":27,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"roots\":5},\"clientInfo\":{\"name\":\"x\",\"version\":\"1\"}}}",
            InvalidParams, 27, "params.capabilities.roots"),

        // A notification or a response that is wrong: never answered (stdio), refused with 400 (HTTP).
        new("notification_params_array", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":[]}", null, null, "notifications/cancelled"),
        new("notification_bad_request_id", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":{}}}", null, null, "notifications/cancelled"),
        new("response_with_result_and_error", "{\"jsonrpc\":\"2.0\",\"id\":\"r1\",\"result\":{},\"error\":{\"code\":1,\"message\":\"x\"}}", null, null, "response"),
    ];

    public static IEnumerable<object[]> Names => All.Select(c => new object[] { c.Name });

    public static ProtocolCase Named(string name) => All.Single(c => c.Name == name);

    /// <summary>A request with one value of `size` characters where an echo would copy it (method, tool, prompt, uri).</summary>
    public static IEnumerable<object[]> Huge => [["method"], ["tool"], ["prompt"], ["uri"]];

    public static (string Json, int Code) HugeRequest(string where, int size, object id)
    {
        var big = new string('m', size);
        var idJson = id is string s ? $"\"{s}\"" : id.ToString();
        return where switch
        {
            "method" => ($"{{\"jsonrpc\":\"2.0\",\"id\":{idJson},\"method\":\"{big}\"}}", MethodNotFound),
            "tool" => ($"{{\"jsonrpc\":\"2.0\",\"id\":{idJson},\"method\":\"tools/call\",\"params\":{{\"name\":\"{big}\"}}}}", InvalidParams),
            "prompt" => ($"{{\"jsonrpc\":\"2.0\",\"id\":{idJson},\"method\":\"prompts/get\",\"params\":{{\"name\":\"{big}\"}}}}", InvalidParams),
            "uri" => ($"{{\"jsonrpc\":\"2.0\",\"id\":{idJson},\"method\":\"resources/read\",\"params\":{{\"uri\":\"value://{big}\"}}}}", InvalidParams),
            _ => throw new ArgumentOutOfRangeException(nameof(where)),
        };
    }

    /// <summary>Checks one error answer against the case: code, id (value and JSON type), the words of the message.</summary>
    public static void ShouldAnswer(JsonNode answer, ProtocolCase c)
    {
        answer["jsonrpc"]?.GetValue<string>().Should().Be("2.0", c.Name);
        answer["result"].Should().BeNull($"{c.Name} is an error");
        answer["error"]?["code"]?.GetValue<int>().Should().Be(c.Code, $"{c.Name}: {answer.ToJsonString()}");
        var id = answer.AsObject().TryGetPropertyValue("id", out var node) ? node : throw new InvalidOperationException($"{c.Name}: the answer has no id member");
        (id?.ToJsonString() ?? "null").Should().Be(c.Id?.ToJsonString() ?? "null", $"{c.Name}: the id is echoed when valid, else null");
        var message = answer["error"]!["message"]!.GetValue<string>();
        foreach (var words in c.MessageHas) message.Should().Contain(words, $"{c.Name}: the message says what is wrong and what is accepted");
        message.Should().NotContain("An error occurred", c.Name);
    }
}
