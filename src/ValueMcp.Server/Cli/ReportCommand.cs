using System.CommandLine;
using ValueMcp.Server.App;
using ValueMcp.Server.Report;
using ValueMcp.Store;
using ValueMcp.Store.Postgres;

namespace ValueMcp.Server.Cli;

/// <summary>`valuemcp report board`: the board prompt's figures as a Markdown file, with the charts as SVG files beside it.</summary>
public static class ReportCommand
{
    public static Command Command()
    {
        var cmd = new Command("report", "Write reports from the stored facts.");
        cmd.Add(Board());
        return cmd;
    }

    private static Command Board()
    {
        var db = new Option<string?>("--db") { Description = "SQLite database file or PostgreSQL database (as for serve). Default: $VALUEMCP_DB, else the user's data directory.", HelpName = "PATH|URL" };
        var demo = new Option<bool>("--demo") { Description = "Use the demo portfolio." };
        var asOf = new Option<string?>("--as-of") { Description = "Compute as of this date (yyyy-MM-dd). Default: today.", HelpName = "DATE" };
        var period = new Option<string?>("--period") { Description = "A quarter (2026-Q3), a year (2026) or start..end with the end excluded. Default: the last full quarter before --as-of.", HelpName = "PERIOD" };
        var output = new Option<string>("--out") { Description = "The Markdown file to write; the charts go beside it as NAME-bridge.svg, NAME-cohorts.svg, NAME-range.svg, NAME-fulfilment.svg, NAME-renewals.svg.", HelpName = "FILE", DefaultValueFactory = _ => "board.md" };
        var policyFile = PolicyOption.Create();
        var cmd = new Command("board", "Write the board summary's figures (those of the board_prep_summary prompt) as Markdown, with the charts as SVG beside it.") { db, demo, asOf, period, output, policyFile };
        cmd.SetAction(parse =>
        {
            try
            {
                var policy = PolicyOption.Load(parse.GetValue(policyFile));
                var path = parse.GetValue(demo) ? Demo.Ensure(Demo.DefaultPath, Console.Error) : Paths.Database(parse.GetValue(db));
                if (!PgStore.IsTarget(path) && !File.Exists(path)) throw new StoreException($"database not found: {path}; import your data with `valuemcp import`, or use --demo");
                using IFactStore database = PgStore.IsTarget(path) ? PgStore.Open(path, readOnly: true) : Database.Open(path, readOnly: true);
                var service = new ValueService(database, policy, TimeProvider.System);
                var figures = BoardFigures.Of(service, service.AsOf(parse.GetValue(asOf)), parse.GetValue(period));
                var file = Path.GetFullPath(parse.GetValue(output)!);
                var folder = Path.GetDirectoryName(file)!;
                if (!Directory.Exists(folder)) throw new InputException($"--out: the folder {folder} does not exist");
                var prefix = Path.GetFileNameWithoutExtension(file);
                // The charts first, then the Markdown that links them: a report is never left pointing at missing files.
                foreach (var (suffix, _, svg) in BoardMarkdown.Charts(figures))
                    File.WriteAllText(Path.Combine(folder, $"{prefix}-{suffix}.svg"), svg);
                File.WriteAllText(file, BoardMarkdown.Render(figures, prefix));
                Console.Error.WriteLine($"wrote {file} and its {BoardMarkdown.Charts(figures).Count} charts ({prefix}-*.svg) for {figures.Period.Label} as of {App.Text.Date(figures.AsOf)}");
                return Commands.Ok;
            }
            catch (Exception e) when (CliErrors.IsExpected(e))
            {
                return CliErrors.Report("valuemcp report board", e);
            }
        });
        return cmd;
    }
}
