using System.Globalization;
using ValueMcp.Scoring;

namespace ValueMcp.Server.App;

/// <summary>Short text renderings of the results: a few lines a person could paste into a board deck.</summary>
public static class Text
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Money(decimal v) => v.ToString("#,##0.##", Inv);
    public static string Pct(decimal? v) => v is decimal d ? (d * 100m).ToString("0.#", Inv) + "%" : "n/a";
    public static string Frac(decimal? v) => v is decimal d ? Math.Round(d, 2).ToString("0.00", Inv) : "n/a";
    public static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", Inv);
    public static string N<T>(T v) where T : struct, Enum => Wire.Name(v);

    public static string Renewal(DateOnly date, int days) =>
        days < 0 ? $"renewal date {Date(date)} passed {-days} days ago" : $"renews {Date(date)} (in {days} days)";

    public static string Filters(FiltersDto f)
    {
        var parts = new List<string>();
        if (f.Segment is not null) parts.Add($"segment={f.Segment}");
        if (f.Tier is not null) parts.Add($"tier={f.Tier}");
        if (f.Csm is not null) parts.Add($"csm={f.Csm}");
        if (f.LifecycleStage is { } s) parts.Add($"stage={N(s)}");
        if (f.Band is { } b) parts.Add($"band={N(b)}");
        if (f.Readiness is { } r) parts.Add($"readiness={N(r)}");
        if (f.RenewalFlag is { } fl) parts.Add($"renewal_flag={N(fl)}");
        if (f.RenewalWithinDays is int d) parts.Add($"renewing within {d} days");
        if (f.MinArr is decimal m) parts.Add($"ARR >= {Money(m)}");
        return parts.Count == 0 ? "whole portfolio" : string.Join(", ", parts);
    }

    public static string Kpis(KpisDto k) =>
        $"{k.AccountCount} accounts, ARR managed {Money(k.ArrManaged)}; on track {Pct(k.OnTrackPct)}; " +
        $"expansion ready {k.ExpansionReadyCount} (ARR {Money(k.ExpansionReadyArr)}); ARR at risk {Money(k.ArrAtRisk)} (bands at_risk + critical); " +
        $"without a value contract {Money(k.ArrWithoutValueContract)}; renewing in 90 days {Money(k.ArrRenewing90d)}, in 180 days {Money(k.ArrRenewing180d)}";

    public static string Counts(IReadOnlyDictionary<string, CountArr> counts) =>
        string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value.Count}"));

    public static string Card(AccountCard a) =>
        $"- {a.Name} [{a.Id}] {a.Segment}, ARR {Money(a.Arr)}: fulfilment {Frac(a.Fulfilment)} ({a.OutcomesEvidenced}/{a.OutcomesPromised}, band {N(a.Band)}), " +
        $"readiness {N(a.Readiness)}{(a.Lane is { } l ? $" ({N(l)})" : "")}, {Renewal(a.RenewalDate, a.DaysToRenewal)} ({N(a.RenewalFlag)}), risk {N(a.RenewalRisk)}; " +
        $"next: {N(a.NextAction.Kind)}: {a.NextAction.Reason}" +
        (a.Overrides.Count > 0 ? $" [override: {string.Join("; ", a.Overrides.Select(o => $"{N(o.Field)} {o.Value} (computed {o.Computed}) by {o.Author}: {o.Reason}"))}]" : "");

    public static string Health(PortfolioHealthResult h) => string.Join("\n",
        $"Portfolio health as of {Date(h.AsOf)} ({Filters(h.Filters)}):",
        Kpis(h.Kpis) + ".",
        $"Bands: {Counts(h.ByBand)}. Readiness: {Counts(h.ByReadiness)}. Renewal flags: {Counts(h.ByRenewalFlag)}.",
        "By segment: " + string.Join("; ", h.BySegment.Select(s =>
            $"{(s.Segment.Length == 0 ? "(none)" : s.Segment)} {s.Kpis.AccountCount} accounts, ARR {Money(s.Kpis.ArrManaged)}, on track {Pct(s.Kpis.OnTrackPct)}, at risk {Money(s.Kpis.ArrAtRisk)}")));

    public static string List(AccountListResult r) => string.Join("\n",
        new[] { $"{r.Total} accounts as of {Date(r.AsOf)} ({Filters(r.Filters)}), sorted by {N(r.SortBy)} {(r.Descending ? "descending" : "ascending")}; showing {r.Accounts.Count}:" }
            .Concat(r.Accounts.Select(Card))
            .Concat(r.NextCursor is null ? [] : [$"More: pass cursor \"{r.NextCursor}\" for the next page."]));

    public static string Scorecard(ScorecardResult s) => string.Join("\n",
        new[]
        {
            $"{s.Name} [{s.Id}] as of {Date(s.AsOf)}: {s.Segment}, tier {(s.Tier.Length == 0 ? "-" : s.Tier)}, CSM {s.Csm}, ARR {Money(s.Arr)}{(s.Active ? "" : " (not active: churned or not started)")}.",
            $"Fulfilment {Frac(s.Fulfilment)}: {s.OutcomesEvidenced} of {s.OutcomesPromised} outcomes evidenced, {s.OutcomesOverdue} overdue; band {N(s.Band)} ({s.Reasons.Band}).",
            $"Readiness {N(s.Readiness)} ({s.Reasons.Readiness}){(s.Lane is { } l ? $"; lane {N(l)}, {s.LaneTiming}" : "")}.",
            $"{Renewal(s.RenewalDate, s.DaysToRenewal)} (flag {N(s.RenewalFlag)}); risk {N(s.RenewalRisk)} ({s.Reasons.Risk}).",
            $"Next action: {N(s.NextAction.Kind)}: {s.NextAction.Reason}.",
        }
        .Concat(s.Outcomes.Select(o =>
            $"  * {o.Title} [{o.Id}]: {(o.Evidenced ? $"evidenced ({N(o.Confidence ?? Confidence.Low)} confidence){(o.Exceeded ? ", exceeded" : "")}" : o.Overdue ? "OVERDUE" : $"progress {Frac(o.Progress)}")}" +
            (o.DueDate is DateOnly d ? $", due {Date(d)}" : "")))
        .Concat(s.Overrides.Select(o => $"Override: {N(o.Field)} = {o.Value} (computed {o.Computed}) by {o.Author}: {o.Reason}")));

    public static string Risks(RenewalRisksResult r) => string.Join("\n",
        new[]
        {
            $"Renewal risks as of {Date(r.AsOf)}, renewing within {r.WithinDays} days ({Filters(r.Filters)}): {r.Total} accounts at {N(r.MinRisk)} risk or above.",
            $"ARR by risk: high {Money(r.ArrByRisk.High)}, medium {Money(r.ArrByRisk.Medium)}, low {Money(r.ArrByRisk.Low)}.",
        }
        .Concat(r.Accounts.Select(a => Card(a) + $" | risk: {a.RiskReasons}")));

    public static string Expansion(ExpansionResult r) => string.Join("\n",
        new[]
        {
            $"Expansion as of {Date(r.AsOf)} ({Filters(r.Filters)}): {r.Total} accounts{(r.IncludeEmerging ? " ready or emerging" : " ready")}; ready ARR {Money(r.ExpansionReadyArr)}{(r.IncludeEmerging ? $", emerging ARR {Money(r.EmergingArr)}" : "")}.",
        }
        .Concat(r.Accounts.Select(a => $"- {a.Name} [{a.Id}] ARR {Money(a.Arr)}, {N(a.Readiness)}, lane {(a.Lane is { } l ? N(l) : "modules")} ({a.Timing}): {a.LaneReasons}")));

    public static string Movers(MoversResult r) => string.Join("\n",
        new[] { $"{r.Total} movers between {Date(r.Since)} and {Date(r.AsOf)} ({Filters(r.Filters)}):" }
            .Concat(r.Movers.Select(m =>
                $"- {m.Account.Name} [{m.Account.Id}] ARR {Money(m.Account.Arr)}: {string.Join(", ", m.Changes)}" +
                (m.Causes.Count > 0 ? $"; because: {string.Join("; ", m.Causes)}" : "") +
                (m.OutcomesFellBehind.Count > 0 ? $"; fell behind: {string.Join("; ", m.OutcomesFellBehind.Select(o => o.Title))}" : "") +
                (m.NewSignals.Count > 0 ? $"; new signals: {string.Join(", ", m.NewSignals.Select(s => $"{s.Kind} ({(s.Polarity > 0 ? "+" : "-")})"))}" : ""))));

    public static string Book(CsmBookResult b) => string.Join("\n",
        new[]
        {
            $"{b.Csm}'s book as of {Date(b.AsOf)}: {Kpis(b.Kpis)}.",
            $"Bands: {Counts(b.ByBand)}. Fulfilment: {string.Join(", ", b.FulfilmentDistribution.Select(f => $"{f.Range} {f.Count}"))}.",
            $"{b.NeedsAttention.Count} accounts need attention:",
        }
        .Concat(b.NeedsAttention.Select(Card)));
}
