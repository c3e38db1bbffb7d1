using System.Globalization;
using ValueMcp.Scoring;
using static ValueMcp.Server.App.Text;

namespace ValueMcp.Server.App;

/// <summary>Short text renderings of the analytics results.</summary>
public static class AnalyticsText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A ratio such as NRR as a percentage with one decimal (1.0422 -> 104.2%).</summary>
    public static string Ratio(decimal? v) => v is decimal d ? (d * 100m).ToString("0.0", Inv) + "%" : "n/a";

    public static string RetentionLine(RetentionRowDto r) =>
        $"NRR {Ratio(r.Nrr)}, GRR {Ratio(r.Grr)}, logo retention {Ratio(r.LogoRetention)} ({r.LogosRetained} of {r.LogosStart}); " +
        $"starting ARR {Money(r.StartingArr)} + expansion {Money(r.Expansion)} - contraction {Money(r.Contraction)} - churn {Money(r.Churn)} = {Money(r.EndingArr)}" +
        (r.NewLogos > 0 ? $"; {r.NewLogos} new logos ({Money(r.NewLogoArr)}) excluded" : "");

    public static string Retention(RetentionResult r)
    {
        var lines = new List<string>
        {
            $"Retention {Date(r.PeriodStart)} to {Date(r.PeriodEnd)} (end excluded){(r.Complete ? "" : $", to date: measured through {Date(r.MeasuredThrough)}")}, grouped by {N(r.GroupBy)}.",
            $"All: {RetentionLine(r.Total)}.",
        };
        var lanes = r.Total.ExpansionByLane.Where(kv => kv.Value != 0m).Select(kv => $"{(kv.Key.Length == 0 ? "(no lane)" : kv.Key)} {Money(kv.Value)}").ToList();
        if (lanes.Count > 0) lines.Add("Expansion by lane: " + string.Join(", ", lanes) + ".");
        if (r.GroupBy != RetentionGrouping.None)
            lines.AddRange(r.Rows.Select(row => $"- {(row.Group.Length == 0 ? "(none)" : row.Group)}: {RetentionLine(row)}"));
        lines.Add("NRR = (S + E - C - X) / S over the accounts active before the period; GRR = (S - C - X) / S, at most 100%. Benchmarks: " +
            string.Join("; ", r.Benchmarks) + ".");
        return string.Join("\n", lines);
    }

    public static string Forecast(RenewalForecastResult f)
    {
        var lines = new List<string>
        {
            $"Renewal forecast as of {Date(f.AsOf)} for renewals dated {Date(f.PeriodStart)} to {Date(f.PeriodEnd)} (end excluded; {Filters(f.Filters)}): " +
                $"{f.Total} accounts, ARR due {Money(f.ArrDue)}.",
            $"Renewed ARR: downside {Money(f.Downside)}, base {Money(f.Base)}, upside {Money(f.Upside)} " +
                $"({Ratio(Share(f.Downside, f.ArrDue))} / {Ratio(Share(f.Base, f.ArrDue))} / {Ratio(Share(f.Upside, f.ArrDue))} of ARR due).",
            "Scenario roles: " + string.Join(", ", f.ByScenarioRole.Select(kv => $"{kv.Key} {kv.Value.Count} (ARR {Money(kv.Value.Arr)})")) +
                ". Downside loses high_risk and exposed accounts; upside renews every account except high_risk ones in full.",
        };
        lines.AddRange(f.Accounts.Select(a =>
            $"- {a.Name} [{a.Id}] ARR {Money(a.Arr)}, renews {Date(a.RenewalDate)}: p {Frac(a.Probability)} ({a.Reason}); {a.ScenarioNote}"));
        if (f.Accounts.Count < f.Total) lines.Add($"Showing {f.Accounts.Count} of {f.Total} accounts; the totals cover all.");
        return string.Join("\n", lines);
    }

    private static decimal? Share(decimal part, decimal whole) => whole == 0m ? null : part / whole;

    public static string Scenario(ScenarioResultDto s)
    {
        var a = s.Assumptions;
        var lines = new List<string>
        {
            $"Forward model{(a.FromPortfolio ? $" from the portfolio measured as of {Date(a.MeasuredAsOf!.Value)}" : "")}: {Num(a.Customers)} customers at ACV {Money(a.Acv)}, renewal rate {Frac4(a.RenewalRate)}, " +
                (a.Lanes.Count == 0 ? "no expansion lane" : "lanes " + string.Join(", ", a.Lanes.Select(l => $"{l.Lane} {Frac4(l.AttachRate)} x {Money(l.AvgValue)}"))) + ".",
            $"Stage funnel {Frac4(a.StageRates.Onboarding)} x {Frac4(a.StageRates.FirstValue)} x {Frac4(a.StageRates.Adoption)} x {Frac4(a.StageRates.Renewal)} = {s.FunnelProduct.ToString("0.0000", Inv)} " +
                $"({Num(s.CustomersThroughFunnel)} of {Num(a.Customers)} customers reach a renewal and renew).",
        };
        lines.AddRange(s.Years.Select(y =>
            $"- Year {y.Year}: starts {Money(Math.Round(y.ArrStart, 2))} with {Num(y.CustomersStart)} customers; churn {Money(Math.Round(y.Churn, 2))}, expansion {Money(Math.Round(y.Expansion, 2))}; ends {Money(Math.Round(y.ArrEnd, 2))}; NRR {Ratio(y.Nrr)}"));
        lines.Add($"Cumulative revenue over {s.Years.Count} years {Money(Math.Round(s.CumulativeRevenue, 2))}; LTV per customer {(s.LtvPerCustomer is decimal l ? Money(Math.Round(l, 2)) : "n/a")}.");
        lines.Add(s.Sensitivity.Statement);
        return string.Join("\n", lines);
    }

    public static string Insights(SegmentInsightsResult r) => string.Join("\n",
        new[] { $"Segment insights as of {Date(r.AsOf)} ({Filters(r.Filters)}): {r.AccountCount} accounts, ARR {Money(r.ArrManaged)}." }
            .Concat(r.Insights.GroupBy(i => i.Kind).SelectMany(g =>
                new[] { $"{g.Key}:" }.Concat(g.Select(i => "- " + i.Statement)))));

    private static string Num(decimal v) => Math.Round(v, 2).ToString("#,##0.##", Inv);

    private static string Frac4(decimal v) => Math.Round(v, 4).ToString("0.0###", Inv);
}
