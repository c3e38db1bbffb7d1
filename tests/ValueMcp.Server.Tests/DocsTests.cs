using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ValueMcp.Server.Tests;

/// <summary>
/// The documentation stands alone and does not drift from the code: the tool, prompt and resource tables of README.md
/// and docs/tools.md are rendered from src/ValueMcp.Server/Tools/catalog.json, and the policy table of
/// docs/definitions.md from the default ScoringPolicy, between marker comments (a difference fails and prints the
/// expected text; UPDATE_SNAPSHOTS=1 rewrites it); every relative link of every Markdown file resolves inside the
/// repository, anchors included.
/// </summary>
public sealed partial class DocsTests
{
    private static bool Updating => Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") is "1" or "true";

    private static string Repo(params string[] parts) => Path.Combine([TestPaths.RepoRoot, .. parts]);

    private static JsonObject Catalog() =>
        JsonNode.Parse(File.ReadAllText(Repo("src", "ValueMcp.Server", "Tools", "catalog.json")))!.AsObject();

    [Fact]
    public void The_readme_tool_prompt_and_resource_tables_are_the_catalog_rendered()
    {
        var catalog = Catalog();
        CheckGenerated("README.md", new Dictionary<string, string>
        {
            ["tools"] = Render.ToolTable(catalog, "docs/tools.md"),
            ["prompts"] = Render.PromptTable(catalog, "docs/tools.md"),
            ["resources"] = Render.ResourceTable(catalog, "docs/tools.md"),
        });
    }

    [Fact]
    public void The_tool_reference_blocks_are_the_catalog_rendered()
    {
        var catalog = Catalog();
        CheckGenerated(Path.Combine("docs", "tools.md"), new Dictionary<string, string>
        {
            ["tool-blocks"] = Render.ToolBlocks(catalog),
            ["prompt-blocks"] = Render.PromptBlocks(catalog),
            ["resource-blocks"] = Render.ResourceBlocks(catalog),
        });
    }

    [Fact]
    public void The_policy_table_of_the_definitions_is_the_default_policy_rendered()
    {
        var sb = new StringBuilder("| name | default | meaning |\n|---|---|---|\n");
        foreach (var (name, value, description) in App.Glossary.Thresholds(Scoring.ScoringPolicy.Default))
            sb.Append($"| `{name}` | {value} | {description.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        CheckGenerated(Path.Combine("docs", "definitions.md"), new Dictionary<string, string> { ["policy"] = sb.ToString() },
            "src/ValueMcp.Scoring/ScoringPolicy.cs");
    }

    [Fact]
    public void Every_relative_link_in_the_markdown_resolves_inside_the_repository()
    {
        var root = Path.GetFullPath(TestPaths.RepoRoot);
        var problems = new List<string>();
        foreach (var file in MarkdownFiles(root))
        {
            var rel = Path.GetRelativePath(root, file).Replace('\\', '/');
            var text = Markdown.WithoutCode(File.ReadAllText(file));
            foreach (var (line, target) in Markdown.Links(text))
            {
                if (Regex.IsMatch(target, "^[a-z][a-z0-9+.-]*:", RegexOptions.IgnoreCase)) continue; // https:, mailto:
                var where = $"{rel}:{line}: ({target})";
                if (target.Contains("shared/", StringComparison.Ordinal))
                {
                    problems.Add($"{where}: points at a folder outside this repository (a clone has no shared/)");
                    continue;
                }
                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var pathPart = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
                var anchor = hash < 0 ? null : target[(hash + 1)..];
                var resolved = pathPart.Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, pathPart));
                if (!resolved.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && resolved != root)
                {
                    problems.Add($"{where}: leads outside the repository");
                    continue;
                }
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                {
                    problems.Add($"{where}: no such file or folder");
                    continue;
                }
                if (anchor is { Length: > 0 } && resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
                    && !Markdown.Anchors(File.ReadAllText(resolved)).Contains(anchor))
                    problems.Add($"{where}: no heading with the anchor #{anchor} in {Path.GetRelativePath(root, resolved)}");
            }
        }
        problems.Should().BeEmpty("every relative link must resolve in a clone of this repository");
    }

    [Fact]
    public void The_readme_and_docs_carry_no_internal_notes()
    {
        var root = Path.GetFullPath(TestPaths.RepoRoot);
        var files = new[] { Repo("README.md"), Repo("bench", "README.md") }
            .Concat(Directory.GetFiles(Repo("docs"), "*.md", SearchOption.AllDirectories));
        var problems = new List<string>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
                foreach (Match m in InternalNote().Matches(lines[i]))
                    problems.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: \"{m.Value}\"");
        }
        problems.Should().BeEmpty("the documentation is read by users of a clone: no references to the team's issue tracker or shared folders");
    }

    // "issue 4", "Issue 3.", "../shared/spec", "the seed's example": notes of how the work was organised, not documentation.
    [GeneratedRegex(@"\b[Ii]ssues? \d+|shared/spec|\.\./shared|\bthe seed'?s\b", RegexOptions.CultureInvariant)]
    private static partial Regex InternalNote();

    private static IEnumerable<string> MarkdownFiles(string root)
    {
        var skip = new HashSet<string>(StringComparer.Ordinal) { ".git", "bin", "obj", "node_modules", "artifacts", "TestResults" };
        var stack = new Stack<string>([root]);
        while (stack.Count > 0)
        {
            var dir = stack.Pop();
            foreach (var f in Directory.GetFiles(dir, "*.md")) yield return f;
            foreach (var d in Directory.GetDirectories(dir))
                if (!skip.Contains(Path.GetFileName(d))) stack.Push(d);
        }
    }

    /// <summary>Compares each marked region of the file with its rendering; rewrites them with UPDATE_SNAPSHOTS=1.</summary>
    private static void CheckGenerated(string relativePath, IReadOnlyDictionary<string, string> sections,
        string source = "src/ValueMcp.Server/Tools/catalog.json")
    {
        var path = Repo(relativePath);
        var text = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        var updated = text;
        var problems = new List<string>();
        foreach (var (name, expected) in sections)
        {
            var begin = Render.Begin(name, source);
            var end = Render.End(name);
            var b = updated.IndexOf(begin, StringComparison.Ordinal);
            var e = updated.IndexOf(end, StringComparison.Ordinal);
            if (b < 0 || e < b)
            {
                problems.Add($"{relativePath}: no generated section \"{name}\": put these two lines where it belongs, then run with UPDATE_SNAPSHOTS=1:\n{begin}\n{end}");
                continue;
            }
            var start = b + begin.Length + 1;
            var actual = updated[start..e];
            if (actual == expected) continue;
            updated = updated[..start] + expected + updated[e..];
            problems.Add($"{relativePath}: the generated section \"{name}\" differs from what {source} gives. Expected:\n{expected}");
        }
        if (Updating && updated != text)
        {
            File.WriteAllText(path, updated);
            return;
        }
        problems.Should().BeEmpty(
            $"{relativePath} must say what {source} says; after a change there, run " +
            "`UPDATE_SNAPSHOTS=1 dotnet test tests/ValueMcp.Server.Tests --filter FullyQualifiedName~DocsTests` and review the diff");
    }

    /// <summary>The Markdown rendered from the catalog.</summary>
    internal static class Render
    {
        public static string Begin(string name, string source) =>
            $"<!-- BEGIN GENERATED {name}: rendered from {source} by DocsTests; UPDATE_SNAPSHOTS=1 rewrites it -->";

        public static string End(string name) => $"<!-- END GENERATED {name} -->";

        private static IEnumerable<JsonObject> Tools(JsonObject catalog) =>
            catalog["tools"]!.AsArray().Select(t => t!.AsObject())
                .OrderBy(t => ReadOnly(t) ? 0 : 1)
                .ThenBy(t => Str(t, "name"), StringComparer.Ordinal);

        private static bool Hint(JsonObject tool, string name) => tool["annotations"]?[name]?.GetValue<bool>() == true;
        private static bool ReadOnly(JsonObject tool) => Hint(tool, "readOnlyHint");
        private static string Str(JsonNode node, string name) => node[name]?.GetValue<string>() ?? "";

        private static string Title(JsonObject tool) =>
            tool["annotations"]?["title"]?.GetValue<string>() ?? tool["title"]?.GetValue<string>() ?? Str(tool, "name");

        /// <summary>Text for one table cell: one line, pipes escaped.</summary>
        private static string Cell(string text) =>
            text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);

        /// <summary>read-only, or what kind of write: the annotations in words.</summary>
        private static string Kind(JsonObject tool)
        {
            if (ReadOnly(tool)) return "read-only";
            var kind = Hint(tool, "destructiveHint") ? "writes: destructive" : "writes: appends only";
            return Hint(tool, "idempotentHint") ? kind + ", idempotent" : kind;
        }

        private static List<(string Name, bool Required)> Arguments(JsonObject tool)
        {
            var schema = tool["inputSchema"]!;
            var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToList() ?? [];
            var names = schema["properties"]?.AsObject().Select(p => p.Key).ToList() ?? [];
            return required.Where(names.Contains).Select(n => (n, true))
                .Concat(names.Where(n => !required.Contains(n)).Select(n => (n, false))).ToList();
        }

        /// <summary>The filters every portfolio tool takes; a tool with most of them shows "the portfolio filters".</summary>
        private static readonly string[] Filters =
            ["segment", "tier", "csm", "lifecycle_stage", "band", "readiness", "renewal_flag", "renewal_within_days", "min_arr", "cohort_year", "cohort_quarter"];

        private static string ArgumentList(JsonObject tool)
        {
            var args = Arguments(tool);
            var filters = args.Where(a => !a.Required && Filters.Contains(a.Name)).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
            var collapse = filters.Count >= Filters.Length - 2;
            var shown = args.Where(a => !(collapse && filters.Contains(a.Name))).Select(a => a.Required ? $"**{a.Name}**" : a.Name).ToList();
            if (collapse)
            {
                var missing = Filters.Where(f => !filters.Contains(f)).ToList();
                shown.Add(missing.Count == 0 ? "the portfolio filters" : $"the portfolio filters except {string.Join(" and ", missing)}");
            }
            return shown.Count == 0 ? "none" : string.Join(", ", shown);
        }

        /// <summary>A list of the tools, read-only ones first: name, kind, description, arguments.</summary>
        public static string ToolTable(JsonObject catalog, string reference)
        {
            var sb = new StringBuilder();
            var readOnly = true;
            sb.Append("**Read tools**\n\n");
            foreach (var tool in Tools(catalog))
            {
                if (readOnly && !ReadOnly(tool))
                {
                    readOnly = false;
                    sb.Append("\n**Write tools**\n\n");
                }
                var name = Str(tool, "name");
                sb.Append($"- [`{name}`]({reference}#{name}) ({Kind(tool)}): {Cell(Str(tool, "description"))} ");
                sb.Append($"Arguments (required in bold): {ArgumentList(tool)}.\n");
            }
            return sb.ToString();
        }

        public static string PromptTable(JsonObject catalog, string reference)
        {
            var sb = new StringBuilder();
            sb.Append("| prompt | what it drafts | arguments (required in bold) |\n|---|---|---|\n");
            foreach (var prompt in catalog["prompts"]!.AsArray().Select(p => p!.AsObject()))
            {
                var name = Str(prompt, "name");
                var args = prompt["arguments"]?.AsArray().Select(a => a!["required"]?.GetValue<bool>() == true ? $"**{Str(a, "name")}**" : Str(a, "name")) ?? [];
                sb.Append($"| [`{name}`]({reference}#{name}) | {Cell(Str(prompt, "title"))} | {string.Join(", ", args)} |\n");
            }
            return sb.ToString();
        }

        /// <summary>The fixed resources, then the templates that are not also fixed resources.</summary>
        private static IEnumerable<(JsonObject Resource, string Uri)> Resources(JsonObject catalog)
        {
            var fixedOnes = catalog["resources"]!.AsArray().Select(r => r!.AsObject()).ToList();
            var names = fixedOnes.Select(r => Str(r, "name")).ToHashSet(StringComparer.Ordinal);
            return fixedOnes.Select(r => (r, Str(r, "uri")))
                .Concat(catalog["resource_templates"]!.AsArray().Select(r => r!.AsObject())
                    .Where(r => !names.Contains(Str(r, "name"))).Select(r => (r, Str(r, "uriTemplate"))));
        }

        public static string ResourceTable(JsonObject catalog, string reference)
        {
            var sb = new StringBuilder();
            sb.Append("| resource | what it is | MIME type |\n|---|---|---|\n");
            foreach (var (resource, uri) in Resources(catalog))
                sb.Append($"| [`{uri}`]({reference}#{Str(resource, "name")}) | {Cell(Str(resource, "title"))} | `{Str(resource, "mimeType")}` |\n");
            return sb.ToString();
        }

        public static string ToolBlocks(JsonObject catalog)
        {
            var sb = new StringBuilder();
            foreach (var tool in Tools(catalog))
            {
                var name = Str(tool, "name");
                sb.Append($"\n#### {name}\n\n**{Title(tool)}.** {Str(tool, "description")}\n\n");
                sb.Append("| read-only | destructive | idempotent | open world |\n|---|---|---|---|\n");
                string YesNo(string hint) => Hint(tool, hint) ? "yes" : "no";
                sb.Append($"| {YesNo("readOnlyHint")} | {YesNo("destructiveHint")} | {YesNo("idempotentHint")} | {YesNo("openWorldHint")} |\n\n");

                var rows = new List<string>();
                Parameters(tool["inputSchema"]!.AsObject(), "", rows);
                if (rows.Count == 0) sb.Append("No arguments.\n");
                else
                {
                    sb.Append("| argument | type | required | description |\n|---|---|---|---|\n");
                    foreach (var row in rows) sb.Append(row).Append('\n');
                }
                var answer = tool["outputSchema"]?["properties"]?.AsObject().Select(p => $"`{p.Key}`").ToList() ?? [];
                if (answer.Count > 0) sb.Append($"\nAnswer (`structuredContent`): {string.Join(", ", answer)}.\n");
                if (tool["_meta"]?["ui"]?["resourceUri"]?.GetValue<string>() is { } ui)
                    sb.Append($"\nShown in hosts with MCP Apps support as `{ui}`.\n");
            }
            return sb.ToString();
        }

        /// <summary>One row per argument; an object's fields and an array's item fields follow it with dotted names.</summary>
        private static void Parameters(JsonObject schema, string prefix, List<string> rows)
        {
            var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
            var properties = schema["properties"]?.AsObject().ToList() ?? [];
            foreach (var (name, node) in properties.OrderBy(p => required.Contains(p.Key) ? 0 : 1))
            {
                var property = node!.AsObject();
                var type = Str(property, "type");
                var items = property["items"] as JsonObject;
                var shown = type == "array" && items is not null ? $"array of {Str(items, "type")}" : type;
                rows.Add($"| `{prefix}{name}` | {shown} | {(required.Contains(name) ? "yes" : "no")} | {Cell(Str(property, "description"))} |");
                if (type == "object" && property["properties"] is not null) Parameters(property, $"{prefix}{name}.", rows);
                if (items?["properties"] is not null) Parameters(items, $"{prefix}{name}[].", rows);
            }
        }

        public static string PromptBlocks(JsonObject catalog)
        {
            var sb = new StringBuilder();
            foreach (var prompt in catalog["prompts"]!.AsArray().Select(p => p!.AsObject()))
            {
                sb.Append($"\n#### {Str(prompt, "name")}\n\n**{Str(prompt, "title")}.** {Str(prompt, "description")}\n\n");
                var args = prompt["arguments"]?.AsArray().Select(a => a!.AsObject()).ToList() ?? [];
                if (args.Count == 0) { sb.Append("No arguments.\n"); continue; }
                sb.Append("| argument | required | description |\n|---|---|---|\n");
                foreach (var a in args)
                    sb.Append($"| `{Str(a, "name")}` | {(a["required"]?.GetValue<bool>() == true ? "yes" : "no")} | {Cell(Str(a, "description"))} |\n");
            }
            return sb.ToString();
        }

        public static string ResourceBlocks(JsonObject catalog)
        {
            var sb = new StringBuilder();
            foreach (var (resource, uri) in Resources(catalog))
            {
                sb.Append($"\n#### {Str(resource, "name")}\n\n`{uri}` (`{Str(resource, "mimeType")}`): **{Str(resource, "title")}.** ");
                sb.Append(Str(resource, "description")).Append('\n');
            }
            return sb.ToString();
        }
    }

    /// <summary>Just enough Markdown to find links and headings the way GitHub does.</summary>
    internal static partial class Markdown
    {
        /// <summary>The text with fenced code blocks and inline code spans blanked (line numbers kept).</summary>
        public static string WithoutCode(string text)
        {
            var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
            var inFence = false;
            for (var i = 0; i < lines.Length; i++)
            {
                var trimmed = lines[i].TrimStart();
                if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
                {
                    inFence = !inFence;
                    lines[i] = "";
                }
                else if (inFence) lines[i] = "";
                else lines[i] = InlineCode().Replace(lines[i], "``");
            }
            return string.Join('\n', lines);
        }

        /// <summary>(line, target) of every inline link, image and reference definition.</summary>
        public static IEnumerable<(int Line, string Target)> Links(string text)
        {
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match m in InlineLink().Matches(lines[i])) yield return (i + 1, m.Groups["target"].Value.Trim('<', '>'));
                foreach (Match m in HtmlLink().Matches(lines[i])) yield return (i + 1, m.Groups["target"].Value);
                if (ReferenceDefinition().Match(lines[i]) is { Success: true } r) yield return (i + 1, r.Groups["target"].Value);
            }
        }

        /// <summary>The anchors GitHub gives the headings of a Markdown file.</summary>
        public static HashSet<string> Anchors(string text)
        {
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            var anchors = new HashSet<string>(StringComparer.Ordinal);
            foreach (var line in WithoutCodeBlocks(text))
            {
                var h = Heading().Match(line);
                if (!h.Success) continue;
                var slug = Slug(h.Groups["text"].Value);
                var n = seen.GetValueOrDefault(slug);
                seen[slug] = n + 1;
                anchors.Add(n == 0 ? slug : $"{slug}-{n}");
            }
            return anchors;
        }

        private static IEnumerable<string> WithoutCodeBlocks(string text)
        {
            var inFence = false;
            foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
            {
                var trimmed = line.TrimStart();
                if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)) inFence = !inFence;
                else if (!inFence) yield return line;
            }
        }

        /// <summary>GitHub's heading slug: link text only, lower case, letters, digits, '_', '-' and spaces kept, spaces to '-'.</summary>
        public static string Slug(string heading)
        {
            var text = InlineLink().Replace(heading.Trim(), m => m.Groups["text"].Value);
            var sb = new StringBuilder();
            foreach (var c in text.ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '_' or '-') sb.Append(c);
                else if (c == ' ') sb.Append('-');
            }
            return sb.ToString();
        }

        [GeneratedRegex(@"`+[^`]*`+")]
        private static partial Regex InlineCode();

        [GeneratedRegex(@"!?\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
        private static partial Regex InlineLink();

        [GeneratedRegex(@"<(a|img)\s[^>]*?(href|src)=""(?<target>[^""]+)""", RegexOptions.IgnoreCase)]
        private static partial Regex HtmlLink();

        [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*(?<target>\S+)")]
        private static partial Regex ReferenceDefinition();

        [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
        private static partial Regex Heading();
    }
}
