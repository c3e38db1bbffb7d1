// Entry point. Two modes, one view:
// - inside an MCP Apps host (an iframe): the ext-apps App talks to the host, which proxies tools/call to the server;
// - as a top-level page served by `valuemcp serve --http` at /: a small MCP client of /mcp, with a bearer token.
import type { CallTool } from "./client";
import { byId, one } from "./dom";
import { setLocale } from "./format";
import { connectToHost } from "./host";
import { HttpMcpClient, storedToken, storeToken } from "./http";
import { PortfolioView, type LastArgs } from "./view";

declare global {
  interface Window {
    /** For tests and debugging: the arguments of the last get_portfolio_health and list_accounts calls. */
    __valuemcp: { lastArgs: LastArgs; mode: "host" | "page" };
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
  window.__valuemcp = { lastArgs: view.lastArgs, mode };
}

// ---- inside an MCP Apps host ------------------------------------------------------------------------------------

async function startInHost(): Promise<void> {
  let call: CallTool = () => Promise.reject(new Error("Not connected to the host yet."));
  const view = new PortfolioView((name, args) => call(name, args), {
    signInRequired: () => {}, // the host authenticates; the HTTP sign-in never happens here
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
        // A host that skipped the tool input: take the filters the result echoes.
        const content = result.structuredContent as { filters?: Record<string, unknown>; sort_by?: unknown; descending?: unknown } | undefined;
        if (!sawInput && content?.filters && typeof content.filters === "object") {
          sawInput = true;
          view.applyArguments({ ...content.filters, sort_by: content.sort_by, descending: content.descending });
          if (started) void view.refresh();
          inputArrived();
        }
      },
      onContext(context) {
        if (context.locale) setLocale(context.locale);
        const modes = context.availableDisplayModes ?? [];
        const isFull = context.displayMode === "fullscreen";
        fullscreen.hidden = !(isFull ? modes.includes("inline") : modes.includes("fullscreen"));
        fullscreen.textContent = isFull ? "Collapse" : "Expand";
        fullscreen.dataset.target = isFull ? "inline" : "fullscreen";
      },
    });
  } catch (e) {
    document.body.dataset.state = "error";
    byId("alert-title").textContent = "Could not connect to the MCP host";
    byId("alert-message").textContent = e instanceof Error ? e.message : String(e);
    byId("alert").hidden = false;
    return;
  }
  const host = connection;
  call = host.callTool;
  fullscreen.addEventListener("click", () => {
    void host.requestDisplayMode(fullscreen.dataset.target === "inline" ? "inline" : "fullscreen").catch(() => {});
  });

  await Promise.race([input, new Promise((resolve) => setTimeout(resolve, TOOL_INPUT_GRACE_MS))]);
  if (!host.canCallTools) {
    // A host that does not proxy tools/call: the view can only show the result that opened it.
    document.body.dataset.state = view.hasFigures() ? "ready" : "error";
    byId("alert-title").textContent = "This host does not let the view call the server";
    byId("alert-message").textContent = "Filters, paging and scorecards need it; what is shown is the result of the tool call that opened this view.";
    byId("alert").hidden = false;
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
    byId("alert").hidden = true;
    main.hidden = true;
    signOut.hidden = true;
    byId("as-of").textContent = "Sign in to see the portfolio";
    signInPanel.hidden = false;
    signInError.hidden = !tokenRefused;
    signInError.textContent = tokenRefused ? "That token was not accepted (unknown, revoked or mistyped). Check it and try again." : "";
    tokenInput.value = "";
    tokenInput.focus();
  };

  const view = new PortfolioView((name, args) => client.callTool(name, args), { signInRequired: showSignIn });
  expose(view, "page");

  const load = async () => {
    signInPanel.hidden = true;
    main.hidden = false;
    await view.refresh();
    signOut.hidden = storedToken() === null || document.body.dataset.state === "signin";
  };

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
