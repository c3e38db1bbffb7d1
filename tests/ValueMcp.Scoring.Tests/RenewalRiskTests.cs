using ValueMcp.Scoring;
using static ValueMcp.Scoring.Tests.AccountBuilder;

namespace ValueMcp.Scoring.Tests;

/// <summary>Renewal risk, every branch.</summary>
public class RenewalRiskTests
{
    private static RenewalRisk Risk(AccountBuilder account) => account.Score().Risk.Value;

    // none

    [Fact]
    public void Beyond_180_days_there_is_no_renewal_risk_whatever_else_is_true()
    {
        var score = Account().Outcomes(10, 1).RenewsInDays(181).RiskSignal().Overdue("Cut cycle time").Score();

        score.Band.Value.Should().Be(Band.Critical);
        score.Risk.Value.Should().Be(RenewalRisk.None);
        score.Risk.Reason.Should().Contain("181");
    }

    [Fact]
    public void At_exactly_180_days_renewal_risk_is_assessed()
    {
        Risk(Account().Outcomes(10, 1).RenewsInDays(180)).Should().Be(RenewalRisk.High);
    }

    // high

    [Theory]
    [InlineData(4, 10)]    // at_risk
    [InlineData(1, 10)]    // critical
    [InlineData(0, 0)]     // no_contract counts as not on_track
    public void High_when_flag_red_and_band_not_on_track(int evidenced, int promised)
    {
        var score = Account().Outcomes(promised, evidenced).RenewsInDays(90).Score();

        score.RenewalFlag.Should().Be(RenewalFlag.Red);
        score.Risk.Value.Should().Be(RenewalRisk.High);
        score.Risk.Reason.Should().Contain("flag red");
    }

    [Fact]
    public void High_when_the_renewal_date_has_passed_and_band_not_on_track()
    {
        var score = Account().Outcomes(10, 5).RenewsInDays(-3).Score();

        score.Risk.Value.Should().Be(RenewalRisk.High);
        score.Risk.Reason.Should().Contain("passed 3 days ago");
    }

    [Fact]
    public void High_when_flag_amber_and_band_critical()
    {
        var score = Account().Outcomes(10, 3).RenewsInDays(150).Score();

        score.RenewalFlag.Should().Be(RenewalFlag.Amber);
        score.Risk.Value.Should().Be(RenewalRisk.High);
        score.Risk.Reason.Should().Contain("flag amber").And.Contain("critical");
    }

    [Theory]
    [InlineData(10, 5)]    // at_risk
    [InlineData(0, 0)]     // no_contract
    public void High_when_a_risk_signal_and_band_not_on_track(int promised, int evidenced)
    {
        var score = Account().Outcomes(promised, evidenced).RenewsInDays(150).RiskSignal("sponsor_change").Score();

        score.Risk.Value.Should().Be(RenewalRisk.High);
        score.Risk.Reason.Should().Contain("sponsor_change");
    }

    // medium

    [Fact]
    public void Medium_when_flag_amber_and_band_at_risk()
    {
        var score = Account().Outcomes(10, 5).RenewsInDays(91).Score();

        score.Risk.Value.Should().Be(RenewalRisk.Medium);
        score.Risk.Reason.Should().Contain("flag amber");
    }

    [Fact]
    public void Medium_when_flag_red_band_on_track_and_a_risk_signal()
    {
        var score = Account().Outcomes(10, 10).RenewsInDays(30).RiskSignal("login_decline", "usage").Score();

        score.Risk.Value.Should().Be(RenewalRisk.Medium);
        score.Risk.Reason.Should().Contain("login_decline");
    }

    [Fact]
    public void Medium_when_any_outcome_is_overdue()
    {
        var score = Account().Outcomes(10, 8).RenewsInDays(150).Overdue("Cut forecast cycle time").Score();

        score.Band.Value.Should().Be(Band.OnTrack);
        score.Risk.Value.Should().Be(RenewalRisk.Medium);
        score.Risk.Reason.Should().Contain("Cut forecast cycle time");
    }

    // low

    [Theory]
    [InlineData(0)]
    [InlineData(90)]
    [InlineData(150)]
    [InlineData(180)]
    public void Low_for_an_on_track_account_renewing_soon_with_nothing_wrong(int days)
    {
        Risk(Account().Outcomes(10, 10).RenewsInDays(days)).Should().Be(RenewalRisk.Low);
    }

    [Fact]
    public void Low_for_flag_amber_band_on_track_and_a_risk_signal()
    {
        // not high (band on_track), not medium (flag is amber, not red; nothing overdue)
        Risk(Account().Outcomes(10, 10).RenewsInDays(150).RiskSignal()).Should().Be(RenewalRisk.Low);
    }

    [Fact]
    public void Low_for_flag_amber_and_no_contract_without_a_risk_signal()
    {
        // literal reading of domain.md: no high branch (not red, not critical, no risk signal) and no medium branch
        Risk(Account().NoContract().RenewsInDays(150)).Should().Be(RenewalRisk.Low);
    }

    [Fact]
    public void Renewal_risk_horizon_comes_from_the_policy()
    {
        var policy = ScoringPolicy.Default with { RenewalRiskHorizonDays = 100 };

        Account().Outcomes(10, 3).RenewsInDays(101).Score(policy).Risk.Value.Should().Be(RenewalRisk.None);
        Account().Outcomes(10, 3).RenewsInDays(100).Score(policy).Risk.Value.Should().Be(RenewalRisk.High);
    }
}
