namespace ValueMcp.DemoData.Internal;

/// <summary>Word lists and templates that give the generated portfolio its domain flavour.</summary>
internal static class Vocabulary
{
    // ---- company names: {prefix}{suffix} {industry}{form}, enumerated through a bijection so they are unique ----

    public static readonly string[] NamePrefixes =
    [
        "North", "Blue", "Silver", "Iron", "Cedar", "Harbor", "Summit", "Granite", "Clear", "Bright",
        "Red", "Green", "Stone", "Oak", "Maple", "Pine", "River", "Lake", "Sun", "Star",
        "Falcon", "Eagle", "Copper", "Golden", "Crystal", "Atlas", "Nova", "Polar", "Prairie", "Coast",
        "High", "Swift", "True", "Wild", "Fair", "Alder", "Birch", "Willow", "Ever", "Arrow",
    ];

    public static readonly string[] NameSuffixes =
    [
        "wind", "peak", "gate", "field", "stone", "bridge", "line", "ridge", "crest", "works",
        "point", "wave", "path", "way", "haven", "brook", "view", "light", "forge", "mark",
        "dale", "stream", "rock", "spring", "wood", "vale", "port", "core", "shore", "bay",
    ];

    public static readonly string[] Industries =
    [
        "Logistics", "Analytics", "Health", "Foods", "Capital", "Energy", "Robotics", "Software", "Systems", "Labs",
        "Retail", "Media", "Pharma", "Biotech", "Insurance", "Manufacturing", "Freight", "Telecom", "Security", "Learning",
        "Hospitality", "Mobility", "Materials", "Financial", "Partners", "Solutions", "Networks", "Dynamics", "Industries", "Technologies",
        "Consulting", "Aerospace", "Marine", "Agritech", "Payments", "Realty", "Apparel", "Brands", "Clinics", "Devices",
    ];

    public static readonly string[] LegalForms =
    [
        "", " Inc.", ", Inc.", " Ltd", " GmbH", " Group", " AG", " LLC", " plc", " S.A.", " B.V.", " Holdings",
    ];

    public static long CompanyNameSpace => (long)NamePrefixes.Length * NameSuffixes.Length * Industries.Length * LegalForms.Length;

    /// <summary>Unique for index &lt; CompanyNameSpace (an affine bijection of the name space), disambiguated beyond.</summary>
    public static string CompanyName(long index, int seed)
    {
        var space = CompanyNameSpace;
        const long multiplier = 1_000_003; // prime, coprime with the space size
        var offset = (long)((uint)seed % (ulong)space);
        var k = (multiplier % space * (index % space) + offset) % space;
        var form = LegalForms[k % LegalForms.Length];
        k /= LegalForms.Length;
        var industry = Industries[k % Industries.Length];
        k /= Industries.Length;
        var suffix = NameSuffixes[k % NameSuffixes.Length];
        k /= NameSuffixes.Length;
        var prefix = NamePrefixes[k % NamePrefixes.Length];
        var name = prefix + suffix + " " + industry + form;
        var round = index / space;
        return round == 0 ? name : name + " " + (round + 1);
    }

    // ---- people ----

    public static readonly string[] FirstNames =
    [
        "Maya", "Daniel", "Sofia", "Ethan", "Aisha", "Lucas", "Hannah", "Ravi", "Olivia", "Marcus",
        "Elena", "Tomás", "Priya", "James", "Chloe", "Kenji", "Amara", "Noah", "Ingrid", "Samuel",
        "Leila", "Owen", "Yara", "Felix", "Grace", "Mateo", "Zoe", "Arjun", "Nora", "Victor",
        "Isabel", "Hugo", "Mei", "Jonas", "Fatima", "Liam", "Anya", "Diego", "Claire", "Kofi",
        "Sara", "Oscar", "Naomi", "Erik", "Lucia", "Adrian", "Hana", "Theo", "Rosa", "Malik",
        "Julia", "Connor", "Dana", "Pavel", "Imani", "Rafael", "Elise", "Tariq", "Vera", "Simon",
    ];

    public static readonly string[] LastNames =
    [
        "Lindqvist", "Okafor", "Marchetti", "Brooks", "Rahman", "Meyer", "Cole", "Patel", "Grant", "Whitfield",
        "Novak", "Castillo", "Raman", "Sullivan", "Dubois", "Tanaka", "Mensah", "Fischer", "Larsen", "Kowalski",
        "Haddad", "Morgan", "Santos", "Becker", "Nguyen", "Alvarez", "Kim", "Sharma", "Olsen", "Rossi",
        "Moreau", "Schmidt", "Chen", "Weber", "Hassan", "O'Brien", "Petrova", "Ortega", "Laurent", "Asante",
        "Berg", "Costa", "Adeyemi", "Holm", "Ferreira", "Novikov", "Sato", "Walsh", "Romero", "Bakker",
        "Jensen", "Murphy", "Keller", "Ivanova", "Silva", "Reyes", "Fontaine", "Yilmaz", "Andersen", "Park",
        "Hughes", "Moretti", "Kaur", "Lund", "Vargas", "Ward", "Zimmermann", "Osei", "Nakamura", "Price",
        "Carter", "Bianchi", "Eriksen", "Torres", "Khan", "Fraser", "Dimitrov", "Lopez", "Stewart", "Vogel",
    ];

    /// <summary>The demo's customer success managers (the first five of any portfolio).</summary>
    public static readonly string[] Csms = ["Maya Lindqvist", "Daniel Okafor", "Sofia Marchetti", "Ethan Brooks", "Aisha Rahman"];

    /// <summary>The demo's account managers (the first four of any portfolio).</summary>
    public static readonly string[] AccountManagers = ["Lucas Meyer", "Hannah Cole", "Ravi Patel", "Olivia Grant"];

    public static string Person(long index, long salt)
    {
        long space = (long)FirstNames.Length * LastNames.Length;
        var k = (7919L * ((index + salt) % space)) % space;
        return FirstNames[k % FirstNames.Length] + " " + LastNames[k / FirstNames.Length];
    }

    public static readonly string[] SponsorTitles =
    [
        "CFO", "CRO", "COO", "VP Sales", "VP Revenue Operations", "Chief Customer Officer", "Head of Sales Enablement",
        "VP Finance", "SVP Commercial", "Chief Digital Officer",
    ];

    public static readonly string[] Departments =
    [
        "Finance", "Marketing", "Customer Success", "Partner Sales", "EMEA Sales", "Procurement", "RevOps", "Inside Sales", "Channel", "APAC Sales",
    ];

    public static readonly string[] DataSources =
    [
        "Snowflake", "HubSpot", "NetSuite", "Zendesk", "BigQuery", "Salesforce CPQ", "Marketo", "SAP S/4HANA", "Gong", "Databricks",
    ];

    public static readonly string[] Competitors = ["Clari", "Gainsight", "Totango", "ChurnZero", "a homegrown BI stack", "Vitally"];

    public static readonly string[] Modules = ["Forecasting", "Deal Inspection", "Renewal Desk", "Territory Planning", "Coaching Insights", "Pipeline Analytics"];

    // ---- promised outcomes ----

    internal sealed record OutcomeSpec(string Title, string? Metric, string? Unit, decimal? Baseline, decimal? Target, string? Direction, int Precision);

    private static decimal R(decimal d, int p) => Math.Round(d, p, MidpointRounding.AwayFromZero);

    public static readonly Func<Rng, OutcomeSpec>[] OutcomeTemplates =
    [
        r => { var p = r.Pick([25, 30, 40, 50]); var b = (decimal)r.Range(8, 15); var t = R(b * (100 - p) / 100m, 1);
               return new($"Reduce forecast cycle time by {p}%", "forecast_cycle_time", "days", b, t, "decrease", 1); },
        r => { var b = r.Range(12, 25) / 10m; var t = r.Pick([3m, 3.5m, 4m]);
               return new($"Increase pipeline coverage to {Format.Number(t)}x", "pipeline_coverage", "ratio", b, t, "increase", 1); },
        r => { var b = (decimal)r.Pick([60, 75, 90, 120]); var t = b / 2;
               return new($"Cut onboarding time for new reps from {b} to {t} days", "rep_ramp_time", "days", b, t, "decrease", 0); },
        r => { var b = (decimal)r.Range(60, 78); var t = (decimal)r.Pick([85, 90, 95]);
               return new($"Improve forecast accuracy to {t}%", "forecast_accuracy", "percent", b, t, "increase", 1); },
        r => { var b = (decimal)r.Range(15, 25); var t = b + r.Range(5, 10);
               return new($"Raise win rate from {b}% to {t}%", "win_rate", "percent", b, t, "increase", 1); },
        r => { var p = r.Pick([30, 40, 50]); var b = (decimal)r.Range(5, 10); var t = R(b * (100 - p) / 100m, 1);
               return new($"Reduce time reps spend on CRM updates by {p}%", "crm_admin_hours_per_week", "hours", b, t, "decrease", 1); },
        r => { var b = (decimal)r.Range(60, 120); var t = b - r.Range(15, 30);
               return new($"Shorten the sales cycle from {b} to {t} days", "sales_cycle_length", "days", b, t, "decrease", 0); },
        r => { var p = r.Pick([10, 15, 20]); var b = r.Range(20, 80) * 1000m; var t = b * (100 + p) / 100m;
               return new($"Increase average deal size by {p}%", "average_deal_size", "USD", b, t, "increase", 0); },
        r => { var b = (decimal)r.Range(30, 55); var t = (decimal)r.Pick([80, 85, 90]);
               return new($"Get {t}% of reps weekly active in the platform", "weekly_active_reps", "percent", b, t, "increase", 1); },
        r => { var b = (decimal)r.Range(25, 40); var t = (decimal)r.Pick([10, 15]);
               return new($"Reduce deal slippage to below {t}%", "deal_slippage", "percent", b, t, "decrease", 1); },
        r => { var b = (decimal)r.Pick([48, 72]); var t = (decimal)r.Pick([8, 12, 24]);
               return new($"Cut quote turnaround from {b} hours to {t}", "quote_turnaround", "hours", b, t, "decrease", 1); },
        r => { var b = (decimal)r.Range(50, 70); var t = (decimal)r.Pick([90, 95]);
               return new($"Achieve {t}% CRM data completeness", "crm_data_completeness", "percent", b, t, "increase", 1); },
        r => { var b = (decimal)r.Range(3, 6);
               return new($"Consolidate {b} reporting tools into 1", "reporting_tools", "tools", b, 1m, "decrease", 0); },
        r => { var b = (decimal)r.Range(95, 105); var t = (decimal)r.Pick([110, 115, 120]);
               return new($"Lift net revenue retention to {t}%", "net_revenue_retention", "percent", b, t, "increase", 1); },
        r => { var b = r.Range(50, 90) / 10m; var t = R(b / 2, 1);
               return new($"Halve quarterly logo churn in the SMB book to {Format.Number(t)}%", "smb_logo_churn", "percent", b, t, "decrease", 2); },
        r => { var b = (decimal)r.Range(4, 7); var t = b + r.Range(3, 5);
               return new($"Increase qualified meetings per rep to {t} per week", "meetings_per_rep_week", "meetings", b, t, "increase", 1); },
        r => { var p = r.Pick([25, 35, 50]); var b = (decimal)r.Range(8, 20); var t = R(b * (100 - p) / 100m, 1);
               return new($"Cut support tickets per 100 users by {p}%", "tickets_per_100_users", "tickets", b, t, "decrease", 1); },
        r => { var t = (decimal)r.Pick([20, 30, 40]);
               return new($"Save {t} hours a month on board reporting", "board_reporting_hours_saved", "hours", 0m, t, "increase", 0); },
        r => { var b = (decimal)r.Range(2, 6) * 100; var t = b * 2;
               return new($"Double the expansion pipeline to ${t}k per quarter", "expansion_pipeline", "kUSD", b, t, "increase", 0); },
        r => { var t = (decimal)r.Pick([70, 75, 80]);
               return new($"Reach {t}% forecast adoption among first-line managers", "manager_forecast_adoption", "percent", null, t, "increase", 1); },
        _ => new("Executive dashboard adopted by the leadership team", null, null, null, null, null, 0),
        _ => new("Single source of truth for the renewal forecast", null, null, null, null, null, 0),
        _ => new("Sales and Customer Success share one account health view", null, null, null, null, null, 0),
    ];

    // ---- signals: every kind has one category and one polarity ----

    internal sealed record SignalKind(string Category, string Kind, int Polarity, Func<Rng, string> Note);

    public static readonly SignalKind[] UsagePositive =
    [
        new("usage", "dau_growth", 1, r => $"Daily active users up {r.Range(8, 45)}% over 30 days"),
        new("usage", "new_department", 1, r => $"{r.Pick(Departments)} team started using the platform"),
        new("usage", "api_volume_up", 1, r => $"API calls up {r.Range(15, 120)}% month over month"),
        new("usage", "feature_adoption", 1, r => $"{r.Pick(Modules)} used weekly by {r.Range(6, 60)} managers"),
    ];

    public static readonly SignalKind[] UsageNegative =
    [
        new("usage", "login_decline", -1, r => $"Logins down {r.Range(15, 55)}% over 30 days"),
        new("usage", "dau_drop", -1, r => $"Weekly actives fell below {r.Range(10, 80)}"),
        new("usage", "feature_abandonment", -1, r => $"{r.Pick(Modules)} not opened in {r.Range(21, 60)} days"),
    ];

    public static readonly SignalKind[] DataPositive =
    [
        new("data", "source_request", 1, r => $"Asked to connect {r.Pick(DataSources)}"),
        new("data", "format_gap", 1, r => $"Ticket: {r.Pick(DataSources)} exports in an unsupported format"),
        new("data", "data_gap_question", 1, r => $"Asked why {r.Pick(DataSources)} fields are missing from reports"),
        new("data", "integration_request", 1, r => $"RevOps wants {r.Pick(DataSources)} and {r.Pick(DataSources)} joined in one view"),
    ];

    public static readonly SignalKind[] DataNegative =
    [
        new("data", "sync_failure", -1, r => $"{r.Pick(DataSources)} sync failing for {r.Range(2, 9)} days"),
    ];

    public static readonly SignalKind[] SuccessPositive =
    [
        new("success", "roi_documented", 1, r => $"Customer documented {r.Range(2, 6)}.{r.Range(0, 9)}x ROI in an internal review"),
        new("success", "exec_sponsor_engaged", 1, _ => "Executive sponsor joined the QBR and asked for next steps"),
        new("success", "referenced_in_reporting", 1, _ => "Platform figures cited in the customer's board pack"),
        new("success", "case_study_agreed", 1, _ => "Agreed to a joint case study"),
    ];

    public static readonly SignalKind[] SuccessNegative =
    [
        new("success", "qbr_cancelled", -1, _ => "QBR cancelled by the customer, not rescheduled"),
        new("success", "exec_sponsor_absent", -1, _ => "Executive sponsor skipped the last two business reviews"),
        new("success", "roi_questioned", -1, _ => "Finance questioned the ROI, \"show me the numbers\""),
    ];

    public static readonly SignalKind[] CapacityPositive =
    [
        new("capacity", "ticket_spike", 1, r => $"Support tickets up {r.Range(30, 150)}% this month, mostly how-to"),
        new("capacity", "training_request", 1, r => $"Champion asked for training for {r.Range(5, 40)} new users"),
        new("capacity", "capacity_limit", 1, r => $"Admin team at capacity, {r.Range(2, 9)} config requests queued"),
        new("capacity", "best_practice_request", 1, _ => "Asked for best practices on territory and forecast configuration"),
    ];

    public static readonly SignalKind[] RiskNegative =
    [
        new("risk", "sponsor_change", -1, r => $"Executive sponsor left; new {r.Pick(SponsorTitles)} in seat"),
        new("risk", "champion_turnover", -1, _ => "Champion moved to another role"),
        new("risk", "support_escalation", -1, r => $"P1 escalation open for {r.Range(3, 15)} days"),
        new("risk", "responsiveness_decline", -1, r => $"No reply to the last {r.Range(3, 6)} emails"),
    ];

    public static readonly SignalKind[] TimingAny =
    [
        new("timing", "budget_cycle", 1, r => $"FY budget planning starts in {r.Pick(["January", "February", "March", "April", "September", "October"])}"),
        new("timing", "annual_planning", 1, _ => "Annual planning underway, asked for a proposal"),
        new("timing", "board_meeting", 1, _ => "Board meeting scheduled, sponsor wants a value summary"),
        new("timing", "competitor_evaluation", -1, r => $"Mentioned evaluating {r.Pick(Competitors)}"),
        new("timing", "procurement_freeze", -1, _ => "Procurement freeze until next quarter"),
    ];

    /// <summary>Any kind, for the history before the recent window.</summary>
    public static readonly SignalKind[] AllKinds =
        [.. UsagePositive, .. UsageNegative, .. DataPositive, .. DataNegative, .. SuccessPositive, .. SuccessNegative, .. CapacityPositive, .. RiskNegative, .. TimingAny];
}
