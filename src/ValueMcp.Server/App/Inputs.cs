using System.Globalization;
using System.Text;
using ValueMcp.Scoring;
using ValueMcp.Store;

namespace ValueMcp.Server.App;

/// <summary>Bad input from a client: the message says what was wrong and what is accepted.</summary>
public sealed class InputException(string message) : Exception(message);

/// <summary>Parses and checks tool and command arguments. Every failure is an InputException with a clear message.</summary>
public static class Inputs
{
    public const int MaxLimit = 200;
    public const int DefaultLimit = 25;
    private static readonly DateOnly MinDate = new(1900, 1, 1);

    public static DateOnly Date(string? text, string name, DateOnly fallback)
    {
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (DateOnly.TryParseExact(text.Trim(), FactReader.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            // Windows before a date (recent 90 days, days back to 3650) must stay representable.
            if (d < MinDate) throw new InputException($"{name}: {FactReader.Iso(d)} is out of range; accepted: a date from {FactReader.Iso(MinDate)} on, ISO yyyy-MM-dd");
            return d;
        }
        throw new InputException($"{name}: \"{Show(text)}\" is not a date; use ISO yyyy-MM-dd, e.g. 2026-03-31");
    }

    public static DateOnly? OptionalDate(string? text, string name) =>
        string.IsNullOrWhiteSpace(text) ? null : Date(text, name, default);

    public static T? Enum<T>(string? text, string name) where T : struct, System.Enum
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (Wire.TryParse<T>(text, out var v)) return v;
        throw new InputException($"{name}: unknown value \"{Show(text)}\"; accepted: {string.Join(", ", Wire.Names<T>())}");
    }

    public static int Limit(int? limit, int fallback = DefaultLimit)
    {
        var v = limit ?? fallback;
        if (v < 1 || v > MaxLimit) throw new InputException($"limit: {v} is out of range; accepted: 1 to {MaxLimit}");
        return v;
    }

    public static int Days(int? days, string name, int fallback, int min = 0, int max = 3650)
    {
        var v = days ?? fallback;
        if (v < min || v > max) throw new InputException($"{name}: {v} is out of range; accepted: {min} to {max}");
        return v;
    }

    public static string Cursor(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"offset:{offset}"));

    public static int Offset(string? cursor)
    {
        if (string.IsNullOrWhiteSpace(cursor)) return 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor.Trim()));
            if (text.StartsWith("offset:", StringComparison.Ordinal) &&
                int.TryParse(text.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                return offset;
        }
        catch (FormatException)
        {
        }
        throw new InputException("cursor: not a cursor this server gave out; pass the next_cursor of a previous answer, or leave it out for the first page");
    }

    /// <summary>Builds and checks the portfolio filters. Text values must be known (matched case-insensitively).</summary>
    public static PortfolioFilter Filter(KnownValues known, string? segment, string? tier, string? csm, string? lifecycleStage,
        string? band, string? readiness, string? renewalFlag, int? renewalWithinDays, decimal? minArr,
        string? cohortYear = null, string? cohortQuarter = null)
    {
        if (renewalWithinDays is int n && (n < 0 || n > 3650))
            throw new InputException($"renewal_within_days: {n} is out of range; accepted: 0 to 3650");
        if (minArr is decimal m && m < 0m)
            throw new InputException($"min_arr: {m} is negative; accepted: an amount of 0 or more");
        return new PortfolioFilter
        {
            Segment = Known(segment, "segment", known.Segments),
            Tier = Known(tier, "tier", ["1", "2", "3"]),
            Csm = Known(csm, "csm", known.Csms),
            LifecycleStage = Enum<LifecycleStage>(lifecycleStage, "lifecycle_stage"),
            Band = Enum<Band>(band, "band"),
            Readiness = Enum<Readiness>(readiness, "readiness"),
            RenewalFlag = Enum<RenewalFlag>(renewalFlag, "renewal_flag"),
            RenewalWithinDays = renewalWithinDays,
            MinArr = minArr,
            CohortYear = CohortYear(cohortYear),
            CohortQuarter = CohortQuarter(cohortQuarter, cohortYear),
        };
    }

    /// <summary>A contract-start year, "YYYY" (retention_metrics' cohort_year groups); null when left out.</summary>
    public static string? CohortYear(string? value)
    {
        if (value is null || value.Trim().Length == 0) return null;
        var v = value.Trim();
        if (v.Length == 4 && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year >= 1)
            return v;
        throw new InputException($"cohort_year: \"{Show(v)}\" is not a year; accepted: the year of contract start as YYYY (0001-9999), e.g. 2024, as retention_metrics names its cohort_year groups");
    }

    /// <summary>A contract-start quarter, "YYYY-Qn" (retention_metrics' cohort_quarter groups); null when left out.</summary>
    public static string? CohortQuarter(string? value, string? cohortYear)
    {
        if (value is null || value.Trim().Length == 0) return null;
        var v = value.Trim().ToUpperInvariant();
        if (!(v.Length == 7 && v[4] == '-' && v[5] == 'Q' && v[6] is >= '1' and <= '4' &&
              int.TryParse(v.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year >= 1))
            throw new InputException($"cohort_quarter: \"{Show(value.Trim())}\" is not a quarter; accepted: the quarter of contract start as YYYY-Qn (n 1 to 4), e.g. 2024-Q3, as retention_metrics names its cohort_quarter groups");
        if (CohortYear(cohortYear) is string y && !v.StartsWith(y, StringComparison.Ordinal))
            throw new InputException($"cohort_quarter: {v} is not in cohort_year {y}; give one of them, or a quarter of that year");
        return v;
    }

    /// <summary>A text value that must be one of the stored ones (case-insensitive); returns the stored spelling.</summary>
    public static string? Known(string? value, string name, IReadOnlyList<string> known)
    {
        if (value is null || value.Trim().Length == 0) return null;
        var v = value.Trim();
        var match = known.FirstOrDefault(k => string.Equals(k, v, StringComparison.OrdinalIgnoreCase));
        if (match is not null) return match;
        var list = known.Count == 0 ? "(none stored yet)" : string.Join(", ", known.Take(50)) + (known.Count > 50 ? ", ..." : "");
        throw new InputException($"{name}: unknown value \"{Show(v)}\"; known values: {list}");
    }

    public static string RequiredText(string? value, string name, int maxLength = 200)
    {
        if (value is null || value.Trim().Length == 0) throw new InputException($"{name} is required");
        if (value.Length > maxLength) throw new InputException($"{name}: longer than {maxLength} characters");
        return value.Trim();
    }

    /// <summary>Echoes user text in an error message safely: short, one line, no control characters.</summary>
    public static string Show(string text)
    {
        var clean = new string(text.Select(c => char.IsControl(c) ? '?' : c).Take(80).ToArray());
        return text.Length > 80 ? clean + "..." : clean;
    }
}
