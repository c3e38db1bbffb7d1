using System.ComponentModel;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Store;
using static ValueMcp.Server.App.Text;

namespace ValueMcp.Server.Tools;

/// <summary>How forecast_accuracy groups its figures.</summary>
public enum AccuracyGrouping { None, Segment, Csm, Tier }

/// <summary>forecast_accuracy: the backtest of the renewal forecast over the renewals decided in a period.</summary>
[McpServerToolType]
public sealed class ForecastAccuracyTool(ValueService service, ILogger<ForecastAccuracyTool> logger)
{
    [McpServerTool(Name = "forecast_accuracy", Title = "Forecast accuracy: backtest of the renewal forecast", ReadOnly = true, OpenWorld = false,
        Idempotent = true, Destructive = false, UseStructuredContent = true, OutputSchemaType = typeof(ForecastAccuracyResult))]
    [Description("Backtests the renewal forecast: for each renewal dated in [period_start, period_end) and decided by as_of, the probability and scenario the forecast gave horizon_days before its date (computed from the facts known then) against what happened. Reports the Brier score with its reliability / resolution split, a reliability table (probability bins: mean forecast vs observed renewal rate, count), the share of renewals whose renewed ARR fell inside [downside, upside], the bias (forecast minus realised) and the weighted absolute error of renewed ARR, overall and per segment, CSM or tier, each with its counts; the misses (forecast >= 0.7 that churned or contracted, <= 0.4 that renewed in full) with the facts known then and the recorded cause; and how probability overrides fared against the computed probabilities.")]
    public CallToolResult ForecastAccuracy(
        [Description("First day of the renewal dates backtested, ISO yyyy-MM-dd (included), e.g. 2026-07-01.")] string period_start,
        [Description("Day after the last renewal date backtested, ISO yyyy-MM-dd (excluded). Must be after period_start.")] string period_end,
        [Description("Days before each renewal date at which it is forecast, 1 to 3650. Default: forecast_horizon_days of the policy (90).")] int? horizon_days = null,
        [Description("Figures also per: none (default: overall only), segment, csm or tier (the account's as stored now: the profile keeps no history).")] string? group_by = null,
        [Description("Most misses to list, 1-200, largest ARR due first. Default 25. The counts cover all.")] int? limit = null,
        [Description(ParameterDocs.AsOfDoc + " Renewals decided after as_of, and facts dated after it, are not used.")] string? as_of = null) =>
        ToolResults.Run(logger, "forecast_accuracy", () =>
        {
            var asOf = service.AsOf(as_of);
            var start = Inputs.Date(Inputs.RequiredText(period_start, "period_start"), "period_start", default);
            var end = Inputs.Date(Inputs.RequiredText(period_end, "period_end"), "period_end", default);
            var horizon = horizon_days is null ? service.Policy.ForecastHorizonDays : Inputs.Days(horizon_days, "horizon_days", 0, min: 1);
            var groupBy = Inputs.Enum<AccuracyGrouping>(group_by, "group_by") ?? AccuracyGrouping.None;
            return Answer(service, start, end, horizon, groupBy, asOf, Inputs.Limit(limit, 25));
        }, Render);

    /// <summary>Every renewal of the period, backtested from one read of the portfolio (each account scored once per renewal).</summary>
    public static (List<BacktestRow> Rows, List<BacktestSkip> Skipped) Run(ValueService values, DateOnly start, DateOnly end, int horizon, DateOnly asOf)
    {
        var rows = new List<BacktestRow>();
        var skipped = new List<BacktestSkip>();
        using var stream = values.Store.Histories(asOf);
        foreach (var h in stream)
        {
            if (!HasRenewalIn(h, start, end)) continue;
            var (r, s) = Backtest.Of(h, start, end, horizon, asOf, values.Policy);
            rows.AddRange(r);
            skipped.AddRange(s);
        }
        return (rows, skipped);
    }

    /// <summary>Whether the account can have a renewal dated in the period (a cheap test before scoring it).</summary>
    private static bool HasRenewalIn(AccountHistory h, DateOnly start, DateOnly end)
    {
        if (h.Profile.RenewalDate >= start && h.Profile.RenewalDate < end) return true;
        foreach (var r in h.Renewals)
            if ((r.RenewalDate >= start && r.RenewalDate < end) || (r.NextRenewalDate is DateOnly n && n >= start && n < end)) return true;
        return false;
    }

    public static ForecastAccuracyResult Answer(ValueService values, DateOnly start, DateOnly end, int horizon, AccuracyGrouping groupBy, DateOnly asOf, int limit)
    {
        CheckPeriod(start, end);
        var (rows, skipped) = Run(values, start, end, horizon, asOf);
        return Answer(values, rows, skipped, start, end, horizon, groupBy, asOf, limit);
    }

    public static void CheckPeriod(DateOnly start, DateOnly end)
    {
        if (start >= end)
            throw new InputException($"period_end: {FactReader.Iso(end)} must be after period_start {FactReader.Iso(start)} (renewals dated in [period_start, period_end) are backtested)");
    }

    /// <summary>The answer from rows already backtested (Run), so that one read can serve several groupings.</summary>
    public static ForecastAccuracyResult Answer(ValueService values, List<BacktestRow> rows, List<BacktestSkip> skipped, DateOnly start, DateOnly end,
        int horizon, AccuracyGrouping groupBy, DateOnly asOf, int limit)
    {
        var policy = values.Policy;
        rows.Sort((a, b) => a.RenewalDate != b.RenewalDate ? a.RenewalDate.CompareTo(b.RenewalDate) : string.CompareOrdinal(a.AccountId, b.AccountId));
        var overall = Backtest.Figures("all", rows, policy);
        var misses = Backtest.Misses(rows, policy);
        return new ForecastAccuracyResult(asOf, start, end, horizon, groupBy, overall, Groups(rows, groupBy, policy), misses.Count,
            misses.Take(limit).Select(m => Miss(m, NoteOf(values, m.Row))).ToList(), skipped.Count, skipped.Take(limit).ToList(),
            policy.MissHighProbability, policy.MissLowProbability);
    }

    /// <summary>The figures per group, groups in ordinal order (none: no group).</summary>
    public static IReadOnlyList<BacktestFigures> Groups(IReadOnlyList<BacktestRow> rows, AccuracyGrouping groupBy, ScoringPolicy policy) =>
        groupBy == AccuracyGrouping.None
            ? []
            : rows.GroupBy(r => GroupOf(r, groupBy), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => Backtest.Figures(g.Key, g.ToList(), policy)).ToList();

    private static string GroupOf(BacktestRow r, AccuracyGrouping g) => g switch
    {
        AccuracyGrouping.Segment => r.Forecast.Profile.Segment,
        AccuracyGrouping.Csm => r.Forecast.Profile.Csm,
        _ => r.Forecast.Profile.Tier,
    };

    /// <summary>
    /// The note recorded with a listed miss's outcome: the portfolio stream carries no free text, so it is read from the
    /// account's renewals (one keyed read per listed miss, at most limit of them).
    /// </summary>
    private static string NoteOf(ValueService values, BacktestRow r)
    {
        if (r.Decision.DecidedBy != RenewalDecider.Recorded) return r.Decision.Note;
        var (h, _) = values.Store.History(r.AccountId);
        return h?.Renewals.FirstOrDefault(x => x.RenewalDate == r.RenewalDate)?.Note ?? "";
    }

    private static MissDto Miss(BacktestMiss m, string note)
    {
        var r = m.Row;
        var p = r.Forecast.Profile;
        return new MissDto(r.AccountId, p.Name, p.Segment, p.Csm, p.Tier, r.RenewalDate, r.ForecastDate, r.ArrDue, r.Probability,
            r.Overridden ? r.InForce.Probability : null, r.Decision.Outcome, r.Realised, r.Decision.Reason, note, r.Decision.DecidedBy, m.Kind, m.KnownFacts);
    }

    public static string Render(ForecastAccuracyResult f)
    {
        var o = f.Overall;
        var lines = new List<string>
        {
            $"Forecast accuracy as of {Date(f.AsOf)}: renewals dated {Date(f.PeriodStart)} to {Date(f.PeriodEnd)} (end excluded), each forecast {f.HorizonDays} days before its date.",
            Figures(o),
        };
        lines.AddRange(f.Groups.Select(g => $"- {(g.Group.Length == 0 ? "(empty)" : g.Group)}: " + Figures(g)));
        if (o.Overrides.Count > 0)
            lines.Add($"Probability overrides: {o.Overrides.Count} renewal(s) ({o.Overrides.Renewed} renewed); Brier {F4(o.Overrides.BrierOverride)} with the override against {F4(o.Overrides.BrierComputed)} computed; " +
                $"the override was closer {o.Overrides.OverrideCloser} time(s), the computed one {o.Overrides.ComputedCloser}, tied {o.Overrides.Tied}.");
        else
            lines.Add("Probability overrides: none in force on the forecast dates.");
        lines.Add($"Misses (forecast >= {Frac(f.MissHigh)} that churned or contracted, or <= {Frac(f.MissLow)} that renewed in full): {f.MissCount}.");
        lines.AddRange(f.Misses.Select(m =>
            $"- {m.Name} [{m.AccountId}] renewal {Date(m.RenewalDate)}, ARR due {Money(m.ArrDue)}: {m.Kind}; renewed ARR {Money(m.RealisedRenewedArr)}" +
            (m.Reason is RenewalReason why ? $", cause {N(why)}" : ", no cause recorded") + (m.Note.Length > 0 ? $" ({m.Note})" : "") + $". Known on {Date(m.ForecastDate)}: {string.Join("; ", m.KnownFacts)}"));
        if (f.SkippedCount > 0) lines.Add($"Not backtested: {f.SkippedCount} renewal(s) (" + string.Join("; ", f.Skipped.Take(5).Select(s => $"{s.AccountId} {Date(s.RenewalDate)}: {s.Reason}")) + (f.SkippedCount > 5 ? "; ..." : "") + ").");
        return string.Join("\n", lines);
    }

    public static string F4(decimal? v) => v is decimal d ? Math.Round(d, 4).ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture) : "n/a";

    public static string Figures(BacktestFigures g) => g.Count == 0
        ? "no renewal backtested."
        : $"{g.Count} renewals ({g.Renewed} renewed, rate {Frac(g.ObservedRate)}; mean forecast {Frac(g.MeanForecast)}): Brier {F4(g.Brier)} " +
          $"(reliability {F4(g.Reliability)}, resolution {F4(g.Resolution)}, uncertainty {F4(g.Uncertainty)}); renewed ARR {Money(g.Realised)} against base {Money(g.Base)} " +
          $"(range {Money(g.Downside)} to {Money(g.Upside)}, ARR due {Money(g.ArrDue)}); inside the range {g.InsideRange} of {g.Count} ({Ratio(g.Coverage)}); " +
          $"bias {Money(g.Bias)}; weighted absolute error {Ratio(g.WeightedAbsoluteError)}.";
}

public sealed record MissDto(
    string AccountId,
    string Name,
    string Segment,
    string Csm,
    string Tier,
    DateOnly RenewalDate,
    [property: Description("renewal_date - horizon_days: the facts known on this day made the forecast")] DateOnly ForecastDate,
    [property: Description("ARR on the forecast date")] decimal ArrDue,
    [property: Description("the computed probability")] decimal Probability,
    [property: Description("the probability override in force on the forecast date, if any")] decimal? OverrideProbability,
    RenewalOutcome Outcome,
    [property: Description("renewed ARR realised (0 for churned; capped at the ARR due)")] decimal RealisedRenewedArr,
    [property: Description("the cause recorded with the outcome")] RenewalReason? Reason,
    [property: Description("the note recorded with the outcome (for one decided by a renewed milestone or a churn movement: which of the two)")] string Note,
    RenewalDecider DecidedBy,
    string Kind,
    [property: Description("the verdicts and facts known on the forecast date, with their reasons")] IReadOnlyList<string> KnownFacts);

public sealed record ForecastAccuracyResult(
    DateOnly AsOf,
    DateOnly PeriodStart,
    [property: Description("excluded: renewals dated in [period_start, period_end)")] DateOnly PeriodEnd,
    int HorizonDays,
    AccuracyGrouping GroupBy,
    [property: Description("every backtested renewal; brier = reliability - resolution + uncertainty + within_bin")] BacktestFigures Overall,
    [property: Description("the same figures per group (empty for group_by none)")] IReadOnlyList<BacktestFigures> Groups,
    int MissCount,
    [property: Description("largest ARR due first; at most limit of them")] IReadOnlyList<MissDto> Misses,
    int SkippedCount,
    [property: Description("renewals of the period not backtested, with why (at most limit)")] IReadOnlyList<BacktestSkip> Skipped,
    [property: Description("miss_high_probability in force")] decimal MissHigh,
    [property: Description("miss_low_probability in force")] decimal MissLow);
