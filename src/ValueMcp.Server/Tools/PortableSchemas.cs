using System.Text.Json;
using System.Text.Json.Nodes;

namespace ValueMcp.Server.Tools;

/// <summary>
/// Rewrites the schemas the SDK generates into the portable spelling of nullable values, for clients that map tool
/// schemas onto a single-`type` dialect (the OpenAPI subset of Gemini function declarations, for one):
/// <list type="bullet">
/// <item>arguments: every argument is optional and leaving it out means the same as null, so `"type": [T, "null"]`
/// becomes `"type": T`, without `"default": null` and without null in an `enum`;</item>
/// <item>answers: a value that can be null becomes `"anyOf": [{"type": T, ...}, {"type": "null"}]`, its description
/// kept outside; `$ref`s into a rewritten schema are moved along;</item>
/// <item>answers: a free-form object (`"type": "object"` with neither `properties` nor `additionalProperties`) says
/// `"additionalProperties": true` outright, and an empty schema (`{}`, which accepts anything and constrains nothing)
/// beside a `$ref` is dropped: strict schema checkers (the Inspector's `--strict`) flag both.</item>
/// </list>
/// Applied when the catalog is made (Prebuilt.BuildCatalogJson), so tools/list serves the rewritten schemas.
/// </summary>
public static class PortableSchemas
{
    public static void Input(JsonNode? schema) => Walk(schema, node =>
    {
        if (NullableType(node) is not { } single) return;
        node["type"] = single;
        if (node["default"] is null && node.ContainsKey("default")) node.Remove("default");
        if (node["enum"] is JsonArray values)
            node["enum"] = new JsonArray([.. values.Where(v => v is not null).Select(v => v!.DeepClone())]);
    });

    public static void Output(JsonNode? schema)
    {
        if (schema is not JsonObject root) return;
        Walk(root, node =>
        {
            if (node["type"]?.GetValueKind() == JsonValueKind.String && node["type"]!.GetValue<string>() == "object" &&
                !node.ContainsKey("properties") && !node.ContainsKey("additionalProperties"))
                node["additionalProperties"] = true;
            if (node.ContainsKey("$ref"))
                foreach (var (key, value) in node.ToList())
                    if (value is JsonObject { Count: 0 }) node.Remove(key);
        });
        var moved = new List<string>(); // JSON pointers of schemas now under anyOf/0
        Rewrite(root, "#", moved);
        if (moved.Count == 0) return;
        Walk(root, node =>
        {
            if (node["$ref"]?.GetValue<string>() is not { } target) return;
            // Deepest first, so that a path through several rewritten schemas is moved at every level.
            foreach (var prefix in moved.OrderByDescending(p => p.Length))
                if (target.StartsWith(prefix + "/", StringComparison.Ordinal))
                    target = prefix + "/anyOf/0" + target[prefix.Length..];
            node["$ref"] = target;
        });
    }

    private static void Rewrite(JsonObject node, string pointer, List<string> moved)
    {
        foreach (var (key, child) in node.ToList())
        {
            switch (child)
            {
                case JsonObject o:
                    Rewrite(o, $"{pointer}/{Escape(key)}", moved);
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                        if (a[i] is JsonObject item) Rewrite(item, $"{pointer}/{Escape(key)}/{i}", moved);
                    break;
            }
        }
        if (NullableType(node) is not { } single) return;

        var branch = new JsonObject { ["type"] = single };
        foreach (var (key, value) in node.ToList())
        {
            if (key is "type" or "description" or "title" or "default") continue;
            node.Remove(key);
            branch[key] = key == "enum" && value is JsonArray values
                ? new JsonArray([.. values.Where(v => v is not null).Select(v => v!.DeepClone())])
                : value;
        }
        node.Remove("type");
        node["anyOf"] = new JsonArray(branch, new JsonObject { ["type"] = "null" });
        moved.Add(pointer);
    }

    /// <summary>T when the node's type is exactly [T, "null"] (either order); null otherwise.</summary>
    private static string? NullableType(JsonObject node)
    {
        if (node["type"] is not JsonArray { Count: 2 } types) return null;
        var names = types.Select(t => t?.GetValue<string>()).ToList();
        if (!names.Contains("null")) return null;
        return names.FirstOrDefault(n => n is not null and not "null");
    }

    private static void Walk(JsonNode? node, Action<JsonObject> visit)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o.ToList()) Walk(child, visit);
                visit(o);
                break;
            case JsonArray a:
                foreach (var child in a.ToList()) Walk(child, visit);
                break;
        }
    }

    private static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
