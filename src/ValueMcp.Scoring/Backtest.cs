namespace ValueMcp.Scoring;

/// <summary>
/// One decided renewal against what the forecast said HorizonDays before its date: the account scored as of the
/// forecast date from the facts known then (its renewal date set to the renewal's), the odds the table gave (Computed,
/// without a probability override) and those in force (InForce: an override replaces the probability), the ARR due
/// (the ARR at the forecast date) and the renewed ARR realised.
/// </summary>
public sealed record BacktestRow(AccountScore Forecast, RenewalDecision Decision, RenewalOdds Computed, RenewalOdds InForce, decimal ArrDue, decimal Realised)
{
    public string AccountId => Forecast.Id;
    public DateOnly ForecastDate => Forecast.AsOf;
    public DateOnly RenewalDate => Decision.RenewalDate;

    /// <summary>The logo renewed (renewed or contracted): the event the probability forecasts.</summary>
    public bool Renewed => Decision.Outcome != RenewalOutcome.Churned;

    /// <summary>Renewed with at least the ARR due.</summary>
    public bool RenewedInFull => Decision.Outcome == RenewalOutcome.Renewed && Realised >= ArrDue;

    public decimal Probability => Computed.Probability;
    public decimal Downside => ArrDue * Computed.DownsideProbability;
    public decimal Base => ArrDue * Computed.Probability;
    public decimal Upside => ArrDue * Computed.UpsideProbability;
    public bool InsideRange => Realised >= Downside && Realised <= Upside;
    public bool Overridden => InForce.Override is not null;
}

/// <summary>A decided renewal of the period the backtest could not forecast, and why.</summary>
public sealed record BacktestSkip(string AccountId, DateOnly RenewalDate, string Reason);

/// <summary>One bin of the reliability table: forecasts in [Lower, Upper) (the last bin includes 1).</summary>
public sealed record ReliabilityBin(decimal Lower, decimal Upper, int Count, int Renewed, decimal? MeanForecast, decimal? ObservedRate);

/// <summary>How the probability overrides in force at the forecast dates fared against the computed probabilities, on the same renewals.</summary>
public sealed record OverrideFigures(int Count, int Renewed, decimal? MeanOverride, decimal? MeanComputed, decimal? BrierOverride, decimal? BrierComputed,
    int OverrideCloser, int ComputedCloser, int Tied);

/// <summary>
/// The accuracy figures of a group of backtested renewals, each with its count: Brier score and its split (reliability,
/// resolution, uncertainty and the within-bin remainder, so that brier = reliability - resolution + uncertainty + within_bin),
/// the reliability table, the ARR figures (due, downside, base, upside, realised), the coverage of [downside, upside],
/// the bias (base - realised) and the weighted absolute error (sum |base - realised| / sum ARR due).
/// </summary>
public sealed record BacktestFigures(
    string Group,
    int Count,
    int Renewed,
    decimal? ObservedRate,
    decimal? MeanForecast,
    decimal? Brier,
    decimal? Reliability,
    decimal? Resolution,
    decimal? Uncertainty,
    decimal? WithinBin,
    IReadOnlyList<ReliabilityBin> Bins,
    decimal ArrDue,
    decimal Downside,
    decimal Base,
    decimal Upside,
    decimal Realised,
    int InsideRange,
    decimal? Coverage,
    bool TotalInsideRange,
    decimal Bias,
    decimal? WeightedAbsoluteError,
    OverrideFigures Overrides);

/// <summary>A miss: a renewal forecast at miss_high_probability or more that churned or contracted, or at miss_low_probability or less that renewed in full.</summary>
public sealed record BacktestMiss(BacktestRow Row, string Kind, IReadOnlyList<string> KnownFacts);

/// <summary>
/// The backtest of the renewal forecast (definitions, "Forecast accuracy"). Pure: an account's history, the period, the
/// horizon, as_of and the policy in; rows out. Each account is scored once per renewal, from its own facts: the whole
/// portfolio is read once, not once per renewal.
/// </summary>
public static class Backtest
{
    /// <summary>
    /// The account's renewals dated in [start, end) and decided at asOf, each forecast as of its date minus
    /// horizonDays from the facts dated on or before that day. Skipped: a forecast date after asOf, and an account not
    /// active at the forecast date.
    /// </summary>
    public static (IReadOnlyList<BacktestRow> Rows, IReadOnlyList<BacktestSkip> Skipped) Of(AccountHistory h, DateOnly start, DateOnly end,
        int horizonDays, DateOnly asOf, ScoringPolicy policy, MeasuredTable? measured = null)
    {
        List<BacktestRow>? rows = null;
        List<BacktestSkip>? skipped = null;
        foreach (var d in Renewals.Decided(h, asOf, policy))
        {
            if (d.RenewalDate < start || d.RenewalDate >= end) continue;
            var forecastDate = d.RenewalDate.AddDays(-horizonDays);
            if (forecastDate > asOf)
            {
                (skipped ??= []).Add(new BacktestSkip(h.Id, d.RenewalDate, $"its forecast date {AccountScoring.D(forecastDate)} is after as_of"));
                continue;
            }
            var facts = AccountDerivation.Derive(h, forecastDate, policy);
            if (facts.Arr <= 0m)
            {
                (skipped ??= []).Add(new BacktestSkip(h.Id, d.RenewalDate, $"not active on its forecast date {AccountScoring.D(forecastDate)} (ARR 0)"));
                continue;
            }
            facts = facts with { Profile = facts.Profile with { RenewalDate = d.RenewalDate } };
            var score = AccountScoring.Score(facts, forecastDate, policy);
            var computed = Forecast.Odds(score, policy, measured, applyOverride: false);
            var inForce = Forecast.Odds(score, policy, measured);
            var due = facts.Arr;
            var realised = d.Outcome == RenewalOutcome.Churned ? 0m : Math.Min(d.RenewedArr ?? due, due);
            (rows ??= []).Add(new BacktestRow(score, d, computed, inForce, due, realised));
        }
        return (rows ?? (IReadOnlyList<BacktestRow>)[], skipped ?? (IReadOnlyList<BacktestSkip>)[]);
    }

    /// <summary>The figures of a group of rows.</summary>
    public static BacktestFigures Figures(string group, IReadOnlyList<BacktestRow> rows, ScoringPolicy policy)
    {
        var n = rows.Count;
        var renewed = rows.Count(r => r.Renewed);
        var bins = Bins(rows, policy.ReliabilityBins);
        decimal? observed = null, mean = null, brier = null, reliability = null, resolution = null, uncertainty = null, within = null;
        if (n > 0)
        {
            var o = (decimal)renewed / n;
            observed = o;
            mean = rows.Average(r => r.Probability);
            brier = rows.Sum(r => Sq(r.Probability - Y(r))) / n;
            reliability = bins.Where(b => b.Count > 0).Sum(b => b.Count * Sq(b.MeanForecast!.Value - b.ObservedRate!.Value)) / n;
            resolution = bins.Where(b => b.Count > 0).Sum(b => b.Count * Sq(b.ObservedRate!.Value - o)) / n;
            uncertainty = o * (1m - o);
            within = brier - (reliability - resolution + uncertainty);
        }
        decimal due = 0m, down = 0m, mid = 0m, up = 0m, realised = 0m, absError = 0m;
        var inside = 0;
        foreach (var r in rows)
        {
            due += r.ArrDue;
            down += r.Downside;
            mid += r.Base;
            up += r.Upside;
            realised += r.Realised;
            absError += Math.Abs(r.Base - r.Realised);
            if (r.InsideRange) inside++;
        }
        return new BacktestFigures(group, n, renewed, observed, mean, brier, reliability, resolution, uncertainty, within, bins,
            due, down, mid, up, realised, inside, n == 0 ? null : (decimal)inside / n, n > 0 && realised >= down && realised <= up,
            mid - realised, due == 0m ? null : absError / due, Overrides(rows));
    }

    /// <summary>The reliability table: bins of equal width over 0..1; a probability of exactly 1 falls in the last bin.</summary>
    public static IReadOnlyList<ReliabilityBin> Bins(IReadOnlyList<BacktestRow> rows, int binCount)
    {
        var count = new int[binCount];
        var renewed = new int[binCount];
        var sum = new decimal[binCount];
        foreach (var r in rows)
        {
            var k = Math.Min(binCount - 1, (int)Math.Floor(r.Probability * binCount));
            count[k]++;
            sum[k] += r.Probability;
            if (r.Renewed) renewed[k]++;
        }
        return Enumerable.Range(0, binCount).Select(k => new ReliabilityBin((decimal)k / binCount, (decimal)(k + 1) / binCount, count[k], renewed[k],
            count[k] == 0 ? null : sum[k] / count[k], count[k] == 0 ? null : (decimal)renewed[k] / count[k])).ToArray();
    }

    private static OverrideFigures Overrides(IReadOnlyList<BacktestRow> rows)
    {
        var over = rows.Where(r => r.Overridden).ToList();
        if (over.Count == 0) return new OverrideFigures(0, 0, null, null, null, null, 0, 0, 0);
        int overrideCloser = 0, computedCloser = 0, tied = 0;
        foreach (var r in over)
        {
            var eo = Math.Abs(r.InForce.Probability - Y(r));
            var ec = Math.Abs(r.Computed.Probability - Y(r));
            if (eo < ec) overrideCloser++;
            else if (ec < eo) computedCloser++;
            else tied++;
        }
        return new OverrideFigures(over.Count, over.Count(r => r.Renewed), over.Average(r => r.InForce.Probability), over.Average(r => r.Computed.Probability),
            over.Sum(r => Sq(r.InForce.Probability - Y(r))) / over.Count, over.Sum(r => Sq(r.Computed.Probability - Y(r))) / over.Count,
            overrideCloser, computedCloser, tied);
    }

    /// <summary>The misses among the rows, with the facts known at the forecast date, worst first (largest ARR due first, then date, then account).</summary>
    public static IReadOnlyList<BacktestMiss> Misses(IEnumerable<BacktestRow> rows, ScoringPolicy policy)
    {
        var misses = new List<BacktestMiss>();
        foreach (var r in rows)
        {
            string? kind = null;
            if (r.Probability >= policy.MissHighProbability && r.Decision.Outcome != RenewalOutcome.Renewed)
                kind = $"forecast at {Forecast.P(r.Probability)} (>= {Forecast.P(policy.MissHighProbability)}) and {Wire.Name(r.Decision.Outcome)}";
            else if (r.Probability <= policy.MissLowProbability && r.RenewedInFull)
                kind = $"forecast at {Forecast.P(r.Probability)} (<= {Forecast.P(policy.MissLowProbability)}) and renewed in full";
            if (kind is null) continue;
            misses.Add(new BacktestMiss(r, kind, KnownFacts(r)));
        }
        return misses.OrderByDescending(m => m.Row.ArrDue).ThenBy(m => m.Row.RenewalDate).ThenBy(m => m.Row.AccountId, StringComparer.Ordinal).ToList();
    }

    /// <summary>What the forecast knew on its date: the verdicts with their reasons, and the probability's cells.</summary>
    public static IReadOnlyList<string> KnownFacts(BacktestRow r)
    {
        var a = r.Forecast;
        var facts = new List<string>
        {
            $"band {a.Band.Reason}",
            $"renewal risk {a.Risk.Reason}",
            $"engagement {Wire.Name(a.Engagement)} (usage and success polarity sum {a.Facts.Recent.EngagementSum} in the recent window)",
            $"probability {r.Computed.Reason}",
        };
        if (a.Facts.Recent.RiskSignals.Count > 0)
            facts.Add($"risk signals: {string.Join(", ", a.Facts.Recent.RiskSignals.Select(s => $"{s.Kind} {AccountScoring.D(s.ObservedAt)}"))}");
        if (a.Facts.OverdueOutcomes.Count > 0)
            facts.Add($"overdue outcomes: {string.Join("; ", a.Facts.OverdueOutcomes.Select(o => o.Title))}");
        if (r.InForce.Override is { } o)
            facts.Add($"probability override {o.Value} by {o.Author} ({o.Reason})");
        return facts;
    }

    /// <summary>The measured probability table: per renewal risk and band at the forecast date, the renewals and how many renewed.</summary>
    public static MeasuredTable Measure(IReadOnlyList<BacktestRow> rows, DateOnly from, DateOnly to, int horizonDays, ScoringPolicy policy)
    {
        var cells = new List<MeasuredCell>();
        foreach (var risk in new[] { RenewalRisk.High, RenewalRisk.Medium, RenewalRisk.Low, RenewalRisk.None })
        foreach (var band in new[] { Band.OnTrack, Band.AtRisk, Band.Critical, Band.NoContract })
        {
            int count = 0, renewed = 0;
            foreach (var r in rows)
            {
                if (r.Forecast.Risk.Value != risk || r.Forecast.Band.Value != band) continue;
                count++;
                if (r.Renewed) renewed++;
            }
            cells.Add(new MeasuredCell(risk, band, count, renewed, count >= policy.MeasuredMinCount));
        }
        return new MeasuredTable(from, to, horizonDays, policy.MeasuredMinCount, rows.Count, cells);
    }

    private static decimal Y(BacktestRow r) => r.Renewed ? 1m : 0m;

    private static decimal Sq(decimal v) => v * v;
}
