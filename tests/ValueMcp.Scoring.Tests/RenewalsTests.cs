using ValueMcp.Scoring;

namespace ValueMcp.Scoring.Tests;

/// <summary>Builds an <see cref="AccountHistory"/> for the renewal and backtest examples of definitions.md.</summary>
public sealed class HistoryBuilder
{
    private readonly AccountProfile _profile;
    private readonly List<MovementFact> _movements = [];
    private readonly List<OutcomeFact> _outcomes = [];
    private readonly List<EvidenceFact> _evidence = [];
    private readonly List<MilestoneFact> _milestones = [];
    private readonly List<OverrideFact> _overrides = [];
    private readonly List<RenewalFact> _renewals = [];

    private HistoryBuilder(string id, DateOnly start, DateOnly renewal, string segment, string csm) =>
        _profile = new AccountProfile(id, id.ToUpperInvariant(), segment, "1", csm, "am", "sponsor", start, renewal, null, null);

    /// <summary>An account signed a year before its renewal date with this ARR.</summary>
    public static HistoryBuilder Account(string id, DateOnly renewal, decimal arr, string segment = "Enterprise", string csm = "Dana")
    {
        var b = new HistoryBuilder(id, renewal.AddYears(-1), renewal, segment, csm);
        b._movements.Add(new MovementFact(id, renewal.AddYears(-1), MovementKind.New, arr, "", ""));
        return b;
    }

    /// <summary>One outcome promised at the start, evidenced (achieved) 100 days in: fulfilment 1, band on_track.</summary>
    public HistoryBuilder OnTrack()
    {
        _outcomes.Add(new OutcomeFact($"{_profile.Id}-o1", _profile.Id, "Cut cycle time", "", "", null, null, null, _profile.ContractStart, null, ""));
        _evidence.Add(new EvidenceFact($"{_profile.Id}-e1", $"{_profile.Id}-o1", _profile.ContractStart.AddDays(100), EvidenceSource.Usage, null, true, "", ""));
        return this;
    }

    /// <summary>One outcome promised at the start, never evidenced and with no due date: fulfilment 0, band critical, nothing overdue.</summary>
    public HistoryBuilder Critical()
    {
        _outcomes.Add(new OutcomeFact($"{_profile.Id}-o1", _profile.Id, "Cut cycle time", "", "", null, null, null, _profile.ContractStart, null, ""));
        return this;
    }

    public HistoryBuilder Recorded(DateOnly renewalDate, RenewalOutcome outcome, DateOnly decidedAt, decimal? renewedArr = null,
        DateOnly? next = null, RenewalReason? reason = null)
    {
        _renewals.Add(new RenewalFact(_profile.Id, renewalDate, outcome, renewedArr,
            outcome == RenewalOutcome.Churned ? null : next ?? renewalDate.AddYears(1), reason, decidedAt, ""));
        return this;
    }

    public HistoryBuilder Churn(DateOnly on)
    {
        _movements.Add(new MovementFact(_profile.Id, on, MovementKind.Churn, 0m, "", ""));
        return this;
    }

    public HistoryBuilder RenewedMilestone(DateOnly on)
    {
        _milestones.Add(new MilestoneFact(_profile.Id, MilestoneKind.Renewed, on));
        return this;
    }

    public HistoryBuilder ProbabilityOverride(string value, DateOnly createdAt, string author = "cro")
    {
        _overrides.Add(new OverrideFact(OverrideField.Probability, value, "knows the buyer", author, createdAt, null));
        return this;
    }

    public AccountHistory Build() => new(_profile, _movements.ToList(), _outcomes.ToList(), _evidence.ToList(), [], _milestones.ToList(),
        _overrides.ToList()) { Renewals = _renewals.OrderBy(r => r.RenewalDate).ToList() };
}

/// <summary>The worked examples of definitions.md, "Renewals": what decides a renewal and which renewal is in force.</summary>
public class RenewalsTests
{
    private static readonly ScoringPolicy Policy = ScoringPolicy.Default;
    private static readonly DateOnly June30 = new(2026, 6, 30);

    [Fact]
    public void Without_a_recorded_renewal_the_renewal_in_force_is_the_account_renewal_date()
    {
        var h = HistoryBuilder.Account("a", June30, 100_000m).OnTrack().Build();

        var before = Renewals.Status(h, new DateOnly(2026, 6, 1), Policy);
        before.Date.Should().Be(June30);
        before.State.Should().Be(RenewalState.Open);

        var facts = AccountDerivation.Derive(h, new DateOnly(2026, 6, 1), Policy);
        facts.Profile.Should().BeSameAs(h.Profile, "no recorded renewal: the profile, and every figure computed from it, is unchanged");
    }

    [Fact]
    public void A_renewal_date_passed_with_no_outcome_is_an_overdue_renewal()
    {
        // Example: renewal 2026-06-30, as of 2026-07-30, nothing recorded: overdue_renewal, 30 days.
        var h = HistoryBuilder.Account("a", June30, 100_000m).OnTrack().Build();

        var s = Renewals.Status(h, new DateOnly(2026, 7, 30), Policy);

        s.State.Should().Be(RenewalState.OverdueRenewal);
        s.Date.Should().Be(June30);
        s.Reason.Should().Contain("passed 30 days ago with no outcome recorded");
        AccountScoring.Score(AccountDerivation.Derive(h, new DateOnly(2026, 7, 30), Policy), new DateOnly(2026, 7, 30), Policy)
            .RenewalFlag.Should().Be(RenewalFlag.Red, "the flag rule is unchanged: a passed renewal date is red");
    }

    [Fact]
    public void A_recorded_renewal_moves_the_renewal_in_force_to_the_next_date_from_the_day_it_was_decided()
    {
        // Example: recorded on 2026-06-20 as renewed, next renewal 2027-06-30.
        var h = HistoryBuilder.Account("a", June30, 100_000m).OnTrack()
            .Recorded(June30, RenewalOutcome.Renewed, new DateOnly(2026, 6, 20), next: new DateOnly(2027, 6, 30)).Build();

        Renewals.Status(h, new DateOnly(2026, 6, 19), Policy).Date.Should().Be(June30, "not decided yet on the 19th");
        var after = Renewals.Status(h, new DateOnly(2026, 6, 20), Policy);
        after.Date.Should().Be(new DateOnly(2027, 6, 30));
        after.State.Should().Be(RenewalState.Open);
        after.Previous!.Outcome.Should().Be(RenewalOutcome.Renewed);
        AccountDerivation.Derive(h, new DateOnly(2026, 6, 20), Policy).Profile.RenewalDate.Should().Be(new DateOnly(2027, 6, 30));
    }

    [Fact]
    public void A_renewed_milestone_within_the_decision_window_decides_the_renewal_in_force()
    {
        // Example: renewed milestone on 2026-06-10, 20 days before the renewal (window 90 days): renewed.
        var h = HistoryBuilder.Account("a", June30, 100_000m).OnTrack().RenewedMilestone(new DateOnly(2026, 6, 10)).Build();

        var s = Renewals.Status(h, new DateOnly(2026, 7, 30), Policy);

        s.State.Should().Be(RenewalState.Renewed, "decided, so not overdue");
        s.Decision!.DecidedBy.Should().Be(RenewalDecider.RenewedMilestone);
        Renewals.Decided(h, new DateOnly(2026, 7, 30), Policy).Should().ContainSingle().Which.Outcome.Should().Be(RenewalOutcome.Renewed);

        // A milestone from the previous cycle (more than 90 days before) decides nothing.
        var old = HistoryBuilder.Account("b", June30, 100_000m).RenewedMilestone(new DateOnly(2025, 7, 1)).Build();
        Renewals.Status(old, new DateOnly(2026, 7, 30), Policy).State.Should().Be(RenewalState.OverdueRenewal);
    }

    [Fact]
    public void A_churn_decides_the_renewal_as_churned_and_a_recorded_churn_ends_the_chain()
    {
        var churned = HistoryBuilder.Account("a", June30, 100_000m).Churn(June30).Build();
        var s = Renewals.Status(churned, new DateOnly(2026, 7, 1), Policy);
        s.State.Should().Be(RenewalState.Churned);
        s.Decision!.RenewedArr.Should().Be(0m);

        var recorded = HistoryBuilder.Account("b", June30, 100_000m)
            .Recorded(June30, RenewalOutcome.Churned, June30, reason: RenewalReason.Competitor).Build();
        var r = Renewals.Status(recorded, new DateOnly(2026, 7, 1), Policy);
        r.State.Should().Be(RenewalState.Churned);
        r.Previous!.Reason.Should().Be(RenewalReason.Competitor);
    }
}
