// A minimal MCP Streamable HTTP client for the page served by `valuemcp serve --http` at / (same origin as /mcp):
// initialize, remember Mcp-Session-Id and the negotiated protocol version, then tools/call. Answers may come as JSON
// or as an SSE stream. The bearer token lives in sessionStorage only (never in the URL) and is sent as Authorization.
import { SignInRequired, toToolResult, type ToolResult } from "./client";

const TOKEN_KEY = "valuemcp.token";
const REQUESTED_VERSION = "2025-06-18";

interface JsonRpcMessage {
  jsonrpc: "2.0";
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

class SessionGone extends Error {}

export function storedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function storeToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage disabled: the token lives for this page only
  }
}

export class HttpMcpClient {
  private sessionId: string | null = null;
  private protocolVersion: string | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 1;

  constructor(private readonly endpoint: string = new URL("mcp", location.href).href) {}

  async callTool(name: string, args: Record<string, unknown>): Promise<ToolResult> {
    for (let attempt = 0; ; attempt++) {
      await this.connect();
      try {
        const result = (await this.request("tools/call", { name, arguments: args })) as Parameters<typeof toToolResult>[0];
        return toToolResult(result ?? {});
      } catch (e) {
        if (e instanceof SessionGone && attempt === 0) continue; // the server forgot the session: start a new one once
        throw e;
      }
    }
  }

  /** Ends the session on the server (best effort) and forgets the token. */
  async signOut(): Promise<void> {
    const sessionId = this.sessionId;
    const headers = this.headers();
    this.reset();
    if (sessionId) {
      try {
        await fetch(this.endpoint, { method: "DELETE", headers, cache: "no-store" });
      } catch {
        // the server may be gone; the token is forgotten either way
      }
    }
    storeToken(null);
  }

  reset(): void {
    this.sessionId = null;
    this.protocolVersion = null;
    this.ready = null;
  }

  private connect(): Promise<void> {
    this.ready ??= this.initialize().catch((e) => {
      this.ready = null;
      throw e;
    });
    return this.ready;
  }

  private async initialize(): Promise<void> {
    this.sessionId = null;
    this.protocolVersion = null;
    const result = (await this.request("initialize", {
      protocolVersion: REQUESTED_VERSION,
      capabilities: {},
      clientInfo: { name: "valuemcp-portfolio-page", version: "1.0.0" },
    })) as { protocolVersion?: string } | undefined;
    this.protocolVersion = result?.protocolVersion ?? REQUESTED_VERSION;
    await this.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  }

  private async request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    const reply = await this.send({ jsonrpc: "2.0", id, method, params }, id);
    if (!reply) throw new Error(`The server sent no answer to ${method}.`);
    if (reply.error) throw new Error(reply.error.message || `The server refused ${method} (code ${reply.error.code}).`);
    return reply.result;
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = {
      Accept: "application/json, text/event-stream",
      "Content-Type": "application/json",
    };
    if (this.sessionId) headers["Mcp-Session-Id"] = this.sessionId;
    if (this.protocolVersion) headers["MCP-Protocol-Version"] = this.protocolVersion;
    const token = storedToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    return headers;
  }

  /** POSTs one message; for a request, answers its response (from a JSON body or the SSE stream). */
  private async send(message: JsonRpcMessage, id?: number): Promise<JsonRpcMessage | null> {
    const sentSession = this.sessionId;
    const hadToken = storedToken() !== null;
    const response = await fetch(this.endpoint, {
      method: "POST",
      headers: this.headers(),
      body: JSON.stringify(message),
      cache: "no-store",
      credentials: "same-origin",
    });
    if (response.status === 401) {
      storeToken(null);
      this.reset();
      throw new SignInRequired(hadToken);
    }
    if (response.status === 404 && sentSession) {
      this.reset();
      throw new SessionGone("session expired");
    }
    if (!response.ok) throw new Error(await describeFailure(response));
    const session = response.headers.get("Mcp-Session-Id");
    if (session && message.method === "initialize") this.sessionId = session;
    if (id === undefined || response.status === 202) return null;
    const type = response.headers.get("Content-Type") ?? "";
    if (type.includes("text/event-stream")) return readSse(response, id);
    const body = (await response.json()) as JsonRpcMessage | JsonRpcMessage[];
    return (Array.isArray(body) ? body : [body]).find((m) => m.id === id) ?? null;
  }
}

/** Reads SSE events until the response with this id arrives (notifications on the way are skipped). */
async function readSse(response: Response, id: number): Promise<JsonRpcMessage | null> {
  if (!response.body) return null;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (value) buffer += value;
      let end: RegExpExecArray | null;
      while ((end = /\r?\n\r?\n/.exec(buffer))) {
        const event = buffer.slice(0, end.index);
        buffer = buffer.slice(end.index + end[0].length);
        const found = parseEvent(event, id);
        if (found) return found;
      }
      if (done) return parseEvent(buffer, id);
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

function parseEvent(event: string, id: number): JsonRpcMessage | null {
  const data = event
    .split(/\r?\n/)
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(5).replace(/^ /, ""))
    .join("\n");
  if (!data) return null;
  try {
    const message = JSON.parse(data) as JsonRpcMessage;
    return message.id === id ? message : null;
  } catch {
    return null;
  }
}

async function describeFailure(response: Response): Promise<string> {
  let detail = "";
  try {
    const text = await response.text();
    try {
      detail = (JSON.parse(text) as JsonRpcMessage).error?.message ?? text;
    } catch {
      detail = text;
    }
  } catch {
    // no body
  }
  return `The server answered HTTP ${response.status}${detail ? `: ${detail.slice(0, 300)}` : "."}`;
}
