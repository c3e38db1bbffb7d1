using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Store;

namespace ValueMcp.Server.Tools;

/// <summary>
/// Read-only mode (serve --read-only, the database opened read-only): the tools whose own annotation does not say
/// readOnlyHint: true are left out of tools/list, and a call to one answers isError before it runs. The annotation is
/// the one source of truth, so a new write tool cannot slip through; a tool without annotations counts as a write.
/// </summary>
public static class ReadOnlyMode
{
    public static bool IsReadOnlyTool(Tool tool) => tool.Annotations?.ReadOnlyHint == true;

    private static bool On(MessageContext context) => context.Services?.GetService<IFactStore>()?.ReadOnly == true;

    public static McpRequestHandler<ListToolsRequestParams, ListToolsResult> ListTools(McpRequestHandler<ListToolsRequestParams, ListToolsResult> next) =>
        async (context, ct) =>
        {
            var result = await next(context, ct);
            if (On(context)) result.Tools = result.Tools.Where(IsReadOnlyTool).ToList();
            return result;
        };

    public static McpRequestHandler<CallToolRequestParams, CallToolResult> CallTool(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, ct) =>
        {
            if (context.MatchedPrimitive is McpServerTool tool && !IsReadOnlyTool(tool.ProtocolTool) && On(context))
                return ToolResults.Error($"{tool.ProtocolTool.Name} is not available: the server runs read-only (serve --read-only), so it " +
                    "only answers questions; nothing was written. Restart it without --read-only to record facts.");
            return await next(context, ct);
        };
}
