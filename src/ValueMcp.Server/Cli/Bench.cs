using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using ModelContextProtocol.Client;
using ValueMcp.DemoData;
using ValueMcp.Scoring;
using ValueMcp.Store;

namespace ValueMcp.Server.Cli;

/// <summary>
/// The scale benchmark: generate a large portfolio, import it, then measure in one run get_portfolio_health through
/// the MCP server (a child process over stdio) against the bare SQL that computes the same per-account facts.
/// Prints ratios, not absolute targets: the machines are shared and noisy.
/// </summary>
public static class Bench
{
    public static Command Command()
    {
        var accounts = new Option<int>("--accounts") { Description = "Portfolio size.", DefaultValueFactory = _ => 100_000 };
        var calls = new Option<int>("--calls") { Description = "Calls per measurement (p50 over them).", DefaultValueFactory = _ => 20 };
        var work = new Option<string?>("--work") { Description = "Working folder (kept, reused when it already holds the portfolio). Default: a temporary folder, deleted after." };
        var cmd = new Command("bench", "Benchmark: generate and import a large portfolio, then time get_portfolio_health through the MCP server against the bare SQL (p50, ratio, peak memory).")
            { accounts, calls, work };
        cmd.SetAction((parse, ct) => Run(parse.GetValue(accounts), parse.GetValue(calls), parse.GetValue(work), ct));
        return cmd;
    }

    public static async Task<int> Run(int accounts, int calls, string? workDir, CancellationToken ct)
    {
        if (accounts < 1 || calls < 1) { Console.Error.WriteLine("bench: --accounts and --calls must be positive"); return Commands.Usage; }
        var temp = workDir is null;
        var work = workDir ?? Path.Combine(Path.GetTempPath(), $"valuemcp-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        var csv = Path.Combine(work, "csv");
        var dbPath = Path.Combine(work, "bench.db");
        try
        {
            var sw = Stopwatch.StartNew();
            if (!File.Exists(Path.Combine(csv, "accounts.csv")))
            {
                PortfolioGenerator.Write(csv, new GeneratorOptions(accounts));
                Console.WriteLine($"generated {accounts:N0} accounts in {sw.Elapsed.TotalSeconds:F1} s");
            }
            if (!File.Exists(dbPath))
            {
                sw.Restart();
                ImportReport report;
                using (var db = Database.Open(dbPath)) report = new FactImporter(db).Import(ImportSource.FromFolder(csv), new ImportOptions());
                SqliteConnection.ClearAllPools();
                if (!report.Ok) { foreach (var e in report.Errors.Take(10)) Console.Error.WriteLine(e); return Commands.Refused; }
                var rows = report.Files.Sum(f => f.Rows);
                Console.WriteLine($"imported {rows:N0} rows in {sw.Elapsed.TotalSeconds:F1} s ({rows / sw.Elapsed.TotalSeconds:N0} rows/s)");
            }

            var asOf = PortfolioGenerator.DemoAnchorDate;
            var asOfText = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

            // Bare SQL: the per-account facts query, rows read and nothing else.
            var sqlTimes = new List<double>();
            using (var db = Database.Open(dbPath, readOnly: true))
            {
                var reader = new FactReader(db);
                CountHistories(reader, asOf); // warm-up
                for (var i = 0; i < calls; i++)
                {
                    var t = Stopwatch.StartNew();
                    CountHistories(reader, asOf);
                    sqlTimes.Add(t.Elapsed.TotalMilliseconds);
                }
            }

            // Through the server: a real MCP client over stdio, one tool call at a time.
            var (command, args) = SelfCommand(["serve", "--db", dbPath, "--read-only"]);
            await using var client = await McpClient.CreateAsync(new StdioClientTransport(new StdioClientTransportOptions
            {
                Name = "valuemcp-bench", Command = command, Arguments = args,
            }), cancellationToken: ct);
            var arguments = new Dictionary<string, object?> { ["as_of"] = asOfText };
            await client.CallToolAsync("get_portfolio_health", arguments, cancellationToken: ct); // warm-up
            var serverTimes = new List<double>();
            for (var i = 0; i < calls; i++)
            {
                var t = Stopwatch.StartNew();
                var result = await client.CallToolAsync("get_portfolio_health", arguments, cancellationToken: ct);
                serverTimes.Add(t.Elapsed.TotalMilliseconds);
                if (result.IsError == true) { Console.Error.WriteLine("bench: the tool answered an error"); return Commands.Refused; }
            }
            var peakKb = PeakMemoryKb(dbPath);

            var sqlP50 = Median(sqlTimes);
            var serverP50 = Median(serverTimes);
            Console.WriteLine($"accounts: {accounts:N0}; calls: {calls}");
            Console.WriteLine($"bare SQL per-account facts p50: {sqlP50:F1} ms");
            Console.WriteLine($"get_portfolio_health via MCP p50: {serverP50:F1} ms");
            Console.WriteLine($"ratio server / bare SQL: {serverP50 / sqlP50:F2} (target <= 1.5)");
            Console.WriteLine(peakKb is long kb
                ? $"server peak memory (VmHWM): {kb / 1024.0:F0} MB (target < 400 MB)"
                : "server peak memory: not measurable here (no /proc)");
            return Commands.Ok;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (temp) try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>How to start this same program with other arguments (as an apphost or through dotnet).</summary>
    public static (string Command, IList<string> Args) SelfCommand(IEnumerable<string> args)
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var list = args.ToList();
        if (Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            list.Insert(0, Path.Combine(AppContext.BaseDirectory, typeof(Bench).Assembly.GetName().Name + ".dll"));
        return (process, list);
    }

    private static int CountHistories(FactReader reader, DateOnly asOf)
    {
        using var stream = reader.Histories(asOf);
        return stream.Count();
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    /// <summary>VmHWM of the server process serving dbPath, found through /proc.</summary>
    private static long? PeakMemoryKb(string dbPath)
    {
        if (!Directory.Exists("/proc")) return null;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (!cmdline.Contains(dbPath, StringComparison.Ordinal) || !cmdline.Contains("serve", StringComparison.Ordinal)) continue;
                var line = File.ReadLines(Path.Combine(dir, "status")).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (line is not null) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return null;
    }
}
