using System.Diagnostics;

namespace ValueMcp.Server;

/// <summary>
/// With VALUEMCP_TRACE_STARTUP=1, `serve` writes to stderr how long after the process started it reached each step
/// of its start, and how much JIT compiling it took so far (bench/README.md, cold start). Otherwise it does nothing.
/// </summary>
internal static class StartupTrace
{
    private static readonly bool On = Environment.GetEnvironmentVariable("VALUEMCP_TRACE_STARTUP") == "1";

    public static void Mark(string step)
    {
        if (!On) return;
        var elapsed = DateTime.Now - Process.GetCurrentProcess().StartTime;
        Console.Error.WriteLine(
            $"[startup] {elapsed.TotalMilliseconds,7:0.0} ms {step}; JIT so far: {System.Runtime.JitInfo.GetCompiledMethodCount()} methods, {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:0} ms");
    }
}
