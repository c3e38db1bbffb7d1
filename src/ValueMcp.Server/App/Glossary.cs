using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text;
using ValueMcp.Scoring;
using ValueMcp.Server.Tools;

namespace ValueMcp.Server.App;

/// <summary>
/// The glossary (value://glossary): the definitions of domain.md and every threshold of the policy in force, generated
/// by reflection over <see cref="ScoringPolicy"/> so that it cannot drift from the rules.
/// </summary>
public static class Glossary
{
    /// <summary>
    /// The policy's thresholds: its public instance properties, each with its [Description], in declaration order (the
    /// order reflection gives them in, under the JIT and Native AOT alike; a Native AOT build has no metadata tokens to sort
    /// by). ResourceTests checks that the glossary a server serves is the one made here.
    /// </summary>
    public static IReadOnlyList<(string Name, string Value, string Description)> Thresholds(ScoringPolicy policy) =>
        typeof(ScoringPolicy).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .Select(p => (Wire.ToSnake(p.Name), Format(p.GetValue(policy)),
                p.GetCustomAttribute<DescriptionAttribute>()?.Description ?? "(no description)"))
            .ToList();

    private static string Format(object? value) => value switch
    {
        decimal d => d.ToString("0.00##", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        null => "",
        _ => value.ToString() ?? "",
    };

    private static readonly string[] Definitions =
    [
        "**ARR at a date**: the sum of an account's ARR movements dated on or before it (new and expansion add, contraction subtracts, churn brings it to 0; one day's movements apply in the order new, expansion, contraction, churn). An account is **active** when its ARR is above 0; the portfolio is the active accounts.",
        "**as_of**: every figure is computed from the facts dated on or before as_of (default today).",
        "**Fulfilment** = evidenced outcomes / promised outcomes. An outcome is evidenced when evidence captured on or before as_of achieves it (achieved true, or, when achieved is empty, an observed value meeting the target in its direction); once evidenced it stays so.",
        "**Band**: on_track (fulfilment >= on_track_fulfilment), at_risk (>= at_risk_fulfilment), critical (below), no_contract (no promised outcome).",
        "**Evidence confidence**: high (usage, import), medium (survey, communication), low (meeting, manual).",
        "**Renewal flag**: red when days to renewal <= renewal_red_days (a passed date is red), amber when <= renewal_amber_days, else none.",
        "**Engagement**: the sum of polarities of usage and success signals in the recent window: growing (> 0), steady (0), declining (< 0). **Risk signals**: polarity -1 signals of category risk or usage in the recent window.",
        "**Expansion readiness** (first match): blocked (band critical or a risk signal); ready (fulfilment >= ready_fulfilment, engagement not declining, utilisation >= ready_utilisation or, unknown, a positive usage/data/capacity signal); emerging (fulfilment >= emerging_fulfilment and utilisation >= emerging_utilisation or engagement growing); not_ready.",
        "**Renewal risk** (renewals within renewal_risk_horizon_days; beyond: none): high (red and band not on_track; amber and critical; a risk signal and band not on_track); medium (amber and at_risk; red, on_track and a risk signal; any overdue outcome); low otherwise.",
        "**TTFV breach**: no first value (first evidenced outcome or first_value milestone) more than ttfv_breach_days after contract start.",
        "**Next action** (first match): escalate_renewal_risk, establish_value_contract, capture_missing_evidence, schedule_impact_review, initiate_expansion_conversation, request_advocacy, monitor.",
        "**KPIs**: arr_managed (ARR of active accounts), on_track_pct (accounts on_track / accounts), expansion_ready (count and ARR of ready accounts), arr_at_risk (ARR in bands at_risk and critical).",
        "**Retention over [start, end)**: over the accounts active before start (new logos excluded): S = their ARR before start; E, C = their expansion and contraction in the period; X = the ARR their churn removed. NRR = (S + E - C - X) / S; GRR = (S - C - X) / S, never above 1; logo retention = those still active before end / those accounts.",
        "**Renewal forecast**: for the active accounts renewing in a period, each account's renewal probability comes from the probability table below; base = ARR x probability; the downside and upside follow the scenario rules below, so downside <= base <= upside and each total is the sum of the accounts' parts.",
        "**Segment insights**: per segment and per CSM, the share of accounts with a value contract below insight_low_fulfilment; where expansion-ready accounts cluster (segment, suggested lane); ARR at high or medium renewal risk per fulfilment band; TTFV breaches per segment.",
        "**Forward model**: year 1 starts with customers x acv; each year end renewal_rate of customers renew, churn takes the same share of ARR, each lane adds renewing customers x attach_rate x avg_value; NRR per year = ending / starting ARR; cumulative revenue = sum of starting ARRs; LTV = cumulative revenue / first-year customers. Funnel: onboarding x first value x adoption x renewal (0.90 x 0.85 x 0.78 x 0.85 = 0.5072).",
    ];

    public static string Markdown(ScoringPolicy policy)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# ValueMcp glossary");
        sb.AppendLine();
        sb.AppendLine("Definitions of every figure the server reports, and the thresholds in force (generated from the scoring policy). Fractions are numbers (0.5 = 50%); money is in the portfolio currency.");
        sb.AppendLine();
        sb.AppendLine("## Definitions");
        sb.AppendLine();
        foreach (var d in Definitions) sb.AppendLine("- " + d);
        sb.AppendLine();
        sb.AppendLine("## Thresholds in force");
        sb.AppendLine();
        sb.AppendLine("| name | value | meaning |");
        sb.AppendLine("|---|---|---|");
        foreach (var (name, value, description) in Thresholds(policy))
            sb.AppendLine($"| {name} | {value} | {description.Replace("|", "\\|", StringComparison.Ordinal)} |");
        sb.AppendLine();
        sb.AppendLine("## Renewal forecast: probability table");
        sb.AppendLine();
        sb.AppendLine(Forecast.ProbabilityRule + ".");
        sb.AppendLine();
        var table = RenewalForecastTool.ProbabilityTable(policy);
        sb.AppendLine("| cell | value |");
        sb.AppendLine("|---|---|");
        foreach (var (k, v) in table.BaseByRisk) sb.AppendLine($"| base, renewal risk {k} | {Format(v)} |");
        foreach (var (k, v) in table.BandAdjustment) sb.AppendLine($"| adjustment, band {k} | {Signed(v)} |");
        foreach (var (k, v) in table.EngagementAdjustment) sb.AppendLine($"| adjustment, engagement {k} | {Signed(v)} |");
        sb.AppendLine($"| adjustment, risk signal in the recent window | {Signed(table.RiskSignalAdjustment)} |");
        sb.AppendLine($"| floor | {Format(table.Floor)} |");
        sb.AppendLine($"| ceiling | {Format(table.Ceiling)} |");
        sb.AppendLine();
        sb.AppendLine("Scenario rules:");
        sb.AppendLine();
        foreach (var rule in Forecast.ScenarioRules) sb.AppendLine("- " + rule);
        sb.AppendLine();
        sb.AppendLine("## Benchmarks (context, never verdicts)");
        sb.AppendLine();
        foreach (var b in RetentionMetricsTool.Benchmarks) sb.AppendLine("- " + b);
        return sb.ToString();
    }

    private static string Signed(decimal v) => (v >= 0m ? "+" : "") + Format(v);
}
