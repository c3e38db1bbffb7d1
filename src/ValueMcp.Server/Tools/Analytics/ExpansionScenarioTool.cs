using System.ComponentModel;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Store;
using System.Globalization;
using static ValueMcp.Server.App.Text;

namespace ValueMcp.Server.Tools;

/// <summary>model_expansion_scenario: the forward model of a customer cohort, from given or measured assumptions.</summary>
[McpServerToolType]
public sealed class ExpansionScenarioTool(ValueService service, ILogger<ExpansionScenarioTool> logger)
{
    private const decimal MaxAmount = 1_000_000_000_000m;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    [McpServerTool(Name = "model_expansion_scenario", Title = "Forward model: funnel, ARR, NRR and LTV by year", ReadOnly = true, OpenWorld = false,
        Idempotent = true, Destructive = false, UseStructuredContent = true, OutputSchemaType = typeof(ScenarioResultDto))]
    [Description("Projects a customer cohort year by year: year 1 starts with customers x acv; each year end renewal_rate of the customers renew (churn takes the same share of ARR) and each lane adds renewing customers x attach_rate x avg_value; reports ARR, churn, expansion and NRR per year, cumulative revenue and LTV per customer, the stage funnel product (onboarding x first value x adoption x renewal) and what a 10-point NRR spread is worth. With from_portfolio: true the assumptions are measured on the stored portfolio as of as_of (active accounts, average ARR, 12-month logo retention, per-lane attach rates, stage rates from milestones); any argument you also give overrides its measured value. Every assumption is returned with its source.")]
    public CallToolResult ModelExpansionScenario(
        [Description("Customers in the cohort (more than 0), e.g. 100. Required unless from_portfolio is true.")] decimal? customers = null,
        [Description("Average contract value per customer per year (ACV), in the portfolio currency, e.g. 65000. Required unless from_portfolio is true.")] decimal? acv = null,
        [Description("Share of customers renewing each year, 0 to 1, e.g. 0.85. Default: the renewal stage rate (0.85), or the measured rate with from_portfolio.")] decimal? renewal_rate = null,
        [Description("Expansion lanes, each {lane, attach_rate (0-1), avg_value}, e.g. [{\"lane\": \"modules\", \"attach_rate\": 0.35, \"avg_value\": 42000}]. Default: none, or the measured lanes with from_portfolio.")] LaneInput[]? lanes = null,
        [Description("Years to project, 1-10. Default 3.")] int? years = null,
        [Description("Stage rates {onboarding, first_value, adoption, renewal}, each 0 to 1; a missing one takes its default (0.90, 0.85, 0.78, 0.85).")] StageRatesInput? stage_rates = null,
        [Description("true to measure customers, acv, renewal rate, lanes and stage rates on the stored portfolio as of as_of instead of typing them. Default false.")] bool? from_portfolio = null,
        [Description(ParameterDocs.AsOfDoc + " Used with from_portfolio.")] string? as_of = null) =>
        ToolResults.Run(logger, "model_expansion_scenario", () =>
        {
            var asOf = service.AsOf(as_of);
            var args = new ScenarioArgs(
                Positive(customers, "customers"),
                Positive(acv, "acv"),
                Rate(renewal_rate, "renewal_rate"),
                lanes is null ? null : Lanes(lanes),
                years is int y ? Inputs.Days(y, "years", 3, 1, ScenarioModel.MaxYears) : null,
                stage_rates is null ? null : Stages(stage_rates),
                from_portfolio ?? false,
                asOf);
            return Answer(service, args);
        }, Render);

    private static decimal? Positive(decimal? value, string name)
    {
        if (value is not decimal v) return null;
        if (v <= 0m || v > MaxAmount) throw new InputException($"{name}: {v} is out of range; accepted: more than 0, up to {MaxAmount:#,##0}");
        return v;
    }

    private static decimal? Rate(decimal? value, string name)
    {
        if (value is not decimal v) return null;
        if (v < 0m || v > 1m) throw new InputException($"{name}: {v} is out of range; accepted: a fraction from 0 to 1 (0.85 = 85%)");
        return v;
    }

    private static List<LaneAssumption> Lanes(LaneInput?[] lanes)
    {
        if (lanes.Length > 20) throw new InputException($"lanes: {lanes.Length} lanes; accepted: at most 20");
        var result = new List<LaneAssumption>(lanes.Length);
        for (var i = 0; i < lanes.Length; i++)
        {
            var where = $"lanes[{i}]";
            var l = lanes[i] ?? throw new InputException($"{where}: expected an object {{lane, attach_rate, avg_value}}");
            var name = Inputs.RequiredText(l.Lane, $"{where}.lane", 40);
            if (result.Any(r => string.Equals(r.Lane, name, StringComparison.OrdinalIgnoreCase)))
                throw new InputException($"{where}.lane: \"{Inputs.Show(name)}\" is given twice; give each lane once");
            var attach = Rate(l.AttachRate, $"{where}.attach_rate") ?? throw new InputException($"{where}.attach_rate is required: a fraction from 0 to 1");
            var avg = l.AvgValue ?? throw new InputException($"{where}.avg_value is required: an amount of 0 or more");
            if (avg < 0m || avg > MaxAmount) throw new InputException($"{where}.avg_value: {avg} is out of range; accepted: 0 to {MaxAmount:#,##0}");
            result.Add(new LaneAssumption(name, attach, avg));
        }
        return result;
    }

    private static StageRates Stages(StageRatesInput s)
    {
        var d = StageRates.Default;
        return new StageRates(
            Rate(s.Onboarding, "stage_rates.onboarding") ?? d.Onboarding,
            Rate(s.FirstValue, "stage_rates.first_value") ?? d.FirstValue,
            Rate(s.Adoption, "stage_rates.adoption") ?? d.Adoption,
            Rate(s.Renewal, "stage_rates.renewal") ?? d.Renewal);
    }

    /// <summary>Arguments of model_expansion_scenario, as given (null = not given).</summary>
    public sealed record ScenarioArgs(
        decimal? Customers, decimal? Acv, decimal? RenewalRate, IReadOnlyList<LaneAssumption>? Lanes, int? Years, StageRates? Stages,
        bool FromPortfolio, DateOnly AsOf);

    public static ScenarioResultDto Answer(ValueService values, ScenarioArgs args)
    {
        var sources = new List<AssumptionDto>();
        var years = args.Years ?? 3;
        MeasuredRates? measured = args.FromPortfolio ? Measure(values, args.AsOf) : null;
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
            lanes, years, args.FromPortfolio,
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
    public static MeasuredRates Measure(ValueService values, DateOnly asOf)
    {
        var scored = values.Scored(asOf);
        var active = scored.Select(PortfolioFilter.None);
        var windowStart = values.Policy.MeasuredRatesWindowStart(asOf);
        var windowEnd = asOf.AddDays(1);
        RetentionRow window;
        using (var ledgers = values.Store.Ledgers(asOf))
            window = Scoring.Retention.Measure(ledgers, new RetentionPeriod(windowStart, windowEnd), RetentionGrouping.None).Total;
        var stages = PortfolioRates.CountStages(scored.All.Select(a => (a, a.Facts.AdoptedAt is not null)), asOf, values.Policy);
        return PortfolioRates.Measure(active.Count, active.Sum(a => a.Arr), window, stages, asOf, values.Policy);
    }

    public static string Render(ScenarioResultDto s)
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

    private static string Num(decimal v) => Math.Round(v, 2).ToString("#,##0.##", Inv);

    private static string Frac4(decimal v) => Math.Round(v, 4).ToString("0.0###", Inv);
}

/// <summary>An expansion lane of the forward model, as an argument.</summary>
public sealed record LaneInput(
    [property: Description("The lane's name, e.g. modules, data_integration, managed_services (any label, up to 40 characters).")] string? Lane,
    [property: Description("Share of the renewing customers that buy in this lane each year, 0 to 1 (0.35 = 35%).")] decimal? AttachRate,
    [property: Description("Average expansion per buying customer, in the portfolio currency (0 or more).")] decimal? AvgValue);

/// <summary>The stage rates of the forward model, as an argument; a rate left out takes its default.</summary>
public sealed record StageRatesInput
{
    [Description("Share of customers completing onboarding, 0 to 1. Default 0.90.")]
    public decimal? Onboarding { get; init; }

    [Description("Share of those reaching first value, 0 to 1. Default 0.85.")]
    public decimal? FirstValue { get; init; }

    [Description("Share of those adopting, 0 to 1. Default 0.78.")]
    public decimal? Adoption { get; init; }

    [Description("Share of those renewing, 0 to 1. Default 0.85.")]
    public decimal? Renewal { get; init; }
}

// Kept apart from Scoring.StageRates: that one also has Product (it would add a field), and the schema describes each rate.
public sealed record StageRatesDto(
    [property: Description("share of customers completing onboarding (going live)")] decimal Onboarding,
    [property: Description("share of those reaching first value")] decimal FirstValue,
    [property: Description("share of those adopting")] decimal Adoption,
    [property: Description("share of those renewing")] decimal Renewal);

// Kept apart from Scoring.ScenarioYear: the schema describes five of its fields.
public sealed record ScenarioYearDto(
    int Year,
    decimal CustomersStart,
    [property: Description("customers_start x renewal_rate (kept unrounded)")] decimal CustomersRenewing,
    decimal ArrStart,
    [property: Description("arr_start x (1 - renewal_rate)")] decimal Churn,
    [property: Description("sum over lanes of customers_renewing x attach_rate x avg_value")] decimal Expansion,
    IReadOnlyDictionary<string, decimal> ExpansionByLane,
    [property: Description("arr_start - churn + expansion")] decimal ArrEnd,
    [property: Description("arr_end / arr_start")] decimal? Nrr);

// Kept apart from Scoring.Assumption: the schema describes source.
public sealed record AssumptionDto(
    string Name,
    decimal Value,
    [property: Description("given (an argument), default (the seed's), or measured (on the stored portfolio)")] string Source,
    string How);

public sealed record ScenarioAssumptionsDto(
    decimal Customers,
    decimal Acv,
    decimal RenewalRate,
    StageRatesDto StageRates,
    IReadOnlyList<LaneAssumption> Lanes,
    int Years,
    bool FromPortfolio,
    [property: Description("the date the rates were measured at (from_portfolio), else null")] DateOnly? MeasuredAsOf,
    [property: Description("every assumption with where it came from and how it was measured")] IReadOnlyList<AssumptionDto> Sources);

public sealed record SensitivityDto(
    [property: Description("the NRR spread considered: 0.10 = ten points")] decimal NrrSpread,
    [property: Description("year 1 starting ARR")] decimal ArrBase,
    [property: Description("nrr_spread x arr_base: what the spread is worth each year")] decimal ValuePerYear,
    string Statement);

public sealed record ScenarioResultDto(
    [property: Description("product of the four stage rates, rounded to 4 decimals (0.90 x 0.85 x 0.78 x 0.85 = 0.5072)")] decimal FunnelProduct,
    [property: Description("the exact product (0.507195)")] decimal FunnelProductExact,
    [property: Description("customers x funnel_product_exact: customers expected to reach a renewal and renew")] decimal CustomersThroughFunnel,
    IReadOnlyList<ScenarioYearDto> Years,
    [property: Description("sum of each year's arr_start")] decimal CumulativeRevenue,
    [property: Description("cumulative_revenue / year 1 customers; null with no customer")] decimal? LtvPerCustomer,
    SensitivityDto Sensitivity,
    ScenarioAssumptionsDto Assumptions);
