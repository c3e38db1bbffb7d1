using System.Xml.Linq;
using ModelContextProtocol.Protocol;
using ValueMcp.Server.Report;

namespace ValueMcp.Server.Tests;

/// <summary>
/// `valuemcp report board`: the board prompt's figures, word for word, in a Markdown file, with the five charts as SVG
/// files beside it; bad input writes nothing.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ReportBoardTests(ServerFixture server) : IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(OwnServer.NewDir("report")).FullName;

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static readonly string[] Charts = ["bridge", "cohorts", "range", "fulfilment", "renewals"];

    [Fact]
    public async Task The_report_writes_the_prompts_figures_and_the_charts_beside_them()
    {
        var output = Path.Combine(_dir, "board.md");
        var run = await ImportCommandTests.Valuemcp("report", "board", "--db", server.DbPath, "--as-of", ServerFixture.AsOfText, "--period", "2026-Q3", "--out", output);
        run.ExitCode.Should().Be(0, run.Stderr);

        var prompt = await server.Client.GetPromptAsync("board_prep_summary", J.Args(("as_of", ServerFixture.AsOfText), ("period", "2026-Q3")));
        var promptText = string.Join("\n", prompt.Messages.Select(m => m.Content).OfType<TextContentBlock>().Select(t => t.Text));
        var figures = promptText[(promptText.IndexOf("Current figures", StringComparison.Ordinal))..].Split('\n').Skip(1)
            .Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        figures.Should().HaveCountGreaterThan(5);

        var markdown = File.ReadAllText(output);
        foreach (var line in figures) markdown.Should().Contain(line + "\n", "the report carries the prompt's figures word for word");
        foreach (var chart in Charts)
        {
            markdown.Should().Contain($"(board-{chart}.svg)");
            var svg = XDocument.Parse(File.ReadAllText(Path.Combine(_dir, $"board-{chart}.svg")));
            svg.Root!.Name.LocalName.Should().Be("svg");
            svg.Root.Attribute("aria-label")!.Value.Should().NotBeNullOrWhiteSpace();
        }

        // The pictures show the tools' figures: the bridge its retention row, the range the forecast's scenarios.
        var retention = await server.Ok("retention_metrics", J.Args(("period_start", "2026-07-01"), ("period_end", "2026-10-01"), ("as_of", ServerFixture.AsOfText)));
        var bridge = File.ReadAllText(Path.Combine(_dir, "board-bridge.svg"));
        bridge.Should().Contain(BoardSvg.Compact(retention.Obj("total").Dec("starting_arr")))
            .And.Contain("−" + BoardSvg.Compact(retention.Obj("total").Dec("churn")))
            .And.Contain(BoardSvg.Compact(retention.Obj("total").Dec("ending_arr")));
        var range = File.ReadAllText(Path.Combine(_dir, "board-range.svg"));
        var (start, end) = BoardFigures.RenewalWindow(ServerFixture.AsOf, BoardFigures.LookAheadDays);
        var forecast = await server.Ok("renewal_forecast", J.Args(("period_start", App.Text.Date(start)), ("period_end", App.Text.Date(end)), ("as_of", ServerFixture.AsOfText)));
        foreach (var key in new[] { "downside", "base", "upside" })
            range.Should().Contain(BoardSvg.Compact(forecast.Dec(key)));
    }

    [Theory]
    [InlineData("2027-Q9", "period")]
    [InlineData("2027-Q1", "starts after as_of")]
    public async Task Bad_input_is_refused_with_what_is_accepted_and_writes_nothing(string period, string said)
    {
        var output = Path.Combine(_dir, "bad.md");
        var run = await ImportCommandTests.Valuemcp("report", "board", "--db", server.DbPath, "--as-of", ServerFixture.AsOfText, "--period", period, "--out", output);
        run.ExitCode.Should().Be(2);
        run.Stderr.Should().Contain("valuemcp report board:").And.Contain(said);
        Directory.GetFiles(_dir).Should().BeEmpty();
    }
}
