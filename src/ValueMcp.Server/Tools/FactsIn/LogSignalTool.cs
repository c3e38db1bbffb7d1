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

/// <summary>log_signal: appends a signal observed on an account. Appends (never updates or deletes), in one transaction with its audit entry;
/// readOnlyHint false, so read-only mode leaves it out; not idempotent: a repeated call appends another fact.</summary>
[McpServerToolType]
public sealed class LogSignalTool(WriteService writes, ILogger<LogSignalTool> logger)
{

    [McpServerTool(Name = "log_signal", Title = "Log an account signal", ReadOnly = false, Destructive = false,
        Idempotent = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(SignalWritten))]
    [Description("Appends a signal observed on an account: usage and success signals drive engagement; negative risk and usage signals block expansion readiness and raise renewal risk while they are in the recent window (90 days by default; value://glossary gives the value in force); positive usage, data and capacity signals point to the expansion lane. Answers with the signal and the account card after the write.")]
    public Task<CallToolResult> LogSignal(
        RequestContext<CallToolRequestParams> context,
        [Description(AccountDoc)] string account_id,
        [Description("usage, data, success, capacity, risk or timing.")] string category,
        [Description("1 for a positive signal, -1 for a negative one.")] int polarity,
        [Description("What was seen, snake_case (up to 100 characters), e.g. dau_growth, new_department, source_request, roi_documented, ticket_spike, sponsor_change, login_decline, budget_cycle.")] string? kind = null,
        [Description(NoteDoc)] string? note = null,
        [Description("The day it was observed, ISO yyyy-MM-dd, not after today. Default today (UTC).")] string? observed_at = null,
        CancellationToken ct = default) =>
        ToolResults.RunAsync(logger, "log_signal",
            () => Write(writes, context.User, account_id, category, kind, polarity, note, observed_at, ct), Render);

    public static async Task<SignalWritten> Write(WriteService writes, ClaimsPrincipal? user, string? accountId, string? category, string? kind, int? polarity,
        string? note, string? observedAt, CancellationToken ct)
    {
        var today = writes.Today;
        var account = writes.KnownAccount(accountId);
        var cat = Inputs.Enum<SignalCategory>(category, "category")
            ?? throw new InputException($"category is required; accepted: {string.Join(", ", Wire.Names<SignalCategory>())}");
        if (polarity is null) throw new InputException("polarity is required; accepted: 1 (a positive signal) or -1 (a negative one)");
        var author = writes.Author(user);
        var signal = WriteInputs.Valid(FactRules.Signal, new SignalFact(
            FactWriter.NewId("SIG-", writes.Now), account,
            WriteInputs.PastDate(observedAt, "observed_at", today), cat,
            WriteInputs.Line(kind, "kind"), polarity.Value, WriteInputs.Note(note, "note")));
        await writes.Writer.LogSignal(signal, writes.Audit("log_signal", author, new SignalAudit(
            signal.Id, signal.AccountId, signal.ObservedAt, Wire.Name(signal.Category), signal.Kind, signal.Polarity, signal.Note)), ct);

        var card = ScorecardTool.Answer(writes.Values, account, today);
        return new SignalWritten(Shape.Signal(signal), card, today);
    }

    public static string Render(SignalWritten r) => string.Join("\n",
        $"Logged signal {r.Signal.Id}: {Text.N(r.Signal.Category)} {r.Signal.Kind} ({(r.Signal.Polarity > 0 ? "+1" : "-1")}) observed {Text.Date(r.Signal.ObservedAt)}.",
        Account(r.Account, r.AsOf));
}

public sealed record SignalWritten(
    [property: Description("the signal as stored (its new id)")] SignalDto Signal,
    [property: Description("the account card after the write, as of as_of")] AccountCard Account,
    DateOnly AsOf);
