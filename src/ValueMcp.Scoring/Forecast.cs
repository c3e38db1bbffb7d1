namespace ValueMcp.Scoring;

/// <summary>
/// Where an account sits in the forecast's scenarios. steady: renews at its probability in the downside and in full in
/// the upside; exposed (a risk signal or band critical, risk not high): lost in the downside, renews in full in the
/// upside; high_risk (renewal risk high): lost in the downside, at its probability in the upside.
/// </summary>
public enum ScenarioRole { Steady, Exposed, HighRisk }

/// <summary>
/// One account's renewal probability with the table cells that produced it, and its scenario probabilities. Under a
/// probability override, Probability is the person's and ComputedProbability the table's (kept beside it, never hidden).
/// </summary>
public sealed record RenewalOdds(
    decimal Probability,
    decimal DownsideProbability,
    decimal UpsideProbability,
    ScenarioRole Role,
    string Reason,
    string ScenarioNote)
{
    /// <summary>The probability the table gave (equal to Probability without an override).</summary>
    public decimal ComputedProbability { get; init; } = Probability;

    /// <summary>The probability override in force, if any.</summary>
    public OverrideFact? Override { get; init; }
}

/// <summary>One cell of a measured probability table: the backtested renewals at a renewal risk and band, and how many renewed.</summary>
public sealed record MeasuredCell(RenewalRisk Risk, Band Band, int Count, int Renewed, bool Used)
{
    /// <summary>Renewed / count; null for an empty cell.</summary>
    public decimal? Rate => Count == 0 ? null : (decimal)Renewed / Count;
}

/// <summary>
/// A probability table measured by a backtest: the renewals dated in [From, To), each forecast HorizonDays before its
/// date, counted per renewal risk and band. A cell with at least MinCount renewals sets the probability of the accounts
/// in it (its observed renewal rate, within the floor and ceiling); the others keep the policy's table.
/// </summary>
public sealed record MeasuredTable(DateOnly From, DateOnly To, int HorizonDays, int MinCount, int Renewals, IReadOnlyList<MeasuredCell> Cells)
{
    public MeasuredCell? Cell(RenewalRisk risk, Band band) => Cells.FirstOrDefault(c => c.Risk == risk && c.Band == band);

    public string Describe() =>
        $"measured: {Renewals} renewals dated {AccountScoring.D(From)} to {AccountScoring.D(To)} (end excluded), each forecast {HorizonDays} days before its date; " +
        $"{Cells.Count(c => c.Used)} of {Cells.Count} cells (renewal risk x band) have at least {MinCount} renewals and use their observed rate, the others the policy's table";
}

/// <summary>An account renewing in the period: its ARR due and the ARR it renews in each scenario.</summary>
public sealed record ForecastAccount(AccountScore Account, RenewalOdds Odds)
{
    public decimal Arr => Account.Arr;
    public decimal Downside => Arr * Odds.DownsideProbability;
    public decimal Base => Arr * Odds.Probability;
    public decimal Upside => Arr * Odds.UpsideProbability;
}

/// <summary>ARR due and renewed ARR in three scenarios; each total is the sum of the accounts' parts.</summary>
public sealed record RenewalForecast(decimal ArrDue, decimal Downside, decimal Base, decimal Upside, IReadOnlyList<ForecastAccount> Accounts);

/// <summary>
/// The renewal forecast: per-account probabilities from the policy's probability table and the scenario rules.
/// Pure: scored accounts and the policy in, the range out.
/// </summary>
public static class Forecast
{
    /// <summary>The scenario rules, as the glossary and the forecast print them.</summary>
    public static IReadOnlyList<string> ScenarioRules { get; } =
    [
        "base: every account renews with its probability (ARR x probability).",
        "downside: accounts at renewal risk high, in band critical, or with a risk signal in the recent window are lost (0); the others renew with their probability.",
        "upside: accounts at renewal risk high stay at their probability (a save is not assumed); every other account renews in full (1).",
        "so for every account downside probability <= probability <= upside probability, and downside <= base <= upside for every total.",
    ];

    /// <summary>The probability table's formula, as printed.</summary>
    public const string ProbabilityRule =
        "probability = base for the renewal risk + adjustment for the band + adjustment for the engagement + risk-signal adjustment (when a risk signal is in the recent window), clamped to [floor, ceiling]";

    public static decimal BaseProbability(RenewalRisk risk, ScoringPolicy p) => risk switch
    {
        RenewalRisk.High => p.RenewalProbabilityHighRisk,
        RenewalRisk.Medium => p.RenewalProbabilityMediumRisk,
        RenewalRisk.Low => p.RenewalProbabilityLowRisk,
        _ => p.RenewalProbabilityUnassessed,
    };

    public static decimal BandAdjustment(Band band, ScoringPolicy p) => band switch
    {
        Band.OnTrack => p.ProbabilityAdjustmentOnTrack,
        Band.AtRisk => p.ProbabilityAdjustmentAtRisk,
        Band.Critical => p.ProbabilityAdjustmentCritical,
        _ => p.ProbabilityAdjustmentNoContract,
    };

    public static decimal EngagementAdjustment(Engagement engagement, ScoringPolicy p) => engagement switch
    {
        Engagement.Growing => p.ProbabilityAdjustmentGrowing,
        Engagement.Declining => p.ProbabilityAdjustmentDeclining,
        _ => 0m,
    };

    /// <summary>The probability override in force on the account at its as_of (the most recently created), if any.</summary>
    public static OverrideFact? ProbabilityOverride(AccountScore a)
    {
        OverrideFact? found = null;
        foreach (var o in a.Facts.Overrides)
        {
            if (o.Field != OverrideField.Probability || !AccountScoring.OverrideInForce(o, a.AsOf) || ParseProbability(o.Value) is null) continue;
            if (found is null || o.CreatedAt >= found.CreatedAt) found = o;
        }
        return found;
    }

    /// <summary>A probability override's value: a number from 0 to 1 (null when it is not one).</summary>
    public static decimal? ParseProbability(string value) =>
        decimal.TryParse(value, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var v) && v >= 0m && v <= 1m ? v : null;

    /// <summary>The probability the table gives the account (band and risk are the values in force, overrides included), with the cells that produced it.</summary>
    public static (decimal Probability, string Reason) TableProbability(AccountScore a, ScoringPolicy p, MeasuredTable? measured = null)
    {
        var risk = a.Risk.Value;
        var band = a.Band.Value;
        var riskSignals = a.Facts.Recent.RiskSignals;

        if (measured?.Cell(risk, band) is { Used: true } cell)
        {
            var rate = cell.Rate!.Value;
            var clamped = Math.Clamp(rate, p.RenewalProbabilityFloor, p.RenewalProbabilityCeiling);
            var why = $"measured cell risk {Wire.Name(risk)}, band {Wire.Name(band)}: {cell.Renewed} of {cell.Count} renewed = {P(rate)}";
            if (clamped != rate) why += $", clamped to {(rate < p.RenewalProbabilityFloor ? "the floor" : "the ceiling")} {P(clamped)}";
            return (clamped, why);
        }

        var baseP = BaseProbability(risk, p);
        var bandAdj = BandAdjustment(band, p);
        var engagementAdj = EngagementAdjustment(a.Engagement, p);
        var signalAdj = riskSignals.Count > 0 ? p.ProbabilityAdjustmentRiskSignals : 0m;
        var raw = baseP + bandAdj + engagementAdj + signalAdj;
        var probability = Math.Clamp(raw, p.RenewalProbabilityFloor, p.RenewalProbabilityCeiling);

        var parts = new List<string>
        {
            $"risk {Wire.Name(risk)}{(risk == RenewalRisk.None ? " (not assessed)" : "")} {P(baseP)}",
            $"band {Wire.Name(band)} {Signed(bandAdj)}",
            $"engagement {Wire.Name(a.Engagement)} {Signed(engagementAdj)}",
        };
        if (riskSignals.Count > 0) parts.Add($"{riskSignals.Count} risk signal(s) {Signed(signalAdj)}");
        var reason = string.Join("; ", parts) + $" = {P(raw)}";
        if (probability != raw)
            reason += $", clamped to {(raw < p.RenewalProbabilityFloor ? "the floor" : "the ceiling")} {P(probability)}";
        if (measured is not null)
        {
            var c = measured.Cell(risk, band);
            reason = $"policy table (measured cell risk {Wire.Name(risk)}, band {Wire.Name(band)} has {c?.Count ?? 0} renewal(s), fewer than {measured.MinCount}): " + reason;
        }
        return (probability, reason);
    }

    /// <summary>
    /// An account's renewal probability and its scenarios: the table's probability (the policy's, or a measured table's
    /// cell), replaced by a probability override in force (the computed one kept beside it).
    /// </summary>
    public static RenewalOdds Odds(AccountScore a, ScoringPolicy p, MeasuredTable? measured = null, bool applyOverride = true)
    {
        var risk = a.Risk.Value;
        var band = a.Band.Value;
        var riskSignals = a.Facts.Recent.RiskSignals;
        var (computed, reason) = TableProbability(a, p, measured);
        var probability = computed;
        var over = applyOverride ? ProbabilityOverride(a) : null;
        if (over is not null)
        {
            probability = ParseProbability(over.Value)!.Value;
            reason = $"probability overridden to {P(probability)} by {over.Author} on {AccountScoring.D(over.CreatedAt)}" +
                (over.ExpiresAt is DateOnly x ? $" until {AccountScoring.D(x)}" : "") + $" ({over.Reason}); computed {P(computed)}: {reason}";
        }
        var odds = Scenario(a, p, risk, band, riskSignals, probability, reason);
        return odds with { ComputedProbability = computed, Override = over };
    }

    private static RenewalOdds Scenario(AccountScore a, ScoringPolicy p, RenewalRisk risk, Band band, IReadOnlyList<SignalRef> riskSignals, decimal probability, string reason)
    {
        // What exposes the account in the downside, and what would take it out, from its own facts.
        var exposedBy = new List<string>();
        var clears = new List<string>();
        if (band == Band.Critical)
        {
            exposedBy.Add("band critical");
            clears.Add(a.Band.Overridden ? "the band override to critical ending" : "evidence that lifts the band out of critical");
        }
        if (riskSignals.Count > 0)
        {
            var latest = riskSignals.Max(s => s.ObservedAt);
            var leaves = latest.AddDays(p.RecentWindowDays);
            exposedBy.Add($"{riskSignals.Count} risk signal(s): {string.Join(", ", riskSignals.Take(3).Select(s => $"{s.Kind} {AccountScoring.D(s.ObservedAt)}"))}{(riskSignals.Count > 3 ? ", ..." : "")}");
            clears.Add($"the risk signal(s) leaving the {p.RecentWindowDays}-day recent window (the latest, observed {AccountScoring.D(latest)}, leaves it on {AccountScoring.D(leaves)}) with no new one");
        }
        var state = $"renewal risk {Wire.Name(risk)}, band {Wire.Name(band)}, " +
            (riskSignals.Count == 0 ? "no risk signal" : $"{riskSignals.Count} risk signal(s)") + $" in the last {p.RecentWindowDays} days";

        if (risk == RenewalRisk.High)
        {
            var note = $"high_risk: lost in the downside; {P(probability)} in the base and in the upside (a save is not assumed). " +
                $"Resolving what makes the risk high ({a.Risk.Reason}) would let it renew in full in the upside.";
            return new RenewalOdds(probability, 0m, probability, ScenarioRole.HighRisk, reason, note);
        }
        if (exposedBy.Count > 0)
        {
            var note = $"exposed: lost in the downside because of {string.Join(" and ", exposedBy)}; {P(probability)} in the base; renews in full in the upside " +
                $"(renewal risk {Wire.Name(risk)}, not high). It leaves the downside's losses with {string.Join(" and ", clears)}.";
            return new RenewalOdds(probability, 0m, probability, ScenarioRole.Exposed, reason, note) with { UpsideProbability = 1m };
        }
        var steady = $"steady ({state}): {P(probability)} in the downside and the base, in full in the upside.";
        return new RenewalOdds(probability, probability, 1m, ScenarioRole.Steady, reason, steady);
    }

    /// <summary>The forecast over the accounts renewing in the period. Accounts are listed lowest probability first, then largest ARR, then id.</summary>
    public static RenewalForecast Of(IEnumerable<AccountScore> renewing, ScoringPolicy policy, MeasuredTable? measured = null)
    {
        var accounts = renewing
            .Select(a => new ForecastAccount(a, Odds(a, policy, measured)))
            .OrderBy(f => f.Odds.Probability).ThenByDescending(f => f.Arr).ThenBy(f => f.Account.Id, StringComparer.Ordinal)
            .ToList();
        decimal due = 0m, down = 0m, mid = 0m, up = 0m;
        foreach (var f in accounts)
        {
            due += f.Arr;
            down += f.Downside;
            mid += f.Base;
            up += f.Upside;
        }
        return new RenewalForecast(due, down, mid, up, accounts);
    }

    /// <summary>How many accounts <see cref="Movers"/> names by default (the range chart and the board).</summary>
    public const int MoverCount = 5;

    /// <summary>
    /// The accounts that move the range most: the largest gap between their upside and downside amounts first, then the
    /// larger ARR, then the id (ordinal); accounts whose upside equals their downside do not move it. At most count.
    /// </summary>
    public static IReadOnlyList<ForecastAccount> Movers(RenewalForecast forecast, int count = MoverCount) =>
        forecast.Accounts
            .Where(f => f.Upside != f.Downside)
            .OrderByDescending(f => f.Upside - f.Downside).ThenByDescending(f => f.Arr).ThenBy(f => f.Account.Id, StringComparer.Ordinal)
            .Take(count)
            .ToList();

    internal static string P(decimal v) => Math.Round(v, 4).ToString("0.00##", System.Globalization.CultureInfo.InvariantCulture);

    private static string Signed(decimal v) => (v >= 0m ? "+" : "-") + P(Math.Abs(v));
}
