using ValueMcp.Scoring;
using static ValueMcp.Scoring.Tests.AccountBuilder;

namespace ValueMcp.Scoring.Tests;

/// <summary>Portfolio KPIs, filters and breakdowns over a hand-built set.</summary>
public class PortfolioTests
{
    /// <summary>
    /// id   segment      tier csm    ARR      band        readiness  days  flag
    /// a1   Enterprise   1    Dana   500,000  on_track    ready      300   none
    /// a2   Mid-Market   2    Fox    200,000  at_risk     not_ready   60   red
    /// a3   SMB          3    Dana    50,000  critical    blocked    -10   red (passed)
    /// a4   Enterprise   1    Fox    150,000  no_contract not_ready  150   amber
    /// a5   Enterprise   1    Dana         0  (churned: in no listing)
    /// a6   Mid-Market   2    Fox    100,000  on_track    not_ready  180   amber
    /// </summary>
    public static IReadOnlyList<AccountFacts> Set() =>
    [
        Account("a1").InSegment("Enterprise").WithTier("1").WithCsm("Dana").WithArr(500_000m)
            .Outcomes(10, 10).Utilisation(0.9m).RenewsInDays(300).Build(),
        Account("a2").InSegment("Mid-Market").WithTier("2").WithCsm("Fox").WithArr(200_000m)
            .Outcomes(10, 5).RenewsInDays(60).Build(),
        Account("a3").InSegment("SMB").WithTier("3").WithCsm("Dana").WithArr(50_000m)
            .Outcomes(10, 2).RenewsInDays(-10).Build(),
        Account("a4").InSegment("Enterprise").WithTier("1").WithCsm("Fox").WithArr(150_000m)
            .NoContract().RenewsInDays(150).Build(),
        Account("a5").InSegment("Enterprise").WithTier("1").WithCsm("Dana").WithArr(0m)
            .Outcomes(10, 10).Utilisation(0.9m).RenewsInDays(30).Build(),
        Account("a6").InSegment("Mid-Market").WithTier("2").WithCsm("Fox").WithArr(100_000m)
            .Outcomes(10, 8).RenewsInDays(180).Build(),
    ];

    private static IReadOnlyList<AccountScore> Select(PortfolioFilter filter) =>
        Portfolio.Select(Set(), AsOf, ScoringPolicy.Default, filter);

    private static string[] Ids(PortfolioFilter filter) => Select(filter).Select(a => a.Id).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void The_hand_built_set_scores_as_documented()
    {
        var byId = Select(PortfolioFilter.None).ToDictionary(a => a.Id);

        byId["a1"].Band.Value.Should().Be(Band.OnTrack);
        byId["a1"].Readiness.Value.Should().Be(Readiness.Ready);
        byId["a2"].Band.Value.Should().Be(Band.AtRisk);
        byId["a3"].Band.Value.Should().Be(Band.Critical);
        byId["a3"].Readiness.Value.Should().Be(Readiness.Blocked);
        byId["a4"].Band.Value.Should().Be(Band.NoContract);
        byId["a6"].Band.Value.Should().Be(Band.OnTrack);
        byId["a6"].Readiness.Value.Should().Be(Readiness.NotReady);
    }

    [Fact]
    public void Kpis_over_the_active_accounts()
    {
        var kpis = Portfolio.Kpis(Select(PortfolioFilter.None).ToList());

        kpis.AccountCount.Should().Be(5);
        kpis.ArrManaged.Should().Be(1_000_000m);
        kpis.OnTrackPct.Should().Be(0.4m);                   // a1, a6 of 5
        kpis.ExpansionReadyCount.Should().Be(1);             // a1
        kpis.ExpansionReadyArr.Should().Be(500_000m);
        kpis.ArrAtRisk.Should().Be(250_000m);                // a2 at_risk + a3 critical
        kpis.ArrWithoutValueContract.Should().Be(150_000m);  // a4
        kpis.ArrRenewing90d.Should().Be(250_000m);           // a2 (60) + a3 (passed)
        kpis.ArrRenewing180d.Should().Be(500_000m);          // + a4 (150) + a6 (180)
    }

    [Fact]
    public void Kpis_over_an_empty_set_have_no_on_track_pct()
    {
        var kpis = Portfolio.Kpis([]);

        kpis.OnTrackPct.Should().BeNull();
        kpis.AccountCount.Should().Be(0);
        kpis.ArrManaged.Should().Be(0m);
        kpis.ArrAtRisk.Should().Be(0m);
        kpis.ExpansionReadyCount.Should().Be(0);
    }

    [Fact]
    public void Kpis_are_computed_over_the_filtered_set()
    {
        var kpis = Portfolio.Kpis(Select(new PortfolioFilter { Segment = "Enterprise" }).ToList());

        kpis.AccountCount.Should().Be(2);                    // a1, a4 (a5 churned)
        kpis.ArrManaged.Should().Be(650_000m);
        kpis.OnTrackPct.Should().Be(0.5m);
        kpis.ArrWithoutValueContract.Should().Be(150_000m);
        kpis.ArrAtRisk.Should().Be(0m);
    }

    [Fact]
    public void On_track_pct_counts_the_band_in_force()
    {
        var facts = new[] { Account("x").Outcomes(10, 10).Override(OverrideField.Band, "at_risk").Build() };

        var kpis = Portfolio.Kpis(Portfolio.Select(facts, AsOf, ScoringPolicy.Default, PortfolioFilter.None).ToList());

        kpis.OnTrackPct.Should().Be(0m);
        kpis.ArrAtRisk.Should().Be(100_000m);
    }

    // filters

    [Fact]
    public void Inactive_accounts_appear_in_no_listing()
    {
        Ids(PortfolioFilter.None).Should().Equal("a1", "a2", "a3", "a4", "a6");
        Ids(new PortfolioFilter { Segment = "Enterprise", Csm = "Dana" }).Should().Equal("a1");
        Ids(new PortfolioFilter { RenewalWithinDays = 30 }).Should().NotContain("a5");
    }

    [Theory]
    [InlineData("Enterprise")]
    [InlineData("ENTERPRISE")]
    [InlineData("enterprise")]
    public void Segment_filter_matches_exactly_but_case_insensitively(string segment)
    {
        Ids(new PortfolioFilter { Segment = segment }).Should().Equal("a1", "a4");
    }

    [Fact]
    public void Segment_filter_does_not_match_a_prefix()
    {
        Ids(new PortfolioFilter { Segment = "Enter" }).Should().BeEmpty();
    }

    [Theory]
    [InlineData("dana")]
    [InlineData("DANA")]
    public void Csm_filter_matches_case_insensitively(string csm)
    {
        Ids(new PortfolioFilter { Csm = csm }).Should().Equal("a1", "a3");
    }

    [Fact]
    public void Tier_filter()
    {
        Ids(new PortfolioFilter { Tier = "2" }).Should().Equal("a2", "a6");
    }

    [Theory]
    [InlineData(LifecycleStage.Renewal, new[] { "a2", "a3", "a4", "a6" })]
    [InlineData(LifecycleStage.Expansion, new[] { "a1" })]
    [InlineData(LifecycleStage.Onboarding, new string[0])]
    public void Lifecycle_stage_filter(LifecycleStage stage, string[] expected)
    {
        Ids(new PortfolioFilter { LifecycleStage = stage }).Should().Equal(expected);
    }

    [Theory]
    [InlineData(Band.OnTrack, new[] { "a1", "a6" })]
    [InlineData(Band.AtRisk, new[] { "a2" })]
    [InlineData(Band.Critical, new[] { "a3" })]
    [InlineData(Band.NoContract, new[] { "a4" })]
    public void Band_filter(Band band, string[] expected)
    {
        Ids(new PortfolioFilter { Band = band }).Should().Equal(expected);
    }

    [Theory]
    [InlineData(Readiness.Ready, new[] { "a1" })]
    [InlineData(Readiness.Blocked, new[] { "a3" })]
    [InlineData(Readiness.NotReady, new[] { "a2", "a4", "a6" })]
    [InlineData(Readiness.Emerging, new string[0])]
    public void Readiness_filter(Readiness readiness, string[] expected)
    {
        Ids(new PortfolioFilter { Readiness = readiness }).Should().Equal(expected);
    }

    [Theory]
    [InlineData(RenewalFlag.Red, new[] { "a2", "a3" })]
    [InlineData(RenewalFlag.Amber, new[] { "a4", "a6" })]
    [InlineData(RenewalFlag.None, new[] { "a1" })]
    public void Renewal_flag_filter(RenewalFlag flag, string[] expected)
    {
        Ids(new PortfolioFilter { RenewalFlag = flag }).Should().Equal(expected);
    }

    [Theory]
    [InlineData(-11, new string[0])]
    [InlineData(-10, new[] { "a3" })]
    [InlineData(0, new[] { "a3" })]
    [InlineData(60, new[] { "a2", "a3" })]
    [InlineData(90, new[] { "a2", "a3" })]
    [InlineData(150, new[] { "a2", "a3", "a4" })]
    [InlineData(180, new[] { "a2", "a3", "a4", "a6" })]
    public void Renewing_within_n_days_includes_passed_renewal_dates(int days, string[] expected)
    {
        Ids(new PortfolioFilter { RenewalWithinDays = days }).Should().Equal(expected);
    }

    [Theory]
    [InlineData(150_000, new[] { "a1", "a2", "a4" })]
    [InlineData(150_001, new[] { "a1", "a2" })]
    [InlineData(0, new[] { "a1", "a2", "a3", "a4", "a6" })]
    public void Min_arr_is_inclusive(int minArr, string[] expected)
    {
        Ids(new PortfolioFilter { MinArr = minArr }).Should().Equal(expected);
    }

    [Fact]
    public void Filters_combine_with_and()
    {
        Ids(new PortfolioFilter { Csm = "fox", RenewalFlag = RenewalFlag.Amber, MinArr = 120_000m }).Should().Equal("a4");
    }

    // breakdowns

    [Fact]
    public void Breakdown_lists_every_value_with_zero_where_none()
    {
        var accounts = Select(PortfolioFilter.None);

        var byBand = Portfolio.Breakdown(accounts, a => a.Band.Value);
        byBand.Keys.Should().BeEquivalentTo(Enum.GetValues<Band>());
        byBand[Band.OnTrack].Should().Be(new CountAndArr(2, 600_000m));
        byBand[Band.AtRisk].Should().Be(new CountAndArr(1, 200_000m));
        byBand[Band.Critical].Should().Be(new CountAndArr(1, 50_000m));
        byBand[Band.NoContract].Should().Be(new CountAndArr(1, 150_000m));

        var byReadiness = Portfolio.Breakdown(accounts, a => a.Readiness.Value);
        byReadiness.Keys.Should().BeEquivalentTo(Enum.GetValues<Readiness>());
        byReadiness[Readiness.Emerging].Should().Be(CountAndArr.Zero);

        Portfolio.Breakdown(accounts, a => a.RenewalFlag).Keys.Should().BeEquivalentTo(Enum.GetValues<RenewalFlag>());
        Portfolio.Breakdown(accounts, a => a.Stage).Keys.Should().BeEquivalentTo(Enum.GetValues<LifecycleStage>());
    }

    [Fact]
    public void Breakdown_of_an_empty_set_still_lists_every_value()
    {
        var byBand = Portfolio.Breakdown([], a => a.Band.Value);

        byBand.Should().HaveCount(Enum.GetValues<Band>().Length);
        byBand.Values.Should().AllBeEquivalentTo(CountAndArr.Zero);
    }

    [Fact]
    public void Health_reports_kpis_breakdowns_and_segments()
    {
        var health = Portfolio.Health(Select(PortfolioFilter.None).ToList());

        health.Kpis.ArrManaged.Should().Be(1_000_000m);
        health.ByRenewalFlag[RenewalFlag.Red].Should().Be(new CountAndArr(2, 250_000m));
        health.ByRenewalFlag[RenewalFlag.Amber].Should().Be(new CountAndArr(2, 250_000m));
        health.ByRenewalFlag[RenewalFlag.None].Should().Be(new CountAndArr(1, 500_000m));
        health.ByLifecycleStage[LifecycleStage.Renewal].Count.Should().Be(4);
        health.BySegment.Select(s => s.Segment).Should().Equal("Enterprise", "Mid-Market", "SMB");
        health.BySegment[0].Kpis.ArrManaged.Should().Be(650_000m);
        health.BySegment[1].Kpis.ArrManaged.Should().Be(300_000m);
        health.BySegment[2].Kpis.ArrAtRisk.Should().Be(50_000m);
    }
}
