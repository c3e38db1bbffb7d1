using ValueMcp.Scoring;

namespace ValueMcp.Scoring.Tests;

/// <summary>
/// Builds <see cref="AccountFacts"/> for a test. The defaults describe a quiet, healthy account so that a test
/// only states what matters to it: 100,000 ARR, 10 of 10 outcomes evidenced (band on_track), renewal a year
/// away (flag none, risk none), capacity unknown and no recent signal (readiness not_ready), a live milestone,
/// no overdue outcome, no recent win, no override.
/// </summary>
public sealed class AccountBuilder
{
    public static readonly DateOnly AsOf = new(2026, 3, 31);

    private string _id = "acc-001";
    private string _name = "Acme";
    private string _segment = "Enterprise";
    private string _tier = "1";
    private string _csm = "Dana Scully";
    private DateOnly _contractStart = AsOf.AddDays(-400);
    private DateOnly _renewalDate = AsOf.AddDays(365);
    private decimal? _contracted;
    private decimal? _used;
    private decimal _arr = 100_000m;
    private int _promised = 10;
    private int _evidenced = 10;
    private int _lowConfidenceOnly;
    private readonly List<OutcomeRef> _overdue = [];
    private DateOnly? _firstEvidencedAt = AsOf.AddDays(-300);
    private DateOnly? _firstValueMilestoneAt;
    private bool _liveOrLater = true;
    private DateOnly? _lastExpansionAt;
    private DateOnly? _lastRenewedAt;
    private int _engagementSum;
    private int _positiveUsage;
    private int _positiveSuccess;
    private int _positiveData;
    private int _positiveCapacity;
    private readonly List<SignalRef> _riskSignals = [];
    private readonly List<OverrideFact> _overrides = [];

    public static AccountBuilder Account(string id = "acc-001") => new AccountBuilder().WithId(id);

    public AccountBuilder WithId(string id) { _id = id; return this; }
    public AccountBuilder Named(string name) { _name = name; return this; }
    public AccountBuilder InSegment(string segment) { _segment = segment; return this; }
    public AccountBuilder WithTier(string tier) { _tier = tier; return this; }
    public AccountBuilder WithCsm(string csm) { _csm = csm; return this; }
    public AccountBuilder WithArr(decimal arr) { _arr = arr; return this; }

    /// <summary>Promised and evidenced outcome counts (fulfilment = evidenced / promised).</summary>
    public AccountBuilder Outcomes(int promised, int evidenced)
    {
        _promised = promised;
        _evidenced = evidenced;
        if (evidenced == 0) _firstEvidencedAt = null;
        return this;
    }

    /// <summary>No promised outcome at all: no value contract.</summary>
    public AccountBuilder NoContract() => Outcomes(0, 0);

    public AccountBuilder LowConfidenceOnly(int count) { _lowConfidenceOnly = count; return this; }

    public AccountBuilder Overdue(params string[] titles)
    {
        foreach (var t in titles)
            _overdue.Add(new OutcomeRef($"out-{_overdue.Count + 1}", t, AsOf.AddDays(-10)));
        return this;
    }

    public AccountBuilder RenewsInDays(int days) { _renewalDate = AsOf.AddDays(days); return this; }
    public AccountBuilder RenewsOn(DateOnly date) { _renewalDate = date; return this; }
    public AccountBuilder ContractStartedDaysAgo(int days) { _contractStart = AsOf.AddDays(-days); return this; }
    public AccountBuilder ContractStartedOn(DateOnly date) { _contractStart = date; return this; }

    public AccountBuilder Capacity(decimal? contracted, decimal? used) { _contracted = contracted; _used = used; return this; }

    /// <summary>Utilisation as a fraction of 100 contracted units.</summary>
    public AccountBuilder Utilisation(decimal fraction) => Capacity(100m, fraction * 100m);

    public AccountBuilder UnknownUtilisation() => Capacity(null, null);

    /// <summary>The sum of polarities of usage and success signals in the recent window.</summary>
    public AccountBuilder Engagement(int polaritySum) { _engagementSum = polaritySum; return this; }

    public AccountBuilder PositiveSignals(int usage = 0, int success = 0, int data = 0, int capacity = 0)
    {
        _positiveUsage = usage;
        _positiveSuccess = success;
        _positiveData = data;
        _positiveCapacity = capacity;
        return this;
    }

    public AccountBuilder RiskSignal(string kind = "ticket_spike", string category = "risk", int daysAgo = 5)
    {
        _riskSignals.Add(new SignalRef($"sig-{_riskSignals.Count + 1}", category, kind, -1, AsOf.AddDays(-daysAgo)));
        return this;
    }

    /// <summary>Date of the first evidenced outcome; null for none.</summary>
    public AccountBuilder FirstEvidencedOn(DateOnly? date) { _firstEvidencedAt = date; return this; }
    public AccountBuilder FirstValueMilestoneOn(DateOnly? date) { _firstValueMilestoneAt = date; return this; }
    public AccountBuilder LiveOrLaterMilestone(bool reached) { _liveOrLater = reached; return this; }

    /// <summary>No first value of any kind and no live/first_value/adopted milestone.</summary>
    public AccountBuilder NothingReached()
    {
        _firstEvidencedAt = null;
        _firstValueMilestoneAt = null;
        _liveOrLater = false;
        return this;
    }

    public AccountBuilder LastExpansionDaysAgo(int days) { _lastExpansionAt = AsOf.AddDays(-days); return this; }
    public AccountBuilder LastRenewedDaysAgo(int days) { _lastRenewedAt = AsOf.AddDays(-days); return this; }

    public AccountBuilder Override(OverrideField field, string value, string reason = "CSM judgement", string author = "vp.cs",
        DateOnly? createdAt = null, DateOnly? expiresAt = null)
    {
        _overrides.Add(new OverrideFact(field, value, reason, author, createdAt ?? AsOf.AddDays(-1), expiresAt));
        return this;
    }

    public AccountFacts Build() => new(
        new AccountProfile(_id, _name, _segment, _tier, _csm, "Alex Krycek", "Walter Skinner",
            _contractStart, _renewalDate, _contracted, _used),
        _arr,
        _promised,
        _evidenced,
        _lowConfidenceOnly,
        _overdue.ToList(),
        _firstEvidencedAt,
        _firstValueMilestoneAt,
        _liveOrLater,
        _lastExpansionAt,
        _lastRenewedAt,
        new RecentSignals(_engagementSum, _positiveUsage, _positiveSuccess, _positiveData, _positiveCapacity, _riskSignals.ToList()),
        _overrides.ToList());

    public AccountScore Score(ScoringPolicy? policy = null, DateOnly? asOf = null) =>
        AccountScoring.Score(Build(), asOf ?? AsOf, policy ?? ScoringPolicy.Default);
}

/// <summary>Promised outcomes and evidence for <see cref="OutcomeScoring"/> tests.</summary>
public static class OutcomeData
{
    public static readonly DateOnly AsOf = AccountBuilder.AsOf;

    /// <summary>"Raise weekly active users from 10 to 20" by default: baseline 10, target 20, increase.</summary>
    public static OutcomeFact Outcome(
        decimal? baseline = 10m, decimal? target = 20m, Direction? direction = Direction.Increase,
        DateOnly? promisedAt = null, DateOnly? dueDate = null, string id = "out-1") =>
        new(id, "acc-001", "Raise weekly active users", "wau", "users", baseline, target, direction,
            promisedAt ?? AsOf.AddDays(-100), dueDate, "deal-42");

    /// <summary>"Cut forecast cycle time from 100 to 60 hours": baseline 100, target 60, decrease.</summary>
    public static OutcomeFact Decrease(DateOnly? dueDate = null) =>
        Outcome(baseline: 100m, target: 60m, direction: Direction.Decrease, dueDate: dueDate);

    public static EvidenceFact Evidence(
        DateOnly capturedAt, decimal? observed = null, bool? achieved = null,
        EvidenceSource source = EvidenceSource.Usage, string id = "ev-1", string outcomeId = "out-1") =>
        new(id, outcomeId, capturedAt, source, observed, achieved, "", "tester");

    public static OutcomeScore Score(OutcomeFact outcome, params EvidenceFact[] evidence) =>
        OutcomeScoring.Score(outcome, evidence, AsOf, ScoringPolicy.Default)
        ?? throw new InvalidOperationException("outcome not promised at as_of");
}
