using System.Globalization;

namespace ValueMcp.DemoData.Tests;

/// <summary>An account's verdicts at as_of, computed by <see cref="DomainChecker"/>.</summary>
internal sealed record Verdict(
    string Id, bool Active, decimal Arr, int Promised, int Evidenced, int Overdue,
    string Band, string Readiness, string Flag, string Risk, string Action, string? Lane, string Stage, bool TtfvBreach,
    int DaysToRenewal);

/// <summary>
/// A small, independent re-implementation of the per-account rules of spec/domain.md, working
/// directly on CSV rows (default thresholds, no overrides). Deliberately shares no code with the
/// generator or the scoring library.
/// </summary>
internal static class DomainChecker
{
    private static DateOnly D(string s) => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static decimal? N(string s) => s.Length == 0 ? null : decimal.Parse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    private static int KindOrder(string kind) => kind switch { "new" => 0, "expansion" => 1, "contraction" => 2, "churn" => 3, _ => throw new InvalidDataException(kind) };

    public static List<Verdict> Evaluate(PortfolioFiles p, DateOnly asOf)
    {
        var movements = p.Movements.Rows.ToLookup(r => r["account_id"]);
        var outcomes = p.Outcomes.Rows.ToLookup(r => r["account_id"]);
        var evidence = p.Evidence.Rows.ToLookup(r => r["outcome_id"]);
        var signals = p.Signals.Rows.ToLookup(r => r["account_id"]);
        var milestones = p.Milestones.Rows.ToLookup(r => r["account_id"]);
        var recentFrom = asOf.AddDays(-89);
        var last60From = asOf.AddDays(-59);

        var result = new List<Verdict>();
        foreach (var acc in p.Accounts.Rows)
        {
            var id = acc["id"];

            // ARR and activity
            var arr = 0m;
            var recentExpansion = false;
            foreach (var m in movements[id].Where(m => D(m["effective_date"]) <= asOf)
                         .OrderBy(m => D(m["effective_date"])).ThenBy(m => KindOrder(m["kind"])))
            {
                switch (m["kind"])
                {
                    case "new": case "expansion": arr += N(m["amount"])!.Value; break;
                    case "contraction":
                        var c = N(m["amount"])!.Value;
                        if (c > arr) throw new InvalidDataException($"{id}: contraction {c} exceeds ARR {arr}");
                        arr -= c;
                        break;
                    case "churn": arr = 0; break;
                }
                if (m["kind"] == "expansion" && D(m["effective_date"]) >= last60From) recentExpansion = true;
            }

            // outcomes
            var promised = 0;
            var evidencedCount = 0;
            var overdue = 0;
            DateOnly? firstValue = null;
            foreach (var o in outcomes[id].Where(o => D(o["promised_at"]) <= asOf))
            {
                promised++;
                var target = N(o["target"]);
                var direction = o["direction"];
                DateOnly? achievedAt = null;
                foreach (var e in evidence[o["id"]])
                {
                    var at = D(e["captured_at"]);
                    if (at > asOf) continue;
                    var achieves = e["achieved"] switch
                    {
                        "true" => true,
                        "false" => false,
                        "" => N(e["observed_value"]) is { } v && target is { } t &&
                              (direction == "increase" ? v >= t : direction == "decrease" ? v <= t : throw new InvalidDataException($"{o["id"]}: direction")),
                        var other => throw new InvalidDataException($"achieved '{other}'"),
                    };
                    if (achieves && (achievedAt is null || at < achievedAt)) achievedAt = at;
                }
                if (achievedAt is { } a)
                {
                    evidencedCount++;
                    if (firstValue is null || a < firstValue) firstValue = a;
                }
                else if (o["due_date"].Length > 0 && D(o["due_date"]) < asOf)
                {
                    overdue++;
                }
            }

            // band (rational comparisons, no floating point)
            bool FAtLeast(int percent) => promised > 0 && evidencedCount * 100 >= percent * promised;
            var band = promised == 0 ? "no_contract" : FAtLeast(70) ? "on_track" : FAtLeast(40) ? "at_risk" : "critical";

            // renewal flag
            var days = D(acc["renewal_date"]).DayNumber - asOf.DayNumber;
            var flag = days <= 90 ? "red" : days <= 180 ? "amber" : "none";

            // utilisation
            var contracted = N(acc["contracted_capacity"]);
            var used = N(acc["used_capacity"]);
            decimal? util = contracted is { } cc && used is { } uu && cc > 0 ? uu / cc : null;

            // signals in the recent window
            var recent = signals[id].Where(s => D(s["observed_at"]) >= recentFrom && D(s["observed_at"]) <= asOf)
                .Select(s => (Category: s["category"], Polarity: s["polarity"] == "-1" ? -1 : s["polarity"] is "+1" or "1" ? 1 : throw new InvalidDataException(s["polarity"])))
                .ToList();
            var engagementSum = recent.Where(s => s.Category is "usage" or "success").Sum(s => s.Polarity);
            var engagement = engagementSum > 0 ? "growing" : engagementSum < 0 ? "declining" : "steady";
            var riskSignal = recent.Any(s => s.Polarity == -1 && s.Category is "risk" or "usage");

            // readiness
            string readiness;
            if (band == "critical" || riskSignal) readiness = "blocked";
            else if (FAtLeast(80) && engagement != "declining" &&
                     (util is { } u1 ? u1 >= 0.85m : recent.Any(s => s.Polarity == 1 && s.Category is "usage" or "data" or "capacity")))
                readiness = "ready";
            else if (FAtLeast(60) && ((util is { } u2 && u2 >= 0.70m) || engagement == "growing")) readiness = "emerging";
            else readiness = "not_ready";

            // lane
            string? lane = null;
            if (readiness is "ready" or "emerging")
            {
                var modules = recent.Count(s => s.Polarity == 1 && s.Category is "usage" or "success");
                var data = recent.Count(s => s.Polarity == 1 && s.Category == "data");
                var managed = recent.Count(s => s.Polarity == 1 && s.Category == "capacity");
                lane = data > modules && data > managed ? "data_integration"
                    : managed > modules && managed > data ? "managed_services"
                    : "modules";
            }

            // renewal risk
            string risk;
            if (days > 180) risk = "none";
            else if ((flag == "red" && band != "on_track") || (flag == "amber" && band == "critical") || (riskSignal && band != "on_track")) risk = "high";
            else if ((flag == "amber" && band == "at_risk") || (flag == "red" && band == "on_track" && riskSignal) || overdue > 0) risk = "medium";
            else risk = "low";

            // milestones, TTFV
            var reached = milestones[id].Where(m => D(m["reached_at"]) <= asOf).ToList();
            foreach (var m in reached.Where(m => m["kind"] == "first_value"))
                if (firstValue is null || D(m["reached_at"]) < firstValue) firstValue = D(m["reached_at"]);
            var ttfvBreach = firstValue is null && asOf.DayNumber - D(acc["contract_start"]).DayNumber > 75;
            var renewedRecently = reached.Any(m => m["kind"] == "renewed" && D(m["reached_at"]) >= last60From);

            // lifecycle stage
            var stage = flag != "none" ? "renewal"
                : readiness == "ready" ? "expansion"
                : evidencedCount > 0 ? "adoption"
                : reached.Any(m => m["kind"] is "live" or "first_value" or "adopted") ? "first_value"
                : "onboarding";

            // next action
            var action = risk == "high" ? "escalate_renewal_risk"
                : promised == 0 ? "establish_value_contract"
                : overdue > 0 ? "capture_missing_evidence"
                : band is "at_risk" or "critical" ? "schedule_impact_review"
                : readiness == "ready" ? "initiate_expansion_conversation"
                : band == "on_track" && FAtLeast(90) && (recentExpansion || renewedRecently) ? "request_advocacy"
                : "monitor";

            result.Add(new Verdict(id, arr > 0, arr, promised, evidencedCount, overdue, band, readiness, flag, risk, action, lane, stage, ttfvBreach, days));
        }
        return result;
    }
}
