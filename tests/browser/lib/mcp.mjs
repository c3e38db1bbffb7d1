// The node-side MCP client (the official TypeScript SDK over Streamable HTTP, with the bearer token). The tests use it
// for the expected values (the tools' own answers in the same run) and the test host forwards the app's requests
// through it.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

export async function connect(mcpUrl, token) {
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'valuemcp-browser-tests', version: '1.0.0' });
  await client.connect(transport);

  /** The structured result of a tool; throws on isError with the tool's text. */
  async function tool(name, args = {}) {
    const result = await client.callTool({ name, arguments: args });
    if (result.isError) {
      const text = (result.content || []).map((c) => c.text).join(' ');
      throw new Error(`${name}(${JSON.stringify(args)}) answered isError: ${text}`);
    }
    return result.structuredContent;
  }

  return { client, tool, close: () => client.close() };
}
