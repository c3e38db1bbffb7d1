using ValueMcp.Scoring;
using ValueMcp.Store;

namespace ValueMcp.Server.App;

/// <summary>
/// The application's read side: load facts (store), decide (scoring), shape the answer. One method per question.
/// </summary>
public sealed class ValueService(Database db, ScoringPolicy policy, TimeProvider clock, PortfolioCache portfolios)
{
    private readonly FactReader _reader = new(db);

    public ValueService(Database db, ScoringPolicy policy, TimeProvider clock) : this(db, policy, clock, new PortfolioCache(db, policy)) { }

    public ScoringPolicy Policy => policy;
    public Database Database => db;
    public FactReader Reader => _reader;

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

    public PortfolioHealthResult Health(DateOnly asOf, PortfolioFilter filter)
    {
        var health = Scored(asOf).Health(filter);
        return new PortfolioHealthResult(asOf, Shape.Filters(filter), Shape.Kpis(health.Kpis),
            Shape.Breakdown(health.ByBand), Shape.Breakdown(health.ByReadiness), Shape.Breakdown(health.ByRenewalFlag),
            Shape.Breakdown(health.ByLifecycleStage),
            health.BySegment.Select(s => new SegmentKpisDto(s.Segment, Shape.Kpis(s.Kpis))).ToList());
    }

    public AccountListResult List(DateOnly asOf, PortfolioFilter filter, SortKey sortBy, bool? descending, int limit, int offset)
    {
        var sorted = Scored(asOf).Sorted(filter, sortBy, descending);
        if (offset > sorted.Count) throw new InputException($"cursor: points past the end of the listing ({sorted.Count} accounts); start again without a cursor");
        var page = Scoring.Portfolio.Paginate(sorted, offset, limit);
        return new AccountListResult(asOf, Shape.Filters(filter), sortBy, descending ?? sortBy == SortKey.Arr, page.Total,
            page.Items.Select(a => Shape.Card(Explain(a))).ToList(), page.NextOffset is int next ? Inputs.Cursor(next) : null);
    }

    public ScorecardResult Scorecard(string accountId, DateOnly asOf)
    {
        var history = _reader.History(accountId).History
            ?? throw new InputException($"account_id: unknown account \"{Inputs.Show(accountId)}\"; use list_accounts to find account ids");
        var facts = AccountDerivation.Derive(history, asOf, policy);
        var score = AccountScoring.Score(facts, asOf, policy);
        var outcomes = history.Outcomes
            .Select(o => OutcomeScoring.Score(o, history.Evidence, asOf, policy))
            .OfType<OutcomeScore>()
            .Select(o => Shape.Outcome(o))
            .ToList();
        var windowStart = policy.RecentWindowStart(asOf);
        var signals = history.Signals.Where(s => s.ObservedAt >= windowStart && s.ObservedAt <= asOf).Select(Shape.Signal).ToList();
        var card = Shape.Card(score);
        return new ScorecardResult(card)
        {
            AsOf = asOf,
            Active = score.Active,
            AccountManager = facts.Profile.AccountManager,
            ExecutiveSponsor = facts.Profile.ExecutiveSponsor,
            ContractStart = facts.Profile.ContractStart,
            ContractedCapacity = facts.Profile.ContractedCapacity,
            UsedCapacity = facts.Profile.UsedCapacity,
            FirstValueAt = score.FirstValueAt,
            LaneTiming = score.Lane?.Timing,
            Outcomes = outcomes,
            SignalsRecent = signals,
            ArrHistory = Shape.ArrHistory(Ledger.Replay(history.Movements, asOf)),
            Milestones = history.Milestones.Where(m => m.ReachedAt <= asOf).Select(m => new MilestoneDto(m.Kind, m.ReachedAt)).ToList(),
            Reasons = new ReasonsDto(score.Band.Reason, score.Readiness.Reason, score.Risk.Reason, score.NextAction.Reason, score.Lane?.Reason),
            // The overrides recorded on or before as_of (an override is a dated fact: created later, it did not exist yet).
            OverrideHistory = history.Overrides.Where(o => o.CreatedAt <= asOf).Select(o => new OverrideHistoryDto(o.Field, o.Value, o.Reason, o.Author, o.CreatedAt, o.ExpiresAt,
                AccountScoring.OverrideInForce(o, asOf))).ToList(),
        };
    }

    public RenewalRisksResult RenewalRisks(DateOnly asOf, PortfolioFilter filter, int withinDays, RenewalRisk minRisk, int limit)
    {
        var scored = Scored(asOf);
        var renewing = scored.Select(filter).Where(a => a.DaysToRenewal <= withinDays).ToList();
        var listed = scored.Ordered("renewal_risk", RiskOrder)
            .Where(a => a.Risk.Value != RenewalRisk.None && a.Risk.Value >= minRisk && a.DaysToRenewal <= withinDays && filter.Matches(a))
            .ToList();
        decimal ArrOf(RenewalRisk r) => renewing.Where(a => a.Risk.Value == r).Sum(a => a.Arr);
        return new RenewalRisksResult(asOf, Shape.Filters(filter), withinDays, minRisk, listed.Count,
            listed.Take(limit).Select(Explain).Select(a => new RiskAccount(Shape.Card(a)) { Risk = a.Risk.Value, RiskReasons = a.Risk.Reason }).ToList(),
            new RiskArr(ArrOf(RenewalRisk.High), ArrOf(RenewalRisk.Medium), ArrOf(RenewalRisk.Low)));
    }

    public ExpansionResult Expansion(DateOnly asOf, PortfolioFilter filter, bool includeEmerging, int limit)
    {
        var scored = Scored(asOf);
        var accounts = scored.Select(filter);
        var listed = scored.Ordered("expansion", ExpansionOrder)
            .Where(a => (a.Readiness.Value == Readiness.Ready || (includeEmerging && a.Readiness.Value == Readiness.Emerging)) && filter.Matches(a))
            .ToList();
        return new ExpansionResult(asOf, Shape.Filters(filter), includeEmerging, listed.Count,
            listed.Take(limit).Select(Explain).Select(a =>
            {
                var lane = a.Lane ?? AccountScoring.SuggestLane(a.Facts.Recent);
                return new ExpansionAccount(Shape.Card(a) with { Lane = lane.Lane }) { LaneReasons = lane.Reason, Timing = lane.Timing };
            }).ToList(),
            accounts.Where(a => a.Readiness.Value == Readiness.Ready).Sum(a => a.Arr),
            accounts.Where(a => a.Readiness.Value == Readiness.Emerging).Sum(a => a.Arr));
    }

    public MoversResult Movers(DateOnly since, DateOnly asOf, PortfolioFilter filter)
    {
        if (since >= asOf) throw new InputException($"since: {FactReader.Iso(since)} must be before as_of ({FactReader.Iso(asOf)})");
        var atA = Scored(since);
        var movers = Scoring.Movers.Between(atA.Find, Scored(asOf).All, policy, filter);
        var newSignals = _reader.Signals(movers.Select(m => m.After.Id), since, asOf);
        var shaped = movers.Select(m =>
        {
            var before = m.Before.Facts.OverdueOutcomes.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
            var fellBehind = m.After.Facts.OverdueOutcomes.Where(o => !before.Contains(o.Id))
                .Select(o => new OutcomeRefDto(o.Id, o.Title, o.DueDate)).ToList();
            var signals = newSignals[m.After.Id].Select(Shape.Signal).ToList();
            return new MoverDto(Shape.Card(Explain(m.After)), State(m.BeforeState), State(m.AfterState), m.Changes, m.Causes, fellBehind, signals);
        }).ToList();
        return new MoversResult(since, asOf, Shape.Filters(filter), shaped.Count, shaped);
    }

    public CsmBookResult CsmBook(string csm, DateOnly asOf)
    {
        var filter = new PortfolioFilter { Csm = csm };
        var accounts = Portfolio(asOf, filter);
        var attention = Scoring.Portfolio.NeedsAttention(accounts).Select(a => Shape.Card(Explain(a))).ToList();
        return new CsmBookResult(asOf, csm, Shape.Kpis(Scoring.Portfolio.Kpis(accounts)), attention,
            Shape.Breakdown(Scoring.Portfolio.Breakdown(accounts, a => a.Band.Value)),
            Shape.FulfilmentDistribution(accounts),
            Shape.Breakdown(Scoring.Portfolio.Breakdown(accounts, a => a.NextAction.Kind)));
    }

    /// <summary>list_renewal_risks: highest risk first, then the soonest renewal, then the largest ARR, then id.</summary>
    private static int RiskOrder(AccountScore x, AccountScore y)
    {
        var c = y.Risk.Value.CompareTo(x.Risk.Value);
        if (c == 0) c = x.DaysToRenewal.CompareTo(y.DaysToRenewal);
        if (c == 0) c = y.Arr.CompareTo(x.Arr);
        return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
    }

    /// <summary>expansion_ready_accounts: ready before emerging (then the rest), then the largest ARR, then id.</summary>
    private static int ExpansionOrder(AccountScore x, AccountScore y)
    {
        var c = Scoring.Portfolio.ReadinessRank(x.Readiness.Value).CompareTo(Scoring.Portfolio.ReadinessRank(y.Readiness.Value));
        if (c == 0) c = y.Arr.CompareTo(x.Arr);
        return c != 0 ? c : string.CompareOrdinal(x.Id, y.Id);
    }

    private static MoverStateDto State(MoverState s) => new(s.Band, s.Readiness, s.Risk);
}
