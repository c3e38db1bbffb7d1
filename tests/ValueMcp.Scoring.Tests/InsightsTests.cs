using ValueMcp.Scoring;
using static ValueMcp.Scoring.Tests.AccountBuilder;

namespace ValueMcp.Scoring.Tests;

/// <summary>Segment insights: each statement quotes the numbers it returns.</summary>
public class InsightsTests
{
    private static readonly ScoringPolicy Policy = ScoringPolicy.Default;

    private static IReadOnlyList<AccountScore> Book() =>
    [
        // Enterprise: 1 of 2 with a contract below 0.50, one without a contract.
        Account("e1").InSegment("Enterprise").WithCsm("Dana").Outcomes(4, 1).WithArr(300_000m).Score(),
        Account("e2").InSegment("Enterprise").WithCsm("Dana").Outcomes(4, 4).WithArr(200_000m).Utilisation(0.9m).Score(),
        Account("e3").InSegment("Enterprise").WithCsm("Fox").NoContract().FirstValueMilestoneOn(AsOf.AddDays(-200)).WithArr(50_000m).Score(),
        // SMB: none below, one TTFV breach, one ready in data_integration.
        Account("s1").InSegment("SMB").WithCsm("Fox").Outcomes(2, 2).WithArr(20_000m).UnknownUtilisation().PositiveSignals(data: 2).Score(),
        Account("s2").InSegment("SMB").WithCsm("Fox").Outcomes(2, 1).NothingReached().Outcomes(2, 1).FirstEvidencedOn(null)
            .ContractStartedDaysAgo(100).RenewsInDays(60).WithArr(10_000m).Score(),
    ];

    [Fact]
    public void Low_fulfilment_share_per_segment_and_per_csm()
    {
        var insights = Insights.Of(Book(), Policy);

        var enterprise = insights.Single(i => i.Kind == Insights.LowFulfilmentBySegment && i.Group == "Enterprise");
        enterprise.Numbers["accounts"].Should().Be(3);
        enterprise.Numbers["with_value_contract"].Should().Be(2);
        enterprise.Numbers["below_threshold"].Should().Be(1);
        enterprise.Numbers["share_below_threshold"].Should().Be(0.5m);
        enterprise.Numbers["arr_below_threshold"].Should().Be(300_000m);
        enterprise.Statement.Should().Be("Enterprise: 1 of 2 accounts with a value contract (50%) are below 0.50 fulfilment, ARR 300,000; 1 more without a value contract.");

        var fox = insights.Single(i => i.Kind == Insights.LowFulfilmentByCsm && i.Group == "Fox");
        fox.Numbers["below_threshold"].Should().Be(0, "0.5 is not below 0.50");
        insights.Where(i => i.Kind == Insights.LowFulfilmentByCsm).Select(i => i.Group).Should().Equal("Dana", "Fox");
    }

    [Fact]
    public void Expansion_ready_accounts_cluster_by_segment_and_lane()
    {
        var insights = Insights.Of(Book(), Policy).Where(i => i.Kind == Insights.ExpansionReadyBySegment).ToList();

        insights.Select(i => i.Group).Should().Equal("Enterprise", "SMB");
        var smb = insights[1];
        smb.Numbers["ready_accounts"].Should().Be(1);
        smb.Numbers["data_integration_accounts"].Should().Be(1);
        smb.Numbers["ready_arr"].Should().Be(20_000m);
        smb.Numbers["share_of_ready_arr"].Should().Be(20_000m / 220_000m);
        smb.Statement.Should().Contain("1 of the 2 expansion-ready accounts").And.Contain("data_integration 1 (ARR 20,000)");
    }

    [Fact]
    public void Renewal_risk_by_fulfilment_band()
    {
        var insights = Insights.Of(Book(), Policy).Where(i => i.Kind == Insights.RiskByFulfilmentBand).ToList();

        insights.Select(i => i.Group).Should().Equal("on_track", "at_risk", "critical", "no_contract");
        var atRisk = insights.Single(i => i.Group == "at_risk");
        atRisk.Numbers["accounts"].Should().Be(1);
        atRisk.Numbers["arr_high_risk"].Should().Be(10_000m, "s2 renews in 60 days (red) in band at_risk: high");
        atRisk.Numbers["share_at_renewal_risk"].Should().Be(1m);
        atRisk.Statement.Should().Contain("10,000 (100% of the band's ARR) is at high or medium renewal risk");
        insights.Single(i => i.Group == "on_track").Numbers["arr_at_renewal_risk"].Should().Be(0m);
    }

    [Fact]
    public void Ttfv_breaches_by_segment()
    {
        var insights = Insights.Of(Book(), Policy).Where(i => i.Kind == Insights.TtfvBreachBySegment).ToList();
        var smb = insights.Single(i => i.Group == "SMB");
        smb.Numbers["ttfv_breaches"].Should().Be(1);
        smb.Numbers["share_breaching"].Should().Be(0.5m);
        smb.Statement.Should().Be("SMB: 1 of 2 accounts (50%) breach time to first value (no first value more than 75 days after contract start), ARR 10,000.");
        insights.Single(i => i.Group == "Enterprise").Statement.Should().Contain("no TTFV breach");
    }

    [Fact]
    public void No_accounts_no_segment_insights_but_every_band_row()
    {
        var insights = Insights.Of([], Policy);
        insights.Should().OnlyContain(i => i.Kind == Insights.RiskByFulfilmentBand);
        insights.Should().HaveCount(4);
    }

    [Fact]
    public void Within_a_kind_the_worst_group_comes_first()
    {
        // Alphabetically Alpha, Beta, Gamma; by share below the low-fulfilment threshold Gamma (2 of 2), Beta (1 of 2), Alpha (0 of 1).
        // By ready ARR: Beta (500,000) before Alpha (100,000). By TTFV breaches: Gamma (1 of 2) before the others (none).
        var book = new[]
        {
            Account("a1").InSegment("Alpha").Outcomes(2, 2).Utilisation(0.9m).WithArr(100_000m).Score(),
            Account("b1").InSegment("Beta").Outcomes(2, 2).Utilisation(0.9m).WithArr(500_000m).Score(),
            Account("b2").InSegment("Beta").Outcomes(4, 1).WithArr(50_000m).Score(),
            Account("g1").InSegment("Gamma").Outcomes(4, 1).WithArr(10_000m).Score(),
            Account("g2").InSegment("Gamma").Outcomes(4, 0).NothingReached().ContractStartedDaysAgo(100).WithArr(10_000m).Score(),
        };
        var insights = Insights.Of(book, Policy);
        IEnumerable<string> Groups(string kind) => insights.Where(i => i.Kind == kind).Select(i => i.Group);

        Groups(Insights.LowFulfilmentBySegment).Should().Equal("Gamma", "Beta", "Alpha");
        Groups(Insights.ExpansionReadyBySegment).Should().Equal("Beta", "Alpha");
        Groups(Insights.TtfvBreachBySegment).Should().Equal("Gamma", "Alpha", "Beta");
        Groups(Insights.RiskByFulfilmentBand).Should().Equal("on_track", "at_risk", "critical", "no_contract");
    }
}
