// The one interface the view talks to. Inside an MCP host it is the ext-apps App's callServerTool (host.ts); on a
// top-level page it is a small Streamable HTTP client of this server's /mcp endpoint (http.ts).

export interface ToolResult {
  /** The tool's structuredContent (undefined when the result has none, e.g. on an error). */
  structuredContent: unknown;
  isError: boolean;
  /** The text content blocks joined: the error message when isError is true. */
  text: string;
}

export type CallTool = (name: string, args: Record<string, unknown>) => Promise<ToolResult>;

/** Reads a server resource's text (resources/read); null when the resource has no text content. */
export type ReadResource = (uri: string) => Promise<string | null>;

/** The server (or the host on its behalf) answered with an error: a JSON-RPC error or an HTTP error status. */
export class ServerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ServerError";
  }
}

/** The text of a resources/read result's first text content. */
export function resourceText(raw: unknown): string | null {
  const contents = raw && typeof raw === "object" ? (raw as { contents?: unknown }).contents : undefined;
  if (!Array.isArray(contents)) return null;
  const first = contents.find((c): c is { text: string } => !!c && typeof c === "object" && typeof (c as { text?: unknown }).text === "string");
  return first ? first.text : null;
}

/** The HTTP endpoint wants a bearer token (none was sent, or the one sent was refused). */
export class SignInRequired extends Error {
  constructor(readonly tokenRefused: boolean) {
    super(tokenRefused ? "The access token was not accepted." : "This server needs an access token.");
    this.name = "SignInRequired";
  }
}

interface RawToolResult {
  structuredContent?: unknown;
  isError?: boolean;
  content?: unknown;
}

export function toToolResult(raw: RawToolResult): ToolResult {
  const blocks = Array.isArray(raw.content) ? raw.content : [];
  const text = blocks
    .filter((b): b is { type: "text"; text: string } => !!b && typeof b === "object" && b.type === "text" && typeof b.text === "string")
    .map((b) => b.text)
    .join("\n");
  return { structuredContent: raw.structuredContent, isError: raw.isError === true, text };
}
