using Spectre.Console;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using Text = ValueMcp.Server.App.Text;

namespace ValueMcp.Server.Cli;

/// <summary>The portfolio view in a terminal: four KPI cards and a table of account cards with colour bands (and labels).</summary>
public static class Terminal
{
    public static void Render(PortfolioHealthResult health, AccountListResult list)
    {
        var k = health.Kpis;
        AnsiConsole.MarkupLine($"[bold]Portfolio as of {Text.Date(health.AsOf)}[/] ({Markup.Escape(Text.Filters(health.Filters))})");
        AnsiConsole.Write(new Columns(
            Card("ARR managed", Text.Money(k.ArrManaged), $"{k.AccountCount} accounts"),
            Card("On track", Text.Pct(k.OnTrackPct), $"{health.ByBand["on_track"].Count} accounts"),
            Card("Expansion ready", k.ExpansionReadyCount.ToString(System.Globalization.CultureInfo.InvariantCulture), $"ARR {Text.Money(k.ExpansionReadyArr)}"),
            Card("ARR at risk", Text.Money(k.ArrAtRisk), "bands at_risk + critical")));

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Account").AddColumn("Segment").AddColumn(new TableColumn("ARR").RightAligned())
            .AddColumn("Fulfilment").AddColumn("Readiness").AddColumn("Renewal").AddColumn("Next action");
        foreach (var a in list.Accounts)
        {
            table.AddRow(
                Markup.Escape($"{a.Name}\n{a.Id}"),
                Markup.Escape(a.Segment),
                Text.Money(a.Arr),
                $"[{BandColour(a.Band)}]{Bar(a.Fulfilment)} {Text.Frac(a.Fulfilment)} {Text.N(a.Band)}[/]",
                Markup.Escape(Text.N(a.Readiness) + (a.Lane is { } l ? $" ({Text.N(l)})" : "")),
                $"[{FlagColour(a.RenewalFlag)}]{Text.Date(a.RenewalDate)} ({a.DaysToRenewal}d, {Text.N(a.RenewalFlag)})[/]",
                Markup.Escape(Text.N(a.NextAction.Kind)));
        }
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{list.Accounts.Count} of {list.Total} accounts, sorted by {Text.N(list.SortBy)}.");
    }

    private static Panel Card(string title, string value, string sub) =>
        new Panel(new Markup($"[bold]{Markup.Escape(value)}[/]\n[grey]{Markup.Escape(sub)}[/]")).Header(Markup.Escape(title)).Border(BoxBorder.Rounded);

    private static string Bar(decimal? f)
    {
        var filled = f is decimal v ? (int)Math.Round(v * 10m) : 0;
        return new string('#', filled) + new string('.', 10 - filled);
    }

    private static string BandColour(Band b) => b switch
    {
        Band.OnTrack => "green",
        Band.AtRisk => "yellow",
        Band.Critical => "red",
        _ => "grey",
    };

    private static string FlagColour(RenewalFlag f) => f switch
    {
        RenewalFlag.Red => "red",
        RenewalFlag.Amber => "yellow",
        _ => "default",
    };
}
