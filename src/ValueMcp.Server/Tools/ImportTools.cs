using System.ComponentModel;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Server.App;

namespace ValueMcp.Server.Tools;

/// <summary>
/// import_facts: the CSV import of a folder inside the operator's import root. destructiveHint is true: an import
/// updates stored rows that have the same key (an account's renewal date, say). idempotentHint is true: importing the
/// same folder again changes no fact (it is audited again).
/// </summary>
[McpServerToolType]
public sealed class ImportTools(ImportService imports, ILogger<ImportTools> logger)
{
    [McpServerTool(Name = "import_facts", Title = "Import CSV exports", ReadOnly = false, Destructive = true,
        Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(ImportResult))]
    [Description("Imports a folder of CSV exports (accounts.csv, arr_movements.csv, outcomes.csv, evidence.csv, signals.csv, milestones.csv; any may be absent) from inside the directory the server's operator configured (--import-root). All or nothing in one transaction: if any row is bad nothing is written and the answer lists the bad rows as FILE:LINE: COLUMN: message with what is accepted. Rows are keyed, so importing the same folder twice changes nothing (counts inserted / updated / unchanged per file); a keyed row that differs from the stored one updates it. dry_run checks everything and writes nothing. Sends progress notifications when the request has a progress token.")]
    public Task<CallToolResult> ImportFacts(
        RequestContext<CallToolRequestParams> context,
        McpServer server,
        [Description("The folder to import, relative to the import root (\".\" for the root itself); a path leading outside it is refused.")] string folder,
        [Description("true to run every check (against the stored facts too) and write nothing. Default false.")] bool? dry_run = null,
        CancellationToken ct = default)
    {
        var progress = context.Params?.ProgressToken is { } token ? new Notifier(server, token, ct) : null;
        return ToolResults.RunAsync(logger, "import_facts",
            () => imports.Import(context.User, folder, dry_run ?? false, progress, ct), WriteText.Import, r => r.ErrorCount > 0);
    }

    /// <summary>
    /// Sends each progress notification before the import goes on (the import runs on a thread of its own), so that
    /// they arrive in order and all before the answer.
    /// </summary>
    private sealed class Notifier(McpServer server, ProgressToken token, CancellationToken ct) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) =>
            server.NotifyProgressAsync(token, value, cancellationToken: ct).GetAwaiter().GetResult();
    }
}
