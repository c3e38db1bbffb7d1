using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using ValueMcp.Server.Tools;

namespace ValueMcp.Server.Security;

/// <summary>
/// A read-role caller may use only the tools whose own annotation says they are read-only (readOnlyHint: true):
/// the others are left out of tools/list and a call to one is answered with an isError result before it runs, so
/// nothing is written. The tool's annotation is the one source of truth; a tool without it counts as a write.
/// </summary>
public static class RoleFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> CallTool(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, ct) =>
        {
            var caller = Caller.Of(context);
            if (!caller.CanWrite && context.MatchedPrimitive is McpServerTool tool && !ReadOnlyMode.IsReadOnlyTool(tool.ProtocolTool))
                return ToolResults.Error($"{tool.ProtocolTool.Name} changes data, and the token \"{caller.Name}\" has the read role: " +
                    "nothing was written. Ask the operator for a token with the write role.");
            return await next(context, ct);
        };

    public static McpRequestHandler<ListToolsRequestParams, ListToolsResult> ListTools(McpRequestHandler<ListToolsRequestParams, ListToolsResult> next) =>
        async (context, ct) =>
        {
            var result = await next(context, ct);
            if (Caller.Of(context).CanWrite) return result;
            result.Tools = result.Tools.Where(ReadOnlyMode.IsReadOnlyTool).ToList();
            return result;
        };
}
