using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ValueMcp.Scoring;
using ValueMcp.Store;

namespace ValueMcp.Server.App;

/// <summary>
/// The scored portfolios this server keeps: one per as_of asked lately, each at the data version it was scored at,
/// within a memory budget counted in scored accounts (MaxAccounts: at 100,000 accounts, two dates; at 150, many),
/// the least recently asked date dropped first. A question first checks the store's data version (one small read):
/// unchanged, the portfolio answers as it is; a few accounts written since, only those are read and scored again;
/// an import (or many writes), the whole portfolio is read again. One question at a time scores a given date (a
/// second waits for the first's portfolio), and one whole portfolio is read at a time (each read takes every core).
/// </summary>
public sealed class PortfolioCache
{
    /// <summary>The scored accounts kept, over all dates; a portfolio larger than this is still kept alone.</summary>
    public const int MaxAccounts = 250_000;

    /// <summary>The most dates kept, whatever their size.</summary>
    public const int MaxDates = 8;

    /// <summary>Whole reads of portfolios of at least this many accounts are wrapped in full collections (see ReadWhole).</summary>
    private const int CollectAround = 10_000;

    /// <summary>Beyond this many accounts written since a portfolio was scored, it is read again whole.</summary>
    public const int MaxPatchedAccounts = 2_000;

    private readonly IFactStore _reader;
    private readonly ScoringPolicy _policy;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _wholeReads = new(1, 1);
    private readonly Dictionary<DateOnly, Slot> _slots = [];
    private readonly ProfilePool _profiles = new();
    private long _clock;
    private int _lastSize;

    public PortfolioCache(IFactStore db, ScoringPolicy policy, ILogger<PortfolioCache>? logger = null)
    {
        _reader = db;
        _policy = policy;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Every account scored at asOf, at the store's current data version.</summary>
    public ScoredPortfolio At(DateOnly asOf)
    {
        var slot = SlotOf(asOf);
        ScoredPortfolio result;
        lock (slot)
        {
            var version = _reader.Version();
            var current = slot.Portfolio;
            if (current is not null && current.Version == version.Version) return current;
            if (current is null) Trim(reserve: _lastSize); // room for the new portfolio before it is read, not after
            result = slot.Portfolio = current is null ? ReadWhole(asOf) : Update(current);
            _lastSize = result.All.Count;
        }
        Trim(reserve: 0);
        return result;
    }

    /// <summary>Scores asOf in the background (at start, after an import), so that the first question finds it ready.</summary>
    public void Warm(DateOnly asOf) => ThreadPool.UnsafeQueueUserWorkItem(_ =>
    {
        try
        {
            At(asOf);
        }
        catch (Exception e)
        {
            // The question that needs it will meet the same problem and answer it; here it is only logged.
            _logger.LogWarning("scoring the portfolio at {AsOf} in the background failed: {Message}", asOf, e.Message);
        }
    }, null);

    private ScoredPortfolio Update(ScoredPortfolio current)
    {
        var (now, changed) = _reader.ChangesSince(current.Version, MaxPatchedAccounts);
        if (changed is null || !current.Holds(changed)) return ReadWhole(current.AsOf);
        return current.With(now.Version, changed, _policy, _profiles);
    }

    private static void Collect() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    private ScoredPortfolio ReadWhole(DateOnly asOf)
    {
        _wholeReads.Wait();
        try
        {
            // A whole read allocates several hundred MB of short-lived rows, and often replaces a dropped portfolio: a
            // full collection before it (the dropped one goes) and after it (the rows go) keeps the server's footprint
            // near what it holds rather than near its peak. Pauses of some tens of ms around a read of seconds.
            var large = _lastSize >= CollectAround;
            if (large) Collect();
            ScoredPortfolio portfolio;
            using (var stream = _reader.Histories(asOf, _policy.TrendWindowDays)) portfolio = ScoredPortfolio.Score(stream, asOf, _policy, _profiles);
            if (large || portfolio.All.Count >= CollectAround) Collect();
            return portfolio;
        }
        finally
        {
            _wholeReads.Release();
        }
    }

    private Slot SlotOf(DateOnly asOf)
    {
        lock (_gate)
        {
            if (!_slots.TryGetValue(asOf, out var slot)) _slots[asOf] = slot = new Slot();
            slot.LastAsked = ++_clock;
            return slot;
        }
    }

    /// <summary>
    /// Drops the least recently asked dates beyond the budget, keeping room for reserve more accounts (a question still
    /// using a dropped portfolio keeps its own reference). The most recently asked date always stays.
    /// </summary>
    private void Trim(int reserve)
    {
        lock (_gate)
        {
            while (_slots.Count > 1)
            {
                var held = _slots.Values.Sum(s => s.Portfolio?.All.Count ?? 0) + reserve;
                if (held <= MaxAccounts && _slots.Count <= MaxDates) return;
                var oldest = _slots.MinBy(kv => kv.Value.LastAsked);
                _slots.Remove(oldest.Key);
            }
        }
    }

    private sealed class Slot
    {
        public ScoredPortfolio? Portfolio;
        public long LastAsked;
    }
}
