namespace ValueMcp.Scoring;

// The domain's named values. On the wire and in text they are snake_case (see Wire.Name).

public enum Band { OnTrack, AtRisk, Critical, NoContract }

public enum Readiness { Ready, Emerging, NotReady, Blocked }

public enum RenewalFlag { Red, Amber, None }

public enum RenewalRisk { None, Low, Medium, High }

public enum Engagement { Growing, Steady, Declining }

public enum ExpansionLane { Modules, DataIntegration, ManagedServices }

public enum LifecycleStage { Onboarding, FirstValue, Adoption, Renewal, Expansion }

public enum Confidence { Low, Medium, High }

/// <summary>Next recommended actions, in priority order (the first rule that matches wins).</summary>
public enum ActionKind
{
    EscalateRenewalRisk,
    EstablishValueContract,
    CaptureMissingEvidence,
    ScheduleImpactReview,
    InitiateExpansionConversation,
    RequestAdvocacy,
    Monitor,
}

public enum EvidenceSource { Usage, Meeting, Survey, Communication, Manual, Import }

public enum SignalCategory { Usage, Data, Success, Capacity, Risk, Timing }

public enum MovementKind { New, Expansion, Contraction, Churn }

public enum MilestoneKind { Kickoff, Live, FirstValue, Adopted, Renewed }

public enum Direction { Increase, Decrease }

/// <summary>The verdicts a person can override; probability is the renewal probability (a number from 0 to 1).</summary>
public enum OverrideField { Band, Readiness, Risk, Probability }

/// <summary>How a renewal was decided: renewed (the ARR due kept in full or more), contracted (renewed for less), churned.</summary>
public enum RenewalOutcome { Renewed, Churned, Contracted }

/// <summary>The cause recorded with a renewal's outcome (why it churned or contracted, or what carried it).</summary>
public enum RenewalReason { SponsorChange, Budget, Competitor, ValueNotRealised, ProductGap, Price, Other }

/// <summary>
/// The state of an account's renewal in force at as_of: open (its date is today or later, not decided), overdue_renewal
/// (its date has passed and nothing decided it), renewed or churned (decided by a renewed milestone or a churn), and
/// churned also when the last recorded renewal churned (no renewal is open any more).
/// </summary>
public enum RenewalState { Open, OverdueRenewal, Renewed, Churned }

/// <summary>What decided a renewal: a recorded renewal (renewals.csv, record_renewal, or the renewal date moving on), a renewed milestone, or a churn movement.</summary>
public enum RenewalDecider { Recorded, RenewedMilestone, Churn }

public enum SortKey { Arr, Fulfilment, Readiness, RenewalDate }

/// <summary>snake_case names of the vocabulary, the form used in JSON, text, CSV and SQL.</summary>
public static class Wire
{
    /// <summary>The snake_case name of a value (made once per value).</summary>
    public static string Name<T>(T value) where T : struct, Enum
    {
        var names = NameCache<T>.Names;
        for (var i = 0; i < names.Length; i++)
            if (EqualityComparer<T>.Default.Equals(names[i].Value, value)) return names[i].Name;
        return ToSnake(value.ToString()); // a value outside the declared ones
    }

    public static IReadOnlyList<string> Names<T>() where T : struct, Enum => NameCache<T>.List;

    private static class NameCache<T> where T : struct, Enum
    {
        public static readonly (T Value, string Name)[] Names = Enum.GetValues<T>().Select(v => (v, ToSnake(v.ToString()))).ToArray();
        public static readonly IReadOnlyList<string> List = Names.Select(n => n.Name).ToArray();
    }

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var wanted = text.Trim();
        foreach (var v in Enum.GetValues<T>())
        {
            if (string.Equals(Name(v), wanted, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }
        return false;
    }

    public static string ToSnake(string pascal)
    {
        var chars = new List<char>(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c))
            {
                if (i > 0) chars.Add('_');
                chars.Add(char.ToLowerInvariant(c));
            }
            else chars.Add(c);
        }
        return new string(chars.ToArray());
    }
}
