using System.Text;
using static ValueMcp.Server.App.Text;

namespace ValueMcp.Server.Report;

/// <summary>
/// The board report: the board prompt's figures (BoardFigures.Lines, word for word) in a Markdown file, with the charts
/// as SVG files beside it (named PREFIX-bridge.svg and so on) and the definitions the figures follow.
/// </summary>
public static class BoardMarkdown
{
    /// <summary>The chart files of a report, by the name each gets beside the Markdown file.</summary>
    public static IReadOnlyList<(string Suffix, string Title, string Svg)> Charts(BoardFigures b)
    {
        var window = $"renewal dates {Date(b.ForecastStart)} to {Date(b.ForecastEnd.AddDays(-1))}";
        return
        [
            ("bridge", $"ARR bridge, {b.Period.Label}", BoardSvg.Bridge(b.Retention.Total, $"ARR bridge, {b.Period.Label} (all segments)")),
            ("cohorts", $"Retention by cohort (year of contract start), {b.Period.Label}", BoardSvg.Cohorts(b.Cohorts, $"Retention by cohort, {b.Period.Label}")),
            ("range", "Renewal forecast range", BoardSvg.Range(b.Forecast, $"Renewal forecast, {window}")),
            ("fulfilment", "Fulfilment distribution", BoardSvg.Fulfilment(b.Health.FulfilmentDistribution, $"Fulfilment distribution as of {Date(b.AsOf)}")),
            ("renewals", "Renewals by month", BoardSvg.RenewalMonths(b.Health.RenewalsPassed, b.Health.RenewalsByMonth, $"Renewals by month from {Date(b.AsOf)}, by renewal risk")),
        ];
    }

    public static string Render(BoardFigures b, string chartPrefix)
    {
        var s = new StringBuilder();
        s.Append($"# Board summary: post-sale value, {b.Period.Label}\n\n");
        s.Append($"As of {Date(b.AsOf)}; movements dated {Date(b.Period.Start)} to {Date(b.Period.LastDay)}. The figures are the ones the `board_prep_summary` prompt gives the assistant, computed by the same tools.\n\n");
        s.Append("## Figures\n\n");
        foreach (var line in b.Lines()) s.Append(line).Append('\n');
        s.Append('\n');
        foreach (var (suffix, title, _) in Charts(b))
            s.Append($"## {title}\n\n![{title}]({chartPrefix}-{suffix}.svg)\n\n");
        s.Append("## Definitions\n\n");
        foreach (var (name, text) in b.Retention.Definitions) s.Append($"- **{name}**: {text}\n");
        s.Append("- **downside / base / upside**: renewed ARR if the exposed and high-risk renewals are lost / ARR x renewal probability / every renewal except the high-risk ones renewed in full\n");
        s.Append("- **fulfilment**: evidenced outcomes / promised outcomes; on track, at risk and critical by the policy's thresholds\n");
        s.Append($"- Benchmarks, for context and never as verdicts: {string.Join("; ", b.Retention.Benchmarks)}.\n");
        return s.ToString();
    }
}
