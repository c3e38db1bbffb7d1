using ValueMcp.Scoring;

namespace ValueMcp.Scoring.Tests;

/// <summary>The fulfilment distribution and the renewal calendar of the board charts, over PortfolioTests' hand-built set.</summary>
public class PortfolioShapeTests
{
    private static IReadOnlyList<AccountScore> Accounts() =>
        Portfolio.Select(PortfolioTests.Set(), AccountBuilder.AsOf, ScoringPolicy.Default, PortfolioFilter.None);

    [Fact]
    public void Fulfilment_by_tenths_with_the_band_of_each_range_and_no_contract_apart()
    {
        var ranges = PortfolioShape.FulfilmentDistribution(Accounts(), ScoringPolicy.Default);

        ranges.Select(r => r.Range).Should().Equal("0.0-0.1", "0.1-0.2", "0.2-0.3", "0.3-0.4", "0.4-0.5", "0.5-0.6", "0.6-0.7",
            "0.7-0.8", "0.8-0.9", "0.9-1.0", "no_contract");
        ranges.Select(r => r.Band).Should().Equal(Band.Critical, Band.Critical, Band.Critical, Band.Critical, Band.AtRisk, Band.AtRisk,
            Band.AtRisk, Band.OnTrack, Band.OnTrack, Band.OnTrack, Band.NoContract);
        // a3 0.2 (50,000), a2 0.5 (200,000), a6 0.8 (100,000), a1 1.0 in the last range (500,000), a4 without contract.
        ranges.Single(r => r.Range == "0.2-0.3").Should().Be(new FulfilmentRange("0.2-0.3", 0.2m, 0.3m, Band.Critical, 1, 50_000m));
        ranges.Single(r => r.Range == "0.5-0.6").Count.Should().Be(1);
        ranges.Single(r => r.Range == "0.8-0.9").Arr.Should().Be(100_000m);
        ranges.Single(r => r.Range == "0.9-1.0").Arr.Should().Be(500_000m);
        ranges.Single(r => r.Range == "no_contract").Should().Be(new FulfilmentRange("no_contract", null, null, Band.NoContract, 1, 150_000m));
        ranges.Sum(r => r.Count).Should().Be(5, "every active account once; the churned a5 in none");
    }

    [Fact]
    public void The_bands_of_the_ranges_follow_the_policy()
    {
        var policy = ScoringPolicy.Default with { OnTrackFulfilment = 0.9m };
        var ranges = PortfolioShape.FulfilmentDistribution(Accounts(), policy);
        ranges.Single(r => r.Range == "0.8-0.9").Band.Should().Be(Band.AtRisk);
        ranges.Single(r => r.Range == "0.9-1.0").Band.Should().Be(Band.OnTrack);
    }

    [Fact]
    public void Renewals_by_month_from_as_of_with_passed_dates_apart_and_risk_per_month()
    {
        // as_of 2026-03-31: months 2026-03 (from as_of) to 2026-09.
        var calendar = PortfolioShape.RenewalsByMonth(Accounts(), AccountBuilder.AsOf);

        calendar.Months.Select(m => m.Month).Should().Equal("2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09");
        calendar.Months[0].From.Should().Be(new DateOnly(2026, 3, 31));
        calendar.Months[^1].To.Should().Be(new DateOnly(2026, 9, 30));
        // a3 renewed 10 days ago and is still active: passed, high risk (red and critical).
        calendar.Passed.Count.Should().Be(1);
        calendar.Passed.ByRisk[RenewalRisk.High].Should().Be(new CountAndArr(1, 50_000m));
        // a2 in 60 days (2026-05-30): red, at_risk -> high. a4 in 150 days (2026-08-28) and a6 in 180 (2026-09-27): low.
        var may = calendar.Months.Single(m => m.Month == "2026-05").Due;
        may.Should().BeEquivalentTo(new { Count = 1, Arr = 200_000m });
        may.ByRisk[RenewalRisk.High].Count.Should().Be(1);
        calendar.Months.Single(m => m.Month == "2026-08").Due.ByRisk[RenewalRisk.Low].Should().Be(new CountAndArr(1, 150_000m));
        calendar.Months.Single(m => m.Month == "2026-09").Due.ByRisk[RenewalRisk.Low].Should().Be(new CountAndArr(1, 100_000m));
        // a1 renews in 300 days: beyond the calendar.
        calendar.Months.Sum(m => m.Due.Count).Should().Be(3);
    }

    [Fact]
    public void The_calendar_stops_at_the_last_representable_month()
    {
        var calendar = PortfolioShape.RenewalsByMonth(Accounts(), DateOnly.MaxValue);
        calendar.Months.Select(m => m.Month).Should().Equal("9999-12");
        calendar.Months[0].To.Should().Be(DateOnly.MaxValue);
        calendar.Passed.Count.Should().Be(5, "every active account's renewal date is before 9999-12-31");
    }
}
