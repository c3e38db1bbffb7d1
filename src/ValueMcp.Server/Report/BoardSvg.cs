using System.Globalization;
using System.Security;
using System.Text;
using ValueMcp.Server.Tools;
using static ValueMcp.Server.App.Text;

namespace ValueMcp.Server.Report;

/// <summary>
/// The board charts as standalone SVG files (the report's pictures): the ARR bridge, the renewal range, retention by
/// cohort, the fulfilment distribution and the renewals by month. Each figure is a field of a tool answer in
/// BoardFigures; this only places them. Every bar carries its amount in text, and losses and risks have a fill pattern
/// as well as a colour, so the charts read in print and without colour.
/// </summary>
public static class BoardSvg
{
    private const string Green = "#1f9d61", Amber = "#d99000", Red = "#d93b3b", Grey = "#98a1b0", Ink = "#16191f", Muted = "#545b68", Line = "#e1e4ea";

    private static string F(decimal v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string X(string text) => SecurityElement.Escape(text) ?? "";

    /// <summary>1234567 -> "1.2M", 45600 -> "45.6K" (the page's compact money, in English).</summary>
    public static string Compact(decimal v)
    {
        var a = Math.Abs(v);
        var (div, suffix) = a >= 1_000_000_000m ? (1_000_000_000m, "B") : a >= 1_000_000m ? (1_000_000m, "M") : a >= 1_000m ? (1_000m, "K") : (1m, "");
        return (v / div).ToString(a >= 1_000m ? "0.#" : "0", CultureInfo.InvariantCulture) + suffix;
    }

    private static string Pct1(decimal? v) => v is decimal d ? (d * 100m).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";

    private static StringBuilder Open(int w, int h, string label)
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{X(label)}\" font-family=\"system-ui, Segoe UI, Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
        s.Append("<title>").Append(X(label)).Append("</title>\n");
        s.Append(CultureInfo.InvariantCulture, $"<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n");
        s.Append("<defs>")
            .Append(Hatch("hatch-red", Red)).Append(Hatch("hatch-amber", Amber)).Append(Cross("cross-red", Red)).Append(Dots("dots-grey", Grey)).Append(Dots("dots-green", Green))
            .Append("</defs>\n");
        return s;
    }

    private static string Hatch(string id, string c) =>
        $"<pattern id=\"{id}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"{c}\" fill-opacity=\"0.28\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"{c}\" stroke-width=\"3\"/></pattern>";
    private static string Cross(string id, string c) =>
        $"<pattern id=\"{id}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" fill=\"{c}\" fill-opacity=\"0.3\"/><path d=\"M0 0L6 6M6 0L0 6\" stroke=\"{c}\" stroke-width=\"1.4\"/></pattern>";
    private static string Dots(string id, string c) =>
        $"<pattern id=\"{id}\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\"><rect width=\"5\" height=\"5\" fill=\"{c}\" fill-opacity=\"0.35\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1.3\" fill=\"{c}\"/></pattern>";

    private static void Text(StringBuilder s, double x, double y, string text, string anchor = "middle", string fill = Muted, string weight = "normal", int size = 12) =>
        s.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x)}\" y=\"{F(y)}\" text-anchor=\"{anchor}\" fill=\"{fill}\" font-weight=\"{weight}\" font-size=\"{size}\">{X(text)}</text>\n");

    private static void Rect(StringBuilder s, double x, double y, double w, double h, string fill, string stroke, string? title = null)
    {
        s.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(Math.Max(0, w))}\" height=\"{F(Math.Max(0, h))}\" fill=\"{fill}\" stroke=\"{stroke}\">");
        if (title is not null) s.Append("<title>").Append(X(title)).Append("</title>");
        s.Append("</rect>\n");
    }

    private static double NiceStep(double span, int ticks)
    {
        var raw = span / Math.Max(1, ticks);
        if (raw <= 0) return 1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var f = raw / power;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * power;
    }

    private static readonly Dictionary<string, string> LaneLabel = new(StringComparer.Ordinal)
    {
        ["modules"] = "Modules", ["data_integration"] = "Data integr.", ["managed_services"] = "Managed svc.", ["seats"] = "Seats", ["price"] = "Price", [""] = "No lane",
    };

    /// <summary>The ARR bridge of a retention row: starting ARR, + expansion per lane, - contraction, - churn, = ending ARR.</summary>
    public static string Bridge(RetentionRowDto row, string title)
    {
        var steps = new List<(string Label, string Kind, decimal Value)> { ("Starting ARR", "total", row.StartingArr) };
        steps.AddRange(row.ExpansionByLane.Where(kv => kv.Value != 0m).Select(kv => ("+ " + (LaneLabel.TryGetValue(kv.Key, out var l) ? l : kv.Key), "gain", kv.Value)));
        steps.Add(("− Contraction", "loss", row.Contraction));
        steps.Add(("− Churn", "loss", row.Churn));
        steps.Add(("Ending ARR", "total", row.EndingArr));
        var spans = new List<(decimal From, decimal To)>();
        var running = 0m;
        foreach (var st in steps)
        {
            if (st.Kind == "total") { running = st.Value; spans.Add((0m, st.Value)); continue; }
            var from = running;
            running += st.Kind == "gain" ? st.Value : -st.Value;
            spans.Add((from, running));
        }
        var levels = spans.Select((sp, i) => steps[i].Kind == "total" ? new[] { sp.To } : new[] { sp.From, sp.To }).SelectMany(x => x).Select(v => (double)v).ToList();
        double hi = Math.Max(levels.Max(), 1), lowest = levels.Min();
        var step = NiceStep(hi - lowest > 0 ? hi - lowest : hi, 4);
        var lo = lowest > 0 ? Math.Max(0, Math.Floor((lowest - (hi - lowest) * 0.6) / step) * step) : Math.Min(0, lowest);
        var top1 = Math.Ceiling(hi / step) * step;
        const int W = 760, H = 320, left = 60, right = 12, top = 44, bottom = 62;
        double Y(double v) => H - bottom - (v - lo) / (top1 - lo == 0 ? 1 : top1 - lo) * (H - bottom - top);
        var s = Open(W, H, $"{title}: starting ARR {Money(row.StartingArr)}, expansion {Money(row.Expansion)}, contraction {Money(row.Contraction)}, churn {Money(row.Churn)}, ending ARR {Money(row.EndingArr)}");
        Text(s, 12, 22, title, "start", Ink, "bold", 14);
        for (var v = lo; v <= top1 + step / 2; v += step)
        {
            s.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{W - right}\" y1=\"{F(Y(v))}\" y2=\"{F(Y(v))}\" stroke=\"{Line}\"/>\n");
            Text(s, left - 6, Y(v) + 4, Compact((decimal)v), "end", Muted, "normal", 11);
        }
        var slot = (W - left - right) / (double)steps.Count;
        var barW = Math.Min(54, slot * 0.66);
        for (var i = 0; i < steps.Count; i++)
        {
            var (label, kind, value) = steps[i];
            var (from, to) = spans[i];
            var x = left + slot * i + (slot - barW) / 2;
            double y0 = Y(Math.Max((double)Math.Max(from, to), lo)), y1 = Y(Math.Max((double)Math.Min(from, to), lo));
            var fill = kind == "loss" ? "url(#hatch-red)" : kind == "gain" ? Green : "#f0f2f5";
            Rect(s, x, y0, barW, Math.Max(1, y1 - y0), fill, kind == "loss" ? Red : kind == "gain" ? Green : Muted, $"{label}: {Money(value)}");
            Text(s, x + barW / 2, y0 - 6, (kind == "gain" ? "+" : kind == "loss" ? "−" : "") + Compact(value), "middle", Ink, "bold");
            var words = label.Replace("+ ", "+ ", StringComparison.Ordinal).Split(' ');
            var mid = (words.Length + 1) / 2;
            Text(s, x + barW / 2, H - bottom + 16, string.Join(' ', words.Take(mid)), "middle", Muted, "normal", 11);
            if (words.Length > 1) Text(s, x + barW / 2, H - bottom + 30, string.Join(' ', words.Skip(mid)), "middle", Muted, "normal", 11);
        }
        if (lo > 0) Text(s, left, H - 8, $"Axis starts at {Compact((decimal)lo)}. Hatched: losses.", "start", Muted, "normal", 10);
        return s.Append("</svg>\n").ToString();
    }

    /// <summary>The renewal forecast as a range bar: ARR due as the track, downside hatched, upside dotted, base a line.</summary>
    public static string Range(RenewalForecastResult f, string title)
    {
        const int W = 760, H = 170, left = 16, right = 16, barY = 74, barH = 34;
        var due = (double)Math.Max(f.ArrDue, 1m);
        double Xv(decimal v) => left + (double)v / due * (W - left - right);
        var s = Open(W, H, $"{title}: ARR due {Money(f.ArrDue)}; renewed ARR downside {Money(f.Downside)}, base {Money(f.Base)}, upside {Money(f.Upside)}");
        Text(s, 12, 22, title, "start", Ink, "bold", 14);
        Rect(s, Xv(0), barY, Xv(f.ArrDue) - Xv(0), barH, "#f0f2f5", "#c9ced7", $"ARR due {Money(f.ArrDue)}");
        Rect(s, Xv(0), barY, Xv(f.Downside) - Xv(0), barH, "url(#hatch-amber)", Amber, $"Downside {Money(f.Downside)}");
        Rect(s, Xv(f.Downside), barY, Math.Max(1, Xv(f.Upside) - Xv(f.Downside)), barH, "url(#dots-green)", Green, $"Upside {Money(f.Upside)}");
        foreach (var (label, value, y, anchor) in new[] { ("Downside", f.Downside, barY - 12, "end"), ("Base", f.Base, barY + barH + 22, "middle"), ("Upside", f.Upside, barY - 12, "start") })
        {
            s.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(Xv(value))}\" x2=\"{F(Xv(value))}\" y1=\"{barY - 6}\" y2=\"{barY + barH + 6}\" stroke=\"{Ink}\" stroke-width=\"{(label == "Base" ? 3 : 2)}\"/>\n");
            Text(s, Xv(value) + (anchor == "end" ? -4 : anchor == "start" ? 4 : 0), y, $"{label} {Compact(value)}", anchor, Ink, "bold");
        }
        Text(s, W - right, H - 10, $"ARR due {Compact(f.ArrDue)} ({f.Total} accounts). Hatched: renewed in the downside; dotted: added in the upside; line: base.", "end", Muted, "normal", 11);
        return s.Append("</svg>\n").ToString();
    }

    /// <summary>Retention by cohort: NRR, GRR and logo retention per cohort as numbers in shaded cells.</summary>
    public static string Cohorts(RetentionResult r, string title)
    {
        const int W = 560, rowH = 30, left = 110, colW = 140, top = 58;
        var H = top + rowH * Math.Max(1, r.Rows.Count) + 36;
        var s = Open(W, H, $"{title}: " + string.Join("; ", r.Rows.Select(x => $"{x.Group} NRR {Pct1(x.Nrr)}, GRR {Pct1(x.Grr)}, logo retention {Pct1(x.LogoRetention)}")));
        Text(s, 12, 22, title, "start", Ink, "bold", 14);
        string[] heads = ["NRR", "GRR", "Logo retention"];
        for (var c = 0; c < heads.Length; c++) Text(s, left + colW * c + colW / 2.0, top - 10, heads[c], "middle", Muted, "bold", 11);
        for (var i = 0; i < r.Rows.Count; i++)
        {
            var row = r.Rows[i];
            var y = top + rowH * i;
            Text(s, 12, y + rowH / 2.0 + 4, row.Group.Length == 0 ? "(none)" : row.Group, "start", Ink, "bold");
            decimal?[] values = [row.Nrr, row.Grr, row.LogoRetention];
            for (var c = 0; c < values.Length; c++)
            {
                var v = values[c];
                var (colour, mark) = v is not decimal d ? ("#ffffff", "") : d >= 1m ? (Green, d > 1m ? " ▲" : "") : d >= 0.9m ? (Amber, "") : (Red, " ▼");
                var opacity = v is decimal dv ? Math.Min(1.0, Math.Abs((double)dv - 1) / 0.3) * 0.45 + 0.15 : 0;
                s.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left + colW * c + 3}\" y=\"{y + 3}\" width=\"{colW - 6}\" height=\"{rowH - 6}\" rx=\"5\" fill=\"{colour}\" fill-opacity=\"{F(opacity)}\"/>\n");
                Text(s, left + colW * c + colW / 2.0, y + rowH / 2.0 + 4, Pct1(v) + mark, "middle", Ink, "bold");
            }
        }
        Text(s, 12, H - 12, "▲ above 100% · ▼ below 90% · shade grows with the distance from 100%", "start", Muted, "normal", 10);
        return s.Append("</svg>\n").ToString();
    }

    /// <summary>Accounts per tenth of fulfilment, filled by the band of the range (solid, hatched, cross-hatched, dotted).</summary>
    public static string Fulfilment(IReadOnlyList<Scoring.FulfilmentRange> ranges, string title)
    {
        const int W = 760, H = 260, left = 40, right = 8, top = 44, bottom = 48;
        var max = Math.Max(1, ranges.Max(r => r.Count));
        var step = NiceStep(max, 4);
        var topV = Math.Ceiling(max / step) * step;
        double Y(double v) => H - bottom - v / topV * (H - bottom - top);
        var s = Open(W, H, $"{title}: " + string.Join(", ", ranges.Select(r => $"{r.Range} {r.Count}")));
        Text(s, 12, 22, title, "start", Ink, "bold", 14);
        for (var v = 0.0; v <= topV; v += step)
        {
            s.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{W - right}\" y1=\"{F(Y(v))}\" y2=\"{F(Y(v))}\" stroke=\"{Line}\"/>\n");
            Text(s, left - 6, Y(v) + 4, F(v), "end", Muted, "normal", 11);
        }
        var slot = (W - left - right) / (double)ranges.Count;
        var barW = slot * 0.72;
        for (var i = 0; i < ranges.Count; i++)
        {
            var r = ranges[i];
            var x = left + slot * i + (slot - barW) / 2;
            var (fill, stroke) = r.Band switch
            {
                Scoring.Band.OnTrack => (Green, Green),
                Scoring.Band.AtRisk => ("url(#hatch-amber)", Amber),
                Scoring.Band.Critical => ("url(#cross-red)", Red),
                _ => ("url(#dots-grey)", Grey),
            };
            if (r.Count > 0) Rect(s, x, Y(r.Count), barW, Y(0) - Y(r.Count), fill, stroke, $"{r.Range}: {r.Count} accounts, ARR {Money(r.Arr)} ({N(r.Band)})");
            Text(s, x + barW / 2, Y(r.Count) - 5, r.Count.ToString(CultureInfo.InvariantCulture), "middle", Ink, "bold");
            Text(s, x + barW / 2, H - bottom + 15, r.Low is decimal lo ? $"{lo * 100:0}–{(r.High ?? 1m) * 100:0}%" : "None", "middle", Muted, "normal", 11);
            if (r.Count > 0) Text(s, x + barW / 2, H - bottom + 29, Compact(r.Arr), "middle", Muted, "normal", 10);
        }
        Text(s, 12, H - 6, "Solid: on track · hatched: at risk · cross-hatched: critical · dotted: no contract", "start", Muted, "normal", 10);
        return s.Append("</svg>\n").ToString();
    }

    /// <summary>Renewals per month (and passed, still open), ARR stacked by renewal risk, the count above each bar.</summary>
    public static string RenewalMonths(RenewalsDueDto passed, IReadOnlyList<RenewalMonthDto> months, string title)
    {
        const int W = 760, H = 280, left = 50, right = 8, top = 44, bottom = 58;
        var columns = new List<(string Label, RenewalsDueDto Due)> { ("Passed", passed) };
        columns.AddRange(months.Select(m => (m.Month, new RenewalsDueDto(m.Count, m.Arr, m.ByRisk))));
        var max = (double)Math.Max(1m, columns.Max(c => c.Due.Arr));
        var step = NiceStep(max, 4);
        var topV = Math.Ceiling(max / step) * step;
        double Y(double v) => H - bottom - v / topV * (H - bottom - top);
        var s = Open(W, H, $"{title}: " + string.Join("; ", columns.Select(c => $"{c.Label} {c.Due.Count} (ARR {Money(c.Due.Arr)})")));
        Text(s, 12, 22, title, "start", Ink, "bold", 14);
        for (var v = 0.0; v <= topV; v += step)
        {
            s.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{W - right}\" y1=\"{F(Y(v))}\" y2=\"{F(Y(v))}\" stroke=\"{Line}\"/>\n");
            Text(s, left - 6, Y(v) + 4, Compact((decimal)v), "end", Muted, "normal", 11);
        }
        var slot = (W - left - right) / (double)columns.Count;
        var barW = slot * 0.62;
        (string Key, string Fill, string Stroke)[] risks = [("high", "url(#cross-red)", Red), ("medium", "url(#hatch-amber)", Amber), ("low", Green, Green), ("none", "url(#dots-grey)", Grey)];
        for (var i = 0; i < columns.Count; i++)
        {
            var (label, due) = columns[i];
            var x = left + slot * i + (slot - barW) / 2;
            var baseArr = 0m;
            foreach (var (key, fill, stroke) in risks)
            {
                var part = due.ByRisk.TryGetValue(key, out var p) ? p : Scoring.CountAndArr.Zero;
                if (part.Count == 0) continue;
                Rect(s, x, Y((double)(baseArr + part.Arr)), barW, Math.Max(1, Y((double)baseArr) - Y((double)(baseArr + part.Arr))), fill, stroke, $"{label}: {key} risk {part.Count} (ARR {Money(part.Arr)})");
                baseArr += part.Arr;
            }
            var high = due.ByRisk.TryGetValue("high", out var h) ? h.Count : 0;
            Text(s, x + barW / 2, Y((double)due.Arr) - 5, due.Count.ToString(CultureInfo.InvariantCulture) + (high > 0 ? $" ({high}!)" : ""), "middle", Ink, "bold");
            Text(s, x + barW / 2, H - bottom + 15, label, "middle", Muted, "normal", 11);
            Text(s, x + barW / 2, H - bottom + 29, due.Count > 0 ? Compact(due.Arr) : "", "middle", Muted, "normal", 10);
        }
        Text(s, 12, H - 8, "Height: ARR renewing; above: renewals (n! high risk). Cross-hatched: high · hatched: medium · solid: low · dotted: not assessed", "start", Muted, "normal", 10);
        return s.Append("</svg>\n").ToString();
    }
}
