using System.Globalization;

namespace ValueMcp.Bench;

/// <summary>
/// What stops a benchmark, said in one line: a bad option, a server or folder it cannot use (exit 2), or the server
/// refusing or answering an error during the run (exit 1).
/// </summary>
public sealed class BenchException(string message, int exitCode = Exit.Usage) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

public static class Stats
{
    public static double Median(IReadOnlyCollection<double> xs)
    {
        if (xs.Count == 0) return double.NaN;
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    public static string Ms(double ms) => double.IsNaN(ms) ? "-" : ms.ToString("#,##0.0", CultureInfo.InvariantCulture);
}

/// <summary>Exit codes, as the server's command line has them.</summary>
public static class Exit
{
    public const int Ok = 0, Failed = 1, Usage = 2;
}

/// <summary>The machine the figures come from: cores and load average (a shared machine makes them noisy).</summary>
public static class Machine
{
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    /// <summary>"machine: N cores; load average ... at the start, ... at the end", flagged BUSY when either is above 2.</summary>
    public static string Describe(string start, string end) =>
        $"machine: {Environment.ProcessorCount} cores; load average {start} at the start, {end} at the end" +
        (Busy(start) || Busy(end) ? " (BUSY: load above 2, figures are noisy)" : "");

    private static bool Busy(string load) =>
        double.TryParse(load.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var l) && l > 2;
}
