using System.ComponentModel;
using System.Security.Claims;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Scoring;
using ValueMcp.Server.App;
using ValueMcp.Store;
using static ValueMcp.Server.App.Text;
using static ValueMcp.Server.App.WriteText;
using static ValueMcp.Server.Tools.ParameterDocs;

namespace ValueMcp.Server.Tools;

/// <summary>set_override: records a human judgement that replaces a computed band, readiness or risk. Appends (never updates or deletes), in one transaction with its audit entry;
/// readOnlyHint false, so read-only mode leaves it out; not idempotent: a repeated call appends another fact.</summary>
[McpServerToolType]
public sealed class SetOverrideTool(WriteService writes, ILogger<SetOverrideTool> logger)
{

    [McpServerTool(Name = "set_override", Title = "Override band, readiness or risk", ReadOnly = false, Destructive = false,
        Idempotent = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(OverrideWritten))]
    [Description("Records a human judgement that replaces the computed band, readiness, renewal risk or renewal probability (the forecast's) of an account from created_at until expires_at (the most recent override of a field wins). The computed value is never deleted: answers show it next to the override, with author and reason. Answers with the override and the account card after the write.")]
    public Task<CallToolResult> SetOverride(
        RequestContext<CallToolRequestParams> context,
        [Description(AccountDoc)] string account_id,
        [Description("band, readiness, risk or probability (the renewal probability the forecast uses).")] string field,
        [Description("The value in force: for band on_track, at_risk, critical, no_contract; for readiness ready, emerging, not_ready, blocked; for risk none, low, medium, high; for probability a number from 0 to 1 (e.g. 0.6).")] string value,
        [Description("Why (required, up to 4,000 characters): shown with the override wherever the value is.")] string reason,
        [Description("The day it stops applying, ISO yyyy-MM-dd, after created_at. Leave out for no expiry.")] string? expires_at = null,
        [Description("The day it starts applying, ISO yyyy-MM-dd, not after today. Default today (UTC).")] string? created_at = null,
        CancellationToken ct = default) =>
        ToolResults.RunAsync(logger, "set_override",
            () => Write(writes, context.User, account_id, field, value, reason, expires_at, created_at, ct), Render);

    public static async Task<OverrideWritten> Write(WriteService writes, ClaimsPrincipal? user, string? accountId, string? field, string? value, string? reason,
        string? expiresAt, string? createdAt, CancellationToken ct)
    {
        var today = writes.Today;
        var account = writes.KnownAccount(accountId);
        var f = Inputs.Enum<OverrideField>(field, "field")
            ?? throw new InputException($"field is required; accepted: {string.Join(", ", Wire.Names<OverrideField>())}");
        var v = f switch
        {
            OverrideField.Band => ValueOf<Band>(value, f),
            OverrideField.Readiness => ValueOf<Readiness>(value, f),
            OverrideField.Probability => ProbabilityOf(value),
            _ => ValueOf<RenewalRisk>(value, f),
        };
        var why = WriteInputs.RequiredNote(reason, "reason");
        var created = WriteInputs.PastDate(createdAt, "created_at", today);
        var expires = WriteInputs.OptionalDate(expiresAt, "expires_at");
        var author = writes.Author(user);
        var fact = WriteInputs.Valid(FactRules.Override, new OverrideFact(f, v, why, author, created, expires));
        // The id is the store's: the audit entry, written in the same transaction, records it.
        var id = await writes.Writer.SetOverride(account, fact,
            assigned => writes.Audit("set_override", author, new OverrideAudit(assigned, account, f, v, why, created, expires)), ct);

        var card = ScorecardTool.Answer(writes.Values, account, today);
        return new OverrideWritten(id, new OverrideHistoryDto(f, v, why, author, created, expires, AccountScoring.OverrideInForce(fact, today)), card, today);
    }

    public static string Render(OverrideWritten r) => string.Join("\n",
        $"Recorded override {r.Id}: {Text.N(r.Override.Field)} = {r.Override.Value} by {r.Override.Author} from {Text.Date(r.Override.CreatedAt)}" +
        (r.Override.ExpiresAt is DateOnly x ? $" until {Text.Date(x)}" : " (no expiry)") +
        $"{(r.Override.InForce ? "" : ", not in force today")}; reason: {r.Override.Reason}. The computed value is kept and shown next to it.",
        Account(r.Account, r.AsOf));

    private static string ProbabilityOf(string? value)
    {
        var text = value?.Trim() ?? "";
        if (Forecast.ParseProbability(text) is not decimal p || text.Contains(',', StringComparison.Ordinal))
            throw new InputException($"value: {(text.Length == 0 ? "missing" : $"\"{Inputs.Show(value!)}\" is not a probability")}; accepted for probability: a number from 0 to 1 with a dot as the decimal point (e.g. 0.6)");
        return p.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string ValueOf<T>(string? value, OverrideField field) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value) || !Wire.TryParse<T>(value, out var v))
            throw new InputException($"value: {(string.IsNullOrWhiteSpace(value) ? "missing" : $"\"{Inputs.Show(value)}\" is not a {Wire.Name(field)}")}; accepted for {Wire.Name(field)}: {string.Join(", ", Wire.Names<T>())}");
        return Wire.Name(v);
    }
}

public sealed record OverrideWritten(
    [property: Description("the override's id")] long Id,
    [property: Description("the override as stored; in_force says whether it replaces the computed value at as_of")] OverrideHistoryDto Override,
    [property: Description("the account card after the write, as of as_of: the value in force and, in overrides, the computed one")] AccountCard Account,
    DateOnly AsOf);
