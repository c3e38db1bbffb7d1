using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Server.Tools;
using ValueMcp.Store;
using static ValueMcp.Server.App.Text;

namespace ValueMcp.Server.Report;

/// <summary>
/// The figures of a board summary, as the board_prep_summary prompt embeds them and `valuemcp report board` writes
/// them: one piece of code for both, each figure a tool's own answer (the same Answer methods the tools serve).
/// </summary>
public sealed record BoardFigures(
    DateOnly AsOf,
    Period Period,
    PortfolioHealthResult Health,
    RetentionResult Retention,
    RetentionResult Cohorts,
    DateOnly ForecastStart,
    DateOnly ForecastEnd,
    RenewalForecastResult Forecast,
    RenewalRisksResult Risks,
    ExpansionResult Expansion)
{
    /// <summary>The renewal window the board looks ahead: this many days from as_of.</summary>
    public const int LookAheadDays = 90;

    /// <summary>How many accounts each list names (lowest renewal odds, high risks, expansion ready).</summary>
    public const int Listed = 5;

    /// <summary>
    /// The renewal window of the forecasts: renewal dates from LookAheadDays before as_of (still open: the account is
    /// active, so neither renewed nor churned) to `ahead` days after it, both included.
    /// </summary>
    public static (DateOnly Start, DateOnly End) RenewalWindow(DateOnly asOf, int ahead) => (asOf.AddDays(-LookAheadDays), asOf.AddDays(ahead + 1));

    public static string WindowText(DateOnly start, DateOnly end) =>
        $"renewal dates {Date(start)} to {Date(end.AddDays(-1))} (dates already passed are renewals still open)";

    /// <summary>The board figures as of a date for a period (a quarter, a year or start..end; default the last full quarter before as_of).</summary>
    public static BoardFigures Of(ValueService service, DateOnly asOf, string? period)
    {
        var p = string.IsNullOrWhiteSpace(period) ? Periods.LastFullQuarter(asOf) : Periods.Parse(period, "period");
        if (p.Start > asOf) throw new InputException($"period: {p.Label} starts after as_of {Date(asOf)}; pick a period that has started");
        var health = PortfolioHealthTool.Answer(service, asOf, PortfolioFilter.None);
        var retention = RetentionMetricsTool.Answer(service, p.Start, p.End, RetentionGrouping.Segment, asOf);
        var cohorts = RetentionMetricsTool.Answer(service, p.Start, p.End, RetentionGrouping.CohortYear, asOf);
        var (fStart, fEnd) = RenewalWindow(asOf, LookAheadDays);
        var forecast = RenewalForecastTool.Answer(service, fStart, fEnd, PortfolioFilter.None, asOf, Listed);
        var risks = RenewalRisksTool.Answer(service, asOf, PortfolioFilter.None, LookAheadDays, RenewalRisk.High, Listed);
        var expansion = ExpansionReadyTool.Answer(service, asOf, PortfolioFilter.None, false, Listed);
        return new BoardFigures(asOf, p, health, retention, cohorts, fStart, fEnd, forecast, risks, expansion);
    }

    /// <summary>The figures in words, a line each (nested items indented): the "Current figures" of the board prompt.</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"- Portfolio: {Kpis(Health.Kpis)}.";
        yield return $"- Retention {Period.Label}{(Retention.Complete ? "" : $" (to date, through {Date(Retention.MeasuredThrough)})")}: {RetentionMetricsTool.Line(Retention.Total)}.";
        foreach (var row in Retention.Rows)
            yield return $"  - {(row.Group.Length == 0 ? "(none)" : row.Group)}: {RetentionMetricsTool.Line(row)}.";
        yield return $"- Renewal forecast, {WindowText(ForecastStart, ForecastEnd)}: {Forecast.Total} accounts, ARR due {Money(Forecast.ArrDue)}; renewed ARR downside {Money(Forecast.Downside)}, base {Money(Forecast.Base)}, upside {Money(Forecast.Upside)}.";
        foreach (var line in RangeMovers(Forecast)) yield return line;
        foreach (var line in LowestOdds(Forecast)) yield return line;
        yield return $"- High renewal risks within {LookAheadDays} days: {Risks.Total} accounts, ARR {Money(Risks.ArrByRisk.High)}{(Risks.Accounts.Count > 0 ? ":" : ".")}";
        foreach (var a in Risks.Accounts)
            yield return $"  - {a.Name} [{a.Id}] ARR {Money(a.Arr)}, CSM {a.Csm}, {Renewal(a.RenewalDate, a.DaysToRenewal)}: {a.RiskReasons}";
        yield return $"- Expansion ready: {Expansion.Total} accounts, ARR {Money(Expansion.ExpansionReadyArr)}{(Expansion.Accounts.Count > 0 ? ":" : ".")}";
        foreach (var a in Expansion.Accounts)
            yield return $"  - {a.Name} [{a.Id}] ARR {Money(a.Arr)}, lane {(a.Lane is { } l ? N(l) : "modules")} ({a.Timing})";
    }

    /// <summary>
    /// What moves the range: renewal_forecast's `movers`, the accounts (of all those renewing, not only the listed ones)
    /// whose upside minus downside is largest, as the tool picks them (Forecast.Movers).
    /// </summary>
    public static IEnumerable<string> RangeMovers(RenewalForecastResult forecast)
    {
        if (forecast.Movers.Count == 0)
        {
            if (forecast.Total > 0) yield return "  What moves the range: no account (each renewal counts the same in all three scenarios).";
            yield break;
        }
        yield return "  What moves the range (largest upside minus downside first):";
        foreach (var m in forecast.Movers)
            yield return $"  - {m.Name} [{m.Id}] ARR {Money(m.Arr)}, renews {Date(m.RenewalDate)}, moves {Money(m.Swing)} (downside {Money(m.Downside)}, upside {Money(m.Upside)}); {m.ScenarioNote}";
    }

    /// <summary>The forecast's listed accounts, lowest renewal probability first (the least likely to renew).</summary>
    public static IEnumerable<string> LowestOdds(RenewalForecastResult forecast)
    {
        if (forecast.Accounts.Count == 0) yield break;
        yield return "  Lowest renewal probabilities:";
        foreach (var a in forecast.Accounts)
            yield return $"  - {a.Name} [{a.Id}] ARR {Money(a.Arr)}, renews {Date(a.RenewalDate)}, probability {Frac(a.Probability)} ({a.Reason}); {N(a.ScenarioRole)}";
    }
}
