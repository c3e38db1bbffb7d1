using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ValueMcp.Server.Tools;

/// <summary>
/// Checks a tool call's arguments against the tool's own input schema before the tool runs, so that a missing,
/// unknown or mistyped argument gets an isError answer saying what is accepted (rather than the SDK's generic
/// "An error occurred invoking ...").
/// </summary>
public static class ArgumentCheck
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, ct) =>
        {
            if (context.MatchedPrimitive is McpServerTool tool && context.Params is { } p)
            {
                var problem = Problem(tool.ProtocolTool, p.Arguments);
                if (problem is not null) return ToolResults.Error(problem);
            }
            return await next(context, ct);
        };

    /// <summary>What is wrong with the arguments, or null when they fit the schema.</summary>
    public static string? Problem(Tool tool, IDictionary<string, JsonElement>? arguments)
    {
        var schema = tool.InputSchema;
        var properties = schema.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object
            ? props.EnumerateObject().ToDictionary(x => x.Name, x => x.Value, StringComparer.Ordinal)
            : new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var args = arguments ?? new Dictionary<string, JsonElement>();

        foreach (var name in args.Keys)
        {
            if (!properties.ContainsKey(name))
                return $"{tool.Name}: unknown argument \"{Shorten(name)}\"; accepted: {string.Join(", ", properties.Keys)}";
        }
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in required.EnumerateArray().Select(x => x.GetString()).OfType<string>())
            {
                if (!args.TryGetValue(r, out var v) || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                    return $"{tool.Name}: {r} is required. {Describe(properties[r])}";
            }
        }
        foreach (var (name, value) in args)
        {
            var property = properties[name];
            var problem = Check(name, property, value);
            if (problem is not null) return problem;
        }
        return null;
    }

    /// <summary>Checks a value against its schema, and the items of an array and the fields of an object against theirs.</summary>
    private static string? Check(string path, JsonElement property, JsonElement value)
    {
        if (!Fits(property, value))
            return $"{path}: {Kind(value)} is not accepted here; expected {string.Join(" or ", Types(property).Where(t => t != "null"))}. {Describe(property)}";
        if (value.ValueKind == JsonValueKind.Array && property.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                var problem = Check($"{path}[{i++}]", items, item);
                if (problem is not null) return problem;
            }
        }
        if (value.ValueKind == JsonValueKind.Object && property.TryGetProperty("properties", out var fields) && fields.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in value.EnumerateObject())
            {
                if (!fields.TryGetProperty(field.Name, out var fieldSchema))
                    return $"{path}: unknown field \"{Shorten(field.Name)}\"; accepted: {string.Join(", ", fields.EnumerateObject().Select(f => f.Name))}";
                var problem = Check($"{path}.{field.Name}", fieldSchema, field.Value);
                if (problem is not null) return problem;
            }
        }
        return null;
    }

    private static bool Fits(JsonElement property, JsonElement value)
    {
        var types = Types(property);
        if (types.Count == 0) return true;
        return value.ValueKind switch
        {
            JsonValueKind.Null => types.Contains("null"),
            JsonValueKind.String => types.Contains("string"),
            JsonValueKind.True or JsonValueKind.False => types.Contains("boolean"),
            JsonValueKind.Number => types.Contains("number") ? value.TryGetDecimal(out _)
                : types.Contains("integer") && value.TryGetInt32(out _),
            JsonValueKind.Array => types.Contains("array"),
            JsonValueKind.Object => types.Contains("object"),
            _ => false,
        };
    }

    private static List<string> Types(JsonElement property)
    {
        if (!property.TryGetProperty("type", out var type)) return [];
        return type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(t => t.GetString() ?? "").ToList()
            : [type.GetString() ?? ""];
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the text \"{Shorten(value.GetString() ?? "")}\"",
        JsonValueKind.Number => $"the number {Shorten(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static string Describe(JsonElement property) =>
        property.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "";

    private static string Shorten(string s)
    {
        var clean = new string(s.Select(c => char.IsControl(c) ? '?' : c).Take(60).ToArray());
        return s.Length > 60 ? clean + "..." : clean;
    }
}
