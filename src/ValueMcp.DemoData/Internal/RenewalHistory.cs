namespace ValueMcp.DemoData.Internal;

internal sealed record RenewalRow(DateOnly RenewalDate, string Outcome, decimal? RenewedArr, DateOnly? Next, string? Reason, DateOnly DecidedAt, string? Note);

/// <summary>
/// The recorded renewals of a generated account, derived from what was generated (no draw from the random stream, so
/// every other fact stays as it was): each contract anniversary before the anchor is recorded as renewed (contracted,
/// with the ARR after the contraction, when a contraction falls in the 60 days before it; churned, with the cause of
/// the churn's note, when the account churned on it). The renewal in force of a live account is never recorded: a
/// passed one stays an overdue renewal.
/// </summary>
internal static class RenewalHistory
{
    public static IEnumerable<RenewalRow> Of(AccountFacts f, DateOnly anchor)
    {
        var churn = f.Movements.FirstOrDefault(m => m.Kind == "churn");
        var until = churn?.Date ?? anchor;
        for (var p = f.ContractStart.AddYears(1); p <= until && p < f.RenewalDate; p = p.AddYears(1))
        {
            // Decided a few days before or after the date, spread by the account and the date (deterministic).
            var offset = (Stable(f.Id) + p.DayNumber * 7) % 25 - 15;
            var decided = p.AddDays(offset);
            if (decided > until) decided = until;
            if (churn is not null && churn.Date == p)
            {
                yield return new RenewalRow(p, "churned", null, null, ChurnReason(churn.Note), churn.Date, churn.Note);
                yield break;
            }
            var contraction = f.Movements.LastOrDefault(m => m.Kind == "contraction" && m.Date > p.AddDays(-60) && m.Date <= p);
            if (contraction is not null)
            {
                var reason = ((Stable(f.Id) + p.DayNumber) % 3) switch { 0 => "budget", 1 => "price", _ => "value_not_realised" };
                yield return new RenewalRow(p, "contracted", ArrAfter(f, contraction.Date), p.AddYears(1), reason, decided, "Renewed for fewer seats");
            }
            else
            {
                yield return new RenewalRow(p, "renewed", null, p.AddYears(1), null, decided, null);
            }
        }
    }

    /// <summary>A string hash that does not change between runs (string.GetHashCode does).</summary>
    private static int Stable(string s)
    {
        var h = 17;
        foreach (var c in s) h = unchecked(h * 31 + c);
        return h & 0x7fffffff;
    }

    private static decimal ArrAfter(AccountFacts f, DateOnly date)
    {
        decimal arr = 0m;
        foreach (var m in f.Movements.Where(m => m.Date <= date).OrderBy(m => m.Date))
        {
            arr = m.Kind switch
            {
                "new" or "expansion" => arr + (m.Amount ?? 0m),
                "contraction" => arr - (m.Amount ?? 0m),
                _ => 0m,
            };
        }
        return arr;
    }

    private static string ChurnReason(string? note) => note switch
    {
        { } n when n.StartsWith("Did not renew, moved to", StringComparison.Ordinal) => "competitor",
        { } n when n.StartsWith("Budget cut", StringComparison.Ordinal) => "budget",
        { } n when n.Contains("champion left", StringComparison.Ordinal) => "sponsor_change",
        _ => "other",
    };
}
