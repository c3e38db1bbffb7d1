using System.Diagnostics;

namespace ValueMcp.Bench.Tests;

public static class Paths
{
    /// <summary>The repository root (the folder holding ValueMcp.sln), found by walking up from the test binaries.</summary>
    public static string RepoRoot { get; } = FindRoot();

    public static string DemoFolder => Path.Combine(RepoRoot, "samples", "demo-portfolio");

    public static string BenchDll => Path.Combine(AppContext.BaseDirectory, "ValueMcp.Bench.dll");

    public static string NewDir(string tag) => Path.Combine(Path.GetTempPath(), $"valuemcp-bench-tests-{tag}-{Guid.NewGuid().ToString("N")[..12]}");

    public static void Delete(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Runs the benchmark program (ValueMcp.Bench.dll) with args to its end.</summary>
    public static Task<ProcessRun> RunBench(IEnumerable<string> args, IDictionary<string, string>? env = null, int minutes = 10)
    {
        var start = new ProcessStartInfo("dotnet");
        start.ArgumentList.Add(BenchDll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) start.Environment[k] = v;
        return ProcessRun.ToExit(start, TimeSpan.FromMinutes(minutes));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ValueMcp.sln"))) return dir.FullName;
        throw new InvalidOperationException($"ValueMcp.sln not found above {AppContext.BaseDirectory}");
    }
}
