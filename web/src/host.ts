// Inside an MCP Apps host (an iframe): the ext-apps App does the host protocol (ui/initialize, tool input and result
// notifications, host context, size changes) and proxies tools/call to this server through the host.
import {
  App,
  PostMessageTransport,
  applyDocumentTheme,
  applyHostStyleVariables,
  type McpUiHostContext,
} from "@modelcontextprotocol/ext-apps";
import { resourceText, ServerError, toToolResult, type CallTool, type ReadResource, type ToolResult } from "./client";

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
  /** Whether the host proxies tools/call to the server (hostCapabilities.serverTools). */
  canCallTools: boolean;
  /** resources/read through the host, when it proxies resource reads (hostCapabilities.serverResources). */
  readResource: ReadResource | null;
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
    callTool: async (name, args) => toToolResult(await asServerError(app.callServerTool({ name, arguments: args }))),
    canCallTools: app.getHostCapabilities()?.serverTools !== undefined,
    readResource:
      app.getHostCapabilities()?.serverResources !== undefined ? async (uri) => resourceText(await asServerError(app.readServerResource({ uri }))) : null,
    requestDisplayMode: async (mode) => (await app.requestDisplayMode({ mode })).mode,
  };
}

/** A JSON-RPC error answer (an McpError, with a numeric code) is the server's or the host's word: a ServerError. */
async function asServerError<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (e) {
    // -32000 (connection closed) and -32001 (request timeout) are the SDK's own: nothing was answered.
    const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
    if (typeof code === "number" && code !== -32000 && code !== -32001) throw new ServerError((e as Error).message);
    throw e;
  }
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
