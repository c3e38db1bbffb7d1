// Inside an MCP Apps host (an iframe): the host protocol of the MCP Apps extension (io.modelcontextprotocol/ui),
// written out by hand so the page carries no SDK: JSON-RPC 2.0 over window.postMessage with the parent window.
//   app -> host: ui/initialize (request), ui/notifications/initialized (always, once the handshake answered),
//                ui/notifications/size-changed, tools/call, resources/read, ui/request-display-mode (requests);
//   host -> app: ui/notifications/tool-input, ui/notifications/tool-result, ui/notifications/host-context-changed,
//                ui/resource-teardown and ping (requests, answered with {}).
// Messages from any other window than the parent are ignored.
import { resourceText, ServerError, toToolResult, type CallTool, type ReadResource, type ToolResult } from "./client";

/** The MCP Apps protocol revision this page speaks. */
export const UI_PROTOCOL_VERSION = "2026-01-26";
/** How long a request to the host may stay unanswered. */
const REQUEST_TIMEOUT_MS = 60_000;

/** The parts of the host context (McpUiHostContext) this page uses. */
export interface HostContext {
  theme?: "light" | "dark";
  styles?: { variables?: Record<string, string | undefined> };
  displayMode?: string;
  availableDisplayModes?: string[];
  locale?: string;
  safeAreaInsets?: { top: number; right: number; bottom: number; left: number };
  toolInfo?: { tool?: { name?: string } };
  [key: string]: unknown;
}

interface HostCapabilities {
  serverTools?: object;
  serverResources?: object;
  [key: string]: unknown;
}

export interface HostHandlers {
  /** The arguments of the tool call that opened this view (ui/notifications/tool-input). */
  onToolInput(args: Record<string, unknown>): void;
  /** The result of that tool call (ui/notifications/tool-result). */
  onToolResult(result: ToolResult): void;
  /** Theme, locale, display mode and the like, at connect and whenever the host changes them. */
  onContext(context: HostContext): void;
}

export interface HostConnection {
  callTool: CallTool;
  /** Whether the host proxies tools/call to the server (hostCapabilities.serverTools). */
  canCallTools: boolean;
  /** resources/read through the host, when it proxies resource reads (hostCapabilities.serverResources). */
  readResource: ReadResource | null;
  requestDisplayMode(mode: "inline" | "fullscreen"): Promise<string | undefined>;
  /** The name of the tool whose call opened this view, when the host says (hostContext.toolInfo). */
  toolName(): string | undefined;
}

/** A JSON-RPC error answer of the host (or of the server through it). */
class RpcError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

type Message = { jsonrpc?: unknown; id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: unknown };

class HostChannel {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  onNotification: (method: string, params: Record<string, unknown>) => void = () => {};

  constructor(private readonly parent: Window) {
    window.addEventListener("message", (event) => {
      if (event.source !== this.parent) return;
      const data = event.data as Message | null;
      if (!data || typeof data !== "object" || data.jsonrpc !== "2.0") return;
      this.receive(data);
    });
  }

  request(method: string, params: Record<string, unknown>): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`The host did not answer ${method} within ${REQUEST_TIMEOUT_MS / 1000} s.`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      this.post({ jsonrpc: "2.0", id, method, params });
    });
  }

  notify(method: string, params: Record<string, unknown> = {}): void {
    this.post({ jsonrpc: "2.0", method, params });
  }

  private post(message: object): void {
    this.parent.postMessage(message, "*");
  }

  private receive(m: Message): void {
    const params = m.params && typeof m.params === "object" ? (m.params as Record<string, unknown>) : {};
    if (typeof m.method === "string") {
      if (m.id === undefined || m.id === null) this.onNotification(m.method, params);
      // Requests from the host: teardown and ping want an empty result; anything else is not offered by this app.
      else if (m.method === "ui/resource-teardown" || m.method === "ping") this.post({ jsonrpc: "2.0", id: m.id, result: {} });
      else this.post({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: `Method not found: ${m.method}` } });
      return;
    }
    if (typeof m.id !== "number") return;
    const pending = this.pending.get(m.id);
    if (!pending) return;
    this.pending.delete(m.id);
    clearTimeout(pending.timer);
    if (m.error && typeof m.error === "object") {
      const e = m.error as { code?: unknown; message?: unknown };
      pending.reject(new RpcError(typeof e.code === "number" ? e.code : -32603, typeof e.message === "string" ? e.message : "The host answered with an error."));
    } else pending.resolve(m.result);
  }
}

export async function connectToHost(handlers: HostHandlers): Promise<HostConnection> {
  const channel = new HostChannel(window.parent);
  let context: HostContext = {};
  // Handlers first: the host may send the tool input and result right after the handshake.
  channel.onNotification = (method, params) => {
    switch (method) {
      case "ui/notifications/tool-input":
        handlers.onToolInput((params.arguments && typeof params.arguments === "object" ? params.arguments : {}) as Record<string, unknown>);
        break;
      case "ui/notifications/tool-result":
        handlers.onToolResult(toToolResult(params));
        break;
      case "ui/notifications/host-context-changed":
        context = { ...context, ...(params as HostContext) };
        applyContext(context, handlers);
        break;
    }
  };

  const init = (await channel.request("ui/initialize", {
    appInfo: { name: "ValueMcp portfolio", version: "1.0.0" },
    appCapabilities: { availableDisplayModes: ["inline", "fullscreen"] },
    protocolVersion: UI_PROTOCOL_VERSION,
  })) as { hostCapabilities?: HostCapabilities; hostContext?: HostContext } | undefined;
  if (!init || typeof init !== "object") throw new Error("The host answered ui/initialize without a result.");
  const capabilities = init.hostCapabilities ?? {};
  context = { ...(init.hostContext ?? {}), ...context };
  channel.notify("ui/notifications/initialized");
  applyContext(context, handlers);
  watchSize(channel);

  return {
    callTool: async (name, args) => toToolResult((await asServerError(channel.request("tools/call", { name, arguments: args }))) as object),
    canCallTools: capabilities.serverTools !== undefined,
    readResource:
      capabilities.serverResources !== undefined ? async (uri) => resourceText(await asServerError(channel.request("resources/read", { uri }))) : null,
    requestDisplayMode: async (mode) => {
      const answer = (await channel.request("ui/request-display-mode", { mode })) as { mode?: unknown } | undefined;
      return typeof answer?.mode === "string" ? answer.mode : undefined;
    },
    toolName: () => (typeof context.toolInfo?.tool?.name === "string" ? context.toolInfo.tool.name : undefined),
  };
}

/** A JSON-RPC error answer is the server's or the host's word: a ServerError. A timeout is no answer at all. */
async function asServerError<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (e) {
    if (e instanceof RpcError) throw new ServerError(e.message);
    throw e;
  }
}

/** Tells the host the page's size whenever it changes, so an inline frame fits its content. */
function watchSize(channel: HostChannel): void {
  let queued = false;
  let width = 0;
  let height = 0;
  const measure = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      const root = document.documentElement;
      const before = root.style.height;
      root.style.height = "max-content";
      const h = Math.ceil(root.getBoundingClientRect().height);
      root.style.height = before;
      const w = Math.ceil(window.innerWidth);
      if (w === width && h === height) return;
      width = w;
      height = h;
      channel.notify("ui/notifications/size-changed", { width: w, height: h });
    });
  };
  measure();
  const observer = new ResizeObserver(measure);
  observer.observe(document.documentElement);
  observer.observe(document.body);
}

function applyContext(context: HostContext, handlers: HostHandlers): void {
  const root = document.documentElement;
  if (context.theme === "light" || context.theme === "dark") {
    root.setAttribute("data-theme", context.theme);
    root.style.colorScheme = context.theme;
  }
  for (const [name, value] of Object.entries(context.styles?.variables ?? {}))
    if (typeof value === "string" && name.startsWith("--")) root.style.setProperty(name, value);
  const insets = context.safeAreaInsets;
  if (insets) {
    root.style.setProperty("--safe-top", `${insets.top}px`);
    root.style.setProperty("--safe-right", `${insets.right}px`);
    root.style.setProperty("--safe-bottom", `${insets.bottom}px`);
    root.style.setProperty("--safe-left", `${insets.left}px`);
  }
  handlers.onContext(context);
}
