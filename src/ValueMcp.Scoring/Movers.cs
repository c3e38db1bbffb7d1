namespace ValueMcp.Scoring;

public sealed record MoverState(Band Band, Readiness Readiness, RenewalRisk Risk);

/// <summary>An account whose band, readiness or renewal risk differs between A and B.</summary>
public sealed record Mover(AccountScore Before, AccountScore After)
{
    public MoverState BeforeState => new(Before.Band.Value, Before.Readiness.Value, Before.Risk.Value);
    public MoverState AfterState => new(After.Band.Value, After.Readiness.Value, After.Risk.Value);

    public IReadOnlyList<string> Changes
    {
        get
        {
            var changes = new List<string>();
            if (BeforeState.Band != AfterState.Band) changes.Add($"band {Wire.Name(BeforeState.Band)} -> {Wire.Name(AfterState.Band)}");
            if (BeforeState.Readiness != AfterState.Readiness) changes.Add($"readiness {Wire.Name(BeforeState.Readiness)} -> {Wire.Name(AfterState.Readiness)}");
            if (BeforeState.Risk != AfterState.Risk) changes.Add($"risk {Wire.Name(BeforeState.Risk)} -> {Wire.Name(AfterState.Risk)}");
            return changes;
        }
    }

    /// <summary>How far the account moved toward trouble (positive) or away from it (negative); for ordering.</summary>
    public int Severity => SeverityOf(BeforeState, AfterState);

    /// <summary>How far a move from before to after goes toward trouble (positive) or away from it (negative).</summary>
    public static int SeverityOf(MoverState before, MoverState after) =>
        (RiskRank(after.Risk) - RiskRank(before.Risk))
        + (BandRank(after.Band) - BandRank(before.Band))
        + (Portfolio.ReadinessRank(after.Readiness) - Portfolio.ReadinessRank(before.Readiness));

    private static int RiskRank(RenewalRisk r) => (int)r;

    private static int BandRank(Band b) => b switch
    {
        Band.OnTrack => 0,
        Band.NoContract => 1,
        Band.AtRisk => 2,
        _ => 3,
    };
}

public static class Movers
{
    /// <summary>
    /// Accounts active at B (and matching the filter at B) whose band, readiness or renewal risk differs between
    /// the computation at A and at B. Ordered by account id.
    /// </summary>
    public static IReadOnlyList<Mover> Between(
        IReadOnlyDictionary<string, AccountFacts> atA, IEnumerable<AccountFacts> atB,
        DateOnly a, DateOnly b, ScoringPolicy policy, PortfolioFilter filter)
    {
        if (a >= b) throw new ArgumentException("movers need A < B");
        var movers = new List<Mover>();
        foreach (var factsB in atB)
        {
            var after = AccountScoring.Score(factsB, b, policy);
            if (!filter.Matches(after)) continue;
            if (!atA.TryGetValue(factsB.Id, out var factsA)) continue;
            var before = AccountScoring.Score(factsA, a, policy);
            var mover = new Mover(before, after);
            if (mover.BeforeState != mover.AfterState) movers.Add(mover);
        }
        movers.Sort((x, y) => string.CompareOrdinal(x.After.Id, y.After.Id));
        return movers;
    }
}
