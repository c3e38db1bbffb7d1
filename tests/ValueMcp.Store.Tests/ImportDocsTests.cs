using System.Text;

namespace ValueMcp.Store.Tests;

/// <summary>
/// docs/import.md's tables of files and columns are the registry (FactKinds) rendered, between marker comments, in the
/// style of the server's DocsTests: a difference fails the test and says how to regenerate (UPDATE_SNAPSHOTS=1 rewrites
/// the marked regions).
/// </summary>
public sealed class ImportDocsTests
{
    private const string Source = "src/ValueMcp.Store/FactKinds.cs";
    private static bool Updating => Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") is "1" or "true";

    internal static string Begin(string name) =>
        $"<!-- BEGIN GENERATED {name}: rendered from {Source} by ImportDocsTests; UPDATE_SNAPSHOTS=1 rewrites it -->";

    internal static string End(string name) => $"<!-- END GENERATED {name} -->";

    [Fact]
    public void The_file_and_column_tables_of_the_import_contract_are_the_registry_rendered()
    {
        var path = Path.Combine(RepoRoot(), "docs", "import.md");
        var text = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        var updated = text;
        var problems = new List<string>();
        foreach (var (name, expected) in new Dictionary<string, string> { ["import-files"] = FileTable(), ["import-columns"] = ColumnTable() })
        {
            var b = updated.IndexOf(Begin(name), StringComparison.Ordinal);
            var e = updated.IndexOf(End(name), StringComparison.Ordinal);
            if (b < 0 || e < b)
            {
                problems.Add($"docs/import.md: no generated section \"{name}\": put these two lines where it belongs, then run with UPDATE_SNAPSHOTS=1:\n{Begin(name)}\n{End(name)}");
                continue;
            }
            var start = b + Begin(name).Length + 1;
            if (updated[start..e] == expected) continue;
            updated = updated[..start] + expected + updated[e..];
            problems.Add($"docs/import.md: the generated section \"{name}\" differs from what {Source} gives. Expected:\n{expected}");
        }
        if (Updating && updated != text)
        {
            File.WriteAllText(path, updated);
            return;
        }
        problems.Should().BeEmpty($"docs/import.md must say what {Source} says; after a change there, run " +
            "`UPDATE_SNAPSHOTS=1 dotnet test tests/ValueMcp.Store.Tests --filter FullyQualifiedName~ImportDocsTests` and review the diff");
    }

    /// <summary>One row per import file: its columns in order (required in bold) and its key.</summary>
    internal static string FileTable()
    {
        var sb = new StringBuilder("| file | columns (required in bold) | a row is identified by |\n|---|---|---|\n");
        foreach (var kind in FactKinds.Imported)
        {
            var columns = string.Join(", ", kind.CsvColumns.Select(c => kind.Required.Contains(c) ? $"**{c}**" : c));
            sb.Append($"| {kind.File} | {columns} | {string.Join(" + ", kind.Key)} |\n");
        }
        return sb.ToString();
    }

    /// <summary>One row per column of every import file: required, what it accepts, what it means.</summary>
    internal static string ColumnTable()
    {
        var sb = new StringBuilder("| file | column | required | accepted | meaning |\n|---|---|---|---|---|\n");
        foreach (var kind in FactKinds.Imported)
            foreach (var c in kind.Columns)
                sb.Append($"| {kind.File} | `{c.Csv}` | {(c.Required ? "yes" : "no")} | {Cell(c.Accepts)} | {Cell(c.Description)} |\n");
        return sb.ToString();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ValueMcp.sln"))) return dir.FullName;
        throw new InvalidOperationException("ValueMcp.sln not found above " + AppContext.BaseDirectory);
    }
}
