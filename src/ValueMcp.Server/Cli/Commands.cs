using System.CommandLine;
using Microsoft.Extensions.Hosting;
using ValueMcp.DemoData;
using ValueMcp.Scoring;
using ValueMcp.Server.Tools;
using ValueMcp.Server.App;
using ValueMcp.Store;
using ValueMcp.Store.Postgres;

namespace ValueMcp.Server.Cli;

/// <summary>The command line: serve, import, demo, portfolio, generate, token (the benchmarks are a project of their own: bench/ValueMcp.Bench).</summary>
public static class Commands
{
    public const int Ok = 0, Refused = 1, Usage = 2;

    private static Option<string?> DbOption() => new("--db")
    {
        Description = $"SQLite database file, or a PostgreSQL database (postgres://USER:PASSWORD@HOST:PORT/DB, or Host=...;Database=...). Default: ${Paths.DbVariable}, else valuemcp.db in the user's data directory.",
        HelpName = "PATH|URL",
    };

    public static RootCommand Root()
    {
        var root = new RootCommand("ValueMcp: an MCP server for post-sale value across a portfolio of accounts " +
            "(value contracts, fulfilment, renewal risk, expansion readiness, next actions).");
        root.Add(Serve());
        root.Add(Import());
        root.Add(DemoCommand());
        root.Add(PortfolioCommand());
        root.Add(ReportCommand.Command());
        root.Add(Generate());
        root.Add(TokenCommand.Command());
        root.Add(StoreCommands.Migrate());
        root.Add(StoreCommands.Copy());
        return root;
    }

    private static Command Serve()
    {
        var db = DbOption();
        var demo = new Option<bool>("--demo") { Description = "Serve the demo portfolio (a database built from the embedded demo CSVs on first use). Ignores --db." };
        var readOnly = new Option<bool>("--read-only") { Description = "Open the database read-only and serve only the read-only tools: the write tools and import_facts are neither listed nor callable." };
        var create = new Option<bool>("--create") { Description = "Create the database when it does not exist (an empty one, to fill with import_facts or the write tools). Without it, a database that does not exist is refused." };
        var operatorName = ImportCommand.OperatorOption();
        var importRoot = new Option<string?>("--import-root")
        {
            Description = $"The directory whose CSV folders the import_facts tool may import (a client names a folder inside it). Default: ${App.ImportRoot.Variable}; without either, import_facts answers that it is not configured.",
            HelpName = "DIR",
        };
        var cmd = new Command("serve", "Run the MCP server over stdio (for Claude Desktop, VS Code and other MCP clients), or over Streamable HTTP with --http.") { db, demo, readOnly };
        var http = new Http.HttpCli();
        http.AddTo(cmd);
        cmd.Add(operatorName);
        cmd.Add(importRoot);
        cmd.Add(create);
        var policyFile = PolicyOption.Create();
        cmd.Add(policyFile);
        cmd.SetAction(async (parse, ct) =>
        {
            if (http.Misuse(parse) is { } misuse)
            {
                await Console.Error.WriteLineAsync($"valuemcp serve: {misuse}");
                return Usage;
            }
            if (parse.GetValue(create) && parse.GetValue(readOnly))
            {
                await Console.Error.WriteLineAsync("valuemcp serve: --create makes a new database and --read-only opens one as it is: give one or the other");
                return Usage;
            }
            string path;
            IFactStore database;
            ScoringPolicy policy;
            Tools.Prebuilt.Preload(); // the tool descriptions are read while the database opens
            try
            {
                policy = PolicyOption.Load(parse.GetValue(policyFile)); // a bad policy file is refused before anything opens
                _ = new App.OperatorAuthor(parse.GetValue(operatorName)); // a bad name is refused before serving
                path = parse.GetValue(demo) ? Demo.Ensure(Demo.DefaultPath, Console.Error) : Paths.Database(parse.GetValue(db));
                if (PgStore.IsTarget(path))
                {
                    // A database with no schema is refused without --create (PgStore.Open says how to make one).
                    database = PgStore.Open(path, parse.GetValue(readOnly), create: parse.GetValue(create));
                    path = database.Display; // never the password
                }
                else
                {
                    // A typo in --db must not serve an empty portfolio from a new folder.
                    var created = !File.Exists(path);
                    if (created && !parse.GetValue(create)) throw new InputException(MissingDatabase(path) + "; --create starts an empty database there");
                    database = Database.Open(path, parse.GetValue(readOnly)); // a file that cannot be used is refused here, before serving
                    if (created) await Console.Error.WriteLineAsync($"valuemcp serve: created a new, empty database at {path} (--create)");
                }
                StartupTrace.Mark("database open");
            }
            catch (Exception e) when (CliErrors.IsExpected(e))
            {
                return CliErrors.Report("valuemcp serve", e);
            }
            if (database is Database { Immutable: true })
                await Console.Error.WriteLineAsync($"valuemcp serve: this user cannot write the folder of {path}: reading it as a file that does not change " +
                                                   "(a change another process makes to it while this server runs is seen after a restart)");
            using (database)
            {
                if (http.Enabled(parse))
                    return await http.Run(parse, new ServeOptions(database) { Operator = parse.GetValue(operatorName), ImportRoot = parse.GetValue(importRoot), Policy = policy }, path, ct);
                await Console.Error.WriteLineAsync($"valuemcp {Hosting.Version}: serving {path} over stdio");
                using var host = Hosting.BuildStdio(new ServeOptions(database)
                {
                    Operator = parse.GetValue(operatorName),
                    ImportRoot = parse.GetValue(importRoot),
                    Policy = policy,
                });
                StartupTrace.Mark("host built");
                await host.StartAsync(ct);
                StartupTrace.Mark("host started");
                await host.WaitForShutdownAsync(ct);
            }
            return Ok;
        });
        return cmd;
    }

    private static Command Import() => ImportCommand.Command();

    /// <summary>The report of an import: as bounded as the report (its first errors and warnings, then how many more);
    /// on a refusal, per file only the rows read.</summary>
    public static void PrintReport(ImportReport report, string dbPath)
    {
        foreach (var w in report.Warnings) Console.Error.WriteLine($"warning: {w}");
        foreach (var e in report.Errors) Console.Error.WriteLine(e.ToString());
        if (report.ErrorCount > report.Errors.Count) Console.Error.WriteLine($"... and {report.ErrorCount - report.Errors.Count:N0} more errors");
        foreach (var f in report.Files)
            Console.Out.WriteLine(report.Ok
                ? $"{f.File}: {f.Rows:N0} rows, {f.Inserted:N0} inserted, {f.Updated:N0} updated, {f.Unchanged:N0} unchanged"
                : $"{f.File}: {f.Rows:N0} rows read");
        Console.Out.WriteLine(report.Ok
            ? report.DryRun ? $"dry run: no errors; nothing written to {dbPath}" : $"imported into {dbPath}"
            : $"refused: {report.ErrorCount} error(s); nothing written to {dbPath}");
    }

    private static Command DemoCommand()
    {
        var db = DbOption();
        var reset = new Option<bool>("--reset")
        {
            Description = "Rebuild the demo database (the one serve --demo and portfolio --demo use) from the embedded CSVs, dropping every write made to it. Refused while a server has it open.",
        };
        var cmd = new Command("demo", "Load the embedded demo portfolio (150 accounts, dated 2026-11-24) into the database; with --reset, rebuild the demo database.") { db, reset };
        cmd.SetAction(parse =>
        {
            try
            {
                if (parse.GetValue(reset))
                {
                    if (parse.GetResult(db) is { Implicit: false })
                    {
                        Console.Error.WriteLine("valuemcp demo: --reset rebuilds the demo database that --demo uses and takes no --db " +
                                                "(to start a database of your own over, delete it, then run valuemcp demo --db PATH)");
                        return Usage;
                    }
                    var outcome = Demo.Reset(Demo.DefaultPath);
                    (outcome.Done ? Console.Out : Console.Error).WriteLine($"valuemcp demo: {outcome.Message}");
                    return outcome.Done ? Ok : Refused;
                }
                var path = Paths.Database(parse.GetValue(db));
                var created = !PgStore.IsTarget(path) && !File.Exists(path);
                var report = Demo.Load(path);
                if (created) Console.Error.WriteLine($"valuemcp demo: created a new database at {path}");
                PrintReport(report, PgStore.IsTarget(path) ? PgStore.Describe(PgStore.Settings(path)) : path);
                return report.Ok ? Ok : Refused;
            }
            catch (Exception e) when (CliErrors.IsExpected(e))
            {
                return CliErrors.Report("valuemcp demo", e);
            }
        });
        return cmd;
    }

    private static Command Generate()
    {
        var folder = new Argument<DirectoryInfo>("FOLDER") { Description = "Where to write the CSV files." };
        var accounts = new Option<int>("--accounts") { Description = "How many accounts (1-1,000,000).", DefaultValueFactory = _ => 150 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same files.", DefaultValueFactory = _ => new GeneratorOptions().Seed };
        var noMetrics = new Option<bool>("--no-metrics") { Description = "Leave out metrics.csv (by default 5 metrics per account, a reading a week over a year: 260 rows an account)." };
        var cmd = new Command("generate", "Generate a deterministic portfolio as CSV files in the import format (the demo, or a large one for benchmarks).") { folder, accounts, seed, noMetrics };
        cmd.SetAction(parse =>
        {
            var n = parse.GetValue(accounts);
            if (n < 1 || n > 1_000_000)
            {
                Console.Error.WriteLine("valuemcp generate: --accounts accepts 1 to 1,000,000");
                return Usage;
            }
            var dir = parse.GetValue(folder)!.FullName;
            try
            {
                var counts = PortfolioGenerator.Write(dir, new GeneratorOptions(n, parse.GetValue(seed), Metrics: !parse.GetValue(noMetrics)),
                    new Progress<string>(m => Console.Error.WriteLine(m)));
                foreach (var (file, rows) in counts) Console.Out.WriteLine($"{file}: {rows:N0} rows");
                return Ok;
            }
            catch (Exception e) when (CliErrors.IsExpected(e))
            {
                return CliErrors.Report("valuemcp generate", e);
            }
        });
        return cmd;
    }

    private static Command PortfolioCommand()
    {
        var db = DbOption();
        var demo = new Option<bool>("--demo") { Description = "Use the demo portfolio." };
        var segment = new Option<string?>("--segment") { Description = "Only this segment." };
        var csm = new Option<string?>("--csm") { Description = "Only this CSM." };
        var asOf = new Option<string?>("--as-of") { Description = "Compute as of this date (yyyy-MM-dd). Default: today.", HelpName = "DATE" };
        var sort = new Option<string?>("--sort") { Description = "arr, fulfilment, readiness or renewal_date." };
        var limit = new Option<int>("--limit") { Description = "How many account cards (1-200).", DefaultValueFactory = _ => 25 };
        var policyFile = PolicyOption.Create();
        var cmd = new Command("portfolio", "Print the four KPI cards and the account cards in the terminal.") { db, demo, segment, csm, asOf, sort, limit, policyFile };
        cmd.SetAction(parse =>
        {
            try
            {
                var policy = PolicyOption.Load(parse.GetValue(policyFile));
                var path = parse.GetValue(demo) ? Demo.Ensure(Demo.DefaultPath, Console.Error) : Paths.Database(parse.GetValue(db));
                if (!PgStore.IsTarget(path) && !File.Exists(path)) throw new StoreException(MissingDatabase(path));
                using IFactStore database = PgStore.IsTarget(path) ? PgStore.Open(path, readOnly: true) : Database.Open(path, readOnly: true);
                var service = new ValueService(database, policy, TimeProvider.System);
                var when = service.AsOf(parse.GetValue(asOf));
                var filter = Inputs.Filter(service.Known(when), parse.GetValue(segment), null, parse.GetValue(csm), null, null, null, null, null, null);
                var health = PortfolioHealthTool.Answer(service, when, filter);
                var list = ListAccountsTool.Answer(service, when, filter, Inputs.Enum<SortKey>(parse.GetValue(sort), "--sort") ?? SortKey.Arr, null, Inputs.Limit(parse.GetValue(limit)), 0);
                Terminal.Render(health, list);
                return Ok;
            }
            catch (Exception e) when (CliErrors.IsExpected(e))
            {
                return CliErrors.Report("valuemcp portfolio", e);
            }
        });
        return cmd;
    }

    /// <summary>Why a database that does not exist is not opened, with the command that fills it.</summary>
    private static string MissingDatabase(string path) =>
        $"database not found: {path}. Load CSV exports into it with `valuemcp import FOLDER --db {ShellWord(path)}`, or try the demo portfolio with --demo";

    /// <summary>The path as one word of a shell command (quoted when it has to be).</summary>
    private static string ShellWord(string path) =>
        path.All(c => char.IsAsciiLetterOrDigit(c) || "/\\._-:~+@%,=".Contains(c)) ? path
        : OperatingSystem.IsWindows() ? $"\"{path}\"" : $"'{path.Replace("'", "'\\''")}'";
}
