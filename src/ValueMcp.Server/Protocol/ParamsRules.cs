using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace ValueMcp.Server.Protocol;

/// <summary>
/// The params of the methods this server serves, checked before the SDK sees them: the required fields (MCP
/// 2025-11-25 schema) with the type each takes and what it accepts, then, for whatever the rules do not name, the
/// SDK's own parameter types (a field it cannot read is named by its path). Messages say which field and what is
/// accepted; values are shown capped (Shown).
/// </summary>
internal static class ParamsRules
{
    /// <summary>logging/setLevel's levels (RFC 5424 severities, as MCP names them).</summary>
    public static readonly IReadOnlyList<string> Levels = ["debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"];

    /// <summary>Not RequestMethods.LoggingSetLevel: the SDK marks the logging feature obsolete (2026-07-28), and this server still serves it.</summary>
    private const string SetLevel = "logging/setLevel";

    /// <summary>The SDK's type for each method's params: what it would fail to read with "An error occurred." (-32603).</summary>
    private static readonly Dictionary<string, Type> SdkTypes = new(StringComparer.Ordinal)
    {
        [RequestMethods.Initialize] = typeof(InitializeRequestParams),
        [RequestMethods.Ping] = typeof(PingRequestParams),
        [RequestMethods.ToolsList] = typeof(ListToolsRequestParams),
        [RequestMethods.ToolsCall] = typeof(CallToolRequestParams),
        [RequestMethods.PromptsList] = typeof(ListPromptsRequestParams),
        [RequestMethods.PromptsGet] = typeof(GetPromptRequestParams),
        [RequestMethods.ResourcesList] = typeof(ListResourcesRequestParams),
        [RequestMethods.ResourcesTemplatesList] = typeof(ListResourceTemplatesRequestParams),
        [RequestMethods.ResourcesRead] = typeof(ReadResourceRequestParams),
        [RequestMethods.ResourcesSubscribe] = typeof(SubscribeRequestParams),
        [RequestMethods.ResourcesUnsubscribe] = typeof(UnsubscribeRequestParams),
        [NotificationMethods.InitializedNotification] = typeof(InitializedNotificationParams),
        [NotificationMethods.CancelledNotification] = typeof(CancelledNotificationParams),
        [NotificationMethods.ProgressNotification] = typeof(ProgressNotificationParams),
    };

    /// <summary>What is wrong with the params (an object, or null when absent), or null when the method can take them.</summary>
    public static string? Problem(string method, MessageKind kind, JsonElement? parameters)
    {
        var p = parameters ?? default;
        var has = parameters is not null;
        var problem = kind != MessageKind.Request ? null : method switch
        {
            RequestMethods.Initialize => Initialize(p, has),
            RequestMethods.ToolsCall =>
                Name(p, has, "tool", "the name of the tool to call, as tools/list gives it", "tools/call", "tools/list")
                ?? Optional(p, has, "arguments", JsonValueKind.Object, "an object (the tool's arguments by name, as its inputSchema describes)"),
            RequestMethods.PromptsGet =>
                Name(p, has, "prompt", "the name of the prompt, as prompts/list gives it", "prompts/get", "prompts/list")
                ?? PromptArguments(p, has),
            RequestMethods.ResourcesRead or RequestMethods.ResourcesSubscribe or RequestMethods.ResourcesUnsubscribe => Uri(p, has, method),
            SetLevel => Level(p, has),
            RequestMethods.ToolsList or RequestMethods.PromptsList or RequestMethods.ResourcesList or RequestMethods.ResourcesTemplatesList =>
                Optional(p, has, "cursor", JsonValueKind.String, "a string (the nextCursor of the previous page)"),
            _ => null,
        };
        problem ??= Optional(p, has, "_meta", JsonValueKind.Object, "an object");
        return problem ?? SdkReads(method, p, has);
    }

    private static string? Initialize(JsonElement p, bool has)
    {
        string[] required = ["protocolVersion", "capabilities", "clientInfo"];
        var missing = required.Where(f => !has || !p.TryGetProperty(f, out var v) || v.ValueKind == JsonValueKind.Null).Select(f => "params." + f).ToList();
        if (missing.Count > 0)
            return $"{And(missing)} {(missing.Count == 1 ? "is" : "are")} missing; initialize needs protocolVersion (a string such as \"2025-11-25\"), " +
                   "capabilities (an object; {} for none) and clientInfo (an object with name and version, both strings).";
        return Required(p, "protocolVersion", JsonValueKind.String, "a string such as \"2025-11-25\"")
               ?? Required(p, "capabilities", JsonValueKind.Object, "an object ({} for none)")
               ?? Required(p, "clientInfo", JsonValueKind.Object, "an object with name and version, both strings")
               ?? Required(p.GetProperty("clientInfo"), "name", JsonValueKind.String, "a string (the client's name)", "params.clientInfo")
               ?? Required(p.GetProperty("clientInfo"), "version", JsonValueKind.String, "a string (the client's version)", "params.clientInfo");
    }

    private static string? Name(JsonElement p, bool has, string what, string accepted, string method, string listedBy)
    {
        if (!has || !p.TryGetProperty("name", out var name) || name.ValueKind == JsonValueKind.Null)
            return $"params.name is missing; {method} needs {accepted} (a string).";
        if (name.ValueKind != JsonValueKind.String) return $"params.name must be a string ({accepted}); got {Shown.Value(name)}.";
        var text = name.GetString()!;
        return text.Length > JsonRpcGate.MaxNameLength
            ? $"params.name is {Shown.Text(text)}; a {what} name has at most {JsonRpcGate.MaxNameLength} characters ({listedBy} gives the names)."
            : null;
    }

    private static string? Uri(JsonElement p, bool has, string method)
    {
        const string accepted = "the URI of a resource, as resources/list gives them or resources/templates/list describes them";
        if (!has || !p.TryGetProperty("uri", out var uri) || uri.ValueKind == JsonValueKind.Null)
            return $"params.uri is missing; {method} needs {accepted} (a string).";
        if (uri.ValueKind != JsonValueKind.String) return $"params.uri must be a string ({accepted}); got {Shown.Value(uri)}.";
        var text = uri.GetString()!;
        return text.Length > JsonRpcGate.MaxUriLength
            ? $"params.uri is {Shown.Text(text)}; a resource URI here has at most {JsonRpcGate.MaxUriLength:N0} characters."
            : null;
    }

    private static string? Level(JsonElement p, bool has)
    {
        var accepted = "one of " + string.Join(", ", Levels);
        if (!has || !p.TryGetProperty("level", out var level) || level.ValueKind == JsonValueKind.Null)
            return $"params.level is missing; logging/setLevel needs {accepted}.";
        return level.ValueKind == JsonValueKind.String && Levels.Contains(level.GetString(), StringComparer.Ordinal)
            ? null
            : $"params.level must be {accepted}; got {Shown.Value(level)}.";
    }

    private static string? PromptArguments(JsonElement p, bool has)
    {
        const string accepted = "an object mapping argument names to strings (prompt arguments are strings)";
        if (Optional(p, has, "arguments", JsonValueKind.Object, accepted) is { } problem) return problem;
        if (!has || !p.TryGetProperty("arguments", out var arguments) || arguments.ValueKind != JsonValueKind.Object) return null;
        foreach (var argument in arguments.EnumerateObject())
        {
            if (argument.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                return $"params.arguments.{Shown.Name(argument.Name)} must be a string (prompt arguments are strings, even numbers and dates: \"5\", \"2026-11-24\"); got {Shown.Value(argument.Value)}.";
        }
        return null;
    }

    private static string? Required(JsonElement p, string field, JsonValueKind type, string accepted, string path = "params")
    {
        if (!p.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            return $"{path}.{field} is missing; it must be {accepted}.";
        return value.ValueKind == type ? null : $"{path}.{field} must be {accepted}; got {Shown.Value(value)}.";
    }

    private static string? Optional(JsonElement p, bool has, string field, JsonValueKind type, string accepted) =>
        has && p.TryGetProperty(field, out var value) && value.ValueKind is not JsonValueKind.Null && value.ValueKind != type
            ? $"params.{field} must be {accepted}; got {Shown.Value(value)}."
            : null;

    /// <summary>The SDK's reading of the params, for what the rules above do not name (capabilities.roots, _meta.progressToken, ...).</summary>
    private static string? SdkReads(string method, JsonElement p, bool has)
    {
        if (!has || !SdkTypes.TryGetValue(method, out var type)) return null;
        try
        {
            JsonSerializer.Deserialize(p, McpJsonUtilities.DefaultOptions.GetTypeInfo(type));
            return null;
        }
        catch (JsonException e)
        {
            var path = e.Path is { Length: > 1 } at && at.StartsWith("$.", StringComparison.Ordinal) ? "params." + Shown.Name(at[2..]) : "params";
            return $"{path} is not what {method} takes there (its type or its required fields, as the MCP schema defines {method}'s params).";
        }
    }

    private static string And(IReadOnlyList<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1];
}
