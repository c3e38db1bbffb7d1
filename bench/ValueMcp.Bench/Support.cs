using System.Globalization;

namespace ValueMcp.Bench;

/// <summary>A refusal the benchmark explains in one line (bad option, missing server, a folder it cannot use).</summary>
public sealed class BenchException(string message) : Exception(message);

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
