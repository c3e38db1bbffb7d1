// A tiny loopback web server for the test host: the host page on one port and the app's document on another (two
// origins, as a real host keeps the app off its own origin). The app's document carries a Content-Security-Policy built
// from the resource's _meta.ui.csp the way the MCP Apps spec describes (nothing declared = no network at all).
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

async function bundleHost() {
  const out = await esbuild.build({
    entryPoints: [path.join(here, '..', 'host', 'host.js')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

/** The CSP a host applies to an app from its declared domains (ui.csp: connectDomains, resourceDomains, frameDomains). */
export function appCsp(csp = {}) {
  const list = (xs) => (Array.isArray(xs) && xs.length ? ' ' + xs.join(' ') : '');
  const res = list(csp.resourceDomains);
  return [
    "default-src 'none'",
    `script-src 'self' 'unsafe-inline'${res}`,
    `style-src 'self' 'unsafe-inline'${res}`,
    `img-src 'self' data:${res}`,
    `font-src 'self' data:${res}`,
    `media-src 'self' data:${res}`,
    `connect-src${list(csp.connectDomains) || " 'none'"}`,
    `frame-src${list(csp.frameDomains) || " 'none'"}`,
    "base-uri 'none'",
  ].join('; ');
}

function listen(handler) {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler);
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/**
 * Starts the host page server. `app` is { html, meta } from the resource read (meta = the content's _meta.ui).
 * Returns { hostUrl, appUrl, close() }.
 */
export async function startHostServer(app) {
  const script = await bundleHost();
  const appServer = await listen((req, res) => {
    if (req.url.split('?')[0] === '/app.html') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': appCsp(app.meta?.csp),
        'cache-control': 'no-store',
      });
      res.end(app.html);
    } else {
      res.writeHead(404).end();
    }
  });
  const appUrl = `http://127.0.0.1:${appServer.address().port}/app.html`;
  const config = {
    appUrl,
    // What hosts grant inside their sandbox proxy: scripts, same-origin (its own origin, not the host's), forms.
    sandbox: 'allow-scripts allow-same-origin allow-forms',
    allow: '',
    theme: 'light',
  };
  const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ValueMcp test host</title>
<style>
  html, body { margin: 0; background: #eceff3; font: 14px system-ui, sans-serif; color: #1f2933; }
  header { padding: 10px 16px; font-weight: 600; }
  header span { font-weight: 400; color: #52606d; }
  #frame-box { margin: 0 12px 16px; padding: 0; border-radius: 12px; background: #fff; overflow: hidden;
               box-shadow: 0 1px 3px rgba(0,0,0,.12); }
  #frame-box iframe { display: block; width: 100%; border: 0; }
</style></head>
<body>
<header>Test host <span>— get_portfolio_health → ui://valuemcp/portfolio.html</span></header>
<div id="frame-box"></div>
<script>window.__hostConfig = ${JSON.stringify(config)};</script>
<script>${script.replace(/<\/script/gi, '<\\/script')}</script>
</body></html>`;
  const hostServer = await listen((req, res) => {
    if (req.url.split('?')[0] === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(page);
    } else {
      res.writeHead(404).end();
    }
  });
  const hostUrl = `http://127.0.0.1:${hostServer.address().port}/`;
  return {
    hostUrl,
    appUrl,
    appOrigin: new URL(appUrl).origin,
    close: () => Promise.all([appServer, hostServer].map((s) => new Promise((r) => { s.closeAllConnections?.(); s.close(() => r()); }))),
  };
}
