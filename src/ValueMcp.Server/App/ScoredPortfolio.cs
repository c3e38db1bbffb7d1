using System.Collections.Concurrent;
using ValueMcp.Scoring;
using ValueMcp.Store;

namespace ValueMcp.Server.App;

/// <summary>
/// Every stored account scored at one as_of, at one data version: what every read tool filters, sorts and aggregates.
/// Immutable (a write makes a new one, sharing what did not change), so two answers at the same version agree.
/// Accounts are in the store's id order; the orders of list_accounts are made once per key and direction, when first
/// asked.
/// </summary>
public sealed class ScoredPortfolio
{
    private readonly AccountScore[] _accounts;
    private readonly Dictionary<string, int> _index;
    private readonly ConcurrentDictionary<(SortKey, bool?), AccountScore[]> _orders = new();
    private readonly ConcurrentDictionary<string, AccountScore[]> _listings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<PortfolioFilter, PortfolioHealth> _health = new();
    private readonly Lazy<KnownValues> _known;

    private ScoredPortfolio(DateOnly asOf, long version, AccountScore[] accounts, Dictionary<string, int> index)
    {
        AsOf = asOf;
        Version = version;
        _accounts = accounts;
        _index = index;
        _known = new Lazy<KnownValues>(() => new KnownValues(
            Distinct(a => a.Profile.Segment), Distinct(a => a.Profile.Csm), Distinct(a => a.Profile.Tier)));
    }

    public DateOnly AsOf { get; }

    /// <summary>The data version of the facts scored.</summary>
    public long Version { get; }

    /// <summary>Every stored account (active or not), in id order.</summary>
    public IReadOnlyList<AccountScore> All => _accounts;

    /// <summary>The portfolio of the definitions: the accounts active at as_of, in id order.</summary>
    public IEnumerable<AccountScore> Active => _accounts.Where(a => a.Active);

    /// <summary>The active accounts that match the filter, in id order.</summary>
    public IReadOnlyList<AccountScore> Select(PortfolioFilter filter) => _accounts.Where(filter.Matches).ToList();

    public AccountScore? Find(string id) => _index.TryGetValue(id, out var i) ? _accounts[i] : null;

    /// <summary>The values the text filters accept: those present among the stored accounts.</summary>
    public KnownValues Known => _known.Value;

    /// <summary>The active accounts that match the filter, in the order of sort key and direction.</summary>
    public IReadOnlyList<AccountScore> Sorted(PortfolioFilter filter, SortKey key, bool? descending)
    {
        var order = _orders.GetOrAdd((key, descending), k => [.. Portfolio.Sort(Active, k.Item1, k.Item2)]);
        return order.Where(filter.Matches).ToList();
    }

    /// <summary>The health figures of the active accounts that match the filter (kept for the filters asked lately).</summary>
    public PortfolioHealth Health(PortfolioFilter filter)
    {
        if (_health.TryGetValue(filter, out var known)) return known;
        var health = Portfolio.Health(_accounts.Where(filter.Matches));
        if (_health.Count >= 64) _health.Clear();
        _health[filter] = health;
        return health;
    }

    /// <summary>
    /// The active accounts in a listing's order (named, made once per portfolio when first asked): a listing then only
    /// filters it. The order must be total (ties broken by id), so that a listing never depends on where it starts.
    /// </summary>
    public IReadOnlyList<AccountScore> Ordered(string name, Comparison<AccountScore> order) =>
        _listings.GetOrAdd(name, _ =>
        {
            var active = Active.ToArray();
            Array.Sort(active, order);
            return active;
        });

    /// <summary>
    /// Scores every account of a stream (the store's read of the whole portfolio at asOf), verdicts only (an answer
    /// that shows an account explains it again: ValueService.Explain). Profiles equal to ones the pool already holds
    /// are shared with the portfolios of other dates.
    /// </summary>
    public static ScoredPortfolio Score(IPortfolioStream stream, DateOnly asOf, ScoringPolicy policy, ProfilePool? profiles = null)
    {
        var accounts = new List<AccountScore>();
        foreach (var history in stream)
        {
            var h = profiles is null ? history : history with { Profile = profiles.Share(history.Profile) };
            accounts.Add(AccountScoring.Score(AccountDerivation.Derive(h, asOf, policy), asOf, policy, explain: false));
        }
        var array = accounts.ToArray();
        var index = new Dictionary<string, int>(array.Length, StringComparer.Ordinal);
        for (var i = 0; i < array.Length; i++) index[array[i].Id] = i;
        return new ScoredPortfolio(asOf, stream.Version, array, index);
    }

    /// <summary>
    /// This portfolio at a later data version, with the accounts of changed (their whole histories, read at that
    /// version) scored again. Accounts are never removed from the store; an account new to the store comes with an
    /// import, which rescores everything.
    /// </summary>
    public ScoredPortfolio With(long version, IReadOnlyList<AccountHistory> changed, ScoringPolicy policy, ProfilePool? profiles = null)
    {
        if (changed.Count == 0) return new ScoredPortfolio(AsOf, version, _accounts, _index);
        var accounts = (AccountScore[])_accounts.Clone();
        foreach (var history in changed)
        {
            if (!_index.TryGetValue(history.Id, out var i))
                throw new InvalidOperationException($"account {history.Id} is new to the store: the portfolio is read again, not patched");
            var h = profiles is null ? history : history with { Profile = profiles.Share(history.Profile) };
            accounts[i] = AccountScoring.Score(AccountDerivation.Derive(h, AsOf, policy), AsOf, policy, explain: false);
        }
        return new ScoredPortfolio(AsOf, version, accounts, _index);
    }

    /// <summary>Whether every account of changed is already in this portfolio (else it must be read again).</summary>
    public bool Holds(IReadOnlyList<AccountHistory> changed) => changed.All(h => _index.ContainsKey(h.Id));

    private IReadOnlyList<string> Distinct(Func<AccountScore, string> value) =>
        _accounts.Select(value).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Order(CodePointOrder.Instance).ToList();
}

/// <summary>
/// The account profiles of the portfolios kept in memory, one object per distinct profile: the portfolios of several
/// dates hold the same accounts, and an account's profile is not dated. Thread-safe.
/// </summary>
public sealed class ProfilePool
{
    private readonly ConcurrentDictionary<string, AccountProfile> _profiles = new(StringComparer.Ordinal);

    /// <summary>The pooled profile equal to profile (which becomes the pooled one when it differs or is new).</summary>
    public AccountProfile Share(AccountProfile profile) =>
        _profiles.AddOrUpdate(profile.Id, profile, (_, known) => known == profile ? known : profile);
}

/// <summary>The distinct values of the text fields filters accept, as stored (empty ones left out), in the store's order.</summary>
public sealed record KnownValues(IReadOnlyList<string> Segments, IReadOnlyList<string> Csms, IReadOnlyList<string> Tiers);

