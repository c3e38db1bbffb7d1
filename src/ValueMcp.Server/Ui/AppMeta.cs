using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace ValueMcp.Server.Ui;

/// <summary>
/// What MCP Apps hosts need besides the tool's own _meta, for hosts that render apps unreliably: the tool's ui
/// _meta (ui.resourceUri, and the older flat "ui/resourceUri" key) repeated on every tools/call result of that tool,
/// and, on resources/read of the app, _meta.ui.csp declaring that the page loads nothing from and connects to no
/// other origin (it talks to its host by postMessage only).
/// </summary>
public static class AppMeta
{
    private static readonly string[] Keys = ["ui", PortfolioApp.LegacyMetaKey];

    public static McpRequestHandler<CallToolRequestParams, CallToolResult> CallTool(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, ct) =>
        {
            var result = await next(context, ct);
            if (context.MatchedPrimitive is McpServerTool { ProtocolTool.Meta: { } toolMeta })
            {
                foreach (var key in Keys)
                {
                    if (toolMeta[key] is not { } value) continue;
                    result.Meta ??= [];
                    result.Meta[key] = value.DeepClone();
                }
            }
            return result;
        };

    public static McpRequestHandler<ReadResourceRequestParams, ReadResourceResult> ReadResource(McpRequestHandler<ReadResourceRequestParams, ReadResourceResult> next) =>
        async (context, ct) =>
        {
            var result = await next(context, ct);
            foreach (var contents in result.Contents)
            {
                if (contents.Uri != PortfolioApp.Uri) continue;
                contents.Meta ??= [];
                contents.Meta["ui"] = Csp();
            }
            return result;
        };

    /// <summary>The app's ui _meta on resources/read: no domain to connect to, none to load resources from.</summary>
    public static JsonObject Csp() => new()
    {
        ["csp"] = new JsonObject { ["connectDomains"] = new JsonArray(), ["resourceDomains"] = new JsonArray() },
        ["prefersBorder"] = false,
    };
}
