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

public enum OverrideField { Band, Readiness, Risk }

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
