using System.Diagnostics;
using System.Globalization;

namespace ValueMcp.Bench;

/// <summary>What Linux's /proc tells about a process: memory (VmHWM, VmRSS), CPU time, its children. Null elsewhere.</summary>
public static class ProcFs
{
    /// <summary>Peak resident memory (VmHWM) in KiB.</summary>
    public static long? PeakKb(int pid) => StatusKb(pid, "VmHWM:");

    /// <summary>Resident memory now (VmRSS) in KiB.</summary>
    public static long? RssKb(int pid) => StatusKb(pid, "VmRSS:");

    private static long? StatusKb(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>User + system CPU time of the process, in clock ticks (utime and stime of /proc/PID/stat).</summary>
    public static long? CpuTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The child of parent whose command line holds "serve" and the text (a database path), or null.</summary>
    public static int? ChildServing(int parent, string text)
    {
        if (!Directory.Exists("/proc")) return null;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var ppid = File.ReadLines(Path.Combine(dir, "status")).FirstOrDefault(l => l.StartsWith("PPid:", StringComparison.Ordinal));
                if (ppid is null || int.Parse(ppid[5..].Trim(), CultureInfo.InvariantCulture) != parent) continue;
                var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (args.Contains("serve") && args.Contains(text)) return pid;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        }
        return null;
    }

    /// <summary>
    /// Waits until the process is quiet: less than 5% of one core of CPU time over a second (its start-up work, a
    /// background computation, the JIT's second tier all done), for at most limit. The time waited, or null when the
    /// process cannot be watched here.
    /// </summary>
    public static async Task<TimeSpan?> WaitQuiet(int? pid, TimeSpan limit, CancellationToken ct)
    {
        if (pid is not int p || CpuTicks(p) is not long last) return null;
        var watch = Stopwatch.StartNew();
        const int ticksPerSecond = 100; // USER_HZ on Linux
        while (watch.Elapsed < limit)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            if (CpuTicks(p) is not long now) return watch.Elapsed;
            if (now - last < ticksPerSecond / 20) return watch.Elapsed;
            last = now;
        }
        return watch.Elapsed;
    }
}
