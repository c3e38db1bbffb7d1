using System.Globalization;

namespace ValueMcp.DemoData.Internal;

/// <summary>
/// Builds one account's facts from its archetype. Each account draws from its own random stream
/// (seed, index), so accounts are independent of each other and of the portfolio size.
/// All fact dates are on or before the anchor (for a churned account: on or before its churn).
/// </summary>
internal static class AccountBuilder
{
    private const ulong StreamAccount = 1;

    private enum Role { Evidenced, Overdue, Open }

    private static readonly (int Promised, int Evidenced)[] AtLeast80Pairs = [(2, 2), (3, 3), (3, 3), (4, 4), (4, 4), (5, 4), (5, 4), (5, 5), (6, 5), (6, 6)];
    private static readonly (int, int)[] AtLeast80PartialPairs = [(5, 4), (6, 5)];
    private static readonly (int, int)[] From60To70Pairs = [(3, 2), (3, 2), (5, 3), (6, 4)];
    private static readonly (int, int)[] From40To60Pairs = [(2, 1), (4, 2), (4, 2), (5, 2), (6, 3)];
    private static readonly (int, int)[] CriticalSomePairs = [(3, 1), (4, 1), (4, 1), (5, 1), (6, 1), (6, 2)];

    public static AccountFacts Build(GeneratorContext ctx, int index)
    {
        var r = Rng.For(ctx.Seed, StreamAccount, (ulong)index);
        var a = ctx.ArchetypeOf(index);
        var anchor = ctx.Anchor;

        // ---- who ----
        var segment = r.Weighted([20, 40, 40]) switch { 0 => "Enterprise", 1 => "Mid-Market", _ => "SMB" };
        var tier = segment switch
        {
            "Enterprise" => r.Weighted([70, 22, 0, 8]),
            "Mid-Market" => r.Weighted([10, 60, 20, 10]),
            _ => r.Weighted([0, 15, 75, 10]),
        } switch { 0 => "1", 1 => "2", 2 => "3", _ => null };
        var csmIndex = r.Next(ctx.CsmCount);
        var csm = csmIndex < Vocabulary.Csms.Length ? Vocabulary.Csms[csmIndex] : Vocabulary.Person(csmIndex, 101);
        var amIndex = r.Next(ctx.AccountManagerCount);
        string? am = amIndex < Vocabulary.AccountManagers.Length ? Vocabulary.AccountManagers[amIndex] : Vocabulary.Person(amIndex, 2003);
        if (segment == "SMB" && r.Chance(0.12)) am = null;
        string? sponsor = r.Chance(0.06) ? null : Vocabulary.Person(r.Next(4800), 0) + ", " + r.Pick(Vocabulary.SponsorTitles);

        // ---- when ----
        DateOnly start, renewal;
        DateOnly? renewedAt = null, churnDate = null;
        if (a.Churned)
        {
            var age = r.Range(a.MinAge, a.MaxAge);
            start = anchor.AddDays(-age);
            var k = 1;
            while (start.AddYears(k) < anchor.AddDays(-30)) k++;
            renewal = start.AddYears(k);
            var lastAnniversary = start.AddYears(k - 1);
            churnDate = k >= 2 && lastAnniversary >= start.AddDays(180) && lastAnniversary < anchor && r.Chance(0.85)
                ? lastAnniversary
                : r.Date(start.AddDays(180), anchor.AddDays(-1));
        }
        else
        {
            (start, renewal, var term) = Timeline(r, a, anchor);
            if (term == 1 && renewal.AddYears(-1) > start) renewedAt = renewal.AddYears(-1);
        }
        var fa = churnDate ?? anchor; // facts anchor: nothing is dated after it
        var ageAtFa = fa.DayNumber - start.DayNumber;

        // ---- capacity ----
        var util = r.Pick(a.Util);
        var (contracted, used) = Capacity(r, segment, util);

        var facts = new AccountFacts
        {
            Id = ctx.AccountId(index),
            Name = Vocabulary.CompanyName(index, ctx.Seed),
            Segment = segment,
            Tier = tier,
            Csm = csm,
            AccountManager = am,
            ContractStart = start,
            RenewalDate = renewal,
            ContractedCapacity = contracted,
            UsedCapacity = used,
            ExecutiveSponsor = sponsor,
            Archetype = a,
            Lane = r.Pick(a.Lanes),
        };

        var firstAchieved = BuildOutcomes(r, a, facts, start, fa, ageAtFa, csm, am);
        BuildMovements(r, a, facts, segment, start, fa, churnDate);
        BuildSignals(r, a, facts, start, fa);
        BuildMilestones(r, a, facts, start, fa, firstAchieved, renewedAt);
        RenewalHistory.Decide(facts, anchor);
        return facts;
    }

    // ------------------------------------------------------------------ timeline

    private static (DateOnly Start, DateOnly Renewal, int TermYears) Timeline(Rng r, Archetype a, DateOnly anchor)
    {
        if (a.Window == Window.Young)
        {
            var s = anchor.AddDays(-r.Range(a.MinAge, a.MaxAge));
            return (s, s.AddYears(1), 1);
        }

        var earliest = anchor.AddYears(-3);
        Span<int> ks = stackalloc int[3];
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var window = a.Window == Window.RedOrPassed ? (r.Chance(0.35) ? Window.Passed : Window.Red) : a.Window;
            var twoYearTerm = window == Window.Far && r.Chance(0.1);
            var d = window switch
            {
                Window.Passed => r.Range(-30, -1),
                Window.Red => r.Range(0, 90),
                Window.Amber => r.Range(91, 180),
                Window.Far => twoYearTerm ? r.Range(366, 395) : r.Range(181, 299),
                Window.Renewed => r.Range(306, 364),
                _ => throw new InvalidOperationException(a.Window.ToString()),
            };
            var renewal = anchor.AddDays(d);
            if (twoYearTerm)
            {
                var s2 = renewal.AddYears(-2);
                var age2 = anchor.DayNumber - s2.DayNumber;
                if (age2 >= a.MinAge && age2 <= a.MaxAge) return (s2, renewal, 2);
                continue;
            }

            var count = 0;
            for (var k = window == Window.Renewed ? 2 : 1; k <= 3; k++)
            {
                var s = renewal.AddYears(-k);
                var age = anchor.DayNumber - s.DayNumber;
                if (age >= a.MinAge && age <= a.MaxAge && s >= earliest) ks[count++] = k;
            }
            if (count == 0) continue;
            var years = ks[r.Next(count)];
            var start = renewal.AddYears(-years);
            var previous = renewal.AddYears(-1);
            // "renewed in the last 60 days" must hold exactly for Window.Renewed and never otherwise.
            var renewedRecently = years >= 2 && previous <= anchor && previous >= anchor.AddDays(-59);
            if (renewedRecently != (window == Window.Renewed)) continue;
            return (start, renewal, 1);
        }
        throw new InvalidOperationException($"No timeline for archetype {a.Name}.");
    }

    // ------------------------------------------------------------------ capacity

    private static (int?, int?) Capacity(Rng r, string segment, UtilBand util)
    {
        if (util == UtilBand.Unknown) return (null, null);
        var contracted = segment switch
        {
            "Enterprise" => r.Range(40, 500) * 10,
            "Mid-Market" => r.Range(8, 80) * 10,
            _ => r.Range(15, 150),
        };
        var permille = util switch
        {
            UtilBand.High => r.Range(860, 1100),
            UtilBand.Mid => r.Range(710, 840),
            _ => r.Range(400, 680),
        };
        var used = (int)(((long)contracted * permille + 500) / 1000);
        // exact integer checks of the band (0.85 and 0.70 are the thresholds of domain.md)
        bool InBand(int u) => util switch
        {
            UtilBand.High => u * 100L >= 85L * contracted && u * 100L <= 110L * contracted,
            UtilBand.Mid => u * 100L >= 70L * contracted && u * 100L < 85L * contracted,
            _ => u * 100L < 70L * contracted && u * 10L >= 4L * contracted,
        };
        var guard = 0;
        while (!InBand(used) && guard++ < 1000)
        {
            var low = util switch { UtilBand.High => 85, UtilBand.Mid => 70, _ => 40 };
            if (used * 100L < (long)low * contracted) used++; else used--;
        }
        return (contracted, used);
    }

    // ------------------------------------------------------------------ outcomes and evidence

    private static (int Promised, int Evidenced) Pair(Rng r, Fulfil f)
    {
        int N() => r.Weighted([18, 24, 28, 17, 13]) + 2;
        switch (f)
        {
            case Fulfil.Perfect: { var n = N(); return (n, n); }
            case Fulfil.AtLeast80: return r.Pick(AtLeast80Pairs);
            case Fulfil.AtLeast80Partial: return r.Pick(AtLeast80PartialPairs);
            case Fulfil.From70To80: return (4, 3);
            case Fulfil.From60To70: return r.Pick(From60To70Pairs);
            case Fulfil.From40To60: return r.Pick(From40To60Pairs);
            case Fulfil.CriticalSome: return r.Pick(CriticalSomePairs);
            case Fulfil.CriticalZero: return (N(), 0);
            case Fulfil.Critical: return r.Chance(0.5) ? r.Pick(CriticalSomePairs) : (N(), 0);
            case Fulfil.None: return (0, 0);
            default: throw new InvalidOperationException(f.ToString());
        }
    }

    /// <returns>The date of the first achieving evidence, if any.</returns>
    private static DateOnly? BuildOutcomes(Rng r, Archetype a, AccountFacts facts, DateOnly start, DateOnly fa, int ageAtFa, string csm, string? am)
    {
        var (n, e) = Pair(r, a.Fulfil);
        if (n == 0) return null;
        var overdue = a.Overdue == OverduePlan.Some && n > e ? r.Range(1, Math.Min(3, n - e)) : 0;
        var roles = new List<Role>(n);
        for (var i = 0; i < e; i++) roles.Add(Role.Evidenced);
        for (var i = 0; i < overdue; i++) roles.Add(Role.Overdue);
        while (roles.Count < n) roles.Add(Role.Open);
        r.Shuffle(roles);

        var templates = Enumerable.Range(0, Vocabulary.OutcomeTemplates.Length).ToArray();
        r.Shuffle(templates);
        var deal = $"OPP-{start.Year}-{r.Range(1000, 9999)}";
        DateOnly? firstAchieved = null;
        var earliestPromise = start.AddDays(-14);

        for (var j = 0; j < n; j++)
        {
            var spec = Vocabulary.OutcomeTemplates[templates[j]](r);
            DateOnly promised;
            DateOnly? due;
            DateOnly? achieveAt = null;
            switch (roles[j])
            {
                case Role.Evidenced:
                {
                    var later = ageAtFa >= 240 && r.Chance(0.2);
                    promised = later ? start.AddDays(r.Range(60, ageAtFa - 150)) : start.AddDays(r.Range(-14, 21));
                    promised = Min(promised, fa.AddDays(-45));
                    var last = Min(promised.AddDays(330), fa);
                    achieveAt = r.Date(promised.AddDays(30), last);
                    due = r.Chance(0.1) ? null : promised.AddDays(r.Range(90, 365));
                    break;
                }
                case Role.Overdue:
                {
                    promised = start.AddDays(r.Range(-14, 14));
                    var d = promised.AddDays(r.Range(60, 300));
                    if (d >= fa) d = fa.AddDays(-r.Range(1, 30));
                    due = d;
                    break;
                }
                default:
                {
                    if (r.Chance(0.12))
                    {
                        due = null;
                        promised = start.AddDays(r.Range(-14, 30));
                    }
                    else
                    {
                        var d = fa.AddDays(r.Range(0, 240));
                        due = d;
                        promised = d.AddDays(-r.Range(120, 400));
                        if (promised > fa) promised = fa.AddDays(-r.Range(0, 25));
                    }
                    promised = Max(promised, earliestPromise);
                    promised = Min(promised, fa);
                    break;
                }
            }

            var source = promised > start.AddDays(45)
                ? r.Weighted([45, 35, 20]) switch
                {
                    0 => $"QBR {promised.Year}-Q{(promised.Month - 1) / 3 + 1}",
                    1 => $"OPP-{promised.Year}-{r.Range(1000, 9999)}",
                    _ => null,
                }
                : (r.Chance(0.06) ? null : deal);

            var outcome = new OutcomeRow
            {
                Title = spec.Title,
                Metric = spec.Metric,
                Unit = spec.Unit,
                Baseline = spec.Baseline,
                Target = spec.Target,
                Direction = spec.Direction,
                PromisedAt = promised,
                DueDate = due,
                Source = source,
            };
            AddEvidence(r, outcome, spec, roles[j], achieveAt, fa, facts.Segment, csm, am);
            facts.Outcomes.Add(outcome);
            if (achieveAt is { } at && (firstAchieved is null || at < firstAchieved)) firstAchieved = at;
        }
        return firstAchieved;
    }

    private static void AddEvidence(Rng r, OutcomeRow o, Vocabulary.OutcomeSpec spec, Role role, DateOnly? achieveAt, DateOnly fa,
        string segment, string csm, string? am)
    {
        var from = o.PromisedAt.AddDays(7);
        var list = o.Evidence;
        switch (role)
        {
            case Role.Evidenced:
            {
                var at = achieveAt!.Value;
                var before = from <= at.AddDays(-1) ? r.Range(0, 3) : 0;
                var dates = Dates(r, before, from, at.AddDays(-1));
                foreach (var d in dates) list.Add(Reading(r, spec, d, achieving: false, segment, csm, am));
                list.Add(Reading(r, spec, at, achieving: true, segment, csm, am));
                if (at < fa)
                {
                    var after = r.Weighted([50, 35, 15]);
                    foreach (var d in Dates(r, after, at.AddDays(1), fa))
                        list.Add(Reading(r, spec, d, achieving: r.Chance(0.4), segment, csm, am));
                }
                break;
            }
            case Role.Overdue:
            {
                foreach (var d in Dates(r, r.Range(1, 4), from, fa)) list.Add(Reading(r, spec, d, achieving: false, segment, csm, am));
                break;
            }
            default:
            {
                if (from <= fa)
                    foreach (var d in Dates(r, r.Range(0, 3), from, fa)) list.Add(Reading(r, spec, d, achieving: false, segment, csm, am));
                break;
            }
        }
        if (list.Count > GeneratorContext.MaxEvidencePerOutcome) list.RemoveRange(GeneratorContext.MaxEvidencePerOutcome, list.Count - GeneratorContext.MaxEvidencePerOutcome);
    }

    private static List<DateOnly> Dates(Rng r, int count, DateOnly from, DateOnly to)
    {
        var result = new List<DateOnly>(count);
        if (to < from) return result;
        for (var i = 0; i < count; i++) result.Add(r.Date(from, to));
        result.Sort();
        return result;
    }

    private static readonly string?[] Sources = ["usage", "meeting", "survey", "communication", "manual", "import", null];
    private static readonly int[] SourceWeights = [25, 20, 12, 15, 13, 10, 5];

    private static EvidenceRow Reading(Rng r, Vocabulary.OutcomeSpec spec, DateOnly at, bool achieving, string segment, string csm, string? am)
    {
        var source = Sources[r.Weighted(SourceWeights)];
        decimal? value;
        bool? achieved;
        if (spec.Target is null)
        {
            value = null;
            achieved = achieving ? true : (r.Chance(0.6) ? false : null);
        }
        else if (achieving)
        {
            switch (r.Next(100))
            {
                case < 45: achieved = null; value = Meeting(r, spec); break;
                case < 85: achieved = true; value = Meeting(r, spec); break;
                case < 95: achieved = true; value = null; break;
                default: achieved = true; value = NotMeeting(r, spec); break;
            }
        }
        else
        {
            switch (r.Next(100))
            {
                case < 55: achieved = null; value = NotMeeting(r, spec); break;
                case < 75: achieved = false; value = NotMeeting(r, spec); break;
                case < 85: achieved = false; value = Meeting(r, spec); break; // an explicit false never achieves
                case < 93: achieved = null; value = null; break;
                default: achieved = false; value = null; break;
            }
        }

        string who = source switch
        {
            "usage" => "Product analytics sync",
            "import" => "CRM import",
            _ => am is not null && r.Chance(0.3) ? am : csm,
        };
        var measure = value is { } v ? Measure(spec, v) : null;
        var status = achieved switch { true => "confirmed achieved", false => "not achieved yet", _ => "progress update" };
        var note = source switch
        {
            "usage" => measure is null ? "Usage review, " + status : "Product analytics: " + measure,
            "meeting" => (segment == "Enterprise" ? "QBR with the executive sponsor: " : "Business review: ") + (measure ?? status),
            "survey" => "Quarterly pulse survey: " + (measure ?? status),
            "communication" => "Email from the champion: " + (measure ?? status),
            "import" => "Imported from the CS platform: " + (measure ?? status),
            _ => "CSM assessment: " + (measure ?? status),
        };
        return new EvidenceRow(at, source, value, achieved, note, who);
    }

    private static string Measure(Vocabulary.OutcomeSpec spec, decimal v)
    {
        var metric = (spec.Metric ?? "value").Replace('_', ' ');
        var amount = spec.Unit switch
        {
            "percent" => Format.Number(v) + "%",
            "USD" => "$" + Format.Number(v),
            "kUSD" => "$" + Format.Number(v) + "k",
            "ratio" => Format.Number(v) + "x",
            null => Format.Number(v),
            var unit => Format.Number(v) + " " + unit,
        };
        return metric + " at " + amount;
    }

    private static decimal Step(int precision) => precision switch { 0 => 1m, 1 => 0.1m, _ => 0.01m };

    private static decimal Round(decimal v, int precision) => Math.Round(v, precision, MidpointRounding.AwayFromZero);

    /// <summary>A value meeting the target in its direction (exactly on it, a bit past, or well past).</summary>
    private static decimal Meeting(Rng r, Vocabulary.OutcomeSpec s)
    {
        var t = s.Target!.Value;
        var b = s.Baseline ?? (s.Direction == "increase" ? t * 0.6m : t * 1.4m);
        var span = Math.Abs(t - b);
        var beyond = r.Chance(0.15) ? 0m : span * r.Range(0, 30) / 100m;
        var v = s.Direction == "increase" ? Round(t + beyond, s.Precision) : Round(Math.Max(0m, t - beyond), s.Precision);
        if (s.Direction == "increase" ? v < t : v > t) v = t;
        return v;
    }

    /// <summary>A value strictly short of the target in its direction.</summary>
    private static decimal NotMeeting(Rng r, Vocabulary.OutcomeSpec s)
    {
        var t = s.Target!.Value;
        var b = s.Baseline ?? (s.Direction == "increase" ? t * 0.6m : t * 1.4m);
        var frac = r.Range(0, 92) / 100m;
        var v = Round(b + (t - b) * frac, s.Precision);
        var step = Step(s.Precision);
        if (s.Direction == "increase" && v >= t) v = t - step;
        if (s.Direction == "decrease" && v <= t) v = t + step;
        return v;
    }

    // ------------------------------------------------------------------ ARR movements

    private static readonly string?[] ExpansionLanes = ["modules", "data_integration", "managed_services", "seats", "price", null];
    private static readonly int[] ExpansionLaneWeights = [30, 20, 15, 20, 10, 5];

    private static void BuildMovements(Rng r, Archetype a, AccountFacts facts, string segment, DateOnly start, DateOnly fa, DateOnly? churnDate)
    {
        decimal arr = segment switch
        {
            "Enterprise" => r.Range(120, 600) * 1000m,
            "Mid-Market" => r.Range(60, 240) * 500m,
            _ => r.Range(50, 300) * 100m,
        };
        var deal = $"OPP-{start.Year}-{r.Range(1000, 9999)}";
        facts.Movements.Add(new MovementRow(start, "new", arr, null, $"New logo, {deal}"));

        var from = start.AddDays(90);
        var to = churnDate is null ? fa.AddDays(-60) : churnDate.Value.AddDays(-30);
        var kinds = new List<string>();
        if (to >= from)
        {
            var span = to.DayNumber - from.DayNumber;
            var expansions = Math.Min(6, r.Range(0, 1 + span / 140));
            for (var i = 0; i < expansions; i++) kinds.Add("expansion");
            if (r.Chance(0.25)) kinds.Insert(r.Next(kinds.Count + 1), "contraction");
            kinds.RemoveRange(Math.Min(kinds.Count, span + 1), kinds.Count - Math.Min(kinds.Count, span + 1));
        }
        var days = new SortedSet<int>();
        while (days.Count < kinds.Count) days.Add(r.Range(from.DayNumber, to.DayNumber));
        var k = 0;
        foreach (var day in days)
        {
            var date = DateOnly.FromDayNumber(day);
            if (kinds[k++] == "expansion") arr += Expansion(r, facts, segment, date, arr);
            else
            {
                var amount = Math.Max(100m, Math.Round(arr * r.Range(5, 30) / 100m / 100m, MidpointRounding.AwayFromZero) * 100m);
                amount = Math.Min(amount, arr - 100m); // never exceeds the ARR it applies to, and leaves some
                if (amount <= 0) continue;
                arr -= amount;
                var note = r.Next(4) switch
                {
                    0 => "Reduced seats after a reorg",
                    1 => $"Dropped the {r.Pick(Vocabulary.Modules)} module",
                    2 => "Budget cut, downgraded to the standard tier",
                    _ => "Renewed at a discount, \"price pressure\" from procurement",
                };
                facts.Movements.Add(new MovementRow(date, "contraction", amount, null, note));
            }
        }

        if (a.RecentExpansion)
        {
            var date = r.Date(Max(fa.AddDays(-50), start.AddDays(30)), fa.AddDays(-3));
            arr += Expansion(r, facts, segment, date, arr);
        }

        if (churnDate is { } churn)
        {
            var note = r.Next(4) switch
            {
                0 => $"Did not renew, moved to {r.Pick(Vocabulary.Competitors)}",
                1 => "Acquired, contract terminated",
                2 => "Budget cut, cancelled at renewal",
                _ => "Churned: champion left and no sponsor",
            };
            facts.Movements.Add(new MovementRow(churn, "churn", null, null, note));
        }
    }

    private static decimal Expansion(Rng r, AccountFacts facts, string segment, DateOnly date, decimal arr)
    {
        var lane = ExpansionLanes[r.Weighted(ExpansionLaneWeights)];
        decimal amount;
        string note;
        switch (lane)
        {
            case "modules":
                amount = RoundTo(arr * r.Range(12, 35) / 100m, 100m);
                note = $"Added the {r.Pick(Vocabulary.Modules)} module";
                break;
            case "data_integration":
                amount = RoundTo(arr * r.Range(8, 25) / 100m, 100m);
                note = $"Connected {r.Pick(Vocabulary.DataSources)} and {r.Pick(Vocabulary.DataSources)}";
                break;
            case "managed_services":
                amount = RoundTo(arr * r.Range(10, 30) / 100m, 500m);
                note = "Managed services retainer, quarterly optimisation";
                break;
            case "seats":
            {
                var seats = r.Range(5, 60) * (segment == "Enterprise" ? 5 : 1);
                var perSeat = r.Range(18, 60) * 10m;
                amount = seats * perSeat;
                note = $"Added {seats} seats at {Format.Number(perSeat)} each";
                break;
            }
            case "price":
            {
                var pct = r.Range(30, 80) / 10m;
                amount = Math.Round(arr * pct / 100m, 2, MidpointRounding.AwayFromZero);
                note = $"Annual price uplift {Format.Number(pct)}%";
                break;
            }
            default:
                amount = RoundTo(arr * r.Range(5, 15) / 100m, 100m);
                note = "Upsell, bundle terms not itemised";
                break;
        }
        amount = Math.Max(amount, 100m);
        facts.Movements.Add(new MovementRow(date, "expansion", amount, lane, note));
        return amount;
    }

    private static decimal RoundTo(decimal v, decimal unit) => Math.Round(v / unit, MidpointRounding.AwayFromZero) * unit;

    // ------------------------------------------------------------------ signals

    private static void BuildSignals(Rng r, Archetype a, AccountFacts facts, DateOnly start, DateOnly fa)
    {
        var recent = new List<Vocabulary.SignalKind>();
        if (a.QuietSignals)
        {
            var count = r.Range(0, 2);
            for (var i = 0; i < count; i++) recent.Add(r.Chance(0.6) ? r.Pick(Vocabulary.UsagePositive) : r.Pick(Vocabulary.SuccessPositive));
            if (r.Chance(0.3)) recent.Add(r.Pick(Vocabulary.TimingAny));
        }
        else
        {
            var engage = r.Pick(a.Engage);
            var growing = engage == Engage.Growing;
            int m, d, c;
            switch (facts.Lane)
            {
                case LaneKind.Modules: m = r.Range(1, 3); d = r.Range(0, m); c = r.Range(0, m); break;
                case LaneKind.Data: d = r.Range(2, 4); m = r.Range(growing ? 1 : 0, Math.Min(2, d - 1)); c = r.Range(0, Math.Min(2, d - 1)); break;
                default: c = r.Range(2, 4); m = r.Range(growing ? 1 : 0, Math.Min(2, c - 1)); d = r.Range(0, Math.Min(2, c - 1)); break;
            }
            // usage + success polarity sum decides engagement
            var negatives = engage switch
            {
                Engage.Growing => r.Range(0, m - 1),
                Engage.Steady => m,
                _ => m + r.Range(1, 2),
            };
            var risk = a.Risk ?? r.Chance(0.5);
            for (var i = 0; i < m; i++)
                recent.Add(i == 0 || r.Chance(0.5) ? r.Pick(Vocabulary.UsagePositive) : r.Pick(Vocabulary.SuccessPositive));
            for (var i = 0; i < d; i++) recent.Add(r.Pick(Vocabulary.DataPositive));
            for (var i = 0; i < c; i++) recent.Add(r.Pick(Vocabulary.CapacityPositive));
            for (var i = 0; i < negatives; i++)
                recent.Add(risk && r.Chance(0.6) ? r.Pick(Vocabulary.UsageNegative) : r.Pick(Vocabulary.SuccessNegative));
            if (risk)
            {
                var count = r.Range(1, 2);
                for (var i = 0; i < count; i++) recent.Add(r.Pick(Vocabulary.RiskNegative));
            }
            if (r.Chance(0.5)) recent.Add(r.Pick(Vocabulary.TimingAny));
            if (r.Chance(0.12)) recent.Add(r.Pick(Vocabulary.DataNegative));
        }

        var all = new List<(DateOnly Date, int Seq, Vocabulary.SignalKind Kind)>(recent.Count + 12);
        var windowStart = Max(fa.AddDays(-89), start);
        foreach (var kind in recent)
        {
            var date = r.Chance(0.04) ? windowStart : r.Date(windowStart, fa);
            all.Add((date, all.Count, kind));
        }

        // history before the recent window: any kind, it no longer counts at the anchor
        var historyEnd = fa.AddDays(-90);
        if (start <= historyEnd)
        {
            var span = historyEnd.DayNumber - start.DayNumber;
            var count = r.Range(0, Math.Min(10, 1 + span / 80));
            for (var i = 0; i < count; i++) all.Add((r.Date(start, historyEnd), all.Count, r.Pick(Vocabulary.AllKinds)));
            if (r.Chance(0.1)) all.Add((historyEnd, all.Count, r.Pick(Vocabulary.RiskNegative))); // just outside the window
        }

        all.Sort((x, y) => x.Date != y.Date ? x.Date.CompareTo(y.Date) : x.Seq.CompareTo(y.Seq));
        if (all.Count > GeneratorContext.MaxSignalsPerAccount)
            throw new InvalidOperationException($"Too many signals for {facts.Id}.");
        foreach (var s in all)
            facts.Signals.Add(new SignalRow(s.Date, s.Kind.Category, s.Kind.Kind, s.Kind.Polarity, s.Kind.Note(r)));
    }

    // ------------------------------------------------------------------ milestones

    private static void BuildMilestones(Rng r, Archetype a, AccountFacts facts, DateOnly start, DateOnly fa, DateOnly? firstAchieved, DateOnly? renewedAt)
    {
        var plan = a.Milestones;
        if (plan == MilestonePlan.Auto && firstAchieved is null) plan = MilestonePlan.KickoffLive;

        var kickoff = start.AddDays(r.Range(2, 10));
        if (kickoff <= fa) facts.Milestones.Add(new MilestoneRow("kickoff", kickoff));
        if (plan == MilestonePlan.KickoffOnly) return;

        var live = start.AddDays(r.Range(20, 60));
        if (live > fa) return;
        facts.Milestones.Add(new MilestoneRow("live", live));

        DateOnly? firstValue = null;
        if (plan == MilestonePlan.KickoffLiveFirstValue && live.AddDays(10) <= fa)
            firstValue = r.Date(live.AddDays(10), fa);
        else if (plan == MilestonePlan.Auto && firstAchieved is { } fv && r.Chance(0.85))
            firstValue = Min(fv.AddDays(r.Range(0, 10)), fa);
        if (firstValue is { } f)
        {
            facts.Milestones.Add(new MilestoneRow("first_value", f));
            var adopted = f.AddDays(r.Range(45, 150));
            if (plan == MilestonePlan.Auto && facts.Outcomes.Count >= 2 && adopted <= fa && r.Chance(0.7))
                facts.Milestones.Add(new MilestoneRow("adopted", adopted));
        }
        if (renewedAt is { } rn && rn <= fa) facts.Milestones.Add(new MilestoneRow("renewed", rn));
        facts.Milestones.Sort((x, y) => x.ReachedAt.CompareTo(y.ReachedAt));
    }

    private static DateOnly Min(DateOnly x, DateOnly y) => x < y ? x : y;

    private static DateOnly Max(DateOnly x, DateOnly y) => x > y ? x : y;

    internal static string Invariant(int v) => v.ToString(CultureInfo.InvariantCulture);
}
