using ValueMcp.Scoring;

namespace ValueMcp.Store.Tests;

/// <summary>
/// The questions these tests ask of the store, answered as the server answers them: the store's fact rows
/// (FactReader), turned into per-account facts by the scoring library (AccountDerivation). The shapes are the tests'
/// own (kinds and categories as their stored names), so that each test reads as the definitions do.
/// </summary>
public static class Reads
{
    /// <summary>Per-account facts at asOf, ordered by id: every account, or only the active ones, or one.</summary>
    public static IReadOnlyList<AccountFacts> AccountFacts(this FactReader reader, DateOnly asOf, ScoringPolicy policy,
        bool onlyActive = true, string? accountId = null)
    {
        using var stream = reader.Histories(asOf);
        return stream
            .Where(h => accountId is null || h.Id == accountId)
            .Select(h => AccountDerivation.Derive(h, asOf, policy))
            .Where(f => !onlyActive || f.Arr > 0m)
            .ToList();
    }

    public static AccountFacts? AccountFactsOf(this FactReader reader, string accountId, DateOnly asOf, ScoringPolicy policy) =>
        reader.History(accountId).History is { } h ? AccountDerivation.Derive(h, asOf, policy) : null;

    /// <summary>One account's stored detail: its movements dated on or before asOf in the ledger's order, and every other fact.</summary>
    public static AccountDetail? Detail(this FactReader reader, string accountId, DateOnly asOf)
    {
        if (reader.History(accountId).History is not { } h) return null;
        return new AccountDetail(h.Outcomes, h.Evidence,
            Ledger.Replay(h.Movements, asOf).Select(e => new ArrMovement(e.Movement.EffectiveDate, Wire.Name(e.Movement.Kind), e.Movement.Amount, e.Movement.Lane, e.Movement.Note)).ToList(),
            h.Milestones.Select(m => new Milestone(Wire.Name(m.Kind), m.ReachedAt)).ToList(), h.Overrides);
    }

    /// <summary>The signals of one account observed in (after, until].</summary>
    public static IReadOnlyList<Signal> Signals(this FactReader reader, string accountId, DateOnly after, DateOnly until) =>
        reader.Signals([accountId], after, until)[accountId]
            .Select(s => new Signal(s.Id, s.AccountId, s.ObservedAt, Wire.Name(s.Category), s.Kind, s.Polarity, s.Note)).ToList();

    /// <summary>The distinct non-empty segments, CSMs and tiers of the stored accounts, in the store's order.</summary>
    public static (IReadOnlyList<string> Segments, IReadOnlyList<string> Csms, IReadOnlyList<string> Tiers) Known(this FactReader reader)
    {
        using var stream = reader.Histories(DateOnly.MaxValue);
        var profiles = stream.Select(h => h.Profile).ToList();
        IReadOnlyList<string> Distinct(Func<AccountProfile, string> f) =>
            profiles.Select(f).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return (Distinct(p => p.Segment), Distinct(p => p.Csm), Distinct(p => p.Tier));
    }
}

public sealed record ArrMovement(DateOnly EffectiveDate, string Kind, decimal Amount, string Lane, string Note);

public sealed record Milestone(string Kind, DateOnly ReachedAt);

public sealed record Signal(string Id, string AccountId, DateOnly ObservedAt, string Category, string Kind, int Polarity, string Note);

public sealed record AccountDetail(
    IReadOnlyList<OutcomeFact> Outcomes,
    IReadOnlyList<EvidenceFact> Evidence,
    IReadOnlyList<ArrMovement> Movements,
    IReadOnlyList<Milestone> Milestones,
    IReadOnlyList<OverrideFact> Overrides);
