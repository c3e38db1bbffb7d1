namespace ValueMcp.Scoring;

/// <summary>
/// Every threshold of domain.md in one place, with its default. The glossary is generated from this record,
/// so a field added here shows up there.
/// </summary>
public sealed record ScoringPolicy
{
    public static ScoringPolicy Default { get; } = new();

    /// <summary>Band on_track when fulfilment is at least this.</summary>
    public decimal OnTrackFulfilment { get; init; } = 0.70m;

    /// <summary>Band at_risk when fulfilment is at least this (and below on_track); critical below.</summary>
    public decimal AtRiskFulfilment { get; init; } = 0.40m;

    /// <summary>Renewal flag red when days to renewal is at most this (a passed renewal date is red).</summary>
    public int RenewalRedDays { get; init; } = 90;

    /// <summary>Renewal flag amber when days to renewal is at most this.</summary>
    public int RenewalAmberDays { get; init; } = 180;

    /// <summary>Renewal risk is assessed only for accounts renewing within this many days.</summary>
    public int RenewalRiskHorizonDays { get; init; } = 180;

    /// <summary>The recent window: this many days ending on as_of, both ends included.</summary>
    public int RecentWindowDays { get; init; } = 90;

    /// <summary>Expansion readiness ready: fulfilment at least this ...</summary>
    public decimal ReadyFulfilment { get; init; } = 0.80m;

    /// <summary>... and utilisation at least this.</summary>
    public decimal ReadyUtilisation { get; init; } = 0.85m;

    /// <summary>Expansion readiness emerging: fulfilment at least this ...</summary>
    public decimal EmergingFulfilment { get; init; } = 0.60m;

    /// <summary>... and utilisation at least this (or engagement growing).</summary>
    public decimal EmergingUtilisation { get; init; } = 0.70m;

    /// <summary>An evidenced outcome is exceeded when its latest value is beyond target by this share of (target - baseline).</summary>
    public decimal ExceededMargin { get; init; } = 0.10m;

    /// <summary>TTFV breach: no first value and more than this many days since contract start.</summary>
    public int TtfvBreachDays { get; init; } = 75;

    /// <summary>request_advocacy: fulfilment at least this (band on_track) ...</summary>
    public decimal AdvocacyFulfilment { get; init; } = 0.90m;

    /// <summary>... and an expansion movement or renewed milestone within this many days ending on as_of.</summary>
    public int AdvocacyWindowDays { get; init; } = 60;

    /// <summary>First day of the recent window that ends on asOf.</summary>
    public DateOnly RecentWindowStart(DateOnly asOf) => asOf.AddDays(1 - RecentWindowDays);

    /// <summary>First day of the advocacy window that ends on asOf.</summary>
    public DateOnly AdvocacyWindowStart(DateOnly asOf) => asOf.AddDays(1 - AdvocacyWindowDays);

    /// <summary>Problems with a configured policy, empty when it is coherent.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Fraction(string name, decimal v)
        {
            if (v < 0m || v > 1m) problems.Add($"{name} must be between 0 and 1 (got {v})");
        }
        Fraction(nameof(OnTrackFulfilment), OnTrackFulfilment);
        Fraction(nameof(AtRiskFulfilment), AtRiskFulfilment);
        Fraction(nameof(ReadyFulfilment), ReadyFulfilment);
        Fraction(nameof(EmergingFulfilment), EmergingFulfilment);
        Fraction(nameof(AdvocacyFulfilment), AdvocacyFulfilment);
        if (ReadyUtilisation < 0m) problems.Add($"{nameof(ReadyUtilisation)} must be >= 0");
        if (EmergingUtilisation < 0m) problems.Add($"{nameof(EmergingUtilisation)} must be >= 0");
        if (ExceededMargin < 0m) problems.Add($"{nameof(ExceededMargin)} must be >= 0");
        if (AtRiskFulfilment > OnTrackFulfilment) problems.Add($"{nameof(AtRiskFulfilment)} must not exceed {nameof(OnTrackFulfilment)}");
        if (RenewalRedDays > RenewalAmberDays) problems.Add($"{nameof(RenewalRedDays)} must not exceed {nameof(RenewalAmberDays)}");
        if (RecentWindowDays < 1) problems.Add($"{nameof(RecentWindowDays)} must be at least 1");
        if (AdvocacyWindowDays < 1) problems.Add($"{nameof(AdvocacyWindowDays)} must be at least 1");
        if (TtfvBreachDays < 0) problems.Add($"{nameof(TtfvBreachDays)} must be >= 0");
        return problems;
    }
}
