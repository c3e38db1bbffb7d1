using System.ComponentModel;
using System.Reflection;
using ValueMcp.Scoring;

namespace ValueMcp.Scoring.Tests;

/// <summary>The policy fields added for the forecast, the insights and the measured model.</summary>
public class ForecastPolicyTests
{
    [Fact]
    public void The_probability_table_defaults()
    {
        var p = ScoringPolicy.Default;
        (p.RenewalProbabilityHighRisk, p.RenewalProbabilityMediumRisk, p.RenewalProbabilityLowRisk, p.RenewalProbabilityUnassessed)
            .Should().Be((0.40m, 0.70m, 0.90m, 0.85m));
        (p.ProbabilityAdjustmentOnTrack, p.ProbabilityAdjustmentAtRisk, p.ProbabilityAdjustmentCritical, p.ProbabilityAdjustmentNoContract)
            .Should().Be((0.05m, -0.05m, -0.15m, -0.10m));
        (p.ProbabilityAdjustmentGrowing, p.ProbabilityAdjustmentDeclining, p.ProbabilityAdjustmentRiskSignals)
            .Should().Be((0.05m, -0.10m, -0.10m));
        (p.RenewalProbabilityFloor, p.RenewalProbabilityCeiling).Should().Be((0.05m, 0.97m));
        (p.InsightLowFulfilment, p.MeasuredRatesWindowDays, p.StageMeasurementMinAgeDays).Should().Be((0.50m, 365, 180));
    }

    public static TheoryData<string, ScoringPolicy> Incoherent() => new()
    {
        { nameof(ScoringPolicy.RenewalProbabilityHighRisk), ScoringPolicy.Default with { RenewalProbabilityHighRisk = 1.5m } },
        { nameof(ScoringPolicy.ProbabilityAdjustmentCritical), ScoringPolicy.Default with { ProbabilityAdjustmentCritical = -2m } },
        { nameof(ScoringPolicy.RenewalProbabilityFloor), ScoringPolicy.Default with { RenewalProbabilityFloor = 0.99m } },
        { nameof(ScoringPolicy.InsightLowFulfilment), ScoringPolicy.Default with { InsightLowFulfilment = -0.5m } },
        { nameof(ScoringPolicy.MeasuredRatesWindowDays), ScoringPolicy.Default with { MeasuredRatesWindowDays = 0 } },
        { nameof(ScoringPolicy.StageMeasurementMinAgeDays), ScoringPolicy.Default with { StageMeasurementMinAgeDays = -1 } },
    };

    [Theory]
    [MemberData(nameof(Incoherent))]
    public void Validate_rejects_an_incoherent_forecast_policy_naming_the_field(string field, ScoringPolicy policy)
    {
        policy.Validate().Should().ContainSingle().Which.Should().StartWith(Wire.ToSnake(field) + ": accepted: ");
    }

    [Fact]
    public void Every_policy_field_carries_a_description_for_the_glossary()
    {
        var missing = typeof(ScoringPolicy).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != "EqualityContract")
            .Where(p => string.IsNullOrWhiteSpace(p.GetCustomAttribute<DescriptionAttribute>()?.Description))
            .Select(p => p.Name);
        missing.Should().BeEmpty("the glossary prints each field's [Description]");
    }
}
