using ValueMcp.Scoring;
using static ValueMcp.Scoring.Tests.AccountBuilder;

namespace ValueMcp.Scoring.Tests;

/// <summary>Movers between two dates A &lt; B.</summary>
public class MoversTests
{
    private static readonly DateOnly A = AsOf.AddDays(-7);
    private static readonly DateOnly B = AsOf;
    private static readonly DateOnly Renewal = AsOf.AddDays(400);

    private static IReadOnlyList<Mover> Between(IEnumerable<AccountBuilder> atA, IEnumerable<AccountBuilder> atB, PortfolioFilter? filter = null) =>
        Movers.Between(
            atA.Select(b => b.Build()).ToDictionary(f => f.Id),
            atB.Select(b => b.Build()),
            A, B, ScoringPolicy.Default, filter ?? PortfolioFilter.None);

    [Fact]
    public void A_band_change_is_a_mover()
    {
        var movers = Between([Account("x").Outcomes(10, 5).RenewsOn(Renewal)], [Account("x").Outcomes(10, 8).RenewsOn(Renewal)]);

        var mover = movers.Should().ContainSingle().Subject;
        mover.BeforeState.Band.Should().Be(Band.AtRisk);
        mover.AfterState.Band.Should().Be(Band.OnTrack);
        mover.Changes.Should().Equal("band at_risk -> on_track");
        mover.Before.AsOf.Should().Be(A);
        mover.After.AsOf.Should().Be(B);
    }

    [Fact]
    public void A_readiness_change_is_a_mover()
    {
        var movers = Between(
            [Account("x").Outcomes(10, 10).Utilisation(0.5m).RenewsOn(Renewal)],
            [Account("x").Outcomes(10, 10).Utilisation(0.9m).RenewsOn(Renewal)]);

        movers.Should().ContainSingle().Which.Changes.Should().Equal("readiness not_ready -> ready");
    }

    [Fact]
    public void A_renewal_risk_change_from_none_is_a_mover()
    {
        // renewal 175 days after B: 182 days at A (beyond the horizon: none), 175 at B (amber, on_track: low)
        var renewal = B.AddDays(175);
        var movers = Between([Account("x").RenewsOn(renewal)], [Account("x").RenewsOn(renewal)]);

        var mover = movers.Should().ContainSingle().Subject;
        mover.BeforeState.Risk.Should().Be(RenewalRisk.None);
        mover.AfterState.Risk.Should().Be(RenewalRisk.Low);
        mover.Changes.Should().Equal("risk none -> low");
    }

    [Fact]
    public void An_unchanged_account_is_not_a_mover()
    {
        Between([Account("x").Outcomes(10, 5).RenewsOn(Renewal)], [Account("x").Outcomes(10, 5).RenewsOn(Renewal)]).Should().BeEmpty();
    }

    [Fact]
    public void An_account_inactive_at_B_is_not_a_mover_even_if_it_changed()
    {
        Between(
            [Account("x").Outcomes(10, 5).RenewsOn(Renewal)],
            [Account("x").Outcomes(10, 8).RenewsOn(Renewal).WithArr(0m)]).Should().BeEmpty();
    }

    [Fact]
    public void An_account_inactive_at_A_but_active_at_B_can_be_a_mover()
    {
        Between(
            [Account("x").NoContract().RenewsOn(Renewal).WithArr(0m)],
            [Account("x").Outcomes(10, 8).RenewsOn(Renewal)]).Should().ContainSingle();
    }

    [Fact]
    public void Movers_are_ordered_by_id_and_filtered_at_B()
    {
        var atA = new[] { "c", "a", "b" }.Select(id => Account(id).Outcomes(10, 5).RenewsOn(Renewal).InSegment(id == "b" ? "SMB" : "Enterprise"));
        var atB = new[] { "c", "a", "b" }.Select(id => Account(id).Outcomes(10, 9).RenewsOn(Renewal).InSegment(id == "b" ? "SMB" : "Enterprise"));

        Between(atA, atB).Select(m => m.After.Id).Should().Equal("a", "b", "c");
        Between(atA, atB, new PortfolioFilter { Segment = "smb" }).Select(m => m.After.Id).Should().Equal("b");
    }

    [Fact]
    public void Severity_is_positive_toward_trouble()
    {
        var worse = Between([Account("x").Outcomes(10, 8).RenewsOn(Renewal)], [Account("x").Outcomes(10, 2).RenewsOn(Renewal)]).Single();
        var better = Between([Account("x").Outcomes(10, 2).RenewsOn(Renewal)], [Account("x").Outcomes(10, 8).RenewsOn(Renewal)]).Single();

        worse.Severity.Should().BePositive();
        better.Severity.Should().BeNegative();
    }

    [Fact]
    public void A_must_be_before_B()
    {
        var facts = new Dictionary<string, AccountFacts>();
        var act = () => Movers.Between(facts, [], B, B, ScoringPolicy.Default, PortfolioFilter.None);

        act.Should().Throw<ArgumentException>();
    }
}
