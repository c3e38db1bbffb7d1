using System.Diagnostics;
using System.Globalization;
using ValueMcp.DemoData.Internal;

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

    internal static readonly string[] AccountsHeader = ["id", "name", "segment", "tier", "csm", "account_manager", "contract_start", "renewal_date", "contracted_capacity", "used_capacity", "executive_sponsor"];
    internal static readonly string[] MovementsHeader = ["account_id", "effective_date", "kind", "amount", "lane", "note"];
    internal static readonly string[] OutcomesHeader = ["id", "account_id", "title", "metric", "unit", "baseline", "target", "direction", "promised_at", "due_date", "source"];
    internal static readonly string[] EvidenceHeader = ["id", "outcome_id", "captured_at", "source", "observed_value", "achieved", "note", "captured_by"];
    internal static readonly string[] SignalsHeader = ["id", "account_id", "observed_at", "category", "kind", "polarity", "note"];
    internal static readonly string[] MilestonesHeader = ["account_id", "kind", "reached_at"];

    /// <summary>
    /// Writes accounts.csv, arr_movements.csv, outcomes.csv, evidence.csv, signals.csv and milestones.csv
    /// into <paramref name="folder"/> (created if needed, existing files replaced). Rows are streamed one
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

        using var accounts = new CsvWriter(Path.Combine(folder, "accounts.csv"), AccountsHeader);
        using var movements = new CsvWriter(Path.Combine(folder, "arr_movements.csv"), MovementsHeader);
        using var outcomes = new CsvWriter(Path.Combine(folder, "outcomes.csv"), OutcomesHeader);
        using var evidence = new CsvWriter(Path.Combine(folder, "evidence.csv"), EvidenceHeader);
        using var signals = new CsvWriter(Path.Combine(folder, "signals.csv"), SignalsHeader);
        using var milestones = new CsvWriter(Path.Combine(folder, "milestones.csv"), MilestonesHeader);

        long outcomeId = 0, evidenceId = 0, signalId = 0;
        var step = Math.Max(1, ctx.Accounts / 10);
        for (var i = 0; i < ctx.Accounts; i++)
        {
            var f = AccountBuilder.Build(ctx, i);

            accounts.Field(f.Id).Field(f.Name).Field(f.Segment).Field(f.Tier).Field(f.Csm).Field(f.AccountManager)
                .Field(f.ContractStart).Field(f.RenewalDate).Field(f.ContractedCapacity).Field(f.UsedCapacity).Field(f.ExecutiveSponsor)
                .EndRow();

            foreach (var m in f.Movements)
                movements.Field(f.Id).Field(m.Date).Field(m.Kind).Field(m.Amount).Field(m.Lane).Field(m.Note).EndRow();

            foreach (var o in f.Outcomes)
            {
                var oid = Format.Id("OUT-", ++outcomeId, ctx.OutcomeIdWidth);
                outcomes.Field(oid).Field(f.Id).Field(o.Title).Field(o.Metric).Field(o.Unit).Field(o.Baseline).Field(o.Target)
                    .Field(o.Direction).Field(o.PromisedAt).Field(o.DueDate).Field(o.Source).EndRow();
                foreach (var e in o.Evidence)
                {
                    evidence.Field(Format.Id("EV-", ++evidenceId, ctx.EvidenceIdWidth)).Field(oid).Field(e.CapturedAt).Field(e.Source)
                        .Field(e.Observed).Field(e.Achieved switch { true => "true", false => "false", null => null })
                        .Field(e.Note).Field(e.CapturedBy).EndRow();
                }
            }

            foreach (var s in f.Signals)
            {
                signals.Field(Format.Id("SIG-", ++signalId, ctx.SignalIdWidth)).Field(f.Id).Field(s.ObservedAt).Field(s.Category)
                    .Field(s.Kind).Field(s.Polarity > 0 ? "+1" : "-1").Field(s.Note).EndRow();
            }

            foreach (var m in f.Milestones)
                milestones.Field(f.Id).Field(m.Kind).Field(m.ReachedAt).EndRow();

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
        };
        progress?.Report("Rows: " + string.Join(", ", counts.Select(kv => $"{kv.Key} {kv.Value.ToString("N0", CultureInfo.InvariantCulture)}")));
        return counts;
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

    internal static string LaneName(LaneKind lane) => lane switch
    {
        LaneKind.Modules => "modules",
        LaneKind.Data => "data_integration",
        _ => "managed_services",
    };
}

/// <summary>An account's archetype and the verdicts it was designed to have at the anchor (null when churned).</summary>
internal sealed record AccountDesign(string AccountId, string Archetype, Expectation? Expect, string Lane);
