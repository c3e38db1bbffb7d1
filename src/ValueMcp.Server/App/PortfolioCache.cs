using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ValueMcp.Scoring;
using ValueMcp.Store;

namespace ValueMcp.Server.App;

/// <summary>
/// The scored portfolios this server keeps: one per as_of asked lately (at most MaxDates, the least recently asked
/// dropped first), each at the data version it was scored at. A question first checks the store's data version (one
/// small read): unchanged, the portfolio answers as it is; a few accounts written since, only those are read and
/// scored again; an import (or many writes), the whole portfolio is read again. One scoring at a time per as_of: a
/// second question waits for the first's answer rather than scoring again.
/// </summary>
public sealed class PortfolioCache
{
    /// <summary>How many as_of dates are kept (each holds every account scored).</summary>
    public const int MaxDates = 3;

    /// <summary>Beyond this many accounts written since a portfolio was scored, it is read again whole.</summary>
    public const int MaxPatchedAccounts = 2_000;

    private readonly FactReader _reader;
    private readonly ScoringPolicy _policy;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Dictionary<DateOnly, Slot> _slots = [];
    private readonly ProfilePool _profiles = new();
    private long _clock;

    public PortfolioCache(Database db, ScoringPolicy policy, ILogger<PortfolioCache>? logger = null)
    {
        _reader = new FactReader(db);
        _policy = policy;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Every account scored at asOf, at the store's current data version.</summary>
    public ScoredPortfolio At(DateOnly asOf)
    {
        var slot = SlotOf(asOf);
        lock (slot)
        {
            var version = _reader.Version();
            var current = slot.Portfolio;
            if (current is not null && current.Version == version.Version) return current;
            slot.Portfolio = current is null ? ReadWhole(asOf) : Update(current);
            return slot.Portfolio;
        }
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

    private ScoredPortfolio ReadWhole(DateOnly asOf)
    {
        using var stream = _reader.Histories(asOf);
        return ScoredPortfolio.Score(stream, asOf, _policy, _profiles);
    }

    private Slot SlotOf(DateOnly asOf)
    {
        lock (_gate)
        {
            if (!_slots.TryGetValue(asOf, out var slot)) _slots[asOf] = slot = new Slot();
            slot.LastAsked = ++_clock;
            while (_slots.Count > MaxDates)
            {
                var oldest = _slots.MinBy(kv => kv.Value.LastAsked);
                _slots.Remove(oldest.Key); // a question still using it keeps its own reference
            }
            return slot;
        }
    }

    private sealed class Slot
    {
        public ScoredPortfolio? Portfolio;
        public long LastAsked;
    }
}
