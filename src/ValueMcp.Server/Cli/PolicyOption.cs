using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using ValueMcp.Scoring;
using ValueMcp.Server.App;

namespace ValueMcp.Server.Cli;

/// <summary>
/// --policy FILE (and VALUEMCP_POLICY): the scoring policy in force, read from a JSON object whose fields are the
/// policy's thresholds in snake_case, as value://glossary prints them. A file may give only some fields; the others
/// keep their defaults. Reading and parsing the file is here (I/O); what each threshold accepts is the policy's own
/// rule (ScoringPolicy.Validate).
/// </summary>
public static class PolicyOption
{
    public const string Variable = "VALUEMCP_POLICY";

    public static Option<string?> Create() => new("--policy")
    {
        Description = $"A JSON file setting scoring thresholds, e.g. {{\"on_track_fulfilment\": 0.75}} (field names as value://glossary prints them; " +
            $"fields left out keep their defaults). Default: ${Variable}, else the defaults of the definitions.",
        HelpName = "FILE",
    };

    /// <summary>The policy in force: from the option's file, else from VALUEMCP_POLICY's, else the defaults. A bad file is an InputException.</summary>
    public static ScoringPolicy Load(string? optionPath)
    {
        var (path, from) = !string.IsNullOrWhiteSpace(optionPath)
            ? (optionPath, "--policy")
            : (Environment.GetEnvironmentVariable(Variable), Variable);
        if (string.IsNullOrWhiteSpace(path)) return ScoringPolicy.Default;

        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputException($"{from} {path}: policy file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{from} {path}: cannot read the policy file: {e.Message}");
        }
        var policy = Parse(json, out var problems);
        if (problems.Count > 0)
            throw new InputException($"{from} {path}: " + string.Join("; ", problems));
        Console.Error.WriteLine($"valuemcp: scoring policy from {path}");
        return policy;
    }

    /// <summary>The policy a JSON text describes, with every problem found (unknown fields, wrong types, values out of range).</summary>
    public static ScoringPolicy Parse(string json, out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        problems = found;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            found.Add($"not valid JSON ({e.Message}); expected a JSON object such as {{\"on_track_fulfilment\": 0.75}}");
            return ScoringPolicy.Default;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                found.Add($"expected a JSON object of thresholds such as {{\"on_track_fulfilment\": 0.75}}, got {Kind(document.RootElement.ValueKind)}");
                return ScoringPolicy.Default;
            }
            var policy = ScoringPolicy.Default with { };
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var field in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(field.Name))
                {
                    found.Add($"{field.Name}: given more than once; give each field once");
                    continue;
                }
                if (!Fields.TryGetValue(field.Name, out var property))
                {
                    found.Add($"unknown field \"{field.Name}\"; accepted fields: {string.Join(", ", Fields.Keys)}");
                    continue;
                }
                var accepted = ScoringPolicy.Accepted[field.Name];
                var value = field.Value;
                object? parsed = property.PropertyType == typeof(int)
                    ? value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) ? i : null
                    : value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) ? d : null;
                if (parsed is null)
                {
                    found.Add($"{field.Name}: accepted: {accepted} (got {Kind(value.ValueKind)}{(value.ValueKind == JsonValueKind.Number ? " " + value.GetRawText() : "")})");
                    continue;
                }
                property.SetValue(policy, parsed);
            }
            if (found.Count == 0) found.AddRange(policy.Validate());
            return policy;
        }
    }

    /// <summary>The settable thresholds by snake_case name, in declaration order (the glossary's order).</summary>
    private static readonly IReadOnlyDictionary<string, PropertyInfo> Fields =
        typeof(ScoringPolicy).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .ToDictionary(p => Wire.ToSnake(p.Name), p => p, StringComparer.Ordinal);

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "the number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
