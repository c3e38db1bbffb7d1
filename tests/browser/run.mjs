// Browser tests of the ValueMcp MCP App: Debian's chromium driven by playwright-core, against a real ValueMcp server
// (`serve --http` on the demo portfolio, with a bearer token), on two surfaces:
//   host:    the app resource (ui://valuemcp/portfolio.html) inside a test host page built on the ext-apps AppBridge,
//            fed the get_portfolio_health tool input and result the way a host does; its tool calls are forwarded to
//            the server by the test process;
//   browser: the page `serve --http` serves at /, which signs in with the token and talks to its own /mcp.
// Prints "ok - ..." / "not ok - ..." per test and, last, "browser: N passed, N failed"; exits 1 on any failure.
//   node run.mjs            (env: VALUEMCP_DLL, CHROMIUM_PATH, SCREENSHOT_DIR, APP_HTML; see README.md)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { getToolUiResourceUri, RESOURCE_MIME_TYPE } from '@modelcontextprotocol/ext-apps/app-bridge';
import { test, fail, summary, until, assert } from './lib/harness.mjs';
import { startServer } from './lib/server.mjs';
import { connect } from './lib/mcp.mjs';
import { startHostServer } from './lib/host-server.mjs';
import { sharedTests, readState, waitForView, expectedKpis, KPIS, PAGE_SIZE } from './lib/scenario.mjs';
import { checkVisibleFigures } from './lib/visible.mjs';
import { chartTests, openedByToolTests } from './lib/charts.mjs';
import { exportTests } from './lib/export.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const dll = process.env.VALUEMCP_DLL || path.join(repo, 'src/ValueMcp.Server/bin/Debug/net10.0/valuemcp.dll');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const shotDir = process.env.SCREENSHOT_DIR || path.join(repo, 'docs/screenshots');
const APP_URI = 'ui://valuemcp/portfolio.html';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const VIEWPORT = { width: 1400, height: 900 };

/** Console errors, uncaught exceptions and CSP violations of a page and its frames. */
function watchProblems(page, ignore = () => false) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = m.location() && m.location().url;
    if (ignore(m.text(), where)) return;
    problems.push(`console.error ${where || ''}: ${m.text()}`);
  });
  return problems;
}
const isFavicon = (text, where) => /favicon\.ico/.test(where || '') && /404/.test(text);

let server, mcp, browser, hostServer;
const cleanup = async () => {
  await browser?.close().catch(() => {});
  await hostServer?.close().catch(() => {});
  await mcp?.close().catch(() => {});
  await server?.stop().catch(() => {});
};

async function main() {
  const base = {};
  let app;

  await test('set-up: ValueMcp serve --http on the demo portfolio with a read token; chromium starts', async () => {
    server = await startServer(dll);
    mcp = await connect(server.mcpUrl, server.token);
    base.health = await mcp.tool('get_portfolio_health', {});
    base.kpis = expectedKpis(base.health);
    base.listing = await mcp.tool('list_accounts', { limit: PAGE_SIZE });
    assert.ok(base.listing.total > PAGE_SIZE, `the demo portfolio has more than one page (${base.listing.total})`);
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, chromiumSandbox: false, args: CHROMIUM_ARGS });
  });
  if (!browser) return;

  await test('the app resource: get_portfolio_health names it, resources/list lists it, resources/read returns the HTML', async () => {
    const { tools } = await mcp.client.listTools();
    const tool = tools.find((x) => x.name === 'get_portfolio_health');
    assert.equal(getToolUiResourceUri(tool), APP_URI, 'get_portfolio_health _meta.ui.resourceUri');
    const { resources } = await mcp.client.listResources();
    const listed = resources.find((r) => r.uri === APP_URI);
    assert.ok(listed, `resources/list has ${APP_URI}`);
    assert.equal(listed.mimeType, RESOURCE_MIME_TYPE);
    const read = await mcp.client.readResource({ uri: APP_URI });
    const content = read.contents.find((c) => c.uri === APP_URI);
    assert.equal(content.mimeType, RESOURCE_MIME_TYPE);
    assert.ok(typeof content.text === 'string' && /<html|<!doctype/i.test(content.text), 'the resource is HTML text');
    app = { html: content.text, meta: (content._meta && content._meta.ui) || (listed._meta && listed._meta.ui) || {} };
    if (process.env.APP_HTML) {
      // For working on the app: a freshly built file in the test host, without rebuilding the server.
      app.html = fs.readFileSync(process.env.APP_HTML, 'utf8');
      console.log(`    (the test host shows ${process.env.APP_HTML} instead of the resource)`);
    }
  });

  // ---- The app inside the test host (AppBridge) ----
  if (app) {
    const ctx = { label: 'host', base, mcp, shotDir, shotPrefix: 'app-host', page: null, frame: null };
    let ready = false;
    let problems = [];
    let appRequests = [];
    /** A fresh test-host page showing the app, opened by the tool call toolName(initialArgs); waits for ready. */
    async function openHost(initialArgs, toolName = 'get_portfolio_health') {
      const context = await browser.newContext({ viewport: VIEWPORT });
      const page = await context.newPage();
      const problems = watchProblems(page, isFavicon);
      const appRequests = [];
      // Anything but the host page, the app's document and the host's favicon is a request the app made itself.
      const allowed = (u) => u === hostServer.hostUrl || u === hostServer.appUrl || u === new URL('/favicon.ico', hostServer.hostUrl).href || /^(data|about|blob):/.test(u);
      page.on('request', (r) => { if (!allowed(r.url())) appRequests.push(r.url()); });
      await page.exposeFunction('__hostCallTool', (name, args) => mcp.client.callTool({ name, arguments: args }));
      await page.exposeFunction('__hostReadResource', (uri) => mcp.client.readResource({ uri }));
      await page.exposeFunction('__hostListResources', (params) => mcp.client.listResources(params));
      await page.exposeFunction('__hostInitialToolCall', async () => ({
        arguments: initialArgs,
        result: await mcp.client.callTool({ name: toolName, arguments: initialArgs }),
      }));
      await page.goto(hostServer.hostUrl);
      const frame = await until('the app iframe', async () => page.frames().find((f) => f.url() === hostServer.appUrl), Boolean);
      await frame.locator('body[data-state="ready"]').waitFor({ state: 'attached', timeout: 60_000 }).catch(async (e) => {
        const state = await frame.evaluate(() => document.body && document.body.dataset.state).catch(() => '?');
        const host = await page.evaluate(() => JSON.stringify(window.__host)).catch(() => '?');
        throw new Error(`body[data-state=ready] not reached (state ${state}); host ${host}; problems ${JSON.stringify(problems)}\n${e.message}`);
      });
      return { page, frame, problems, appRequests };
    }

    await test('host: the app completes the ui/initialize handshake and renders the initial get_portfolio_health result', async () => {
      hostServer = await startHostServer(app);
      const opened = await openHost({});
      const { page, frame } = opened;
      ctx.page = page;
      ctx.frame = () => frame;
      problems = opened.problems;
      appRequests = opened.appRequests;
      const host = await page.evaluate(() => window.__host);
      assert.equal(host.initialized, true, 'ui/notifications/initialized received');
      assert.equal(host.initialSent, true, 'tool input and result sent');
      assert.deepEqual(host.errors, []);
      await waitForView(frame, 'the KPIs of the initial tool result', { kpis: base.kpis });
      ready = true;
    });
    if (ready) {
      await sharedTests(ctx);
      await chartTests(ctx);
      await test('host: the app reached the server only through the bridge, loaded nothing else, and logged no error', async () => {
        const calls = await ctx.page.evaluate(() => window.__host.calls);
        const tools = new Set(calls.filter((c) => c.method === 'tools/call').map((c) => c.name));
        for (const name of ['get_portfolio_health', 'list_accounts', 'get_account_scorecard']) assert.ok(tools.has(name), `tools/call ${name} via the bridge (saw ${[...tools]})`);
        // The one refusal the checks provoke on purpose: the unknown CSM (see "an unknown CSM").
        const refused = calls.filter((c) => c.isError && !(c.arguments && c.arguments.csm === 'Nobody Atall'));
        assert.deepEqual(refused, [], 'no tool call answered isError (besides the deliberate unknown CSM)');
        assert.ok(calls.some((c) => c.isError && c.arguments && c.arguments.csm === 'Nobody Atall'), 'the unknown CSM went through the bridge and answered isError');
        assert.deepEqual(appRequests, [], 'no request besides the app document');
        assert.deepEqual(problems, [], 'no console error, uncaught exception or CSP violation');
      });
    } else {
      fail('host: the shared checks', 'not run: the test host set-up above failed');
    }
    await ctx.page?.context().close().catch(() => {});

    if (hostServer) await openedByToolTests({ openHost, mcp, base });
    if (hostServer) {
      await test('host: a tool input with filters ({segment: <first segment>}) opens the view on that slice', async () => {
        const segment = base.health.by_segment.map((s) => s.segment).find(Boolean);
        assert.ok(segment, `by_segment names a segment (${JSON.stringify(base.health.by_segment.map((s) => s.segment))})`);
        const args = { segment };
        const health = await mcp.tool('get_portfolio_health', args);
        const listing = await mcp.tool('list_accounts', { ...args, limit: PAGE_SIZE });
        const opened = await openHost(args);
        try {
          const s = await waitForView(opened.frame, `the ${JSON.stringify(args)} slice from the tool input`, { kpis: expectedKpis(health), listing, filters: args });
          assert.equal(s.total, String(listing.total), 'shown-count data-total');
          assert.equal(await opened.frame.locator('select[name="segment"]').inputValue(), segment, 'select[name=segment] shows the tool input\'s segment');
          await checkVisibleFigures(opened.frame, { health, shown: listing.accounts.length, total: listing.total });
          const calls = await opened.page.evaluate(() => window.__host.calls);
          const kpiCalls = calls.filter((c) => c.method === 'tools/call' && c.name === 'get_portfolio_health');
          assert.ok(kpiCalls.some((c) => c.arguments.segment === segment), `the app called get_portfolio_health with the segment (calls: ${JSON.stringify(kpiCalls.map((c) => c.arguments))})`);
          assert.deepEqual(opened.problems, [], 'no console error, uncaught exception or CSP violation');
          assert.deepEqual(opened.appRequests, [], 'no request besides the app document');
        } finally {
          await opened.page.context().close().catch(() => {});
        }
      });
    }
  }

  // ---- The browser page served by serve --http at / ----
  {
    const ctx = { label: 'browser', base, mcp, shotDir, shotPrefix: 'browser', page: null, frame: null };
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    ctx.page = page;
    ctx.frame = () => page.mainFrame();
    // The browser logs every 401 as a console error: the page's probe before sign-in and the wrong token get one.
    // Those are checked as responses instead: after signing in with the right token, no /mcp request may fail.
    let signedIn = false;
    const problems = watchProblems(page, (text, where) => isFavicon(text, where) || (/\/mcp$/.test(where || '') && /status of 401/.test(text)));
    const mcpRequests = [];
    const failedAfterSignIn = [];
    page.on('request', (r) => { if (new URL(r.url()).pathname === '/mcp') mcpRequests.push({ url: r.url(), method: r.method(), auth: r.headers().authorization }); });
    page.on('response', (r) => { if (signedIn && new URL(r.url()).pathname === '/mcp' && r.status() >= 400) failedAfterSignIn.push(`${r.request().method()} /mcp ${r.status()}`); });
    let ready = false;

    await test('browser: without a token, / shows the sign-in form and no data', async () => {
      await page.goto(`${server.origin}/`);
      await page.locator('body[data-state="signin"]').waitFor({ state: 'attached', timeout: 60_000 });
      await page.locator('form[data-testid="signin"] input[name="token"]').waitFor({ state: 'visible' });
      const s = await readState(page.mainFrame());
      for (const k of KPIS) assert.ok(!s.kpis[k], `no ${k} value before signing in (${s.kpis[k]})`);
      assert.equal(s.cards.length, 0, 'no account cards before signing in');
    });

    await test('browser: a wrong token is refused (401) and the page asks again', async () => {
      const refused = page.waitForResponse((r) => new URL(r.url()).pathname === '/mcp' && r.status() === 401, { timeout: 60_000 }).catch((e) => e);
      await page.locator('form[data-testid="signin"] input[name="token"]').fill('vmcp_not-a-valid-token-0000000000000000000000000');
      await page.locator('form[data-testid="signin"] input[name="token"]').press('Enter');
      const response = await refused;
      if (response instanceof Error) throw response;
      // The page must ask again (state signin, the form visible) and say why: the sign-in error, visible.
      const seen = await until('state signin with the sign-in error visible after a refused token', () => page.evaluate(() => {
        const form = document.querySelector('form[data-testid="signin"]');
        const visible = (e) => !!e && !e.hidden && e.getClientRects().length > 0;
        const errors = [...document.querySelectorAll('#signin-error, form[data-testid="signin"] [role="alert"]')].filter(visible).map((e) => e.innerText.trim()).filter(Boolean);
        return { state: document.body.dataset.state, formVisible: visible(form), errors };
      }), (x) => x.state === 'signin' && x.formVisible && x.errors.length > 0, { timeoutMs: 30_000 });
      assert.equal(seen.state, 'signin');
      const s = await readState(page.mainFrame());
      for (const k of KPIS) assert.ok(!s.kpis[k], `no ${k} value after a refused token`);
    });

    await test('browser: signing in with the token reaches ready; every /mcp request carries it as a bearer header', async () => {
      if (await page.evaluate(() => document.body.dataset.state) !== 'signin') {
        await page.goto(`${server.origin}/`);
        await page.locator('body[data-state="signin"]').waitFor({ state: 'attached', timeout: 60_000 });
      }
      const input = page.locator('form[data-testid="signin"] input[name="token"]');
      await input.fill(server.token);
      mcpRequests.length = 0;
      signedIn = true;
      await input.press('Enter');
      await page.locator('body[data-state="ready"]').waitFor({ state: 'attached', timeout: 60_000 });
      await waitForView(page.mainFrame(), 'the unfiltered KPIs after signing in', { kpis: base.kpis });
      assert.ok(mcpRequests.length > 0, 'the page called /mcp');
      for (const r of mcpRequests) {
        assert.equal(r.auth, `Bearer ${server.token}`, `Authorization on ${r.method} ${r.url}`);
        assert.ok(!r.url.includes(server.token), 'no token in the URL');
      }
      ready = true;
    });

    if (ready) {
      await sharedTests(ctx);
      await chartTests(ctx);
      await exportTests({ page, origin: server.origin, mcp, base });
      await test('browser: no console error, uncaught exception or CSP violation', async () => {
        assert.deepEqual(problems, [], 'console errors');
        assert.deepEqual(failedAfterSignIn, [], '/mcp requests that failed after signing in');
      });
    } else {
      fail('browser: the shared checks', 'not run: signing in above failed');
    }
    await context.close().catch(() => {});
  }
}

process.on('unhandledRejection', (e) => console.log(`    (unhandled rejection: ${(e && e.message) || e})`));

async function abort(reason) {
  fail('the whole run', reason);
  await cleanup();
  const { passed, failed } = summary();
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(1);
}
const watchdog = setTimeout(() => abort('gave up after 20 minutes'), 20 * 60_000);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => abort(`stopped by ${signal}`));

try {
  await main();
} catch (e) {
  fail('the run', String(e && (e.stack || e)));
} finally {
  if (process.env.BROWSER_TEST_SERVER_LOG && server) console.log(server.log());
  await cleanup();
  clearTimeout(watchdog);
}
const { passed, failed } = summary();
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
