using System.Globalization;

namespace ValueMcp.Scoring;

/// <summary>
/// Evidence computed from product usage: a reading of the metric an outcome names, observed on or after the outcome's
/// promised_at and on or before as_of, is a piece of evidence of that outcome with source usage (high confidence), its
/// value as the observed value and no explicit achieved, so that it achieves the outcome by the usual rule (the target
/// in the outcome's direction). Nothing of it is stored: it is computed from the readings at every as_of.
/// </summary>
public static class UsageEvidence
{
    /// <summary>The prefix of a computed evidence's id: usage:METRIC:DATE.</summary>
    public const string IdPrefix = "usage:";

    /// <summary>Whether a reading counts as evidence of the outcome at asOf.</summary>
    public static bool Counts(OutcomeFact outcome, MetricReading reading, DateOnly asOf) =>
        outcome.Metric.Length > 0
        && string.Equals(reading.Metric, outcome.Metric, StringComparison.Ordinal)
        && string.Equals(reading.AccountId, outcome.AccountId, StringComparison.Ordinal)
        && reading.ObservedAt >= outcome.PromisedAt
        && reading.ObservedAt <= asOf;

    /// <summary>The evidence the readings give the outcome at asOf, by date (none for an outcome without a metric).</summary>
    public static IReadOnlyList<EvidenceFact> Of(OutcomeFact outcome, IReadOnlyList<MetricReading> readings, DateOnly asOf)
    {
        if (outcome.Metric.Length == 0 || readings.Count == 0) return [];
        List<EvidenceFact>? found = null;
        foreach (var r in readings)
        {
            if (Counts(outcome, r, asOf)) (found ??= []).Add(From(outcome, r));
        }
        if (found is null) return [];
        found.Sort((a, b) => a.CapturedAt.CompareTo(b.CapturedAt));
        return found;
    }

    /// <summary>The recorded evidence of the account and the evidence its readings give each outcome at asOf.</summary>
    public static IReadOnlyList<EvidenceFact> WithRecorded(AccountHistory history, DateOnly asOf)
    {
        if (history.Readings.Count == 0) return history.Evidence;
        var all = new List<EvidenceFact>(history.Evidence);
        foreach (var o in history.Outcomes) all.AddRange(Of(o, history.Readings, asOf));
        return all;
    }

    /// <summary>The piece of evidence one reading gives one outcome.</summary>
    public static EvidenceFact From(OutcomeFact outcome, MetricReading reading)
    {
        var day = reading.ObservedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var source = reading.Source.Length > 0 ? $" (source {reading.Source})" : "";
        return new EvidenceFact($"{IdPrefix}{reading.Metric}:{day}", outcome.Id, reading.ObservedAt, EvidenceSource.Usage,
            reading.Value, null, $"computed from the reading of {reading.Metric} on {day}{source}", "", Computed: true);
    }
}
