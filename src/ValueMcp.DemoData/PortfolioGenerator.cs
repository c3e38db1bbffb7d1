using System.Diagnostics;
using System.Globalization;
using ValueMcp.DemoData.Internal;
using ValueMcp.Scoring;
using ValueMcp.Store;

namespace ValueMcp.DemoData;

/// <summary>
/// Deterministic generator of a realistic portfolio (the demo and the benchmark) as the CSV files of
/// spec/import.md. Accounts are built from archetypes so that, evaluated with the rules of
/// spec/domain.md at the anchor date, every band, readiness, renewal flag, renewal risk, next action,
/// expansion lane and lifecycle stage occurs among the active accounts.
/// </summary>
public static class PortfolioGenerator
{
    /// <summary>The anchor ("today") of the committed demo portfolio.</summary>
    public static readonly DateOnly DemoAnchorDate = new(2026, 11, 24);

    // The files, their headers and the order of their columns are the store's registry (FactKinds): each row below
    // gives a value per column by name, in the order the registry lists them; a column the generator does not know fails loudly.
    private static CsvWriter Open(string folder, FactEntry kind) => new(Path.Combine(folder, kind.File!), kind.CsvColumns);

    /// <summary>
    /// Writes accounts.csv, arr_movements.csv, outcomes.csv, evidence.csv, signals.csv, milestones.csv, renewals.csv and
    /// (unless options.Metrics is false) metrics.csv into <paramref name="folder"/> (created if needed, existing files replaced). Rows are streamed one
    /// account at a time, so memory stays small whatever the size.
    /// </summary>
    /// <returns>Data rows written per file name (header excluded).</returns>
    public static IReadOnlyDictionary<string, long> Write(string folder, GeneratorOptions options, IProgress<string>? progress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var ctx = new GeneratorContext(options);
        Directory.CreateDirectory(folder);
        var clock = Stopwatch.StartNew();
        progress?.Report($"Generating {ctx.Accounts.ToString("N0", CultureInfo.InvariantCulture)} accounts (seed {ctx.Seed}, anchor {Format.Date(ctx.Anchor)}) into {folder}");

        using var accounts = Open(folder, FactKinds.Accounts);
        using var movements = Open(folder, FactKinds.Movements);
        using var outcomes = Open(folder, FactKinds.Outcomes);
        using var evidence = Open(folder, FactKinds.Evidence);
        using var signals = Open(folder, FactKinds.Signals);
        using var milestones = Open(folder, FactKinds.Milestones);
        using var renewals = Open(folder, FactKinds.Renewals);
        var metricsFile = Path.Combine(folder, FactKinds.Metrics.File!);
        if (!options.Metrics && File.Exists(metricsFile)) File.Delete(metricsFile);
        using var metrics = options.Metrics ? Open(folder, FactKinds.Metrics) : null;

        long outcomeId = 0, evidenceId = 0, signalId = 0;
        var step = Math.Max(1, ctx.Accounts / 10);
        for (var i = 0; i < ctx.Accounts; i++)
        {
            var f = AccountBuilder.Build(ctx, i);

            accounts.Row(c => c switch
            {
                "id" => f.Id,
                "name" => f.Name,
                "segment" => f.Segment,
                "tier" => f.Tier,
                "csm" => f.Csm,
                "account_manager" => f.AccountManager,
                "contract_start" => Format.Date(f.ContractStart),
                "renewal_date" => Format.Date(f.RenewalDate),
                "contracted_capacity" => Format.Int(f.ContractedCapacity),
                "used_capacity" => Format.Int(f.UsedCapacity),
                "executive_sponsor" => f.ExecutiveSponsor,
                _ => Unknown("accounts.csv", c),
            });

            foreach (var m in f.Movements)
            {
                movements.Row(c => c switch
                {
                    "account_id" => f.Id,
                    "effective_date" => Format.Date(m.Date),
                    "kind" => m.Kind,
                    "amount" => Format.Number(m.Amount),
                    "lane" => m.Lane,
                    "note" => m.Note,
                    _ => Unknown("arr_movements.csv", c),
                });
            }

            foreach (var o in f.Outcomes)
            {
                var oid = Format.Id("OUT-", ++outcomeId, ctx.OutcomeIdWidth);
                outcomes.Row(c => c switch
                {
                    "id" => oid,
                    "account_id" => f.Id,
                    "title" => o.Title,
                    "metric" => o.Metric,
                    "unit" => o.Unit,
                    "baseline" => Format.Number(o.Baseline),
                    "target" => Format.Number(o.Target),
                    "direction" => o.Direction,
                    "promised_at" => Format.Date(o.PromisedAt),
                    "due_date" => Format.Date(o.DueDate),
                    "source" => o.Source,
                    _ => Unknown("outcomes.csv", c),
                });
                foreach (var e in o.Evidence)
                {
                    var eid = Format.Id("EV-", ++evidenceId, ctx.EvidenceIdWidth);
                    evidence.Row(c => c switch
                    {
                        "id" => eid,
                        "outcome_id" => oid,
                        "captured_at" => Format.Date(e.CapturedAt),
                        "source" => e.Source,
                        "observed_value" => Format.Number(e.Observed),
                        "achieved" => e.Achieved switch { true => "true", false => "false", null => null },
                        "note" => e.Note,
                        "captured_by" => e.CapturedBy,
                        _ => Unknown("evidence.csv", c),
                    });
                }
            }

            foreach (var s in f.Signals)
            {
                var sid = Format.Id("SIG-", ++signalId, ctx.SignalIdWidth);
                signals.Row(c => c switch
                {
                    "id" => sid,
                    "account_id" => f.Id,
                    "observed_at" => Format.Date(s.ObservedAt),
                    "category" => s.Category,
                    "kind" => s.Kind,
                    "polarity" => s.Polarity > 0 ? "+1" : "-1",
                    "note" => s.Note,
                    _ => Unknown("signals.csv", c),
                });
            }

            foreach (var m in f.Milestones)
            {
                milestones.Row(c => c switch
                {
                    "account_id" => f.Id,
                    "kind" => m.Kind,
                    "reached_at" => Format.Date(m.ReachedAt),
                    _ => Unknown("milestones.csv", c),
                });
            }

            foreach (var n in RenewalHistory.Of(f, ctx.Anchor))
            {
                renewals.Row(c => c switch
                {
                    "account_id" => f.Id,
                    "renewal_date" => Format.Date(n.RenewalDate),
                    "outcome" => n.Outcome,
                    "renewed_arr" => Format.Number(n.RenewedArr),
                    "next_renewal_date" => Format.Date(n.Next),
                    "reason" => n.Reason,
                    "decided_at" => Format.Date(n.DecidedAt),
                    "note" => n.Note,
                    _ => Unknown("renewals.csv", c),
                });
            }

            if (metrics is not null)
            {
                foreach (var m in MetricSeries.For(ctx, i, f))
                {
                    metrics.Row(c => c switch
                    {
                        "account_id" => f.Id,
                        "metric" => m.Metric,
                        "observed_at" => Format.Date(m.ObservedAt),
                        "value" => Format.Number(m.Value),
                        "source" => MetricSeries.Source,
                        _ => Unknown("metrics.csv", c),
                    });
                }
            }

            if (progress is not null && ((i + 1) % step == 0 || i + 1 == ctx.Accounts))
                progress.Report($"accounts {(i + 1).ToString("N0", CultureInfo.InvariantCulture)}/{ctx.Accounts.ToString("N0", CultureInfo.InvariantCulture)} ({clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)");
        }

        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal)
        {
            ["accounts.csv"] = accounts.Rows,
            ["arr_movements.csv"] = movements.Rows,
            ["outcomes.csv"] = outcomes.Rows,
            ["evidence.csv"] = evidence.Rows,
            ["signals.csv"] = signals.Rows,
            ["milestones.csv"] = milestones.Rows,
            ["renewals.csv"] = renewals.Rows,
        };
        if (metrics is not null) counts["metrics.csv"] = metrics.Rows;
        progress?.Report("Rows: " + string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value.ToString("N0", CultureInfo.InvariantCulture)}")));
        return counts;
    }

    /// <summary>
    /// The probability overrides of the generated portfolio: judgements CSMs set on renewals of the year before the
    /// anchor, some right and some wrong (RenewalHistory.Judgements). Overrides have no import file: the demo database
    /// sets them through the store's writer after the import (the server's Demo), as set_override would.
    /// </summary>
    public static IReadOnlyList<GeneratedOverride> ProbabilityOverrides(GeneratorOptions options)
    {
        var ctx = new GeneratorContext(options);
        var list = new List<GeneratedOverride>();
        for (var i = 0; i < ctx.Accounts; i++)
        {
            var f = AccountBuilder.Build(ctx, i);
            foreach (var (date, p, reason) in RenewalHistory.Judgements(f, ctx.Anchor))
                list.Add(new GeneratedOverride(f.Id, new OverrideFact(OverrideField.Probability, Format.Number(p)!, reason, f.Csm,
                    date.AddDays(-100), date.AddDays(20))));
        }
        return list;
    }

    /// <summary>What each account was built to be: for tests of the generator itself.</summary>
    internal static IEnumerable<AccountDesign> Describe(GeneratorOptions options)
    {
        var ctx = new GeneratorContext(options);
        for (var i = 0; i < ctx.Accounts; i++)
        {
            var f = AccountBuilder.Build(ctx, i);
            yield return new AccountDesign(f.Id, f.Archetype.Name, f.Archetype.Expect, LaneName(f.Lane));
        }
    }

    /// <summary>A column of the registry the generator has no value for: the generator must learn it, never leave it empty.</summary>
    private static string Unknown(string file, string column) =>
        throw new InvalidOperationException($"the generator has no value for {file} column {column}: add it to PortfolioGenerator");

    internal static string LaneName(LaneKind lane) => lane switch
    {
        LaneKind.Modules => "modules",
        LaneKind.Data => "data_integration",
        _ => "managed_services",
    };
}

/// <summary>A probability override of the generated portfolio: the account and the override (author, reason, dates).</summary>
public sealed record GeneratedOverride(string AccountId, OverrideFact Override);

/// <summary>An account's archetype and the verdicts it was designed to have at the anchor (null when churned).</summary>
internal sealed record AccountDesign(string AccountId, string Archetype, Expectation? Expect, string Lane);
