using ValueMcp.Scoring;
using ValueMcp.Store;

namespace ValueMcp.Server.App;

/// <summary>
/// The application's read side that every answer shares: as_of, the scored portfolio per date, the values the filters
/// accept, and an account's reasons. Each tool (Tools/...) loads through it, decides (scoring) and shapes its answer.
/// </summary>
public sealed class ValueService(IFactStore db, ScoringPolicy policy, TimeProvider clock, PortfolioCache portfolios)
{
    public ValueService(IFactStore db, ScoringPolicy policy, TimeProvider clock) : this(db, policy, clock, new PortfolioCache(db, policy)) { }

    public ScoringPolicy Policy => policy;
    /// <summary>The store: its reads (the tools' own), its writes (WriteService) and its import.</summary>
    public IFactStore Store => db;

    /// <summary>Today as a UTC day: the default as_of.</summary>
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public DateOnly AsOf(string? asOf) => Inputs.Date(asOf, "as_of", Today);

    /// <summary>Every stored account scored at asOf, at the store's current data version.</summary>
    public ScoredPortfolio Scored(DateOnly asOf) => portfolios.At(asOf);

    /// <summary>Scores asOf in the background so that the first question finds it ready.</summary>
    public void Warm(DateOnly asOf) => portfolios.Warm(asOf);

    /// <summary>The values the text filters accept (those of the stored accounts).</summary>
    public KnownValues Known(DateOnly asOf) => Scored(asOf).Known;

    /// <summary>
    /// The account with the reasons of its verdicts: a portfolio kept in memory holds the verdicts only, and an answer
    /// that shows an account scores it again, by the same rules, with their reasons.
    /// </summary>
    public AccountScore Explain(AccountScore a) => a.Explained ? a : AccountScoring.Score(a.Facts, a.AsOf, policy);

    /// <summary>The active accounts at asOf that match the filter, scored, in id order.</summary>
    public IReadOnlyList<AccountScore> Portfolio(DateOnly asOf, PortfolioFilter filter) => Scored(asOf).Select(filter);
}
