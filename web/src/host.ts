// Inside an MCP Apps host (an iframe): the ext-apps App does the host protocol (ui/initialize, tool input and result
// notifications, host context, size changes) and proxies tools/call to this server through the host.
import {
  App,
  PostMessageTransport,
  applyDocumentTheme,
  applyHostStyleVariables,
  type McpUiHostContext,
} from "@modelcontextprotocol/ext-apps";
import { toToolResult, type CallTool, type ToolResult } from "./client";

export interface HostHandlers {
  /** The arguments of the tool call that opened this view (ui/notifications/tool-input). */
  onToolInput(args: Record<string, unknown>): void;
  /** The result of that tool call (ui/notifications/tool-result). */
  onToolResult(result: ToolResult): void;
  /** Theme, locale, display mode and the like, at connect and whenever the host changes them. */
  onContext(context: McpUiHostContext): void;
}

export interface HostConnection {
  callTool: CallTool;
  context(): McpUiHostContext | undefined;
  /** Whether the host proxies tools/call to the server (hostCapabilities.serverTools). */
  canCallTools: boolean;
  requestDisplayMode(mode: "inline" | "fullscreen"): Promise<string | undefined>;
}

export async function connectToHost(handlers: HostHandlers): Promise<HostConnection> {
  const app = new App({ name: "ValueMcp portfolio", version: "1.0.0" }, {}, { autoResize: true });
  // Handlers first: the host may send the tool input and result right after the handshake.
  app.addEventListener("toolinput", (params) => handlers.onToolInput((params.arguments ?? {}) as Record<string, unknown>));
  app.addEventListener("toolresult", (params) => handlers.onToolResult(toToolResult(params)));
  app.addEventListener("hostcontextchanged", () => applyContext(app.getHostContext(), handlers));
  app.onteardown = async () => ({});

  await app.connect(new PostMessageTransport(window.parent, window.parent));
  applyContext(app.getHostContext(), handlers);

  return {
    callTool: async (name, args) => toToolResult(await app.callServerTool({ name, arguments: args })),
    context: () => app.getHostContext(),
    canCallTools: app.getHostCapabilities()?.serverTools !== undefined,
    requestDisplayMode: async (mode) => (await app.requestDisplayMode({ mode })).mode,
  };
}

function applyContext(context: McpUiHostContext | undefined, handlers: HostHandlers): void {
  if (!context) return;
  if (context.theme === "light" || context.theme === "dark") applyDocumentTheme(context.theme);
  if (context.styles?.variables) applyHostStyleVariables(context.styles.variables);
  const insets = context.safeAreaInsets;
  if (insets) {
    const root = document.documentElement.style;
    root.setProperty("--safe-top", `${insets.top}px`);
    root.setProperty("--safe-right", `${insets.right}px`);
    root.setProperty("--safe-bottom", `${insets.bottom}px`);
    root.setProperty("--safe-left", `${insets.left}px`);
  }
  handlers.onContext(context);
}
