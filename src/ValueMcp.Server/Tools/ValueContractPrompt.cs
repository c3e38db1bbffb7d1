using System.ComponentModel;
using System.Text;
using System.Text.RegularExpressions;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using static ValueMcp.Server.App.Text;

namespace ValueMcp.Server.Tools;

/// <summary>
/// draft_value_contract: turns deal notes into measurable promised outcomes for one account. The assistant drafts, the
/// user confirms, and only then add_promised_outcome is called; a vague promise is refused with the reason. The prompt
/// embeds the account's current contract and the metrics already measured for it (with their latest readings, a ready
/// baseline), and marks the note lines that carry no figure.
/// </summary>
[McpServerPromptType]
public sealed partial class ValueContractPrompt(ValueService service)
{
    /// <summary>The longest notes accepted (deal notes, not a document).</summary>
    public const int MaxNotes = 20_000;

    [McpServerPrompt(Name = "draft_value_contract", Title = "Draft a value contract from deal notes")]
    [Description("Turns deal notes into measurable promised outcomes for an account (title, metric, unit, baseline, target, direction, due date, source), using the metrics already measured for the account as baselines; refuses vague promises (\"improve execution\") and says why; asks the user to confirm each outcome before calling add_promised_outcome.")]
    public GetPromptResult DraftValueContract(
        [Description("The account id (the CRM key), as list_accounts shows it.")] string account_id,
        [Description("The deal notes: what the customer was promised, in their words (up to 20,000 characters).")] string notes) =>
        WorkflowPrompts.Render("draft_value_contract", () =>
        {
            var id = Inputs.RequiredText(account_id, "account_id");
            if (string.IsNullOrWhiteSpace(notes))
                throw new InputException("notes: required; accepted: the deal notes, what the customer was promised, in their words");
            if (notes.Length > MaxNotes) throw new InputException($"notes: {notes.Length:N0} characters; accepted: up to {MaxNotes:N0}");
            var today = service.AsOf(null);
            var history = service.Store.History(id).History
                ?? throw new InputException($"account_id: unknown account \"{Inputs.Show(id)}\"; use list_accounts to find account ids");
            var card = ScorecardTool.Answer(service, id, today);

            var s = new StringBuilder();
            s.AppendLine($"Draft a value contract for {card.Name} [{card.Id}] ({card.Segment}, CSM {card.Csm}) from the deal notes below, as of {Date(today)}.");
            s.AppendLine();
            s.AppendLine("A promised outcome is measurable only when it has all of these:");
            s.AppendLine("- a metric that a system or the customer can read again later (snake_case name; prefer a metric already measured for this account, listed below);");
            s.AppendLine("- a unit, and a baseline: the metric's value today (for a measured metric, its latest reading);");
            s.AppendLine("- a numeric target and a direction: increase (achieved at the target or above) or decrease (at the target or below); the target must move from the baseline in that direction;");
            s.AppendLine("- a due date, and a source (the deal or document it was promised in).");
            s.AppendLine();
            s.AppendLine("Do this:");
            s.AppendLine("1. For each promise in the notes, draft one outcome: title (in the customer's words, with the number), metric, unit, baseline, target, direction, due_date, source.");
            s.AppendLine("2. Refuse a vague promise (\"improve execution\", \"better visibility\", \"drive adoption\", \"a great partnership\"): do not draft it as an outcome. Say which of metric, baseline, target, direction or due date is missing, and ask the one question that would make it measurable (e.g. \"which number would show execution improved, from what to what, by when?\").");
            s.AppendLine("3. Present the drafts as a table, the refused promises below it with their reasons, and ask the user to confirm, correct or drop each draft.");
            s.AppendLine($"4. Only after the user confirms an outcome, call add_promised_outcome {{\"account_id\": \"{card.Id}\", \"title\": ..., \"metric\": ..., \"unit\": ..., \"baseline\": ..., \"target\": ..., \"direction\": ..., \"due_date\": ..., \"source\": ...}} once per confirmed outcome (promised_at defaults to today). Never call it for a draft the user has not confirmed.");
            s.AppendLine("Once promised, readings of the outcome's metric (metrics.csv or record_metric) on or after the promise are evidence of it, with high confidence, when they reach the target.");
            s.AppendLine();

            s.AppendLine($"The account's value contract today: {card.OutcomesPromised} promised outcome(s), {card.OutcomesEvidenced} evidenced, band {N(card.Band)}.");
            foreach (var o in card.Outcomes)
                s.AppendLine($"- {o.Title} [{o.Id}]: metric {(o.Metric.Length == 0 ? "(none)" : o.Metric)}, baseline {Num(o.Baseline)}, target {Num(o.Target)}" +
                    $"{(o.Direction is Direction d ? $" ({N(d)})" : "")}{(o.DueDate is DateOnly due ? $", due {Date(due)}" : "")}{(o.Evidenced ? ", evidenced" : "")}");
            var measured = history.Readings.Where(r => r.ObservedAt <= today).GroupBy(r => r.Metric, StringComparer.Ordinal)
                .Select(g => g.MaxBy(r => r.ObservedAt)!).OrderBy(r => r.Metric, StringComparer.Ordinal).ToList();
            s.AppendLine(measured.Count == 0
                ? "Metrics measured for the account: none yet (baselines must come from the customer; agree how each metric will be read)."
                : "Metrics measured for the account (latest reading, a ready baseline):");
            foreach (var r in measured)
                s.AppendLine($"- {r.Metric}: {Num(r.Value)} on {Date(r.ObservedAt)}{(r.Source.Length > 0 ? $" ({r.Source})" : "")}");
            s.AppendLine();

            var lines = Lines(notes);
            var vague = lines.Where(l => !Figure().IsMatch(l)).ToList();
            if (vague.Count > 0)
            {
                s.AppendLine("Note lines with no figure at all (likely vague: refuse them unless the notes elsewhere give their metric, baseline and target):");
                foreach (var l in vague) s.AppendLine($"- \"{l}\"");
                s.AppendLine();
            }
            s.AppendLine("Deal notes:");
            s.AppendLine("\"\"\"");
            s.AppendLine(notes.Trim());
            s.AppendLine("\"\"\"");
            return ($"Draft a value contract for {card.Name} [{card.Id}] from deal notes", s.ToString());
        });

    /// <summary>The notes as lines (bullets and sentence ends split), trimmed, without empty ones.</summary>
    private static List<string> Lines(string notes) =>
        Split().Split(notes).Select(l => l.Trim().TrimStart('-', '*', '•').Trim()).Where(l => l.Length > 0).ToList();

    private static string Num(decimal? v) => WriteText.V(v);

    [GeneratedRegex(@"[\r\n]+|(?<=[.;!?])\s+")]
    private static partial Regex Split();

    [GeneratedRegex(@"\d")]
    private static partial Regex Figure();
}
