// The test host page: what an MCP Apps host (Claude, ChatGPT, VS Code ...) does with a tool's UI resource, reduced to
// the parts the spec requires. Bundled for the browser by esbuild (lib/host-server.mjs) with the real AppBridge and
// PostMessageTransport of @modelcontextprotocol/ext-apps.
//
// The app runs in a sandboxed iframe on another origin (the app's document comes from http://localhost:PORT while
// this page is http://127.0.0.1:PORT). Its MCP requests (tools/call, resources/read, resources/list) reach the bridge
// over postMessage; the bridge hands them to the test process (functions exposed by playwright's page.exposeFunction),
// which forwards them to the real ValueMcp server with a bearer token, as a host's back end would.
import { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';

const config = window.__hostConfig; // { appUrl, sandbox, allow, theme }
const log = (...args) => console.log('[host]', ...args);

// What the test reads back: every request the app made through the bridge, the app's reported sizes, the handshake.
window.__host = { calls: [], sizes: [], initialized: false, appInfo: null, appCapabilities: null, errors: [] };

function hostContext() {
  return {
    theme: config.theme || 'light',
    displayMode: 'inline',
    availableDisplayModes: ['inline'],
    platform: 'web',
    locale: 'en-US',
    timeZone: 'UTC',
    deviceCapabilities: { touch: false, hover: true },
    containerDimensions: { maxHeight: 6000, width: document.getElementById('frame-box').clientWidth },
  };
}

async function main() {
  const box = document.getElementById('frame-box');
  const iframe = document.createElement('iframe');
  iframe.id = 'app';
  iframe.title = 'ValueMcp portfolio view';
  iframe.setAttribute('sandbox', config.sandbox);
  if (config.allow) iframe.setAttribute('allow', config.allow);
  iframe.style.height = '600px';
  box.appendChild(iframe);

  const bridge = new AppBridge(
    null, // no in-page MCP client: requests go to the test process (see below)
    { name: 'valuemcp-test-host', version: '1.0.0' },
    { serverTools: {}, serverResources: {}, logging: {}, openLinks: {} },
    { hostContext: hostContext() },
  );

  bridge.oncalltool = async (params) => {
    const entry = { method: 'tools/call', name: params.name, arguments: params.arguments ?? {} };
    window.__host.calls.push(entry);
    const result = await window.__hostCallTool(params.name, params.arguments ?? {});
    entry.isError = !!result.isError;
    return result;
  };
  bridge.onreadresource = async (params) => {
    window.__host.calls.push({ method: 'resources/read', uri: params.uri });
    return window.__hostReadResource(params.uri);
  };
  bridge.onlistresources = async (params) => {
    window.__host.calls.push({ method: 'resources/list' });
    return window.__hostListResources(params ?? {});
  };
  bridge.onopenlink = async (params) => {
    window.__host.calls.push({ method: 'ui/open-link', url: params.url });
    return {};
  };
  bridge.onmessage = async (params) => {
    window.__host.calls.push({ method: 'ui/message', params });
    return {};
  };
  bridge.onupdatemodelcontext = async (params) => {
    window.__host.calls.push({ method: 'ui/update-model-context', params });
    return {};
  };
  bridge.onloggingmessage = (params) => log('app log', params.level, JSON.stringify(params.data));
  bridge.onsizechange = ({ width, height }) => {
    window.__host.sizes.push({ width, height });
    if (typeof height === 'number' && height > 0) iframe.style.height = `${Math.ceil(height)}px`;
  };
  bridge.onrequestdisplaymode = async () => ({ mode: 'inline' });

  bridge.oninitialized = async () => {
    window.__host.initialized = true;
    window.__host.appInfo = bridge.getAppVersion() ?? null;
    window.__host.appCapabilities = bridge.getAppCapabilities() ?? null;
    try {
      // The conversation's tool call that this view belongs to: first its input, then its result.
      const initial = await window.__hostInitialToolCall();
      await bridge.sendToolInput({ arguments: initial.arguments });
      await bridge.sendToolResult(initial.result);
      window.__host.initialSent = true;
    } catch (e) {
      window.__host.errors.push(String(e && e.stack || e));
    }
  };

  // Connect before the app's document loads, so its ui/initialize is not missed; contentWindow is the iframe's
  // WindowProxy, the same object before and after it navigates.
  const transport = new PostMessageTransport(iframe.contentWindow, iframe.contentWindow);
  await bridge.connect(transport);
  window.__bridge = bridge;

  window.addEventListener('resize', () => {
    const width = box.clientWidth;
    bridge.sendHostContextChange({ containerDimensions: { maxHeight: 6000, width } });
  });

  iframe.src = config.appUrl;
}

main().catch((e) => {
  window.__host.errors.push(String(e && e.stack || e));
  console.error('[host] failed', e);
});
