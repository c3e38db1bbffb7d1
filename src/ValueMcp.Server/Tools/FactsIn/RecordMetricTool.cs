using System.ComponentModel;
using System.Security.Claims;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Store;
using static ValueMcp.Server.App.WriteText;
using static ValueMcp.Server.Tools.ParameterDocs;

namespace ValueMcp.Server.Tools;

/// <summary>
/// record_metric: records a reading of a product-usage metric (one per account, metric and day). A reading of the metric
/// an outcome names, on or after its promise, is evidence of it (source usage); readings make the usage trend signals.
/// Idempotent: the same reading again writes nothing; another value for a stored day is refused.
/// </summary>
[McpServerToolType]
public sealed class RecordMetricTool(WriteService writes, ILogger<RecordMetricTool> logger)
{
    [McpServerTool(Name = "record_metric", Title = "Record a product-usage metric reading", ReadOnly = false, Destructive = false,
        Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(MetricWritten))]
    [Description("Records a reading of a product-usage metric of an account on a day (one reading per account, metric and day), e.g. weekly_active_users 412 on 2026-11-23 from product analytics. A reading of the metric an outcome names, observed on or after the outcome's promised_at, is evidence of that outcome with source usage (high confidence), and achieves it when the value meets the target in the outcome's direction; each metric's mean over the last 30 days against the 30 before makes a computed usage trend signal at a change of 20% or more (value://glossary gives the values in force). The same reading again writes nothing; another value for a stored day is refused (import metrics.csv to correct one). Answers with the reading, the outcomes it measures and the account card after the write.")]
    public Task<CallToolResult> RecordMetric(
        RequestContext<CallToolRequestParams> context,
        [Description(AccountDoc)] string account_id,
        [Description("The metric's name, exactly as outcomes name it in their metric (e.g. weekly_active_users, forecast_cycle_days), up to 100 characters.")] string metric,
        [Description("The metric's value that day, in its unit.")] decimal value,
        [Description("The day of the reading, ISO yyyy-MM-dd, not after today. Default today (UTC).")] string? observed_at = null,
        [Description("The system the reading comes from (e.g. product_analytics), up to 100 characters. Default empty.")] string? source = null,
        CancellationToken ct = default) =>
        ToolResults.RunAsync(logger, "record_metric",
            () => Write(writes, context.User, account_id, metric, value, observed_at, source, ct), Render);

    public static async Task<MetricWritten> Write(WriteService writes, ClaimsPrincipal? user, string? accountId, string? metric, decimal? value,
        string? observedAt, string? source, CancellationToken ct)
    {
        var today = writes.Today;
        var account = writes.KnownAccount(accountId);
        var name = WriteInputs.RequiredLine(metric, "metric", WriteInputs.MaxShort);
        if (value is null) throw new InputException("value is required: the metric's value that day, a number");
        var reading = WriteInputs.Valid(FactRules.MetricReading, new MetricReading(account, name,
            WriteInputs.PastDate(observedAt, "observed_at", today), value.Value, WriteInputs.Line(source, "source")));
        var author = writes.Author(user);
        await writes.Writer.RecordMetric(reading, writes.Audit("record_metric", author, new MetricAudit(
            reading.AccountId, reading.Metric, reading.ObservedAt, reading.Value, reading.Source)), ct);

        var card = ScorecardTool.Answer(writes.Values, account, today);
        var measured = card.Outcomes.Where(o => o.Metric == reading.Metric).ToList();
        return new MetricWritten(new MetricReadingDto(reading.ObservedAt, reading.Value, reading.Source), reading.Metric, measured, card, today);
    }

    public static string Render(MetricWritten r) => string.Join("\n",
        new[] { $"Recorded {r.Metric} = {V(r.Reading.Value)} on {Text.Date(r.Reading.ObservedAt)}{(r.Reading.Source.Length > 0 ? $" (source {r.Reading.Source})" : "")}." }
        .Concat(r.Outcomes.Count == 0
            ? [$"No outcome of the account is measured by {r.Metric}."]
            : r.Outcomes.Select(o => $"Outcome \"{o.Title}\" [{o.Id}]: {(o.Evidenced ? $"evidenced ({Text.N(o.Confidence ?? Confidence.Low)} confidence)" : $"progress {Text.Frac(o.Progress)}")}{(o.Overdue ? ", overdue" : "")}."))
        .Append(Account(r.Account, r.AsOf)));
}

public sealed record MetricWritten(
    [property: Description("the reading as stored")] MetricReadingDto Reading,
    string Metric,
    [property: Description("the account's outcomes measured by this metric, after the write, as of as_of")] IReadOnlyList<OutcomeDto> Outcomes,
    [property: Description("the account card after the write, as of as_of")] AccountCard Account,
    DateOnly AsOf);
