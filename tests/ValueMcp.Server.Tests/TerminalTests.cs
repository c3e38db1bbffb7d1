using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ValueMcp.Server.Tests;

/// <summary>
/// `valuemcp portfolio` in a terminal 80 columns wide, piped, or with NO_COLOR: no escape codes unless on a terminal
/// that wants colour; every line fits 80 columns; no word of an account's name, id or segment is broken across lines;
/// no card title or column header is cut.
/// </summary>
public sealed partial class TerminalTests : IDisposable
{
    private const int Width = 80;
    private const string KeypadTransmit = "\u001b[?1h\u001b=";
    private static readonly string[] Titles = ["ARR managed", "On track", "Expansion ready", "ARR at risk"];
    private static readonly string[] Headers = ["Account", "ARR", "Fulfilment", "Readiness", "Renewal"];
    private readonly string _dir = OwnServer.NewDir("terminal");
    private readonly string _db;
    private readonly DemoFacts _facts = DemoFacts.Load(OwnServer.DemoFolder);

    public TerminalTests() => _db = OwnServer.NewDemoDatabase(_dir);

    public void Dispose() => HttpFixture.Cleanup(_dir);

    private string[] Portfolio(params string[] extra) => ["portfolio", "--db", _db, "--as-of", ServerFixture.AsOfText, .. extra];

    /// <summary>A terminal that says it does colour: without the fix, the escape codes come whether it is used or not.</summary>
    private static Dictionary<string, string?> ColourTerminal(bool noColor) => new()
    {
        ["TERM"] = "xterm-256color",
        ["COLORTERM"] = "truecolor",
        ["NO_COLOR"] = noColor ? "1" : null,
    };

    [Fact]
    public async Task Piped_output_has_no_escape_codes_and_fits_80_columns_without_breaking_words()
    {
        var run = await HttpServerProcess.RunToExit(Portfolio(), ColourTerminal(noColor: false));
        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().NotContain("\u001b", "piped output carries no escape codes");
        CheckLayout(run.Stdout, accounts: 25);

        var few = await HttpServerProcess.RunToExit(Portfolio("--limit", "3", "--segment", "SMB"), ColourTerminal(noColor: false));
        few.ExitCode.Should().Be(0, few.Stderr);
        CheckLayout(few.Stdout, accounts: 3);
    }

    [Fact]
    public async Task On_a_terminal_NO_COLOR_turns_the_escape_codes_off()
    {
        var plain = await OnTerminal(Portfolio(), ColourTerminal(noColor: true));
        plain.ExitCode.Should().Be(0, plain.Stdout);
        // The .NET runtime itself puts a terminal in keypad-transmit mode (terminfo smkx, ESC[?1h ESC=) when any console
        // program starts on one (dotnet/runtime): no colour, not written by this program's code, invisible.
        var ours = plain.Stdout.Replace(KeypadTransmit, "", StringComparison.Ordinal);
        ours.Should().NotContain("\u001b", "NO_COLOR: no escape codes, not even bold");
        CheckLayout(ours, accounts: 25);

        var coloured = await OnTerminal(Portfolio(), ColourTerminal(noColor: false));
        coloured.ExitCode.Should().Be(0, coloured.Stdout);
        coloured.Stdout.Should().Contain("\u001b[", "a colour terminal gets colours (so the test above can see escape codes)");
        CheckLayout(Escape().Replace(coloured.Stdout, ""), accounts: 25);
    }

    /// <summary>Runs valuemcp on a pseudo-terminal 80 columns wide (util-linux script); the terminal's output is stdout.</summary>
    private static Task<(int ExitCode, string Stdout, string Stderr)> OnTerminal(string[] args, IDictionary<string, string?> env) =>
        HttpServerProcess.RunToExit(args, env, start =>
        {
            var command = string.Join(" ", new[] { start.FileName }.Concat(start.ArgumentList).Select(a => "'" + a.Replace("'", "'\\''") + "'"));
            var script = new ProcessStartInfo("script") { UseShellExecute = false };
            foreach (var a in new[] { "--quiet", "--return", "--command", $"stty cols {Width} rows 50; exec {command} 2>&1", "/dev/null" })
                script.ArgumentList.Add(a);
            return script;
        });

    private void CheckLayout(string output, int accounts)
    {
        var lines = output.Replace("\r", "").Split('\n');
        lines.Where(l => l.Length > Width).Should().BeEmpty($"every line fits {Width} columns:\n{output}");
        output.Should().NotContain("…", "nothing is cut short");
        foreach (var title in Titles.Concat(Headers))
            lines.Should().Contain(l => Regex.IsMatch(l, $@"(^|[^\w]){Regex.Escape(title)}([^\w]|$)"), $"\"{title}\" is shown whole:\n{output}");

        var words = Words().Split(output).Where(w => w.Length > 0).ToHashSet(StringComparer.Ordinal);
        var ids = AccountId().Matches(output).Select(m => m.Value).Distinct().ToList();
        ids.Should().HaveCount(accounts, output);
        foreach (var id in ids)
        {
            var account = _facts.Accounts.Single(a => a["id"] == id);
            foreach (var word in account["name"].Split(' ', StringSplitOptions.RemoveEmptyEntries).Append(account["segment"]))
                words.Should().Contain(word, $"the word \"{word}\" of {id} is not broken across lines:\n{output}");
        }
    }

    [GeneratedRegex(@"\u001b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex Escape();

    [GeneratedRegex(@"\bACC-\d{4}\b")]
    private static partial Regex AccountId();

    /// <summary>Separators between words: white space and the box-drawing characters of cards and tables.</summary>
    [GeneratedRegex(@"[\s\u2500-\u257f|+]+")]
    private static partial Regex Words();
}
