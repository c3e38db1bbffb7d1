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
