namespace ValueMcp.Server.Tools;

/// <summary>The descriptions of the arguments many tools share (as_of and the portfolio filters), in one place.</summary>
public static class ParameterDocs
{
    public const string AccountDoc = "The account id (the CRM key), as list_accounts shows it.";
    public const string NoteDoc = "Free text (up to 4,000 characters; line breaks allowed), e.g. where the figure comes from.";
    public const string AsOfDoc = "Date to compute as of, ISO yyyy-MM-dd (UTC day). Facts dated after it are ignored. Default: today.";
    public const string SegmentDoc = "Only accounts of this segment (exact, case-insensitive), e.g. Enterprise, Mid-Market, SMB. An unknown value is an error listing the known ones.";
    public const string TierDoc = "Only accounts of this tier: 1, 2 or 3.";
    public const string CsmDoc = "Only accounts of this customer success manager (full name as stored, case-insensitive).";
    public const string StageDoc = "Only accounts in this lifecycle stage: onboarding, first_value, adoption, renewal, expansion.";
    public const string BandDoc = "Only accounts in this fulfilment band: on_track (fulfilment >= 0.70 by default), at_risk (>= 0.40 by default), critical (below), no_contract (no promised outcome). The thresholds in force are in value://glossary.";
    public const string ReadinessDoc = "Only accounts with this expansion readiness: ready, emerging, not_ready, blocked.";
    public const string FlagDoc = "Only accounts with this renewal flag: red (renews within 90 days by default, or already passed), amber (within 180 days by default), none. The thresholds in force are in value://glossary.";
    public const string WithinDoc = "Only accounts renewing within this many days of as_of (0-3650); a renewal date already passed is included.";
    public const string CohortYearDoc = "Only accounts whose contract started in this year, YYYY (e.g. 2024): a cohort as retention_metrics groups by cohort_year.";
    public const string CohortQuarterDoc = "Only accounts whose contract started in this quarter, YYYY-Qn (e.g. 2024-Q3): a cohort as retention_metrics groups by cohort_quarter.";
    public const string MinArrDoc = "Only accounts with ARR at or above this amount (inclusive), in the portfolio currency.";
}
