// The baseline of the cold-start benchmark: the smallest useful MCP server made with the official TypeScript SDK,
// over stdio, with one tool. bench/coldstart.sh copies it next to its installed SDK and starts it with Node 22.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "node-baseline", version: "1.0.0" });
server.tool("echo", "Echoes its text.", { text: z.string() }, async ({ text }) => ({ content: [{ type: "text", text }] }));
await server.connect(new StdioServerTransport());
