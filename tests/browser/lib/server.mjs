// Starts a real ValueMcp server for the tests: the demo portfolio in a fresh database, a read token, and
// `serve --http` on a free loopback port (port 0; the chosen address is read from the server's log line).
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function startServer(dll, { timeoutMs = 120_000 } = {}) {
  if (!fs.existsSync(dll)) throw new Error(`server not built: ${dll} (dotnet build src/ValueMcp.Server)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'valuemcp-browser-'));
  const db = path.join(dir, 'demo.db');
  const tokens = path.join(dir, 'tokens');
  await run('dotnet', [dll, 'demo', '--db', db], { timeout: timeoutMs });
  const added = await run('dotnet', [dll, 'token', 'add', 'browser-test', '--role', 'read', '--file', tokens], { timeout: timeoutMs });
  const token = added.stdout.split(/\r?\n/).map((l) => l.trim()).find((l) => /^vmcp_\S+$/.test(l));
  if (!token) throw new Error(`token add printed no token: ${added.stdout}`);

  const child = spawn('dotnet', [dll, 'serve', '--http', '--db', db, '--tokens', tokens, '--urls', 'http://127.0.0.1:0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /over HTTP at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(log);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the server exited (${code}):\n${log}`)); });
  });
  const origin = new URL(url).origin;
  return {
    mcpUrl: url,
    origin,
    token,
    dir,
    log: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
