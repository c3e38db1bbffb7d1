using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace ValueMcp.Server.Protocol;

/// <summary>
/// The JSON-RPC gate, the same for every transport: given one raw incoming message (a stdio line, an HTTP body), it
/// either lets it through to the SDK unchanged or says which JSON-RPC error answers it. It checks that the message is
/// JSON, one object (no batch), "jsonrpc": "2.0", an id that is a string or a 64-bit integer, a string method, params
/// an object, every string valid Unicode (no lone surrogate, no invalid UTF-8) and no member twice; then the params of
/// the methods this server serves (required fields present and of the right type), which the SDK otherwise answers
/// with "An error occurred." (-32603). A request that is wrong is answered (with its id when the id is valid); a
/// notification or a response that is wrong is dropped (JSON-RPC never answers those); a message that cannot be told
/// apart (not JSON, no valid id, no "jsonrpc": "2.0", no string method) is answered with id null, as JSON-RPC 2.0's own
/// examples do. Values are never echoed whole (Shown). No HttpContext here: it serves stdio and HTTP alike.
/// </summary>
public static class JsonRpcGate
{
    /// <summary>No MCP method, tool or prompt name is longer (tool names: 1 to 128 characters, MCP 2025-11-25).</summary>
    public const int MaxNameLength = 128;
    /// <summary>A string id must be echoed whole in the answer; longer ones are refused so that answers stay bounded.</summary>
    public const int MaxIdLength = 256;
    /// <summary>A resource URI longer than this is refused (the URIs this server serves are far shorter).</summary>
    public const int MaxUriLength = 2048;

    private static readonly JsonDocumentOptions Parsing = new() { MaxDepth = 64 };

    private static readonly JsonTypeInfo<JsonRpcMessage> MessageType =
        (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));

    public static GateVerdict Check(ReadOnlyMemory<byte> message)
    {
        if (message.Span.StartsWith("\uFEFF"u8))
            return Refuse(null, JsonRpcCodes.ParseError, "Parse error: the message starts with a byte order mark (EF BB BF); send the JSON text without it.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(message, Parsing);
        }
        catch (JsonException e)
        {
            return Refuse(null, JsonRpcCodes.ParseError, $"Parse error: the message is not valid JSON ({Reason(e)}). Send one JSON-RPC message, a JSON object, per message.");
        }
        using (document)
        {
            GateVerdict verdict;
            try
            {
                verdict = Check(document.RootElement);
            }
            catch (InvalidOperationException)
            {
                // Text that cannot be read where the checks above did not expect it: refused, never a crash of the reader.
                return Refuse(null, JsonRpcCodes.InvalidRequest, "Invalid Request: the message contains text that is not valid Unicode.");
            }
            if (verdict.Outcome != GateOutcome.Forward) return verdict;
            // What passed must also be what the SDK reads; a disagreement is refused here rather than answered -32603 there.
            try
            {
                var parsed = document.RootElement.Deserialize(MessageType);
                if (parsed is not null) return verdict with { Parsed = parsed };
            }
            catch (JsonException)
            {
            }
            return Wrong(verdict, JsonRpcCodes.InvalidRequest, "Invalid Request: the message is not a JSON-RPC 2.0 request, notification or response this server can read.");
        }
    }

    private static GateVerdict Check(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array)
            return Refuse(null, JsonRpcCodes.InvalidRequest,
                "Invalid Request: a batch (a JSON array) is not accepted; send one JSON-RPC message, a JSON object, at a time (MCP removed batches in 2025-06-18).");
        if (root.ValueKind != JsonValueKind.Object)
            return Refuse(null, JsonRpcCodes.InvalidRequest, $"Invalid Request: a JSON-RPC message is a JSON object; got {Shown.Value(root)}.");

        var problem = TextCheck.First(root);
        if (problem is { Depth: 1, IsName: true })
            return Refuse(null, JsonRpcCodes.InvalidRequest, $"Invalid Request: {problem.Describe()}.");

        // The id first: every answer below echoes it when it is valid.
        RequestId? id = null;
        var hasId = root.TryGetProperty("id", out var idElement);
        var hasMethod = root.TryGetProperty("method", out var methodElement);
        if (hasId && idElement.ValueKind == JsonValueKind.Null && !hasMethod && root.TryGetProperty("error", out _))
            return new GateVerdict(GateOutcome.Drop, MessageKind.Response)
            {
                Code = JsonRpcCodes.InvalidRequest,
                Message = "Invalid Request: an error response with id null (the client could not read a message) matches no request (the response was not processed)",
            };
        if (hasId)
        {
            if (problem is { Depth: 1, IsDuplicate: true } && problem.Path == "id")
                return Refuse(null, JsonRpcCodes.InvalidRequest, "Invalid Request: the member \"id\" appears twice; a message has one id.");
            if (problem is { Depth: 1 } && problem.Path == "id")
                return Refuse(null, JsonRpcCodes.InvalidRequest, $"Invalid Request: id is a string that is not valid Unicode text ({problem.What}); an id is a string or an integer.");
            if (IdProblem(idElement) is { } idProblem) return Refuse(null, JsonRpcCodes.InvalidRequest, "Invalid Request: " + idProblem);
            id = ToRequestId(idElement);
        }

        var isResponse = !hasMethod && (root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _));
        var kind = hasMethod ? hasId ? MessageKind.Request : MessageKind.Notification : isResponse ? MessageKind.Response : MessageKind.Unknown;
        if (kind == MessageKind.Unknown)
            return Refuse(id, JsonRpcCodes.InvalidRequest,
                "Invalid Request: a JSON-RPC message has a \"method\" (a request or a notification) or a \"result\" or an \"error\" (a response); this has neither.");
        if (!root.TryGetProperty("jsonrpc", out var version) || Shown.TryText(version) != "2.0")
        {
            var got = version.ValueKind == JsonValueKind.Undefined ? "it is missing" : "got " + Shown.Value(version);
            return Refuse(id, JsonRpcCodes.InvalidRequest, $"Invalid Request: \"jsonrpc\" must be \"2.0\"; {got}.");
        }
        var known = new GateVerdict(GateOutcome.Forward, kind) { Id = id };
        if (kind == MessageKind.Response) return Response(known, root, problem);

        // A method that is not a string, or not readable, leaves nothing to tell the message by: answered, like a missing id.
        if (methodElement.ValueKind != JsonValueKind.String)
            return Refuse(id, JsonRpcCodes.InvalidRequest, $"Invalid Request: method must be a string (such as \"tools/list\"); got {Shown.Value(methodElement)}.");
        if (Shown.TryText(methodElement) is not { } method)
            return Refuse(id, JsonRpcCodes.InvalidRequest, $"Invalid Request: {problem?.Describe() ?? "method is not valid Unicode text"}.");
        known = known with { Method = Shown.Name(method) };

        if (method.Length > MaxNameLength)
            return Wrong(known, JsonRpcCodes.MethodNotFound,
                $"Method not found: {Shown.Text(method)} is not a method of this server (MCP method names have at most {MaxNameLength} characters).");
        if (problem is not null && !InParams(problem.Path))
            return Wrong(known, JsonRpcCodes.InvalidRequest, $"Invalid Request: {problem.Describe()}.");

        JsonElement? parameters = root.TryGetProperty("params", out var p) && p.ValueKind != JsonValueKind.Null ? p : null;
        if (parameters is { ValueKind: not JsonValueKind.Object } notObject)
            return Wrong(known, JsonRpcCodes.InvalidParams, $"Invalid params: params must be an object (MCP passes parameters by name); got {Shown.Value(notObject)}.");
        if (problem is not null)
            return Wrong(known, JsonRpcCodes.InvalidParams, $"Invalid params: {problem.Describe()}.");
        if (ParamsRules.Problem(method, kind, parameters) is { } paramsProblem)
            return Wrong(known, JsonRpcCodes.InvalidParams, "Invalid params: " + paramsProblem);

        if (kind == MessageKind.Notification && method == NotificationMethods.CancelledNotification &&
            parameters?.TryGetProperty("requestId", out var cancelled) == true && IdProblem(cancelled) is null)
            known = known with { Cancels = ToRequestId(cancelled) };
        return known;
    }

    private static RequestId ToRequestId(JsonElement id) =>
        id.ValueKind == JsonValueKind.String ? new RequestId(id.GetString()!) : new RequestId(id.GetInt64());

    /// <summary>What is wrong with a (present) id, or null: a string (at most MaxIdLength characters) or a 64-bit integer.</summary>
    private static string? IdProblem(JsonElement id)
    {
        switch (id.ValueKind)
        {
            case JsonValueKind.String:
                var text = Shown.TryText(id);
                if (text is null) return "id is a string that is not valid Unicode text; an id is a string or an integer.";
                return text.Length > MaxIdLength
                    ? $"id is a string of {text.Length.ToString("N0", CultureInfo.InvariantCulture)} characters; a string id has at most {MaxIdLength}."
                    : null;
            case JsonValueKind.Number:
                return id.TryGetInt64(out _)
                    ? null
                    : $"id must be a string or an integer (64-bit: -9223372036854775808 to 9223372036854775807); got {Shown.Value(id)}.";
            case JsonValueKind.Null:
                return "id must not be null (MCP): use a string or an integer, or leave id out for a notification; got null.";
            default:
                return $"id must be a string or an integer; got {Shown.Value(id)}.";
        }
    }

    private static bool InParams(string path) =>
        path == "params" || path.StartsWith("params.", StringComparison.Ordinal) || path.StartsWith("params[", StringComparison.Ordinal);

    private static GateVerdict Response(GateVerdict known, JsonElement root, TextCheck? problem)
    {
        var hasResult = root.TryGetProperty("result", out _);
        var hasError = root.TryGetProperty("error", out var error);
        var which = known.Id is { } id ? $"a response (id {Shown.Text(id.Id?.ToString() ?? "")})" : "a response";
        string? wrong =
            known.Id is null ? "a response has the id of the request it answers; this has none" :
            hasResult && hasError ? $"{which} has either \"result\" or \"error\", not both" :
            hasError && !(error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var code) && code.TryGetInt32(out _) &&
                          error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                ? $"{which}: \"error\" must be an object with an integer code and a string message"
                : problem is not null ? $"{which}: {problem.Describe()}" : null;
        return wrong is null ? known : Wrong(known, JsonRpcCodes.InvalidRequest, $"Invalid Request: {wrong}.");
    }

    private static GateVerdict Refuse(RequestId? id, int code, string message) =>
        new(GateOutcome.Answer, MessageKind.Unknown) { Id = id, Code = code, Message = message };

    /// <summary>A request is answered; a notification or a response is dropped (the message then names what was dropped).</summary>
    private static GateVerdict Wrong(GateVerdict known, int code, string message) => known.Kind switch
    {
        MessageKind.Request => known with { Outcome = GateOutcome.Answer, Code = code, Message = message },
        MessageKind.Notification => known with { Outcome = GateOutcome.Drop, Code = code, Message = $"{message} (the notification {known.Method} was not processed)" },
        _ => known with { Outcome = GateOutcome.Drop, Code = code, Message = $"{message} (the response was not processed)" },
    };

    private static string Reason(JsonException e)
    {
        var text = e.Message;
        var cut = text.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0) text = text[..cut];
        text = text.TrimEnd('.', ' ');
        if (text.Length > 160) text = text[..160] + "…";
        var where = e.LineNumber is { } line && e.BytePositionInLine is { } position
            ? $" at line {(line + 1).ToString(CultureInfo.InvariantCulture)}, byte {(position + 1).ToString(CultureInfo.InvariantCulture)}"
            : "";
        return text + where;
    }
}

/// <summary>
/// The first string in a message that is not valid Unicode (invalid UTF-8, or a \u escape of a lone UTF-16
/// surrogate), or the first member that appears twice in its object, with its path (params.arguments.as_of).
/// </summary>
internal sealed record TextCheck(string Path, int Depth, bool IsName, bool IsDuplicate, string What)
{
    private const int MaxPath = 200;

    public string Describe() => IsDuplicate
        ? $"the member \"{What}\" appears twice in {(Depth == 1 ? "the message" : ParentPath)}; each member may appear once"
        : $"{(IsName ? "a member name in " + ParentPath : Path)} is not valid Unicode text ({What}); strings must be valid UTF-8 without lone UTF-16 surrogates (\\ud800 to \\udfff unpaired)";

    private string ParentPath => Path.LastIndexOf('.') is var dot and > 0 ? Path[..dot] : "the message";

    /// <summary>
    /// The envelope first (the top-level names, then the top-level strings: id, method, jsonrpc), then the rest in
    /// document order: when the first problem is inside params, the envelope is known to be readable.
    /// </summary>
    public static TextCheck? First(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return Walk(root, "", 0);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (NameProblem(property, "", 0, names) is { } problem) return problem;
        }
        foreach (var property in root.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String))
        {
            if (Walk(property.Value, Shown.Name(property.Name), 1) is { } problem) return problem;
        }
        foreach (var property in root.EnumerateObject().Where(p => p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array))
        {
            if (Walk(property.Value, Shown.Name(property.Name), 1) is { } problem) return problem;
        }
        return null;
    }

    private static TextCheck? NameProblem(JsonProperty property, string path, int depth, HashSet<string> seen)
    {
        string name;
        try
        {
            name = property.Name;
        }
        catch (InvalidOperationException)
        {
            return new TextCheck(Join(path, "?"), depth + 1, IsName: true, IsDuplicate: false, Broken(JsonMarshal.GetRawUtf8PropertyName(property)));
        }
        return seen.Add(name) ? null : new TextCheck(Join(path, Shown.Name(name)), depth + 1, IsName: false, IsDuplicate: true, Shown.Name(name));
    }

    private static TextCheck? Walk(JsonElement element, string path, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (NameProblem(property, path, depth, names) is { } problem) return problem;
                    if (Walk(property.Value, Join(path, Shown.Name(property.Name)), depth + 1) is { } inner) return inner;
                }
                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Walk(item, $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]", depth + 1) is { } inner) return inner;
                    i++;
                }
                return null;
            case JsonValueKind.String:
                return Shown.TryText(element) is null
                    ? new TextCheck(path, depth, IsName: false, IsDuplicate: false, Broken(JsonMarshal.GetRawUtf8Value(element)))
                    : null;
            default:
                return null;
        }
    }

    private static string Broken(ReadOnlySpan<byte> raw) => Utf8.IsValid(raw) ? "a lone UTF-16 surrogate" : "invalid UTF-8";

    private static string Join(string path, string name)
    {
        var joined = path.Length == 0 ? name : path + "." + name;
        return joined.Length > MaxPath ? joined[..MaxPath] + "…" : joined;
    }
}
