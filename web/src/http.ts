// A minimal MCP Streamable HTTP client for the page served by `valuemcp serve --http` at / (same origin as /mcp):
// initialize, remember Mcp-Session-Id and the negotiated protocol version, then tools/call and resources/read. Answers
// may come as JSON or as an SSE stream. The bearer token lives in sessionStorage only (never in the URL) and is sent as
// Authorization.
import { resourceText, ServerError, SignInRequired, toToolResult, type ToolResult } from "./client";

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

/** The session a request carried is gone on the server (404). */
class SessionGone extends Error {
  constructor(readonly session: string) {
    super("session expired");
  }
}

/** What a POST carries besides the message: the session and protocol version, decided by the caller. */
interface Sent {
  session: string | null;
  version: string | null;
}

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
  /** The one initialization in flight or done; every caller awaits the same one (single flight). */
  private ready: Promise<void> | null = null;
  /** Bumped by reset(): an initialization started before a reset does not publish its session. */
  private epoch = 0;
  private nextId = 1;

  constructor(private readonly endpoint: string = new URL("mcp", location.href).href) {}

  async callTool(name: string, args: Record<string, unknown>): Promise<ToolResult> {
    const result = (await this.rpc("tools/call", { name, arguments: args })) as Parameters<typeof toToolResult>[0] | undefined;
    return toToolResult(result ?? {});
  }

  async readResource(uri: string): Promise<string | null> {
    return resourceText(await this.rpc("resources/read", { uri }));
  }

  /** Ends the session on the server (best effort) and forgets the token. */
  async signOut(): Promise<void> {
    const sessionId = this.sessionId;
    const headers = this.headers({ session: sessionId, version: this.protocolVersion });
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
    this.epoch++;
    this.sessionId = null;
    this.protocolVersion = null;
    this.ready = null;
  }

  /** One request on the current session; when the server forgot that session, one new session and one retry. */
  private async rpc(method: string, params: unknown): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      await this.connect();
      const sent: Sent = { session: this.sessionId, version: this.protocolVersion };
      try {
        return await this.request(method, params, sent);
      } catch (e) {
        if (!(e instanceof SessionGone) || attempt > 0) throw e;
        // Parallel calls may all see the 404: only the first resets, and all of them await the one new session.
        if (this.sessionId === e.session) this.reset();
      }
    }
  }

  /** Resolves once a session is published (the shared initialization, again if a reset happened meanwhile). */
  private async connect(): Promise<void> {
    for (;;) {
      const epoch = this.epoch;
      if (!this.ready) {
        const ready: Promise<void> = this.initialize(epoch).catch((e: unknown) => {
          if (this.ready === ready) this.ready = null;
          throw e;
        });
        this.ready = ready;
      }
      await this.ready;
      if (epoch === this.epoch) return;
    }
  }

  /** initialize, then notifications/initialized on the new session; only then is the session published. */
  private async initialize(epoch: number): Promise<void> {
    const id = this.nextId++;
    const message: JsonRpcMessage = {
      jsonrpc: "2.0",
      id,
      method: "initialize",
      params: { protocolVersion: REQUESTED_VERSION, capabilities: {}, clientInfo: { name: "valuemcp-portfolio-page", version: "1.0.0" } },
    };
    const { reply, session } = await this.post(message, id, { session: null, version: null });
    const result = answer(reply, "initialize") as { protocolVersion?: string } | undefined;
    const version = result?.protocolVersion ?? REQUESTED_VERSION;
    await this.post({ jsonrpc: "2.0", method: "notifications/initialized" }, undefined, { session, version });
    if (epoch !== this.epoch) return; // reset meanwhile (sign-in, sign-out): connect() starts over
    this.sessionId = session;
    this.protocolVersion = version;
  }

  private async request(method: string, params: unknown, sent: Sent): Promise<unknown> {
    const id = this.nextId++;
    const { reply } = await this.post({ jsonrpc: "2.0", id, method, params }, id, sent);
    return answer(reply, method);
  }

  private headers(sent: Sent): Record<string, string> {
    const headers: Record<string, string> = {
      Accept: "application/json, text/event-stream",
      "Content-Type": "application/json",
    };
    if (sent.session) headers["Mcp-Session-Id"] = sent.session;
    if (sent.version) headers["MCP-Protocol-Version"] = sent.version;
    const token = storedToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    return headers;
  }

  /** POSTs one message; for a request, answers its response (from a JSON body or the SSE stream). */
  private async post(message: JsonRpcMessage, id: number | undefined, sent: Sent): Promise<{ reply: JsonRpcMessage | null; session: string | null }> {
    const token = storedToken();
    const response = await fetch(this.endpoint, {
      method: "POST",
      headers: this.headers(sent),
      body: JSON.stringify(message),
      cache: "no-store",
      credentials: "same-origin",
    });
    if (response.status === 401) {
      // A late 401 for a token that has since been replaced (signed in again) leaves the new token alone.
      if (token !== null && storedToken() === token) storeToken(null);
      if (this.sessionId === sent.session) this.reset();
      throw new SignInRequired(token !== null);
    }
    if (response.status === 404 && sent.session) throw new SessionGone(sent.session);
    if (!response.ok) throw new ServerError(await describeFailure(response));
    const session = response.headers.get("Mcp-Session-Id") ?? sent.session;
    if (id === undefined || response.status === 202) return { reply: null, session };
    const type = response.headers.get("Content-Type") ?? "";
    if (type.includes("text/event-stream")) return { reply: await readSse(response, id), session };
    const body = (await response.json()) as JsonRpcMessage | JsonRpcMessage[];
    return { reply: (Array.isArray(body) ? body : [body]).find((m) => m.id === id) ?? null, session };
  }
}

/** A response's result; a JSON-RPC error is the server's word (ServerError). */
function answer(reply: JsonRpcMessage | null, method: string): unknown {
  if (!reply) throw new Error(`The server sent no answer to ${method}.`);
  if (reply.error) throw new ServerError(reply.error.message || `The server refused ${method} (code ${reply.error.code}).`);
  return reply.result;
}

/** Reads SSE events until the response with this id arrives (notifications on the way are skipped). */
async function readSse(response: Response, id: number): Promise<JsonRpcMessage | null> {
  if (!response.body) return null;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  // Lines end with \r\n, \n or a bare \r; all become \n here. A \r at the end of a chunk waits for the next one, in
  // case it is the first half of a \r\n split across chunks.
  let buffer = "";
  let carry = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      let text = carry + (value ?? "");
      carry = "";
      if (!done && text.endsWith("\r")) {
        carry = "\r";
        text = text.slice(0, -1);
      }
      buffer += text.replace(/\r\n?/g, "\n");
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const found = parseEvent(event, id);
        if (found) return found;
      }
      if (done) return parseEvent(buffer, id);
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** One SSE event (lines already split on \n): its data lines joined, parsed as a JSON-RPC message. */
function parseEvent(event: string, id: number): JsonRpcMessage | null {
  const data = event
    .split("\n")
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
