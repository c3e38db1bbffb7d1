// Entry point. Two modes, one view:
// - inside an MCP Apps host (an iframe): the ext-apps App talks to the host, which proxies tools/call to the server;
// - as a top-level page served by `valuemcp serve --http` at /: a small MCP client of /mcp, with a bearer token.
import type { CallTool, ReadResource } from "./client";
import { byId, one } from "./dom";
import { setLocale } from "./format";
import { lastExport, setDownloader } from "./export";
import { connectToHost } from "./host";
import { HttpMcpClient, storedToken, storeToken } from "./http";
import { hideAlert, PortfolioView, type LastArgs } from "./view";

declare global {
  interface Window {
    /** For tests and debugging: the arguments of the last get_portfolio_health and list_accounts calls. */
    __valuemcp: { lastArgs: LastArgs; mode: "host" | "page"; lastExport: typeof lastExport };
  }
}

/** How long to wait after the handshake for the host's tool input before loading with no filters. */
const TOOL_INPUT_GRACE_MS = 400;

function isEmbedded(): boolean {
  try {
    return window.self !== window.top;
  } catch {
    return true; // a cross-origin parent
  }
}

const embedded = isEmbedded();
document.documentElement.dataset.embedded = String(embedded);
if (embedded) void startInHost();
else startOnPage();

function expose(view: PortfolioView, mode: "host" | "page"): void {
  window.__valuemcp = { lastArgs: view.lastArgs, mode, lastExport };
}

// ---- inside an MCP Apps host ------------------------------------------------------------------------------------

async function startInHost(): Promise<void> {
  let call: CallTool = () => Promise.reject(new Error("Not connected to the host yet."));
  let read: ReadResource | null = null;
  const view = new PortfolioView((name, args) => call(name, args), {
    signInRequired: () => {}, // the host authenticates; the HTTP sign-in never happens here
    readResource: (uri) => (read ? read(uri) : Promise.resolve(null)),
  });
  expose(view, "host");

  let started = false;
  let sawInput = false;
  let inputArrived: () => void = () => {};
  const input = new Promise<void>((resolve) => (inputArrived = resolve));
  const fullscreen = one<HTMLButtonElement>('button[name="fullscreen"]');

  let connection;
  try {
    connection = await connectToHost({
      onToolInput(args) {
        sawInput = true;
        view.applyArguments(args);
        if (started) void view.refresh();
        inputArrived();
      },
      onToolResult(result) {
        view.showDelivered(result);
        // A host that skipped the tool input: take the filters the result echoes, and its date (the top-level as_of),
        // so the view's own calls answer for the same day as the result on screen.
        const content = result.structuredContent as
          | { filters?: Record<string, unknown>; as_of?: unknown; sort_by?: unknown; descending?: unknown }
          | undefined;
        if (!sawInput && content?.filters && typeof content.filters === "object") {
          sawInput = true;
          const asOf = content.filters.as_of ?? (typeof content.as_of === "string" ? content.as_of : undefined);
          view.applyArguments({ ...content.filters, as_of: asOf, sort_by: content.sort_by, descending: content.descending });
          if (started) void view.refresh();
          inputArrived();
        }
      },
      onContext(context) {
        if (context.locale && setLocale(context.locale)) view.rerender();
        const modes = context.availableDisplayModes ?? [];
        const isFull = context.displayMode === "fullscreen";
        fullscreen.hidden = !(isFull ? modes.includes("inline") : modes.includes("fullscreen"));
        fullscreen.textContent = isFull ? "Collapse" : "Expand";
        fullscreen.dataset.target = isFull ? "inline" : "fullscreen";
      },
    });
  } catch (e) {
    document.body.dataset.state = "error";
    view.setInteractive(false, { title: "Could not connect to the MCP host", message: e instanceof Error ? e.message : String(e) });
    return;
  }
  const host = connection;
  call = host.callTool;
  const hostDownload = host.downloadFile;
  if (hostDownload)
    setDownloader(async (filename, mimeType, text) => {
      lastExport.filename = filename;
      lastExport.text = text;
      await hostDownload(filename, mimeType, text);
    });
  read = host.readResource;
  fullscreen.addEventListener("click", () => {
    void host.requestDisplayMode(fullscreen.dataset.target === "inline" ? "inline" : "fullscreen").catch(() => {});
  });

  await Promise.race([input, new Promise((resolve) => setTimeout(resolve, TOOL_INPUT_GRACE_MS))]);
  if (!host.canCallTools) {
    // A host that does not proxy tools/call: the view can only show the result that opened it, so every control that
    // would call the server is off (a click would fail and wipe that result).
    document.body.dataset.state = view.hasFigures() ? "ready" : "error";
    view.setInteractive(false, {
      title: "This host does not let the view call the server",
      message: "Filters, sorting, paging, refresh and scorecards are off; what is shown is the result of the tool call that opened this view.",
    });
    return;
  }
  started = true;
  await view.refresh();
}

// ---- top-level page, served by `valuemcp serve --http` ------------------------------------------------------------

function startOnPage(): void {
  const client = new HttpMcpClient();
  const signInPanel = byId("signin");
  const form = one<HTMLFormElement>('form[data-testid="signin"]');
  const tokenInput = one<HTMLInputElement>('input[name="token"]', form);
  const signInError = byId("signin-error");
  const signOut = one<HTMLButtonElement>('button[name="sign-out"]');
  const main = byId("view");

  const showSignIn = (tokenRefused: boolean) => {
    document.body.dataset.state = "signin";
    hideAlert();
    main.hidden = true;
    signOut.hidden = true;
    byId("as-of").textContent = "Sign in to see the portfolio";
    signInPanel.hidden = false;
    signInError.hidden = !tokenRefused;
    signInError.textContent = tokenRefused ? "That token was not accepted (unknown, revoked or mistyped). Check it and try again." : "";
    tokenInput.value = "";
    tokenInput.focus();
  };

  const view = new PortfolioView((name, args) => client.callTool(name, args), {
    signInRequired: showSignIn,
    readResource: (uri) => client.readResource(uri),
  });
  expose(view, "page");

  // The address may name filters and a sort (`/?segment=SMB&band=critical&sort_by=fulfilment`), and `export=csv`
  // (with `what=accounts`, the default, or `what=board`): once the view shows them, that CSV file is exported.
  const address = new URLSearchParams(window.location.search);
  view.applyArguments(Object.fromEntries(address));
  let exportWanted = address.get("export");
  const exportWhat = address.get("what") ?? "accounts";

  const load = async () => {
    signInPanel.hidden = true;
    main.hidden = false;
    await view.refresh();
    signOut.hidden = storedToken() === null || document.body.dataset.state === "signin";
    if (exportWanted !== null && document.body.dataset.state !== "signin") {
      const format = exportWanted;
      exportWanted = null;
      if (format === "csv") await view.exportFromAddress(exportWhat);
      else {
        const status = byId("export-status");
        status.hidden = false;
        status.dataset.state = "error";
        status.textContent = `export=${format} is not an export format; accepted: export=csv`;
      }
    }
  };

  // The browser's language, like a host's locale, only changes how figures read: format again, no new calls.
  window.addEventListener("languagechange", () => {
    if (setLocale(navigator.language)) view.rerender();
  });

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const token = tokenInput.value.trim();
    if (!token) return;
    storeToken(token);
    tokenInput.value = "";
    client.reset();
    void load();
  });
  signOut.addEventListener("click", () => {
    void client.signOut().then(() => showSignIn(false));
  });

  void load();
}
