using Dapper;
using ValueMcp.Scoring;
using static ValueMcp.Store.Tests.TempDatabase;

namespace ValueMcp.Store.Tests;

/// <summary>Recent-window signal sums, milestones and overrides in force, as of a date.</summary>
public sealed class SignalMilestoneOverrideTests : IClassFixture<SignalMilestoneOverrideTests.Activity>
{
    public sealed class Activity : IDisposable
    {
        public TempDatabase Store { get; } = new();

        public Activity()
        {
            Store.ImportOk(Csv.Files(
                accounts: [Csv.Account("S"), Csv.Account("M"), Csv.Account("M2"), Csv.Account("V")],
                movements: ["S,2025-01-01,new,1000,,", "M,2025-01-01,new,1000,,", "M2,2025-01-01,new,1000,,", "V,2025-01-01,new,1000,,"],
                signals:
                [
                    // id,account_id,observed_at,category,kind,polarity,note  (as_of 2025-12-31: the window starts 2025-10-03)
                    "s01,S,2025-10-03,usage,dau_growth,+1,first day of the window",
                    "s02,S,2025-10-02,usage,dau_growth,+1,one day before the window",
                    "s03,S,2025-11-01,success,roi_documented,1,",
                    "s04,S,2025-12-01,usage,login_decline,-1,counts in engagement and as a risk",
                    "s05,S,2025-12-15,risk,sponsor_change,-1,",
                    "s06,S,2025-11-10,data,source_request,+1,",
                    "s07,S,2025-11-11,capacity,new_department,+1,",
                    "s08,S,2025-12-31,capacity,new_department,+1,on as_of",
                    "s09,S,2026-01-05,usage,dau_growth,+1,after as_of",
                    "s10,S,2025-12-20,timing,budget_cycle,-1,neither engagement nor risk",
                    "s11,S,2025-12-21,data,source_request,-1,not a risk category",
                    "s12,S,2025-10-02,risk,ticket_spike,-1,one day before the window",
                    "s13,S,2025-12-02,success,roi_documented,+1,",
                    "s14,S,2025-10-03,risk,ticket_spike,-1,first day of the window",
                    "s15,V,2025-12-01,usage,login_decline,-1,",
                    "s16,V,2025-12-02,success,qbr_cancelled,-1,",
                ],
                milestones:
                [
                    "M,kickoff,2025-01-10",
                    "M,live,2025-02-01",
                    "M,first_value,2025-03-01",
                    "M,renewed,2025-11-01",
                    "M,adopted,2026-02-01",
                    "M2,adopted,2025-05-01",
                ]));

            // No write API for overrides yet: rows go in directly.
            Store.Db.Write((c, tx) => c.Execute("""
                INSERT INTO overrides (account_id, field, value, reason, author, created_at, expires_at) VALUES
                ('S', 'band', 'on_track', 'sponsor confirmed the plan', 'dana', '2025-12-01', NULL),
                ('S', 'readiness', 'ready', 'created after as_of', 'dana', '2026-01-01', NULL),
                ('S', 'risk', 'high', 'expires on as_of', 'sam', '2025-11-01', '2025-12-31'),
                ('S', 'risk', 'low', 'expires the day after as_of', 'sam', '2025-11-01', '2026-01-01'),
                ('S', 'readiness', 'blocked', 'created on as_of, empty expiry', 'pat', '2025-12-31', ''),
                ('M', 'band', 'critical', 'expired long ago', 'pat', '2025-01-01', '2025-02-01')
                """, transaction: tx));
        }

        public void Dispose() => Store.Dispose();
    }

    private readonly TempDatabase _t;

    public SignalMilestoneOverrideTests(Activity a) => _t = a.Store;

    [Fact]
    public void The_recent_window_is_the_90_days_ending_on_as_of_both_ends_included()
    {
        ScoringPolicy.Default.RecentWindowStart(D("2025-12-31")).Should().Be(D("2025-10-03"));
        var recent = _t.Facts("S", "2025-12-31").Recent;
        recent.PositiveUsage.Should().Be(1, "s01 on as_of - 89 counts, s02 on as_of - 90 does not, s09 is after as_of");
        recent.RiskSignals.Select(s => s.Id).Should().Contain("s14").And.NotContain("s12");
    }

    [Fact]
    public void Engagement_sums_the_polarities_of_usage_and_success_signals()
    {
        // s01 +1, s03 +1, s04 -1, s13 +1
        _t.Facts("S", "2025-12-31").Recent.EngagementSum.Should().Be(2);
        // s15 usage -1, s16 success -1
        _t.Facts("V", "2025-12-31").Recent.EngagementSum.Should().Be(-2);
        _t.Facts("M", "2025-12-31").Recent.Should().BeEquivalentTo(RecentSignals.None);
    }

    [Fact]
    public void Positive_signals_are_counted_per_category()
    {
        var recent = _t.Facts("S", "2025-12-31").Recent;
        recent.PositiveUsage.Should().Be(1);
        recent.PositiveSuccess.Should().Be(2);
        recent.PositiveData.Should().Be(1, "s11 is negative");
        recent.PositiveCapacity.Should().Be(2, "s08 on as_of counts");
    }

    [Fact]
    public void Risk_signals_are_the_negative_risk_and_usage_signals_of_the_window()
    {
        _t.Facts("S", "2025-12-31").Recent.RiskSignals.Should().Equal(
            new SignalRef("s14", "risk", "ticket_spike", -1, D("2025-10-03")),
            new SignalRef("s04", "usage", "login_decline", -1, D("2025-12-01")),
            new SignalRef("s05", "risk", "sponsor_change", -1, D("2025-12-15")));
        _t.Facts("V", "2025-12-31").Recent.RiskSignals.Select(s => s.Id).Should().Equal("s15");
        _t.Facts("S", "2026-06-30").Recent.RiskSignals.Should().BeEmpty();
    }

    [Fact]
    public void Signals_lists_one_accounts_signals_in_a_half_open_range()
    {
        _t.Reader.Signals("S", D("2025-12-01"), D("2025-12-31")).Select(s => s.Id).Should().Equal("s13", "s05", "s10", "s11", "s08");
        _t.Reader.Signals("S", D("2025-12-01"), D("2025-12-31")).Should().Contain(s => s.Id == "s05" && s.Polarity == -1 && s.Category == "risk");
    }

    [Theory]
    [InlineData("2025-01-31", false, null, null)]
    [InlineData("2025-02-01", true, null, null)]
    [InlineData("2025-03-01", true, "2025-03-01", null)]
    [InlineData("2025-12-31", true, "2025-03-01", "2025-11-01")]
    public void Milestones_as_of(string asOf, bool live, string? firstValue, string? renewed)
    {
        var facts = _t.Facts("M", asOf);
        facts.LiveOrLaterMilestone.Should().Be(live);
        facts.FirstValueMilestoneAt.Should().Be(firstValue is null ? null : D(firstValue));
        facts.LastRenewedAt.Should().Be(renewed is null ? null : D(renewed));
    }

    [Fact]
    public void An_adopted_milestone_alone_counts_as_live()
    {
        _t.Facts("M2", "2025-04-30").LiveOrLaterMilestone.Should().BeFalse();
        _t.Facts("M2", "2025-05-01").LiveOrLaterMilestone.Should().BeTrue();
        _t.Facts("S", "2025-12-31").LiveOrLaterMilestone.Should().BeFalse();
    }

    [Fact]
    public void Overrides_in_force_are_created_on_or_before_as_of_and_not_expired()
    {
        var overrides = _t.Facts("S", "2025-12-31").Overrides;
        overrides.Select(o => (o.Field, o.Value)).Should().Equal(
            (OverrideField.Risk, "low"),
            (OverrideField.Band, "on_track"),
            (OverrideField.Readiness, "blocked"));
        var band = overrides.Single(o => o.Field == OverrideField.Band);
        band.Author.Should().Be("dana");
        band.Reason.Should().Be("sponsor confirmed the plan");
        band.CreatedAt.Should().Be(D("2025-12-01"));
        band.ExpiresAt.Should().BeNull();
        overrides.Single(o => o.Field == OverrideField.Readiness).ExpiresAt.Should().BeNull("an empty expiry means none");
    }

    [Fact]
    public void An_override_is_in_force_the_day_before_it_expires_and_not_on_its_expiry_date()
    {
        _t.Facts("S", "2025-12-30").Overrides.Select(o => o.Value).Should().Equal("high", "low", "on_track");
        _t.Facts("S", "2026-01-01").Overrides.Select(o => o.Value).Should().Equal("on_track", "blocked", "ready");
        _t.Facts("S", "2025-10-31").Overrides.Should().BeEmpty();
        _t.Facts("M", "2025-01-31").Overrides.Should().ContainSingle();
        _t.Facts("M", "2025-12-31").Overrides.Should().BeEmpty();
    }

    [Fact]
    public void Every_listed_account_gets_only_its_own_overrides()
    {
        var all = _t.Reader.AccountFacts(D("2025-12-31"), ScoringPolicy.Default, onlyActive: true);
        all.Select(f => f.Id).Should().Equal("M", "M2", "S", "V");
        all.Single(f => f.Id == "S").Overrides.Should().HaveCount(3);
        all.Where(f => f.Id != "S").Should().AllSatisfy(f => f.Overrides.Should().BeEmpty());
    }

    [Fact]
    public void Detail_lists_all_overrides_and_milestones_of_the_account()
    {
        var detail = _t.Reader.Detail("S", D("2025-12-31"))!;
        detail.Overrides.Should().HaveCount(5);
        _t.Reader.Detail("M", D("2025-12-31"))!.Milestones.Select(m => m.Kind).Should().Equal("kickoff", "live", "first_value", "renewed", "adopted");
    }
}
