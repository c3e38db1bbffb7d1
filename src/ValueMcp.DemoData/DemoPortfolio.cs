using System.Reflection;

namespace ValueMcp.DemoData;

/// <summary>The committed demo portfolio (samples/demo-portfolio, 150 accounts at 2026-11-24), embedded in this assembly.</summary>
public static class DemoPortfolio
{
    private const string Prefix = "demo-portfolio/";

    /// <summary>File name (e.g. "accounts.csv") to a function opening a fresh read-only stream of it.</summary>
    public static IReadOnlyDictionary<string, Func<Stream>> EmbeddedFiles()
    {
        var assembly = typeof(DemoPortfolio).Assembly;
        var files = new SortedDictionary<string, Func<Stream>>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            var name = resource[Prefix.Length..];
            files[name] = () => assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded resource {resource} is missing.");
        }
        return files;
    }
}
