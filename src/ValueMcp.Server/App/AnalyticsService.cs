using ValueMcp.Scoring;
using ValueMcp.Store;

namespace ValueMcp.Server.App;

/// <summary>
/// Retention, renewal forecast, the forward model and segment insights: load facts (store), decide (scoring), shape.
/// </summary>
public sealed class AnalyticsService(ValueService values)
{
    private ScoringPolicy Policy => values.Policy;

    public static IReadOnlyList<string> Benchmarks { get; } =
    [
        "enterprise NRR above 1.20 is best in class",
        "mid-market NRR 1.10-1.20 is strong",
        "SMB NRR 1.00-1.10 is healthy",
        "median B2B SaaS NRR is 1.01 (2026)",
    ];

    public static IReadOnlyDictionary<string, string> RetentionDefinitions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["period"] = "[period_start, period_end): movements dated on period_start count, movements dated on period_end do not",
        ["cohort"] = "accounts active just before period_start (ARR from movements dated before it above 0); new logos of the period are excluded",
        ["nrr"] = "(S + E - C - X) / S: starting ARR plus expansion minus contraction minus churned ARR, over starting ARR",
        ["grr"] = "(S - C - X) / S, never above 1",
        ["logo_retention"] = "cohort accounts still active from movements dated before period_end / cohort accounts",
    };

    /// <summary>Retention over [start, end), counting movements dated on or before asOf only.</summary>
    public RetentionResult Retention(DateOnly start, DateOnly end, RetentionGrouping groupBy, DateOnly asOf)
    {
        if (start >= end)
            throw new InputException($"period_end: {FactReader.Iso(end)} must be after period_start {FactReader.Iso(start)} (the period is [period_start, period_end), end excluded)");
        if (asOf < start)
            throw new InputException($"as_of: {FactReader.Iso(asOf)} is before period_start {FactReader.Iso(start)}: the period has not started at as_of; pass a later as_of or an earlier period");
        var measuredEnd = end <= asOf ? end : asOf.AddDays(1);
        RetentionReport report;
        using (var ledgers = values.Reader.Ledgers(measuredEnd.AddDays(-1)))
            report = Scoring.Retention.Measure(ledgers, new RetentionPeriod(start, measuredEnd), groupBy);
        return new RetentionResult(start, end, asOf, measuredEnd.AddDays(-1), measuredEnd == end, groupBy,
            Row(report.Total), report.Rows.Select(Row).ToList(), RetentionDefinitions, Benchmarks);
    }

    public static RetentionRowDto Row(RetentionRow r) => new(r.Group, r.StartingArr, r.Expansion, r.ExpansionByLane, r.ExpandingLogosByLane,
        r.Contraction, r.Churn, r.EndingArr, r.Nrr, r.Grr, r.LogosStart, r.LogosRetained, r.LogoRetention, r.NewLogos, r.NewLogoArr);

    /// <summary>Renewals dated in [start, end) among the accounts active at asOf that match the filter.</summary>
    public RenewalForecastResult RenewalForecast(DateOnly start, DateOnly end, PortfolioFilter filter, DateOnly asOf, int limit)
    {
        if (start >= end)
            throw new InputException($"period_end: {FactReader.Iso(end)} must be after period_start {FactReader.Iso(start)} (renewals dated in [period_start, period_end) are forecast)");
        var renewing = values.Portfolio(asOf, filter).Where(a => a.Profile.RenewalDate >= start && a.Profile.RenewalDate < end).Select(values.Explain);
        var forecast = Forecast.Of(renewing, Policy);
        var byRole = Enum.GetValues<ScenarioRole>().ToDictionary(Wire.Name, r =>
        {
            var inRole = forecast.Accounts.Where(f => f.Odds.Role == r).ToList();
            return new CountArr(inRole.Count, inRole.Sum(f => f.Arr));
        });
        return new RenewalForecastResult(asOf, start, end, Shape.Filters(filter), forecast.Accounts.Count,
            forecast.ArrDue, forecast.Downside, forecast.Base, forecast.Upside, byRole,
            forecast.Accounts.Take(limit).Select(ForecastAccount).ToList(), ProbabilityTable(Policy));
    }

    private static ForecastAccountDto ForecastAccount(ForecastAccount f)
    {
        var a = f.Account;
        return new ForecastAccountDto(a.Id, a.Profile.Name, a.Profile.Segment, a.Profile.Csm, f.Arr, a.Profile.RenewalDate, a.DaysToRenewal,
            a.Band.Value, a.Risk.Value, a.Engagement, f.Odds.Probability, f.Odds.DownsideProbability, f.Odds.UpsideProbability, f.Odds.Role,
            f.Downside, f.Base, f.Upside, f.Odds.ScenarioNote, f.Odds.Reason);
    }

    public static ProbabilityTableDto ProbabilityTable(ScoringPolicy p) => new(
        new[] { RenewalRisk.High, RenewalRisk.Medium, RenewalRisk.Low, RenewalRisk.None }
            .ToDictionary(Wire.Name, r => Forecast.BaseProbability(r, p)),
        new[] { Band.OnTrack, Band.AtRisk, Band.Critical, Band.NoContract }.ToDictionary(Wire.Name, b => Forecast.BandAdjustment(b, p)),
        Enum.GetValues<Engagement>().ToDictionary(Wire.Name, e => Forecast.EngagementAdjustment(e, p)),
        p.ProbabilityAdjustmentRiskSignals, p.RenewalProbabilityFloor, p.RenewalProbabilityCeiling,
        Forecast.ProbabilityRule, Forecast.ScenarioRules);

    /// <summary>Arguments of model_expansion_scenario, as given (null = not given).</summary>
    public sealed record ScenarioArgs(
        decimal? Customers, decimal? Acv, decimal? RenewalRate, IReadOnlyList<LaneAssumption>? Lanes, int? Years, StageRates? Stages,
        bool FromPortfolio, DateOnly AsOf);

    public ScenarioResultDto Scenario(ScenarioArgs args)
    {
        var sources = new List<AssumptionDto>();
        var years = args.Years ?? 3;
        MeasuredRates? measured = args.FromPortfolio ? Measure(args.AsOf) : null;
        IReadOnlyList<Assumption> measuredNotes = measured?.Notes ?? [];

        decimal Pick(string name, decimal? given, decimal? fromPortfolio, decimal? fallback, string required)
        {
            if (given is decimal g)
            {
                sources.Add(new AssumptionDto(name, g, "given", "the argument " + name));
                return g;
            }
            if (fromPortfolio is decimal m)
            {
                var note = measuredNotes.FirstOrDefault(n => n.Name == name);
                sources.Add(new AssumptionDto(name, m, note?.Source ?? "measured", note?.How ?? "measured on the portfolio"));
                return m;
            }
            if (fallback is decimal f)
            {
                sources.Add(new AssumptionDto(name, f, "default", required));
                return f;
            }
            throw new InputException(required);
        }

        var customers = Pick("customers", args.Customers, measured?.Customers, null,
            "customers is required (or pass from_portfolio: true to measure it on the stored portfolio)");
        var acv = Pick("acv", args.Acv, measured?.Acv, null,
            "acv is required (or pass from_portfolio: true to measure it on the stored portfolio)");
        if (measured is not null && customers == 0m && args.Customers is null)
            throw new InputException("from_portfolio: no account is active at as_of, so there is nothing to measure; pass customers and acv, or a later as_of");

        StageRates stages;
        if (args.Stages is { } given)
        {
            stages = given;
            foreach (var (n, v) in StageList(given)) sources.Add(new AssumptionDto($"stage_rates.{n}", v, "given", "the argument stage_rates"));
        }
        else if (measured is not null)
        {
            stages = measured.Stages;
            foreach (var (n, v) in StageList(stages))
            {
                var note = measuredNotes.FirstOrDefault(x => x.Name == $"stage_rates.{n}");
                sources.Add(new AssumptionDto($"stage_rates.{n}", v, note?.Source ?? "measured", note?.How ?? ""));
            }
        }
        else
        {
            stages = StageRates.Default;
            foreach (var (n, v) in StageList(stages)) sources.Add(new AssumptionDto($"stage_rates.{n}", v, "default", "the seed's stage rate"));
        }

        var renewal = Pick("renewal_rate", args.RenewalRate, measured?.RenewalRate, stages.Renewal,
            "renewal_rate not given: the renewal stage rate");

        IReadOnlyList<LaneAssumption> lanes;
        if (args.Lanes is { } givenLanes)
        {
            lanes = givenLanes;
            foreach (var l in lanes)
            {
                sources.Add(new AssumptionDto($"lanes.{l.Lane}.attach_rate", l.AttachRate, "given", "the argument lanes"));
                sources.Add(new AssumptionDto($"lanes.{l.Lane}.avg_value", l.AvgValue, "given", "the argument lanes"));
            }
        }
        else if (measured is not null)
        {
            lanes = measured.Lanes;
            sources.AddRange(measuredNotes.Where(n => n.Name.StartsWith("lanes.", StringComparison.Ordinal))
                .Select(n => new AssumptionDto(n.Name, n.Value, n.Source, n.How)));
        }
        else lanes = [];

        var result = ScenarioModel.Project(new ScenarioInput(customers, acv, renewal, lanes, years, stages));
        var y1 = result.Years[0];
        var sensitivity = new SensitivityDto(result.SensitivitySpread, y1.ArrStart, result.SensitivityValue,
            $"A {(result.SensitivitySpread * 100m).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}-point NRR spread (e.g. 95% vs 105%) on year 1's starting ARR {Text.Money(Math.Round(y1.ArrStart, 2))} is worth {Text.Money(Math.Round(result.SensitivityValue, 2))} a year.");
        var assumptions = new ScenarioAssumptionsDto(customers, acv, renewal,
            new StageRatesDto(stages.Onboarding, stages.FirstValue, stages.Adoption, stages.Renewal),
            lanes.Select(l => new LaneDto(l.Lane, l.AttachRate, l.AvgValue)).ToList(), years, args.FromPortfolio,
            args.FromPortfolio ? args.AsOf : null, sources);
        return new ScenarioResultDto(Math.Round(result.FunnelProduct, 4, MidpointRounding.AwayFromZero), result.FunnelProduct,
            customers * result.FunnelProduct,
            result.Years.Select(y => new ScenarioYearDto(y.Year, y.CustomersStart, y.CustomersRenewing, y.ArrStart, y.Churn, y.Expansion,
                y.ExpansionByLane, y.ArrEnd, y.Nrr)).ToList(),
            result.CumulativeRevenue, result.LtvPerCustomer, sensitivity, assumptions);
    }

    private static IEnumerable<(string Name, decimal Value)> StageList(StageRates s) =>
        [("onboarding", s.Onboarding), ("first_value", s.FirstValue), ("adoption", s.Adoption), ("renewal", s.Renewal)];

    /// <summary>The model's rates measured on the stored portfolio as of asOf (see PortfolioRates.Measure).</summary>
    public MeasuredRates Measure(DateOnly asOf)
    {
        var scored = values.Scored(asOf);
        var active = scored.Select(PortfolioFilter.None);
        var windowStart = Policy.MeasuredRatesWindowStart(asOf);
        var windowEnd = asOf.AddDays(1);
        RetentionRow window;
        using (var ledgers = values.Reader.Ledgers(asOf))
            window = Scoring.Retention.Measure(ledgers, new RetentionPeriod(windowStart, windowEnd), RetentionGrouping.None).Total;
        var stages = PortfolioRates.CountStages(scored.All.Select(a => (a, a.Facts.AdoptedAt is not null)), asOf, Policy);
        return PortfolioRates.Measure(active.Count, active.Sum(a => a.Arr), window, stages, asOf, Policy);
    }

    public SegmentInsightsResult Insights(DateOnly asOf, PortfolioFilter filter)
    {
        var accounts = values.Portfolio(asOf, filter);
        var insights = Scoring.Insights.Of(accounts.ToList(), Policy);
        return new SegmentInsightsResult(asOf, Shape.Filters(filter), accounts.Count, accounts.Sum(a => a.Arr),
            insights.Select(i => new InsightDto(i.Kind, i.Group, i.Statement, i.Numbers)).ToList());
    }
}
