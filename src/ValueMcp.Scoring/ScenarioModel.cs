namespace ValueMcp.Scoring;

/// <summary>Stage conversion rates of the post-sale funnel (domain.md, "Forward model").</summary>
public sealed record StageRates(decimal Onboarding, decimal FirstValue, decimal Adoption, decimal Renewal)
{
    /// <summary>The seed's rates: 0.90 x 0.85 x 0.78 x 0.85 = 0.5072 (0.507195 exactly).</summary>
    public static StageRates Default { get; } = new(0.90m, 0.85m, 0.78m, 0.85m);

    /// <summary>The share of customers that get through every stage: the product of the four rates.</summary>
    public decimal Product => Onboarding * FirstValue * Adoption * Renewal;
}

/// <summary>An expansion lane of the model: renewing customers x attach rate x average value is added each year.</summary>
public sealed record LaneAssumption(string Lane, decimal AttachRate, decimal AvgValue);

public sealed record ScenarioInput(
    decimal Customers,
    decimal Acv,
    decimal RenewalRate,
    IReadOnlyList<LaneAssumption> Lanes,
    int Years,
    StageRates Stages);

public sealed record ScenarioYear(
    int Year,
    decimal CustomersStart,
    decimal CustomersRenewing,
    decimal ArrStart,
    decimal Churn,
    decimal Expansion,
    IReadOnlyDictionary<string, decimal> ExpansionByLane,
    decimal ArrEnd)
{
    /// <summary>Ending / starting ARR; null when the year starts at 0.</summary>
    public decimal? Nrr => ArrStart == 0m ? null : ArrEnd / ArrStart;
}

public sealed record ScenarioResult(
    ScenarioInput Input,
    decimal FunnelProduct,
    IReadOnlyList<ScenarioYear> Years,
    decimal CumulativeRevenue,
    decimal? LtvPerCustomer,
    decimal SensitivitySpread,
    decimal SensitivityValue);

/// <summary>
/// The cohort model of domain.md. Contract year 1 starts with customers x acv; at each year end renewal_rate of the
/// customers renew, churn takes the same share of ARR, and each lane adds renewing customers x attach rate x average
/// value; the next year starts with the renewing customers and the ARR left plus the expansion. Customers stay
/// decimal (85 x 0.85 = 72.25): nothing is rounded.
/// </summary>
public static class ScenarioModel
{
    public const int MaxYears = 10;

    /// <summary>The NRR spread whose yearly worth is reported: ten points, as in the seed.</summary>
    public const decimal SensitivitySpread = 0.10m;

    public static ScenarioResult Project(ScenarioInput input)
    {
        if (input.Years < 1 || input.Years > MaxYears) throw new ArgumentOutOfRangeException(nameof(input), $"years must be 1 to {MaxYears}");
        var years = new List<ScenarioYear>(input.Years);
        var customers = input.Customers;
        var arr = input.Customers * input.Acv;
        var cumulative = 0m;
        for (var year = 1; year <= input.Years; year++)
        {
            var renewing = customers * input.RenewalRate;
            var churn = arr * (1m - input.RenewalRate);
            var byLane = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var lane in input.Lanes)
                byLane[lane.Lane] = byLane.GetValueOrDefault(lane.Lane) + renewing * lane.AttachRate * lane.AvgValue;
            var expansion = byLane.Values.Sum();
            var end = arr - churn + expansion;
            years.Add(new ScenarioYear(year, customers, renewing, arr, churn, expansion, byLane, end));
            cumulative += arr;
            customers = renewing;
            arr = end;
        }
        decimal? ltv = input.Customers == 0m ? null : cumulative / input.Customers;
        var firstArr = years[0].ArrStart;
        return new ScenarioResult(input, input.Stages.Product, years, cumulative, ltv, SensitivitySpread, firstArr * SensitivitySpread);
    }
}

/// <summary>The stage counts measured on the stored portfolio (accounts old enough to have gone through the stages).</summary>
public sealed record StageCounts(int Mature, int Live, int LiveAndFirstValue, int LiveFirstValueAndAdopted)
{
    public static StageCounts Zero { get; } = new(0, 0, 0, 0);
}

/// <summary>An assumption of the model with where it came from.</summary>
public sealed record Assumption(string Name, decimal Value, string Source, string How);

/// <summary>Rates measured on the stored portfolio, with how each was measured.</summary>
public sealed record MeasuredRates(
    decimal Customers,
    decimal Acv,
    decimal? RenewalRate,
    IReadOnlyList<LaneAssumption> Lanes,
    StageRates Stages,
    IReadOnlyList<Assumption> Notes);

public static class PortfolioRates
{
    /// <summary>
    /// Counts the stages on accounts whose contract started at least policy.StageMeasurementMinAgeDays before asOf:
    /// onboarding = reached live (or a later milestone); first value = of those, reached first value (an evidenced
    /// outcome or the first_value milestone); adoption = of those, reached the adopted milestone.
    /// </summary>
    public static StageCounts CountStages(IEnumerable<(AccountScore Account, bool Adopted)> accounts, DateOnly asOf, ScoringPolicy policy)
    {
        var cutoff = asOf.AddDays(-policy.StageMeasurementMinAgeDays);
        int mature = 0, live = 0, firstValue = 0, adopted = 0;
        foreach (var (a, isAdopted) in accounts)
        {
            if (a.Profile.ContractStart > cutoff) continue;
            mature++;
            if (!a.Facts.LiveOrLaterMilestone) continue;
            live++;
            if (a.FirstValueAt is null) continue;
            firstValue++;
            if (isAdopted) adopted++;
        }
        return new StageCounts(mature, live, firstValue, adopted);
    }

    /// <summary>
    /// The model's assumptions measured on the portfolio: customers = active accounts at asOf; acv = their average ARR;
    /// renewal rate = logo retention over the measured-rates window; per lane, attach rate = accounts of that window's
    /// cohort with an expansion in the lane / accounts retained, and average value = the lane's expansion / those
    /// accounts; stage rates from the stage counts, the default where a rate is not measurable (no account to measure).
    /// </summary>
    public static MeasuredRates Measure(int activeAccounts, decimal activeArr, RetentionRow window, StageCounts stages, DateOnly asOf, ScoringPolicy policy)
    {
        var notes = new List<Assumption>();
        var from = AccountScoring.D(policy.MeasuredRatesWindowStart(asOf));
        var to = AccountScoring.D(asOf);
        var acv = activeAccounts == 0 ? 0m : activeArr / activeAccounts;
        notes.Add(new Assumption("customers", activeAccounts, "measured", $"accounts active at {to} (ARR above 0)"));
        notes.Add(new Assumption("acv", acv, "measured", $"average ARR of those accounts ({activeArr:0.##} / {activeAccounts})"));

        decimal? renewal = window.LogoRetention;
        if (renewal is decimal r)
            notes.Add(new Assumption("renewal_rate", r, "measured",
                $"logo retention from {from} to {to}: {window.LogosRetained} of {window.LogosStart} accounts active before {from} still active on {to}"));

        var lanes = new List<LaneAssumption>();
        foreach (var (lane, count) in window.ExpandingLogosByLane.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (count == 0) continue;
            var attach = window.LogosRetained == 0 ? 0m : (decimal)count / window.LogosRetained;
            var avg = window.ExpansionByLane.GetValueOrDefault(lane) / count;
            var name = lane.Length == 0 ? "(no lane)" : lane;
            lanes.Add(new LaneAssumption(name, attach, avg));
            notes.Add(new Assumption($"lanes.{name}.attach_rate", attach, "measured",
                $"{count} of the {window.LogosRetained} retained accounts expanded in {name} from {from} to {to}"));
            notes.Add(new Assumption($"lanes.{name}.avg_value", avg, "measured",
                $"{name} expansion {window.ExpansionByLane.GetValueOrDefault(lane):0.##} / {count} accounts"));
        }

        var d = StageRates.Default;
        var minAge = policy.StageMeasurementMinAgeDays;
        decimal Rate(string name, int numerator, int denominator, decimal fallback, string what)
        {
            if (denominator == 0)
            {
                notes.Add(new Assumption($"stage_rates.{name}", fallback, "default", $"not measurable ({what}: no account to measure); the seed's default"));
                return fallback;
            }
            var rate = (decimal)numerator / denominator;
            notes.Add(new Assumption($"stage_rates.{name}", rate, "measured", $"{what}: {numerator} of {denominator} accounts whose contract started at least {minAge} days before {to}"));
            return rate;
        }
        var stageRates = new StageRates(
            Rate("onboarding", stages.Live, stages.Mature, d.Onboarding, "reached live (or a later milestone)"),
            Rate("first_value", stages.LiveAndFirstValue, stages.Live, d.FirstValue, "of those live, reached first value"),
            Rate("adoption", stages.LiveFirstValueAndAdopted, stages.LiveAndFirstValue, d.Adoption, "of those with first value, reached the adopted milestone"),
            renewal ?? d.Renewal);
        if (renewal is null)
            notes.Add(new Assumption("stage_rates.renewal", d.Renewal, "default", $"not measurable (no account active before {from}); the seed's default"));
        else
            notes.Add(new Assumption("stage_rates.renewal", renewal.Value, "measured", "the measured renewal rate"));
        return new MeasuredRates(activeAccounts, acv, renewal, lanes, stageRates, notes);
    }
}
