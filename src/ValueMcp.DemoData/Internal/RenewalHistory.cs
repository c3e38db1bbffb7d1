namespace ValueMcp.DemoData.Internal;

internal sealed record RenewalRow(DateOnly RenewalDate, string Outcome, decimal? RenewedArr, DateOnly? Next, string? Reason, DateOnly DecidedAt, string? Note);

/// <summary>
/// The recorded renewals of a generated account, derived from what was generated (no draw from the random stream, so
/// every other fact stays as it was). <see cref="Decide"/> settles each contract anniversary before the anchor from
/// what the account's facts showed around it: an account that looked weak (less than 70% of its promise evidenced by
/// the forecast date, the on_track line, or a negative signal in the months before the date) contracts at the renewal one time in five, and
/// otherwise renews in full after a save plan, with the cause of the worry recorded; an account that looked healthy
/// contracts about one time in sixteen (price or budget), and otherwise renews in full. A contraction at the renewal is a
/// `contraction` movement dated on it, so the ARR ledger and the renewal agree. <see cref="Of"/> then writes the rows:
/// renewed, contracted (with the ARR after the contraction, also when an earlier contraction falls in the 60 days
/// before the date) or churned (with the cause of the churn's note, when the account churned on the date). The renewal
/// in force of a live account is never recorded: a passed one stays an overdue renewal.
/// </summary>
internal static class RenewalHistory
{
    private const string SavedNote = "Renewed in full after a save plan";

    /// <summary>How many days before its date a renewal is judged (the forecast horizon's default).</summary>
    private const int Horizon = 90;

    public static void Decide(AccountFacts f, DateOnly anchor)
    {
        var churn = f.Movements.FirstOrDefault(m => m.Kind == "churn");
        var until = churn?.Date ?? anchor;
        for (var p = f.ContractStart.AddYears(1); p <= until && p < f.RenewalDate; p = p.AddYears(1))
        {
            if (churn is not null && churn.Date == p) return;
            var earlier = f.Movements.LastOrDefault(m => m.Kind == "contraction" && m.Date > p.AddDays(-60) && m.Date <= p);
            if (earlier is not null)
            {
                f.RenewalCauses[p] = (CauseOfNote(earlier.Note) ?? "budget", "Renewed for fewer seats");
                continue;
            }
            var draw = Stable(f.Id + p.DayNumber) % 100;
            var (weak, cause) = Known(f, p);
            var contracts = weak ? draw < 20 : draw < 6;
            if (contracts && f.Movements.All(m => m.Date != p))
            {
                // 10% to 30% of the ARR, never more than leaves 100 at any later date of the ledger.
                var share = 10 + Stable(f.Id + "share" + p.DayNumber) % 21;
                var amount = Math.Round(ArrAfter(f, p) * share / 100m / 100m, MidpointRounding.AwayFromZero) * 100m;
                amount = Math.Min(amount, LowestFrom(f, p) - 100m);
                if (amount >= 100m)
                {
                    var reason = weak ? cause : (draw % 2 == 0 ? "price" : "budget");
                    var note = reason switch
                    {
                        "price" => "Renewed at a discount, procurement pushed on price",
                        "budget" => "Renewed with fewer seats after a budget cut",
                        "sponsor_change" => "New sponsor renewed a smaller scope",
                        "competitor" => "Moved part of the team to a competitor at renewal",
                        "product_gap" => "Dropped a module that did not fit their process",
                        _ => "Renewed fewer seats: the promised outcomes were not shown",
                    };
                    Insert(f, new MovementRow(p, "contraction", amount, null, note));
                    f.RenewalCauses[p] = (reason, note);
                    continue;
                }
            }
            if (weak) f.RenewalCauses[p] = (cause, SavedNote);
        }
    }

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
            f.RenewalCauses.TryGetValue(p, out var cause);
            var contraction = f.Movements.LastOrDefault(m => m.Kind == "contraction" && m.Date > p.AddDays(-60) && m.Date <= p);
            if (contraction is not null)
                yield return new RenewalRow(p, "contracted", ArrAfter(f, contraction.Date), p.AddYears(1), cause.Reason ?? "budget", decided, cause.Note ?? "Renewed for fewer seats");
            else
                yield return new RenewalRow(p, "renewed", null, p.AddYears(1), cause.Reason, decided, cause.Note);
        }
    }

    /// <summary>
    /// The probability overrides a CSM set on the account's renewals dated in the year before the anchor (at least 30
    /// days before it): each set 100 days before the renewal (so in force on its forecast date) and expiring 20 days after
    /// it (so none is in force at the anchor). The CSM was confident about every churn (wrong), about some of the renewals
    /// saved after a worry (right), and gloomy about some of the contractions after a sponsor change or a value gap (the
    /// customer renewed, smaller: wrong about the renewal).
    /// </summary>
    public static IEnumerable<(DateOnly RenewalDate, decimal Probability, string Reason)> Judgements(AccountFacts f, DateOnly anchor)
    {
        foreach (var n in Of(f, anchor))
        {
            if (n.RenewalDate < anchor.AddDays(-365) || n.RenewalDate >= anchor.AddDays(-30)) continue;
            var draw = Stable(f.Id + "judged" + n.RenewalDate.DayNumber) % 6;
            if (n.Outcome == "churned")
                yield return (n.RenewalDate, 0.8m, "Champion says the renewal is a formality: budget approved in the last QBR");
            else if (n.Outcome == "renewed" && n.Note == SavedNote && draw == 0)
                yield return (n.RenewalDate, 0.85m, "Save plan agreed with the sponsor: impact review booked, they confirmed the renewal");
            else if (n.Outcome == "contracted" && n.Reason is "sponsor_change" or "value_not_realised" && draw < 3)
                yield return (n.RenewalDate, 0.3m, "New leadership questions the spend: plan for a loss");
        }
    }

    /// <summary>
    /// What the account's facts showed about a renewal dated p: weak when less than 70% of the outcomes promised by
    /// its forecast date (p - 90 days) were evidenced by then (or none was promised), or when a negative signal fell in
    /// the 180 days before p; the cause is the latest such signal's, else value_not_realised.
    /// </summary>
    private static (bool Weak, string Cause) Known(AccountFacts f, DateOnly p)
    {
        var forecast = p.AddDays(-Horizon);
        var promised = f.Outcomes.Where(o => o.PromisedAt <= forecast).ToList();
        var evidenced = promised.Count(o => o.Evidence.Any(e => e.CapturedAt <= forecast && e.Achieved != false));
        var signal = f.Signals.Where(s => s.Polarity < 0 && s.ObservedAt > p.AddDays(-180) && s.ObservedAt <= p)
            .OrderBy(s => s.ObservedAt).LastOrDefault();
        var weak = promised.Count == 0 || evidenced < promised.Count * 0.7m || signal is not null;
        return (weak, signal is null ? "value_not_realised" : CauseOfSignal(signal.Kind));
    }

    private static string CauseOfSignal(string kind) => kind switch
    {
        "sponsor_change" or "champion_turnover" or "exec_sponsor_absent" => "sponsor_change",
        "competitor_evaluation" => "competitor",
        "procurement_freeze" => "budget",
        "roi_questioned" => "price",
        "sync_failure" or "feature_abandonment" or "support_escalation" => "product_gap",
        _ => "value_not_realised",
    };

    private static string? CauseOfNote(string? note) => note switch
    {
        { } n when n.StartsWith("Budget cut", StringComparison.Ordinal) => "budget",
        { } n when n.Contains("price", StringComparison.Ordinal) => "price",
        { } n when n.StartsWith("Dropped the", StringComparison.Ordinal) => "product_gap",
        { } n when n.StartsWith("Reduced seats", StringComparison.Ordinal) => "other",
        _ => null,
    };

    /// <summary>Inserts a movement in date order (the same-day order of the ledger is new, expansion, contraction, churn).</summary>
    private static void Insert(AccountFacts f, MovementRow m)
    {
        var at = f.Movements.FindIndex(x => x.Date > m.Date || (x.Date == m.Date && x.Kind == "churn"));
        if (at < 0) f.Movements.Add(m);
        else f.Movements.Insert(at, m);
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
            arr = Apply(arr, m);
        return arr;
    }

    /// <summary>The lowest ARR of the ledger from date on, churn aside.</summary>
    private static decimal LowestFrom(AccountFacts f, DateOnly date)
    {
        var arr = ArrAfter(f, date);
        var lowest = arr;
        foreach (var m in f.Movements.Where(m => m.Date > date && m.Kind != "churn").OrderBy(m => m.Date))
        {
            arr = Apply(arr, m);
            lowest = Math.Min(lowest, arr);
        }
        return lowest;
    }

    private static decimal Apply(decimal arr, MovementRow m) => m.Kind switch
    {
        "new" or "expansion" => arr + (m.Amount ?? 0m),
        "contraction" => arr - (m.Amount ?? 0m),
        _ => 0m,
    };

    private static string ChurnReason(string? note) => note switch
    {
        { } n when n.StartsWith("Did not renew, moved to", StringComparison.Ordinal) => "competitor",
        { } n when n.StartsWith("Budget cut", StringComparison.Ordinal) => "budget",
        { } n when n.Contains("champion left", StringComparison.Ordinal) => "sponsor_change",
        _ => "other",
    };
}
