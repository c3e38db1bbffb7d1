using ValueMcp.Scoring;

namespace ValueMcp.Scoring.Tests;

public class ScoringPolicyTests
{
    [Fact]
    public void The_defaults_are_those_of_domain_md()
    {
        var p = ScoringPolicy.Default;

        p.OnTrackFulfilment.Should().Be(0.70m);
        p.AtRiskFulfilment.Should().Be(0.40m);
        p.RenewalRedDays.Should().Be(90);
        p.RenewalAmberDays.Should().Be(180);
        p.RenewalRiskHorizonDays.Should().Be(180);
        p.RecentWindowDays.Should().Be(90);
        p.ReadyFulfilment.Should().Be(0.80m);
        p.ReadyUtilisation.Should().Be(0.85m);
        p.EmergingFulfilment.Should().Be(0.60m);
        p.EmergingUtilisation.Should().Be(0.70m);
        p.ExceededMargin.Should().Be(0.10m);
        p.TtfvBreachDays.Should().Be(75);
        p.AdvocacyFulfilment.Should().Be(0.90m);
        p.AdvocacyWindowDays.Should().Be(60);
    }

    [Fact]
    public void The_default_policy_is_coherent()
    {
        ScoringPolicy.Default.Validate().Should().BeEmpty();
    }

    public static TheoryData<string, ScoringPolicy> Incoherent() => new()
    {
        { nameof(ScoringPolicy.OnTrackFulfilment), ScoringPolicy.Default with { OnTrackFulfilment = 1.2m } },
        { nameof(ScoringPolicy.AtRiskFulfilment), ScoringPolicy.Default with { AtRiskFulfilment = -0.1m } },
        { nameof(ScoringPolicy.AtRiskFulfilment), ScoringPolicy.Default with { AtRiskFulfilment = 0.8m } },
        { nameof(ScoringPolicy.ReadyFulfilment), ScoringPolicy.Default with { ReadyFulfilment = 1.01m } },
        { nameof(ScoringPolicy.EmergingFulfilment), ScoringPolicy.Default with { EmergingFulfilment = -1m } },
        { nameof(ScoringPolicy.AdvocacyFulfilment), ScoringPolicy.Default with { AdvocacyFulfilment = 2m } },
        { nameof(ScoringPolicy.ReadyUtilisation), ScoringPolicy.Default with { ReadyUtilisation = -0.5m } },
        { nameof(ScoringPolicy.EmergingUtilisation), ScoringPolicy.Default with { EmergingUtilisation = -0.5m } },
        { nameof(ScoringPolicy.ExceededMargin), ScoringPolicy.Default with { ExceededMargin = -0.1m } },
        { nameof(ScoringPolicy.RenewalRedDays), ScoringPolicy.Default with { RenewalRedDays = 200 } },
        { nameof(ScoringPolicy.RecentWindowDays), ScoringPolicy.Default with { RecentWindowDays = 0 } },
        { nameof(ScoringPolicy.AdvocacyWindowDays), ScoringPolicy.Default with { AdvocacyWindowDays = 0 } },
        { nameof(ScoringPolicy.TtfvBreachDays), ScoringPolicy.Default with { TtfvBreachDays = -1 } },
    };

    [Theory]
    [MemberData(nameof(Incoherent))]
    public void Validate_rejects_an_incoherent_policy_naming_the_field(string field, ScoringPolicy policy)
    {
        policy.Validate().Should().ContainSingle().Which.Should().StartWith(Wire.ToSnake(field) + ": accepted: ");
    }

    [Fact]
    public void Validate_reports_every_problem()
    {
        var policy = ScoringPolicy.Default with { OnTrackFulfilment = 2m, RecentWindowDays = 0, TtfvBreachDays = -5 };

        policy.Validate().Should().HaveCount(3);
    }

    [Fact]
    public void Every_threshold_says_what_it_accepts()
    {
        var names = typeof(ScoringPolicy).GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(p => p.Name != "EqualityContract")
            .Select(p => Wire.ToSnake(p.Name));
        ScoringPolicy.Accepted.Keys.Should().BeEquivalentTo(names, "a threshold a policy file can set must be range-checked by Validate");
        ScoringPolicy.Accepted["on_track_fulfilment"].Should().Be("a number from 0 to 1");
        ScoringPolicy.Accepted["recent_window_days"].Should().Be("a whole number of days from 1 to 3650");
    }

    [Fact]
    public void A_problem_names_the_threshold_as_the_glossary_prints_it_and_what_it_accepts()
    {
        (ScoringPolicy.Default with { OnTrackFulfilment = 1.5m }).Validate()
            .Should().Equal("on_track_fulfilment: accepted: a number from 0 to 1 (got 1.5)");
        (ScoringPolicy.Default with { RenewalRedDays = 200 }).Validate()
            .Should().Equal("renewal_red_days: accepted: at most renewal_amber_days (180) (got 200)");
        (ScoringPolicy.Default with { RenewalAmberDays = 5000, RenewalRiskHorizonDays = -1 }).Validate()
            .Should().Equal("renewal_amber_days: accepted: a whole number of days from 0 to 3650 (got 5000)",
                "renewal_risk_horizon_days: accepted: a whole number of days from 0 to 3650 (got -1)");
    }

    [Fact]
    public void Equal_thresholds_are_coherent()
    {
        (ScoringPolicy.Default with { AtRiskFulfilment = 0.7m, RenewalRedDays = 180 }).Validate().Should().BeEmpty();
    }
}

public class WireTests
{
    [Fact]
    public void Names_are_snake_case()
    {
        Wire.Name(Band.OnTrack).Should().Be("on_track");
        Wire.Name(Band.AtRisk).Should().Be("at_risk");
        Wire.Name(Band.NoContract).Should().Be("no_contract");
        Wire.Name(Readiness.NotReady).Should().Be("not_ready");
        Wire.Name(RenewalRisk.None).Should().Be("none");
        Wire.Name(ExpansionLane.DataIntegration).Should().Be("data_integration");
        Wire.Name(ExpansionLane.ManagedServices).Should().Be("managed_services");
        Wire.Name(LifecycleStage.FirstValue).Should().Be("first_value");
        Wire.Name(MilestoneKind.FirstValue).Should().Be("first_value");
        Wire.Name(ActionKind.EscalateRenewalRisk).Should().Be("escalate_renewal_risk");
        Wire.Name(ActionKind.EstablishValueContract).Should().Be("establish_value_contract");
        Wire.Name(ActionKind.CaptureMissingEvidence).Should().Be("capture_missing_evidence");
        Wire.Name(ActionKind.ScheduleImpactReview).Should().Be("schedule_impact_review");
        Wire.Name(ActionKind.InitiateExpansionConversation).Should().Be("initiate_expansion_conversation");
        Wire.Name(ActionKind.RequestAdvocacy).Should().Be("request_advocacy");
        Wire.Name(SortKey.RenewalDate).Should().Be("renewal_date");
        Wire.Name(EvidenceSource.Communication).Should().Be("communication");
    }

    [Fact]
    public void The_vocabulary_is_that_of_domain_md()
    {
        Wire.Names<Band>().Should().Equal("on_track", "at_risk", "critical", "no_contract");
        Wire.Names<Readiness>().Should().Equal("ready", "emerging", "not_ready", "blocked");
        Wire.Names<RenewalFlag>().Should().Equal("red", "amber", "none");
        Wire.Names<RenewalRisk>().Should().BeEquivalentTo("none", "low", "medium", "high");
        Wire.Names<Engagement>().Should().BeEquivalentTo("growing", "steady", "declining");
        Wire.Names<ExpansionLane>().Should().Equal("modules", "data_integration", "managed_services");
        Wire.Names<LifecycleStage>().Should().BeEquivalentTo("onboarding", "first_value", "adoption", "renewal", "expansion");
        Wire.Names<EvidenceSource>().Should().BeEquivalentTo("usage", "meeting", "survey", "communication", "manual", "import");
        Wire.Names<SignalCategory>().Should().BeEquivalentTo("usage", "data", "success", "capacity", "risk", "timing");
        Wire.Names<MovementKind>().Should().Equal("new", "expansion", "contraction", "churn");
        Wire.Names<MilestoneKind>().Should().BeEquivalentTo("kickoff", "live", "first_value", "adopted", "renewed");
        Wire.Names<Direction>().Should().BeEquivalentTo("increase", "decrease");
        Wire.Names<OverrideField>().Should().BeEquivalentTo("band", "readiness", "risk", "probability");
        Wire.Names<RenewalOutcome>().Should().Equal("renewed", "churned", "contracted");
        Wire.Names<RenewalReason>().Should().Equal("sponsor_change", "budget", "competitor", "value_not_realised", "product_gap", "price", "other");
        Wire.Names<RenewalState>().Should().Equal("open", "overdue_renewal", "renewed", "churned");
        Wire.Names<SortKey>().Should().BeEquivalentTo("arr", "fulfilment", "readiness", "renewal_date");
    }

    [Fact]
    public void Every_name_parses_back()
    {
        RoundTrip<Band>();
        RoundTrip<Readiness>();
        RoundTrip<RenewalFlag>();
        RoundTrip<RenewalRisk>();
        RoundTrip<Engagement>();
        RoundTrip<ExpansionLane>();
        RoundTrip<LifecycleStage>();
        RoundTrip<Confidence>();
        RoundTrip<ActionKind>();
        RoundTrip<EvidenceSource>();
        RoundTrip<SignalCategory>();
        RoundTrip<MovementKind>();
        RoundTrip<MilestoneKind>();
        RoundTrip<Direction>();
        RoundTrip<OverrideField>();
        RoundTrip<SortKey>();
    }

    private static void RoundTrip<T>() where T : struct, Enum
    {
        foreach (var v in Enum.GetValues<T>())
        {
            Wire.TryParse<T>(Wire.Name(v), out var parsed).Should().BeTrue();
            parsed.Should().Be(v);
        }
    }

    [Theory]
    [InlineData("ON_TRACK")]
    [InlineData(" on_track ")]
    [InlineData("On_Track")]
    public void Parsing_is_case_insensitive_and_trims(string text)
    {
        Wire.TryParse<Band>(text, out var band).Should().BeTrue();
        band.Should().Be(Band.OnTrack);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("OnTrack")]
    [InlineData("on track")]
    [InlineData("0")]
    public void Parsing_rejects_anything_else(string? text)
    {
        Wire.TryParse<Band>(text, out _).Should().BeFalse();
    }

    [Fact]
    public void ToSnake_converts_pascal_case()
    {
        Wire.ToSnake("InitiateExpansionConversation").Should().Be("initiate_expansion_conversation");
        Wire.ToSnake("Ready").Should().Be("ready");
    }
}
