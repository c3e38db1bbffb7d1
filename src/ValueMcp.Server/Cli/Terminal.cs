using Spectre.Console;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Server.Tools;
using Text = ValueMcp.Server.App.Text;

namespace ValueMcp.Server.Cli;

/// <summary>
/// The portfolio view in a terminal: four KPI cards and a table of account cards with colour bands (and labels, so
/// nothing is lost without colour). It fits the terminal's width (80 columns when piped) without breaking a word, and
/// writes no escape code when piped, when NO_COLOR is set (no-color.org) or when TERM is dumb.
/// </summary>
public static class Terminal
{
    private const int PipedWidth = 80;
    private const int CardGap = 1;

    public static void Render(PortfolioHealthResult health, AccountListResult list) => Render(Open(), health, list);

    /// <summary>The console to write the view to: plain (no escape codes, 80 columns) unless stdout is a terminal that wants colour.</summary>
    public static IAnsiConsole Open()
    {
        var redirected = Console.IsOutputRedirected;
        var plain = redirected
                    || Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 }
                    || string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (redirected) console.Profile.Width = PipedWidth;
        return console;
    }

    public static void Render(IAnsiConsole console, PortfolioHealthResult health, AccountListResult list)
    {
        var width = console.Profile.Width;
        var k = health.Kpis;
        console.MarkupLine($"[bold]Portfolio as of {Text.Date(health.AsOf)}[/] ({Markup.Escape(Text.Filters(health.Filters))})");
        console.Write(Cards(width,
            ("ARR managed", Text.Money(k.ArrManaged), $"{k.AccountCount} accounts"),
            ("On track", Text.Pct(k.OnTrackPct), $"{health.ByBand["on_track"].Count} accounts"),
            ("Expansion ready", k.ExpansionReadyCount.ToString(System.Globalization.CultureInfo.InvariantCulture), $"ARR {Text.Money(k.ExpansionReadyArr)}"),
            ("ARR at risk", Text.Money(k.ArrAtRisk), "bands at_risk + critical")));
        console.Write(Accounts(width, list));
        console.MarkupLine($"{list.Accounts.Count} of {list.Total} accounts, sorted by {Text.N(list.SortBy)}.");
    }

    /// <summary>The KPI cards, all as wide as the widest title or line, as many to a row as fit (4, 2 or 1).</summary>
    private static Grid Cards(int width, params (string Title, string Value, string Sub)[] cards)
    {
        // A panel takes 4 columns besides its text: the border and a space each side (the title sits in the top border).
        var cardWidth = cards.Max(c => Math.Max(c.Title.Length, Math.Max(c.Value.Length, c.Sub.Length))) + 4;
        var perRow = new[] { 4, 2, 1 }.First(n => n == 1 || n * cardWidth + (n - 1) * CardGap <= width);
        var grid = new Grid();
        for (var i = 0; i < perRow; i++) grid.AddColumn(new GridColumn().Width(cardWidth).NoWrap().Padding(0, 0, i < perRow - 1 ? CardGap : 0, 0));
        foreach (var row in cards.Chunk(perRow))
        {
            var panels = row.Select(c => (Spectre.Console.Rendering.IRenderable)new Panel(new Markup($"[bold]{Markup.Escape(c.Value)}[/]\n[grey]{Markup.Escape(c.Sub)}[/]"))
                .Header(Markup.Escape(c.Title)).Border(BoxBorder.Rounded).Expand()).ToList();
            while (panels.Count < perRow) panels.Add(new Spectre.Console.Text(""));
            grid.AddRow([.. panels]);
        }
        return grid;
    }

    private sealed record Column(string Header, bool RightAligned, bool Wraps, Func<AccountCard, string> Plain, Func<AccountCard, string, string> Styled);

    private static readonly Column[] Columns =
    [
        new("Account", false, true, a => $"{a.Name}\n{a.Id}\n{a.Segment}", (_, t) => Markup.Escape(t)),
        new("ARR", true, false, a => Text.Money(a.Arr), (_, t) => Markup.Escape(t)),
        new("Fulfilment", false, false, a => $"{Bar(a.Fulfilment)}\n{Text.Frac(a.Fulfilment)}\n{Text.N(a.Band)}", (a, t) => $"[{BandColour(a.Band)}]{Markup.Escape(t)}[/]"),
        new("Readiness", false, true, a => Text.N(a.Readiness) + (a.Lane is { } l ? $"\n{Words(Text.N(l))}" : ""), (_, t) => Markup.Escape(t)),
        new("Renewal", false, false, a => $"{Text.Date(a.RenewalDate)}\n{a.DaysToRenewal}d, {Text.N(a.RenewalFlag)}", (a, t) => $"[{FlagColour(a.RenewalFlag)}]{Markup.Escape(t)}[/]"),
        new("Next action", false, true, a => Words(Text.N(a.NextAction.Kind)), (_, t) => Markup.Escape(t)),
    ];

    // Which columns get the room left once every column has its narrowest width (no word broken), in this order.
    private static readonly string[] Widening = ["Account", "Next action", "Readiness"];

    /// <summary>
    /// The account table, borderless but for the line under the header, each column at least as wide as its longest
    /// word; the room left widens the account names first, then the next actions.
    /// </summary>
    private static Table Accounts(int width, AccountListResult list)
    {
        var cells = Columns.Select(c => list.Accounts.Select(c.Plain).ToList()).ToList();
        var widths = Columns.Select((c, i) => Measure(c, cells[i])).ToList();
        // Simple border: a space at each edge and between columns, plus one space of padding right of each column.
        var room = width - (Columns.Length + 1) - Columns.Length - widths.Sum(w => w.Min);
        var chosen = widths.Select(w => w.Min).ToArray();
        foreach (var name in Widening)
        {
            var i = Array.FindIndex(Columns, c => c.Header == name);
            var more = Math.Clamp(widths[i].Natural - chosen[i], 0, Math.Max(0, room));
            chosen[i] += more;
            room -= more;
        }

        var table = new Table().Border(TableBorder.Horizontal).ShowRowSeparators();
        for (var i = 0; i < Columns.Length; i++)
        {
            var column = new TableColumn(Columns[i].Header).Width(chosen[i]).Padding(0, 0, 1, 0);
            table.AddColumn(Columns[i].RightAligned ? column.RightAligned() : column);
        }
        for (var r = 0; r < list.Accounts.Count; r++)
        {
            var account = list.Accounts[r];
            table.AddRow(Columns.Select((c, i) => c.Styled(account, cells[i][r])).ToArray());
        }
        return table;
    }

    /// <summary>
    /// A column's narrowest width (its header, and its longest word, or line when it does not wrap) and its natural
    /// width (its longest line).
    /// </summary>
    private static (int Min, int Natural) Measure(Column column, IEnumerable<string> cells)
    {
        var lines = cells.SelectMany(c => c.Split('\n')).Append(column.Header).ToList();
        var natural = lines.Max(l => l.Length);
        var min = column.Wraps
            ? lines.SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Append(column.Header).Max(w => w.Length)
            : natural;
        return (min, natural);
    }

    /// <summary>An identifier as words (data_integration as "data integration"), so that it can wrap between them.</summary>
    private static string Words(string snake) => snake.Replace('_', ' ');

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
