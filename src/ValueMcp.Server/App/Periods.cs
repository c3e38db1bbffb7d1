using System.Globalization;
using System.Text.RegularExpressions;
using ValueMcp.Store;

namespace ValueMcp.Server.App;

/// <summary>A half-open period [Start, End) with the label it was asked for.</summary>
public sealed record Period(DateOnly Start, DateOnly End, string Label)
{
    /// <summary>The last day in the period.</summary>
    public DateOnly LastDay => End.AddDays(-1);
}

/// <summary>Parses the period forms the prompts accept: "2026-Q1", "2026", "2026-01-01..2026-04-01".</summary>
public static partial class Periods
{
    public const string Accepted = "a quarter (2026-Q1), a year (2026), or a range of ISO dates start..end with the end excluded (2026-01-01..2026-04-01)";

    [GeneratedRegex(@"^(\d{4})-[Qq]([1-4])$")]
    private static partial Regex QuarterForm();

    [GeneratedRegex(@"^(\d{4})$")]
    private static partial Regex YearForm();

    public static Period Parse(string text, string name)
    {
        var t = text.Trim();
        if (QuarterForm().Match(t) is { Success: true } q)
        {
            var year = Year(q.Groups[1].Value, name);
            var quarter = int.Parse(q.Groups[2].Value, CultureInfo.InvariantCulture);
            return Quarter(year, quarter);
        }
        if (YearForm().Match(t) is { Success: true } y)
        {
            var year = Year(y.Groups[1].Value, name);
            return new Period(new DateOnly(year, 1, 1), new DateOnly(year + 1, 1, 1), year.ToString("D4", CultureInfo.InvariantCulture));
        }
        var parts = t.Split("..");
        if (parts.Length == 2)
        {
            var start = Inputs.Date(parts[0], $"{name} (start)", default);
            var end = Inputs.Date(parts[1], $"{name} (end)", default);
            if (start >= end) throw new InputException($"{name}: the start {FactReader.Iso(start)} must be before the end {FactReader.Iso(end)} (the end is excluded)");
            return new Period(start, end, $"{FactReader.Iso(start)}..{FactReader.Iso(end)}");
        }
        throw new InputException($"{name}: \"{Inputs.Show(t)}\" is not a period; accepted: {Accepted}");
    }

    public static Period Quarter(int year, int quarter)
    {
        var start = new DateOnly(year, 3 * (quarter - 1) + 1, 1);
        return new Period(start, start.AddMonths(3), $"{year:D4}-Q{quarter}");
    }

    /// <summary>
    /// The last full quarter at asOf: the latest quarter whose last day is on or before asOf (facts dated on asOf
    /// count, so on 2026-09-30 Q3 is complete).
    /// </summary>
    public static Period LastFullQuarter(DateOnly asOf)
    {
        var next = asOf.AddDays(1);
        var quarter = (next.Month - 1) / 3 + 1;
        return quarter == 1 ? Quarter(next.Year - 1, 4) : Quarter(next.Year, quarter - 1);
    }

    private static int Year(string digits, string name)
    {
        var year = int.Parse(digits, CultureInfo.InvariantCulture);
        if (year < 1900 || year > 9998) throw new InputException($"{name}: year {year} is out of range; accepted: 1900 to 9998");
        return year;
    }
}
