using System.Globalization;
using ValueMcp.Scoring;

namespace ValueMcp.Store;

/// <summary>
/// A broken rule: the field it is reported on (a CSV column and the write tool's argument have the same name), the
/// field's value as text (empty when the field is missing), and what is wrong, saying what is accepted.
/// </summary>
public sealed record RuleViolation(string Field, string Value, string Message)
{
    /// <summary>The violation as a write tool says it: "due_date: 2026-05-01 is before promised_at (...); accepted: ...".</summary>
    public override string ToString() => Value.Length == 0 ? $"{Field}: {Message}" : $"{Field}: {Value} {Message}";
}

/// <summary>One rule of a fact kind: the field it is reported on, when a fact breaks it, its value, and what is said.</summary>
public sealed record FactRule<T>(string Field, Func<T, bool> Breaks, Func<T, string> Value, Func<T, string> Message);

/// <summary>A kind of fact and the rules a valid one keeps.</summary>
public sealed record FactKind<T>(string Name, IReadOnlyList<FactRule<T>> Rules)
{
    /// <summary>Every rule the fact breaks, in the order of the table.</summary>
    public IReadOnlyList<RuleViolation> Check(T fact)
    {
        List<RuleViolation>? broken = null;
        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            if (rule.Breaks(fact)) (broken ??= []).Add(new RuleViolation(rule.Field, rule.Value(fact), rule.Message(fact)));
        }
        return broken ?? (IReadOnlyList<RuleViolation>)[];
    }
}

/// <summary>
/// What a valid fact of each kind is, beyond the syntax of its fields (a date is an ISO date, a number a number, a kind
/// one of its names: each front door reads those its own way, CSV text or JSON arguments). This table is the one place
/// these rules are stated: the CSV import and the write tools check every fact against it, so that no door accepts a
/// fact another refuses. To add a rule, add a row; to add a kind, add a table.
/// </summary>
public static class FactRules
{
    /// <summary>Metric values (baseline, target, observed value) are stored as REAL: beyond this, digits would be lost.</summary>
    public const decimal MaxMetric = 1_000_000_000_000m;

    public static readonly FactKind<AccountProfile> Account = new("account",
    [
        new("renewal_date", a => a.RenewalDate < a.ContractStart, a => Iso(a.RenewalDate),
            a => $"is before contract_start ({Iso(a.ContractStart)}); accepted: a date on or after it"),
        new("contracted_capacity", a => a.ContractedCapacity < 0, a => Num(a.ContractedCapacity), _ => "must be 0 or more"),
        new("used_capacity", a => a.UsedCapacity < 0, a => Num(a.UsedCapacity), _ => "must be 0 or more"),
    ]);

    public static readonly FactKind<MovementFact> Movement = new("arr movement",
    [
        new("amount", m => m.Kind != MovementKind.Churn && m.Amount <= 0, m => Num(m.Amount), _ => "must be above 0 (new, expansion and contraction)"),
        new("amount", m => m.Kind == MovementKind.Churn && m.Amount < 0, m => Num(m.Amount),
            _ => "must be 0 or more (a churn's amount may be empty and is ignored: churn removes whatever ARR is left)"),
    ]);

    public static readonly FactKind<OutcomeFact> Outcome = new("promised outcome",
    [
        new("direction", o => o.Target is not null && o.Direction is null, _ => "",
            _ => "required when a target is given; accepted: increase (achieved at the target or above), decrease (at the target or below)"),
        new("target", o => o.Baseline is decimal b && o.Target is decimal t && o.Direction is Direction d && (d == Direction.Increase ? t <= b : t >= b),
            o => Num(o.Target), o => $"does not {Wire.Name(o.Direction!.Value)} from the baseline {Num(o.Baseline)}; check direction"),
        new("due_date", o => o.DueDate < o.PromisedAt, o => Iso(o.DueDate), o => $"is before promised_at ({Iso(o.PromisedAt)}); accepted: a date on or after it"),
        OutOfRange<OutcomeFact>("baseline", o => o.Baseline),
        OutOfRange<OutcomeFact>("target", o => o.Target),
    ]);

    public static readonly FactKind<EvidenceFact> Evidence = new("evidence",
    [
        OutOfRange<EvidenceFact>("observed_value", e => e.ObservedValue),
    ]);

    public static readonly FactKind<SignalFact> Signal = new("signal",
    [
        new("polarity", s => s.Polarity is not (1 or -1), s => s.Polarity.ToString(CultureInfo.InvariantCulture),
            _ => "is not accepted; accepted: 1 (a positive signal) or -1 (a negative one)"),
    ]);

    public static readonly FactKind<MilestoneFact> Milestone = new("milestone", []);

    public static readonly FactKind<MetricReading> MetricReading = new("metric reading",
    [
        OutOfRange<MetricReading>("value", m => m.Value),
    ]);

    public static readonly FactKind<OverrideFact> Override = new("override",
    [
        new("expires_at", o => o.ExpiresAt <= o.CreatedAt, o => Iso(o.ExpiresAt),
            o => $"is not after created_at ({Iso(o.CreatedAt)}); accepted: a later date, or leave it out for no expiry"),
    ]);

    public static readonly FactKind<RenewalFact> Renewal = new("renewal",
    [
        new("next_renewal_date", r => r.Outcome != RenewalOutcome.Churned && r.NextRenewalDate is null, _ => "",
            r => $"is required when the outcome is {Wire.Name(r.Outcome)}; accepted: the date of the renewal it opens, after renewal_date"),
        new("next_renewal_date", r => r.Outcome == RenewalOutcome.Churned && r.NextRenewalDate is not null, r => Iso(r.NextRenewalDate),
            _ => "is given for a churned renewal; accepted: empty (a churn opens no renewal)"),
        new("next_renewal_date", r => r.NextRenewalDate <= r.RenewalDate, r => Iso(r.NextRenewalDate),
            r => $"is not after renewal_date ({Iso(r.RenewalDate)}); accepted: a later date"),
        new("renewed_arr", r => r.RenewedArr < 0, r => Num(r.RenewedArr), _ => "must be 0 or more"),
        new("renewed_arr", r => r.Outcome == RenewalOutcome.Contracted && r.RenewedArr is null, _ => "",
            _ => "is required when the outcome is contracted; accepted: the ARR of the renewed contract"),
        new("renewed_arr", r => r.Outcome == RenewalOutcome.Churned && r.RenewedArr is decimal v && v != 0m, r => Num(r.RenewedArr),
            _ => "is given for a churned renewal; accepted: empty or 0"),
    ]);

    private static FactRule<T> OutOfRange<T>(string field, Func<T, decimal?> value) => new(field,
        f => value(f) is decimal v && Math.Abs(v) > MaxMetric, f => Num(value(f)),
        _ => $"is out of range; accepted: -{MaxMetric.ToString("N0", CultureInfo.InvariantCulture)} to {MaxMetric.ToString("N0", CultureInfo.InvariantCulture)}");

    private static string Iso(DateOnly? d) => d is DateOnly v ? FactReader.Iso(v) : "";

    private static string Num(decimal? d) => d is decimal v ? v.ToString(CultureInfo.InvariantCulture) : "";
}
