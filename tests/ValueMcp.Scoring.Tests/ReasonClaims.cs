using System.Globalization;
using System.Text.RegularExpressions;

namespace ValueMcp.Scoring.Tests;

/// <summary>
/// The fields of one account card that reasons make claims about, as plain values (snake_case names), so that the
/// same checker serves the scoring tests (from an AccountScore) and the server tests (from the card on the wire).
/// Computed* are the values the rules computed; they differ from the value in force only under an override.
/// </summary>
public sealed record CardView(
    decimal? Fulfilment,
    int Evidenced,
    int Promised,
    int Overdue,
    int RiskSignals,
    int DaysToRenewal,
    string Flag,
    string Band,
    string ComputedBand,
    string Engagement,
    decimal? Utilisation,
    string Readiness,
    string ComputedReadiness,
    string Risk,
    string ComputedRisk,
    string? Lane);

/// <summary>
/// Reads the claims a reason makes (counts, days, band, flag, fulfilment, engagement, utilisation, verdicts) and
/// checks each against the card it belongs to. A reason may say less than the card; it may never say otherwise.
/// Written from domain.md's vocabulary, not from the production code's formats: a claim is any of these phrases.
/// </summary>
public static partial class ReasonClaims
{
    /// <summary>Where a reason sits on the card: its leading verdict is checked against that field.</summary>
    public enum Field { Band, Readiness, Risk, Action, Lane, Forecast, ScenarioNote }

    private static readonly string[] BandValues = ["on_track", "at_risk", "critical", "no_contract"];
    private static readonly string[] ReadinessValues = ["ready", "emerging", "not_ready", "blocked"];
    private static readonly string[] RiskValues = ["none", "low", "medium", "high"];

    public static IReadOnlyList<string> Contradictions(CardView card, Field field, string? text)
    {
        var found = new List<string>();
        if (string.IsNullOrEmpty(text)) return found;
        void Check(bool holds, string claim, string fact)
        {
            if (!holds) found.Add($"{field} reason claims \"{claim}\" but the card has {fact}: \"{text}\"");
        }

        foreach (Match m in RiskSignalCount().Matches(text))
            Check(Int(m.Groups[1]) == card.RiskSignals, m.Value, $"{card.RiskSignals} risk signal(s) in the recent window");
        foreach (Match m in NoRiskSignal().Matches(text))
            Check(card.RiskSignals == 0, m.Value, $"{card.RiskSignals} risk signal(s) in the recent window");
        foreach (Match m in OverdueCount().Matches(text))
            Check(Int(m.Groups[1]) == card.Overdue, m.Value, $"outcomes_overdue {card.Overdue}");
        foreach (Match m in NothingOverdue().Matches(text))
            Check(card.Overdue == 0, m.Value, $"outcomes_overdue {card.Overdue}");
        foreach (Match m in EvidencedOf().Matches(text))
            Check(Int(m.Groups[1]) == card.Evidenced && Int(m.Groups[2]) == card.Promised, m.Value,
                $"{card.Evidenced} of {card.Promised} outcomes evidenced");
        foreach (Match m in RenewsIn().Matches(text))
            Check(Int(m.Groups[1]) == card.DaysToRenewal, m.Value, $"days_to_renewal {card.DaysToRenewal}");
        foreach (Match m in PassedAgo().Matches(text))
            Check(-Int(m.Groups[1]) == card.DaysToRenewal, m.Value, $"days_to_renewal {card.DaysToRenewal}");
        foreach (Match m in FlagIs().Matches(text))
            Check(m.Groups[1].Value == card.Flag, m.Value, $"renewal_flag {card.Flag}");
        foreach (Match m in BandIs().Matches(text))
            Check(m.Groups[1].Value == card.Band, m.Value, $"band {card.Band}");
        foreach (Match m in ComputedBandIs().Matches(text))
            Check(m.Groups[1].Value == card.ComputedBand, m.Value, $"computed band {card.ComputedBand}");
        foreach (Match m in FulfilmentIs().Matches(text))
            Check(card.Fulfilment is decimal f && Dec(m.Groups[1]) == Math.Round(f, 4), m.Value, $"fulfilment {card.Fulfilment?.ToString(CultureInfo.InvariantCulture) ?? "null"}");
        foreach (Match m in EngagementIs().Matches(text))
            Check(m.Groups[1].Value == card.Engagement, m.Value, $"engagement {card.Engagement}");
        foreach (Match m in UtilisationIs().Matches(text))
            Check(card.Utilisation is decimal u && Dec(m.Groups[1]) == Math.Round(u, 4), m.Value, $"utilisation {card.Utilisation?.ToString(CultureInfo.InvariantCulture) ?? "null"}");
        foreach (Match m in UtilisationUnknown().Matches(text))
            Check(card.Utilisation is null, m.Value, $"utilisation {card.Utilisation?.ToString(CultureInfo.InvariantCulture)}");
        foreach (Match m in RenewalRiskIs().Matches(text))
            Check(m.Groups[1].Value == card.Risk, m.Value, $"renewal_risk {card.Risk}");
        foreach (Match m in ReadinessIs().Matches(text))
            Check(m.Groups[1].Value == card.Readiness, m.Value, $"readiness {card.Readiness}");
        foreach (Match m in LaneIs().Matches(text))
            Check(card.Lane is null || m.Groups[1].Value == card.Lane, m.Value, $"lane {card.Lane}");
        foreach (Match m in LaneLeads().Matches(text))
            Check(m.Groups[1].Value == card.Lane, m.Value, $"lane {card.Lane ?? "null"}");
        foreach (Match m in NoLaneLeads().Matches(text))
            Check(card.Lane == "modules", m.Value, $"lane {card.Lane ?? "null"}");
        foreach (Match m in OverriddenTo().Matches(text))
        {
            var inForce = m.Groups[1].Value switch { "band" => card.Band, "readiness" => card.Readiness, _ => card.Risk };
            Check(Snake(m.Groups[2].Value) == inForce, m.Value, $"{m.Groups[1].Value} {inForce}");
        }
        foreach (Match m in ComputedVerdict().Matches(text))
        {
            var value = Snake(m.Groups[1].Value);
            var computed = BandValues.Contains(value) ? card.ComputedBand : ReadinessValues.Contains(value) ? card.ComputedReadiness : card.ComputedRisk;
            Check(value == computed, m.Value, $"computed {computed}");
        }

        // The leading verdict of a verdict's own reason ("high: ...", "ready: ...", "on_track: ..."), or of the computed
        // part after an override statement, names the computed value of that field.
        var (values, computedValue) = field switch
        {
            Field.Band => (BandValues, card.ComputedBand),
            Field.Readiness => (ReadinessValues, card.ComputedReadiness),
            Field.Risk => (RiskValues, card.ComputedRisk),
            _ => ([], ""),
        };
        if (values.Length > 0)
        {
            var lead = LeadingVerdict().Match(text);
            if (lead.Success && values.Contains(Snake(lead.Groups[1].Value)))
                Check(Snake(lead.Groups[1].Value) == computedValue, lead.Groups[1].Value + ":", $"computed {computedValue}");
            else if (!text.Contains(" overridden to ", StringComparison.Ordinal))
                found.Add($"{field} reason does not start with its verdict: \"{text}\"");
        }
        if (field == Field.Forecast)
        {
            var lead = ForecastRisk().Match(text);
            if (lead.Success) Check(lead.Groups[1].Value == card.Risk, lead.Value, $"renewal_risk {card.Risk}");
        }
        return found;
    }

    private static int Int(Group g) => int.Parse(g.Value, CultureInfo.InvariantCulture);
    private static decimal Dec(Group g) => decimal.Parse(g.Value, CultureInfo.InvariantCulture);
    private static string Snake(string s) => s.Replace(' ', '_');

    [GeneratedRegex(@"\b(\d+) risk signal\(s\)")] private static partial Regex RiskSignalCount();
    [GeneratedRegex(@"\bno risk signals?\b")] private static partial Regex NoRiskSignal();
    [GeneratedRegex(@"\b(\d+) overdue outcome\(s\)")] private static partial Regex OverdueCount();
    [GeneratedRegex(@"\b(?:nothing overdue|no overdue outcome)")] private static partial Regex NothingOverdue();
    [GeneratedRegex(@"\b(\d+) of (\d+) (?:outcomes )?evidenced\b")] private static partial Regex EvidencedOf();
    [GeneratedRegex(@"\b(?:renews|renewal) in (-?\d+) days\b")] private static partial Regex RenewsIn();
    [GeneratedRegex(@"\bpassed (\d+) days ago\b")] private static partial Regex PassedAgo();
    [GeneratedRegex(@"\bflag (red|amber|none)\b")] private static partial Regex FlagIs();
    [GeneratedRegex(@"(?<!computed )(?<!overridden to )\bband (on_track|at_risk|critical|no_contract)\b")] private static partial Regex BandIs();
    [GeneratedRegex(@"\bcomputed band (on_track|at_risk|critical|no_contract)\b")] private static partial Regex ComputedBandIs();
    [GeneratedRegex(@"\bfulfilment (\d+(?:\.\d+)?)")] private static partial Regex FulfilmentIs();
    [GeneratedRegex(@"\bengagement (growing|steady|declining)\b")] private static partial Regex EngagementIs();
    [GeneratedRegex(@"\butilisation (\d+(?:\.\d+)?)")] private static partial Regex UtilisationIs();
    [GeneratedRegex(@"\butilisation unknown\b")] private static partial Regex UtilisationUnknown();
    [GeneratedRegex(@"(?<!computed )\brenewal risk (high|medium|low|none)\b")] private static partial Regex RenewalRiskIs();
    [GeneratedRegex(@"(?<!computed )\breadiness (ready|emerging|not_ready|blocked)\b")] private static partial Regex ReadinessIs();
    [GeneratedRegex(@"\blane (modules|data_integration|managed_services)\b")] private static partial Regex LaneIs();
    [GeneratedRegex(@"\b(modules|data_integration|managed_services) leads\b")] private static partial Regex LaneLeads();
    [GeneratedRegex(@"\bno single lane leads\b")] private static partial Regex NoLaneLeads();
    [GeneratedRegex(@"\b(band|readiness|risk) overridden to (\w+)")] private static partial Regex OverriddenTo();
    [GeneratedRegex(@"\bcomputed (on_track|at_risk|critical|no_contract|ready|emerging|not ready|not_ready|blocked|none|low|medium|high):")] private static partial Regex ComputedVerdict();
    [GeneratedRegex(@"^(on_track|at_risk|critical|no_contract|ready|emerging|not ready|not_ready|blocked|none|low|medium|high):")] private static partial Regex LeadingVerdict();
    [GeneratedRegex(@"^risk (high|medium|low|none)\b")] private static partial Regex ForecastRisk();
}
