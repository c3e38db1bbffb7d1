using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ValueMcp.Server;

/// <summary>
/// JSON written for people to diff and for builds to compare byte for byte: keys sorted at every level, two-space
/// indent, LF, a final LF. The tool catalog (Tools/catalog.json) and the tool snapshots of the tests are written so.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Text(JsonNode node) => Sorted(node)!.ToJsonString(Pretty) + "\n";

    /// <summary>A copy of the node with the keys of every object in ordinal order.</summary>
    public static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, Sorted(kv.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        null => null,
        _ => node.DeepClone(),
    };
}

/// <summary>Text files embedded in this assembly (the portfolio view's page, the tool catalog).</summary>
internal static class EmbeddedText
{
    /// <summary>The resource's text, or null when the build did not embed it.</summary>
    public static string? Read(string logicalName)
    {
        using var stream = typeof(EmbeddedText).Assembly.GetManifestResourceStream(logicalName);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
