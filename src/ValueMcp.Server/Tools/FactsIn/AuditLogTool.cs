using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Server.App;
using ValueMcp.Store;

namespace ValueMcp.Server.Tools;

/// <summary>get_audit_log: every write to the facts (write tool calls and imports), newest first.</summary>
[McpServerToolType]
public sealed class AuditLogTool(WriteService writes, ILogger<AuditLogTool> logger)
{
    public const int DefaultAuditLimit = 50;

    [McpServerTool(Name = "get_audit_log", Title = "Audit log of writes", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(AuditLogResult))]
    [Description("Every write to the facts (write tool calls and imports), newest first: when, which operation, its arguments (as written, with the ids the server gave) and its author (the server's operator or the authenticated client).")]
    public CallToolResult GetAuditLog(
        [Description("Only entries at or after this: an ISO date yyyy-MM-dd (from the start of that UTC day) or a time yyyy-MM-ddTHH:mm:ssZ. Default: all.")] string? since = null,
        [Description("Most entries to return, 1-200. Default 50.")] int? limit = null) =>
        ToolResults.Run(logger, "get_audit_log", () => Answer(writes, since, limit), Render);

    public static AuditLogResult Answer(WriteService writes, string? since, int? limit)
    {
        var n = Inputs.Limit(limit, DefaultAuditLimit);
        var from = Since(since);
        var entries = writes.Values.Store.AuditEntries(from, n)
            .Select(e => Entry(e.At, e.Operation, e.Arguments, e.Author))
            .ToList();
        return new AuditLogResult(from is { } s ? Store.AuditLog.Format(s) : null, n, entries);
    }

    /// <summary>
    /// An entry with its stored arguments: a JSON object as stored; anything else (text that is not JSON, or JSON that
    /// is not an object, which the server never writes) as {"text": the stored text}, so that arguments is always an object.
    /// </summary>
    private static AuditEntryDto Entry(string at, string operation, string stored, string author)
    {
        JsonObject? arguments = null;
        try
        {
            arguments = JsonNode.Parse(stored) as JsonObject;
        }
        catch (JsonException)
        {
        }
        if (arguments is not null) return new AuditEntryDto(at, operation, arguments, author) { Raw = stored };
        var text = Json.ToElement(new TextAudit(stored)).GetRawText();
        return new AuditEntryDto(at, operation, JsonNode.Parse(text)!.AsObject(), author) { Raw = text };
    }

    /// <summary>since: an ISO date (from the start of that UTC day) or an ISO date and time.</summary>
    private static DateTimeOffset? Since(string? since)
    {
        if (string.IsNullOrWhiteSpace(since)) return null;
        var t = since.Trim();
        if (DateOnly.TryParseExact(t, FactReader.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            return new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (t.Length >= 16 && t[4] == '-' && t[10] == 'T' &&
            DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
            return at;
        throw new InputException($"since: \"{Inputs.Show(t)}\" is not a date or a time; accepted: ISO yyyy-MM-dd (from the start of that UTC day) or yyyy-MM-ddTHH:mm:ssZ");
    }

    public static string Render(AuditLogResult r) => string.Join("\n",
        new[] { r.Entries.Count == 0 ? "No audited writes" + (r.Since is null ? "." : $" since {r.Since}.") : $"{r.Entries.Count} audited write(s), newest first:" }
            .Concat(r.Entries.Select(e => $"- {e.At} {e.Operation} by {e.Author}: {Short(e.Raw)}")));

    private static string Short(string s) => s.Length <= 300 ? s : s[..297] + "...";
}

public sealed record AuditEntryDto(
    [property: Description("when the write was committed, UTC, ISO 8601")] string At,
    [property: Description("the tool (record_evidence, add_promised_outcome, log_signal, set_override, import_facts) or import")] string Operation,
    [property: Description("the arguments as written (ids the server gave included); for an import, its source and per-file counts")] JsonObject Arguments,
    [property: Description("the operator or the authenticated client")] string Author)
{
    /// <summary>The arguments as stored, for the text answer.</summary>
    [JsonIgnore]
    public string Raw { get; init; } = "";
}

public sealed record AuditLogResult(
    [property: Description("entries at or after this time (UTC); null for all")] string? Since,
    int Limit,
    [property: Description("newest first")] IReadOnlyList<AuditEntryDto> Entries);
