// The portfolio view: KPI cards, lifecycle strip, filters, account cards and paging. Every change of a filter or sort
// asks the server again (get_portfolio_health for the KPIs and the strip, list_accounts for the cards), so every
// figure on screen is the server's, for the current slice.
import { ServerError, SignInRequired, type CallTool, type ReadResource, type ToolResult } from "./client";
import { byId, h, one } from "./dom";
import * as f from "./format";
import { accountCard } from "./cards";
import { Scorecard } from "./scorecard";
import { ChartsPanel, type ChartKey } from "./charts/panel";
import { download, toCsv } from "./export";
import type { AccountCard, AccountList, Band, Kpis, PortfolioHealth, SortKey, Stage } from "./types";

const PAGE_SIZE = 50;
/** Page size of the CSV export's list_accounts calls (the tool's maximum). */
const EXPORT_PAGE = 200;
const ACCOUNT_COLUMNS = ["id", "name", "segment", "tier", "csm", "arr", "fulfilment", "band", "outcomes_promised", "outcomes_evidenced",
  "outcomes_overdue", "readiness", "renewal_date", "days_to_renewal", "renewal_flag", "renewal_risk", "lifecycle_stage", "next_action", "next_action_reason"];

function accountRow(a: AccountCard): (string | number | null)[] {
  return [a.id, a.name, a.segment, a.tier, a.csm, a.arr, a.fulfilment, a.band, a.outcomes_promised, a.outcomes_evidenced, a.outcomes_overdue,
    a.readiness, a.renewal_date, a.days_to_renewal, a.renewal_flag, a.renewal_risk, a.lifecycle_stage, a.next_action.kind, a.next_action.reason];
}

/** The portfolio filters the tools take, in the order chips show them. */
const FILTER_KEYS = ["segment", "tier", "csm", "lifecycle_stage", "band", "readiness", "renewal_flag", "renewal_within_days", "min_arr", "cohort_year", "cohort_quarter", "as_of"] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type Filters = Partial<Record<FilterKey, string | number>>;

/** Filters this page has no control for (they arrive with the host's tool call): shown as removable chips. */
const CHIP_KEYS: readonly FilterKey[] = ["tier", "renewal_flag", "min_arr", "cohort_year", "cohort_quarter", "as_of"];
const CHIP_LABEL: Partial<Record<FilterKey, string>> = {
  tier: "Tier", renewal_flag: "Renewal flag", min_arr: "Min ARR", cohort_year: "Contract started", cohort_quarter: "Contract started", as_of: "As of",
};
/** The filters with a <select> in the form. */
const SELECT_FILTERS = ["segment", "band", "readiness", "renewal_within_days"] as const;
const NUMERIC_KEYS: readonly FilterKey[] = ["renewal_within_days", "min_arr"];
const GLOSSARY_URI = "value://glossary";
const SORT_KEYS: readonly SortKey[] = ["arr", "fulfilment", "readiness", "renewal_date"];
/** Each sort key's direction when `descending` is left out (list_accounts' own defaults). */
const DEFAULT_DESCENDING: Record<SortKey, boolean> = { arr: true, fulfilment: false, readiness: false, renewal_date: false };

export interface LastArgs {
  health: Record<string, unknown> | null;
  list: Record<string, unknown> | null;
  /** Each chart's last call (retention_metrics for bridge and cohorts, renewal_forecast for range). */
  charts: Partial<Record<ChartKey, Record<string, unknown>>>;
}

export interface ViewHooks {
  /** The HTTP endpoint asked for a token: show the sign-in form. */
  signInRequired(tokenRefused: boolean): void;
  /** resources/read, when the transport offers it: the glossary's thresholds word the legend and the badges. */
  readResource?: ReadResource | null;
}

export type ViewState = "loading" | "ready" | "error" | "signin";

class ToolFailed extends Error {
  constructor(readonly tool: string, message: string) {
    super(message || `${tool} failed without a message.`);
  }
}

export class PortfolioView {
  /** For tests only (window.__valuemcp.lastArgs): never read back as state. */
  readonly lastArgs: LastArgs;
  private filters: Filters = {};
  private sortBy: SortKey = "arr";
  private descending: boolean | null = null;
  private shownDescending = true;
  private accounts: AccountCard[] = [];
  private total = 0;
  /** The cursor of the next page, and the list_accounts arguments (without cursor) of the listing it continues. */
  private nextCursor: string | null = null;
  private pageArgs: Record<string, unknown> | null = null;
  /** Bumped by every refresh: an answer of an older refresh or page is dropped. */
  private generation = 0;
  private lastHealth: PortfolioHealth | null = null;
  private lastStrip: PortfolioHealth | null = null;
  private interactive = true;
  private policyAsked = false;
  private segments: string[] | null = null;
  private readonly csms = new Map<string, string>();
  private hasData = false;
  private readonly scorecard: Scorecard;
  private readonly charts: ChartsPanel;
  /** The arguments of the host's tool call that opened the view (for a delivered chart result). */
  private inputArgs: Record<string, unknown> = {};

  private readonly form = byId<HTMLFormElement>("filters");
  private readonly cards = byId<HTMLUListElement>("cards");
  private readonly stages = byId<HTMLOListElement>("stages");
  private readonly moreButton = one<HTMLButtonElement>('button[name="show-more"]');
  private readonly shown = one<HTMLElement>('[data-testid="shown-count"]');

  constructor(private readonly callTool: CallTool, private readonly hooks: ViewHooks) {
    this.scorecard = new Scorecard(callTool, () => this.asOf(), (e) => this.handleAuth(e));
    this.charts = new ChartsPanel(callTool, {
      applyFilter: (key, value) => {
        // A cohort replaces the other kind of cohort (a quarter outside the year given is an error).
        if (key === "cohort_year") delete this.filters.cohort_quarter;
        if (key === "cohort_quarter") delete this.filters.cohort_year;
        this.setFilter(key, value);
        void this.refresh();
        byId("filters").scrollIntoView({ block: "start" });
      },
      openAccount: (id, name, from) => {
        if (this.interactive) void this.scorecard.open(id, from, name);
      },
      handleAuth: (e) => this.handleAuth(e),
    });
    this.lastArgs = { health: null, list: null, charts: this.charts.lastArgs };
    this.buildStages();
    this.bindControls();
    renderLegend();
  }

  // ---- state in, from the host's tool call -------------------------------------------------------------------

  /** Takes filters and sort from tool arguments (the host's initial call); unknown keys are ignored. */
  applyArguments(args: Record<string, unknown>): void {
    this.inputArgs = args;
    const filters: Filters = {};
    for (const key of FILTER_KEYS) {
      const value = args[key];
      // A number given as text (the page's address) is sent as a number.
      if (typeof value === "string" && NUMERIC_KEYS.includes(key) && value.trim() !== "" && Number.isFinite(Number(value))) filters[key] = Number(value);
      else if (typeof value === "string" && value.trim() !== "") filters[key] = value.trim();
      else if (typeof value === "number" && Number.isFinite(value)) filters[key] = value;
    }
    this.filters = filters;
    if (typeof args.sort_by === "string" && (SORT_KEYS as readonly string[]).includes(args.sort_by)) this.sortBy = args.sort_by as SortKey;
    this.descending = typeof args.descending === "boolean" ? args.descending : args.descending === "true" ? true : args.descending === "false" ? false : null;
    this.syncControls();
  }

  /** Shows a result the host delivered (the tool call that opened the view) until the view's own refresh lands. */
  showDelivered(result: ToolResult): void {
    // A retention_metrics or renewal_forecast result opens its chart, drawn from that result.
    if (this.charts.showDelivered(result, this.inputArgs)) return;
    if (this.hasData || result.isError || !result.structuredContent || typeof result.structuredContent !== "object") return;
    const content = result.structuredContent as Partial<PortfolioHealth & AccountList>;
    if (content.kpis && content.by_lifecycle_stage) {
      this.renderHealth(content as PortfolioHealth);
      this.renderStages(content as PortfolioHealth);
    } else if (Array.isArray(content.accounts) && typeof content.total === "number") {
      // No paging from here: the arguments that produced its cursor are the host's, not known for sure.
      this.renderList({ ...(content as AccountList), next_cursor: null }, false);
    }
  }

  /**
   * Turns the controls that call the server on or off (a host that does not proxy tools/call): filters, sort, stages,
   * refresh, paging and the cards' scorecard buttons. `reason` is shown in the alert.
   */
  setInteractive(enabled: boolean, reason?: { title: string; message: string }): void {
    this.interactive = enabled;
    document.body.toggleAttribute("data-readonly", !enabled);
    const controls = [
      ...this.form.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLButtonElement>("input, select, button"),
      ...this.stages.querySelectorAll<HTMLButtonElement>("button[data-stage]"),
      ...this.cards.querySelectorAll<HTMLButtonElement>("button.card-open"),
      ...byId("extra-filters").querySelectorAll<HTMLButtonElement>("button"),
      one<HTMLButtonElement>('button[name="refresh"]'),
      one<HTMLButtonElement>('button[name="export-csv"]'),
      this.moreButton,
    ];
    for (const control of controls) control.disabled = !enabled;
    this.charts.setInteractive(enabled);
    if (reason) showAlert(reason.title, reason.message, { retry: enabled });
  }

  /** Formats everything on screen again (after a locale change or new thresholds); no server call. */
  rerender(): void {
    renderLegend();
    this.charts.rerender();
    if (this.lastHealth) this.renderHealth(this.lastHealth);
    if (this.lastStrip) this.renderStages(this.lastStrip);
    if (this.accounts.length) {
      const focusedId = (document.activeElement?.closest("[data-account-id]") as HTMLElement | null)?.dataset.accountId;
      this.cards.replaceChildren(...this.accounts.map((a) => this.cardItem(a)));
      if (focusedId) this.cards.querySelector<HTMLElement>(`[data-account-id="${CSS.escape(focusedId)}"] button.card-open`)?.focus();
      this.renderShown();
    }
  }

  /** Whether any figures are on screen (from a refresh or a delivered result). */
  hasFigures(): boolean {
    return this.hasData || document.querySelector('[data-kpi][data-value]:not([data-value=""])') !== null || this.accounts.length > 0;
  }

  // ---- talking to the server ----------------------------------------------------------------------------------

  async refresh(): Promise<void> {
    if (!this.interactive) return;
    const generation = ++this.generation;
    this.setState("loading");
    hideAlert();
    // The cursor on screen belongs to the listing being replaced: no "Show more" until the new listing lands.
    this.nextCursor = null;
    this.pageArgs = null;
    this.moreButton.hidden = true;
    this.moreButton.disabled = true;
    const filters = this.filterArgs();
    const healthArgs: Record<string, unknown> = { ...filters };
    const listArgs: Record<string, unknown> = { ...filters, sort_by: this.sortBy, limit: PAGE_SIZE };
    if (this.descending !== null) listArgs.descending = this.descending;
    this.lastArgs.health = healthArgs;
    this.lastArgs.list = listArgs;

    // The strip shows the slice across all stages, so with a stage filter it needs the slice without it; the segment
    // options come from the whole portfolio, asked once.
    const { lifecycle_stage: stage, ...withoutStage } = filters;
    const onlyDate = Object.keys(filters).every((k) => k === "as_of");
    const stripArgs = stage !== undefined ? withoutStage : null;
    const portfolioArgs = this.segments === null && !onlyDate ? (filters.as_of !== undefined ? { as_of: filters.as_of } : {}) : null;
    try {
      const [health, list, strip, portfolio] = await Promise.all([
        this.call<PortfolioHealth>("get_portfolio_health", healthArgs),
        this.call<AccountList>("list_accounts", listArgs),
        stripArgs ? this.call<PortfolioHealth>("get_portfolio_health", stripArgs) : null,
        portfolioArgs ? this.call<PortfolioHealth>("get_portfolio_health", portfolioArgs) : null,
      ]);
      if (generation !== this.generation) return;
      this.renderHealth(health);
      this.renderStages(strip ?? health);
      if (this.segments === null) this.setSegments((portfolio ?? health).by_segment.map((s) => s.segment));
      this.pageArgs = listArgs;
      this.renderList(list, false);
      this.moreButton.disabled = false;
      this.hasData = true;
      this.setState("ready");
      this.charts.update(health.as_of, filters);
      this.loadPolicy();
    } catch (e) {
      if (generation !== this.generation) return;
      if (this.handleAuth(e)) return;
      this.clearFigures();
      showError(e);
      this.setState("error");
    }
  }

  /** Once, after the first good refresh: the thresholds in force, from the glossary (the defaults stay otherwise). */
  private loadPolicy(): void {
    const read = this.hooks.readResource;
    if (this.policyAsked || !read) return;
    this.policyAsked = true;
    read(GLOSSARY_URI).then(
      (text) => {
        if (text && f.applyGlossary(text)) this.rerender();
      },
      () => {}, // the documented defaults stay
    );
  }

  private async showMore(): Promise<void> {
    if (!this.interactive || !this.nextCursor || !this.pageArgs || this.moreButton.disabled) return;
    const generation = this.generation;
    // The arguments of the listing on screen, with the cursor it answered: the next page of the same listing.
    const args = { ...this.pageArgs, cursor: this.nextCursor };
    this.lastArgs.list = args;
    this.moreButton.disabled = true;
    this.setState("loading");
    try {
      const list = await this.call<AccountList>("list_accounts", args);
      if (generation !== this.generation) return; // a refresh started meanwhile: its listing wins
      this.renderList(list, true);
      this.setState("ready");
    } catch (e) {
      if (generation !== this.generation) return;
      if (this.handleAuth(e)) return;
      showError(e);
      this.setState("error");
    } finally {
      if (generation === this.generation) this.moreButton.disabled = false;
    }
  }

  /** The whole listing on screen (every page, 200 at a time, same filters and order) as a CSV file. */
  private async exportListing(): Promise<void> {
    const button = one<HTMLButtonElement>('button[name="export-csv"]');
    button.disabled = true;
    try {
      await this.exportAccounts();
    } catch (e) {
      if (!this.handleAuth(e)) showError(e);
    } finally {
      button.disabled = !this.interactive;
    }
  }

  /**
   * `export=csv` in the page's address: once the view shows the address's filters, the listing (`what=accounts`, the
   * default) or the board figures (`what=board`) as a CSV file, and a line saying what was exported.
   */
  async exportFromAddress(what: string): Promise<void> {
    const status = byId("export-status");
    status.hidden = false;
    status.dataset.state = "running";
    status.textContent = "Preparing the CSV export…";
    try {
      if (what !== "accounts" && what !== "board") throw new Error(`what=${what} is not an export; accepted: accounts (the default) or board`);
      if (document.body.dataset.state !== "ready") throw new Error("the figures could not be loaded, so nothing was exported");
      let done: { filename: string; rows: number } | null;
      if (what === "board") {
        await this.charts.settled();
        done = await this.charts.exportFigures();
      } else done = await this.exportAccounts();
      if (!done) throw new Error("there is no listing to export");
      status.dataset.state = "done";
      status.dataset.filename = done.filename;
      status.dataset.rows = String(done.rows);
      status.textContent = `Exported ${f.count(done.rows)} ${what === "board" ? "figures" : "accounts"} (${describeSlice(this.filters)}) to ${done.filename}.`;
    } catch (e) {
      if (this.handleAuth(e)) return;
      status.dataset.state = "error";
      status.textContent = `CSV export failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /** Every page of the listing on screen as a CSV file; its name and number of accounts. */
  private async exportAccounts(): Promise<{ filename: string; rows: number } | null> {
    if (!this.pageArgs) return null;
    {
      const { cursor: _ignored, ...args } = this.pageArgs;
      const accounts: AccountCard[] = [];
      let cursor: string | null = null;
      do {
        const page: AccountList = await this.call<AccountList>("list_accounts", { ...args, limit: EXPORT_PAGE, ...(cursor ? { cursor } : {}) });
        accounts.push(...page.accounts);
        cursor = page.next_cursor;
      } while (cursor);
      const day = this.lastHealth?.as_of ?? "today";
      const filename = `accounts-${day}.csv`;
      await download(filename, toCsv(ACCOUNT_COLUMNS, accounts.map(accountRow)));
      return { filename, rows: accounts.length };
    }
  }

  private async call<T>(name: string, args: Record<string, unknown>): Promise<T> {
    const result = await this.callTool(name, args);
    if (result.isError) throw new ToolFailed(name, result.text);
    if (!result.structuredContent || typeof result.structuredContent !== "object")
      throw new ToolFailed(name, `${name} answered without structured content.`);
    return result.structuredContent as T;
  }

  /** A sign-in request from the HTTP client: hand over to the sign-in form. */
  private handleAuth(e: unknown): boolean {
    if (!(e instanceof SignInRequired)) return false;
    this.scorecard.close();
    this.setState("signin");
    this.hooks.signInRequired(e.tokenRefused);
    return true;
  }

  // ---- controls -----------------------------------------------------------------------------------------------

  private bindControls(): void {
    const form = this.form;
    form.addEventListener("submit", (e) => e.preventDefault());
    for (const name of SELECT_FILTERS) {
      const select = one<HTMLSelectElement>(`select[name="${name}"]`, form);
      select.addEventListener("change", () => {
        this.setFilter(name, select.value === "" ? undefined : NUMERIC_KEYS.includes(name) ? Number(select.value) : select.value);
        void this.refresh();
      });
    }
    const csm = one<HTMLInputElement>('input[name="csm"]', form);
    const applyCsm = () => {
      const value = csm.value.trim();
      if ((this.filters.csm ?? "") === value) return;
      this.setFilter("csm", value === "" ? undefined : value);
      void this.refresh();
    };
    csm.addEventListener("change", applyCsm);
    // Picking a name from the suggestions, or emptying the box, applies at once; typing applies on Enter or leaving.
    csm.addEventListener("input", () => {
      const value = csm.value.trim();
      if (value === "" || this.csms.has(value.toLowerCase())) applyCsm();
    });
    csm.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        applyCsm();
      }
    });
    const sort = one<HTMLSelectElement>('select[name="sort_by"]', form);
    sort.addEventListener("change", () => {
      this.sortBy = sort.value as SortKey;
      this.descending = null;
      this.showDirection(DEFAULT_DESCENDING[this.sortBy]);
      void this.refresh();
    });
    one<HTMLButtonElement>('button[name="descending"]', form).addEventListener("click", () => {
      this.descending = !this.shownDescending;
      this.showDirection(this.descending);
      void this.refresh();
    });
    one<HTMLButtonElement>('button[name="clear-filters"]', form).addEventListener("click", () => {
      const asOf = this.filters.as_of;
      this.filters = asOf !== undefined ? { as_of: asOf } : {};
      this.syncControls();
      void this.refresh();
    });
    this.moreButton.addEventListener("click", () => void this.showMore());
    one<HTMLButtonElement>('button[name="export-csv"]').addEventListener("click", () => void this.exportListing());
    one<HTMLButtonElement>('button[name="refresh"]').addEventListener("click", () => void this.refresh());
    one<HTMLButtonElement>('button[name="retry"]').addEventListener("click", () => void this.refresh());

    // The name button opens the scorecard (click, Enter, Space); so does a click anywhere else on the card, and Enter
    // or Space on the card itself when something focused it.
    this.cards.addEventListener("click", (e) => {
      const card = (e.target as Element).closest<HTMLElement>("[data-account-id]");
      if (card && !(window.getSelection()?.toString() ?? "")) this.openCard(card);
    });
    this.cards.addEventListener("keydown", (e) => {
      const card = e.target as HTMLElement;
      if (!card.matches("[data-account-id]") || (e.key !== "Enter" && e.key !== " ")) return;
      e.preventDefault();
      this.openCard(card);
    });
  }

  private openCard(card: HTMLElement): void {
    if (!this.interactive) return;
    const button = card.querySelector<HTMLButtonElement>("button.card-open");
    void this.scorecard.open(card.dataset.accountId ?? "", button ?? card, button?.textContent ?? undefined);
  }

  private setFilter(key: FilterKey, value: string | number | undefined): void {
    if (value === undefined) delete this.filters[key];
    else this.filters[key] = value;
    this.syncControls();
  }

  private filterArgs(): Record<string, string | number> {
    const args: Record<string, string | number> = {};
    for (const key of FILTER_KEYS) {
      const value = this.filters[key];
      if (value !== undefined && value !== "") args[key] = value;
    }
    return args;
  }

  private asOf(): string | undefined {
    return typeof this.filters.as_of === "string" ? this.filters.as_of : undefined;
  }

  /** Puts the filter state into the controls (selects, CSM box, stage buttons, chips). */
  private syncControls(): void {
    const form = this.form;
    for (const name of SELECT_FILTERS) {
      const select = one<HTMLSelectElement>(`select[name="${name}"]`, form);
      const value = this.filters[name] === undefined ? "" : String(this.filters[name]);
      if (value !== "" && ![...select.options].some((o) => o.value === value)) select.append(h("option", { value }, optionLabel(name, value)));
      select.value = value;
    }
    one<HTMLInputElement>('input[name="csm"]', form).value = typeof this.filters.csm === "string" ? this.filters.csm : "";
    one<HTMLSelectElement>('select[name="sort_by"]', form).value = this.sortBy;
    this.showDirection(this.descending ?? DEFAULT_DESCENDING[this.sortBy]);
    for (const button of this.stages.querySelectorAll<HTMLButtonElement>("button[data-stage]"))
      button.setAttribute("aria-pressed", String(button.dataset.stage === this.filters.lifecycle_stage));
    this.renderChips();
  }

  private showDirection(descending: boolean): void {
    this.shownDescending = descending;
    const button = one<HTMLButtonElement>('button[name="descending"]', this.form);
    button.setAttribute("aria-pressed", String(descending));
    button.title = `${descending ? "Descending" : "Ascending"} order: press to reverse`;
    one(".dir", button).textContent = descending ? "↓" : "↑";
    one(".dir-text", button).textContent = descending ? "Descending" : "Ascending";
  }

  private renderChips(): void {
    const box = byId("extra-filters");
    const chips = CHIP_KEYS.filter((k) => this.filters[k] !== undefined).map((key) => {
      const value = this.filters[key]!;
      const text = `${CHIP_LABEL[key]}: ${key === "min_arr" ? f.money(Number(value)) : String(value)}`;
      return h(
        "span",
        { class: "chip", "data-filter": key },
        text,
        h(
          "button",
          {
            type: "button",
            class: "chip-x",
            "aria-label": `Remove filter ${text}`,
            disabled: !this.interactive,
            onclick: () => {
              this.setFilter(key, undefined);
              void this.refresh();
            },
          },
          "✕",
        ),
      );
    });
    box.replaceChildren(...chips);
    box.hidden = chips.length === 0;
  }

  private setSegments(segments: string[]): void {
    this.segments = segments.filter((s) => s !== "").sort((a, b) => a.localeCompare(b)); // "" cannot be asked for
    const select = one<HTMLSelectElement>('select[name="segment"]', this.form);
    const current = select.value;
    select.replaceChildren(h("option", { value: "" }, "All segments"), ...this.segments.map((s) => h("option", { value: s }, s)));
    if (current !== "" && !this.segments.includes(current)) select.append(h("option", { value: current }, current));
    select.value = current;
  }

  // ---- rendering ----------------------------------------------------------------------------------------------

  private setState(state: ViewState): void {
    document.body.dataset.state = state;
    document.body.setAttribute("aria-busy", String(state === "loading"));
  }

  private renderHealth(health: PortfolioHealth): void {
    this.lastHealth = health;
    const k = health.kpis;
    const onTrack = health.by_band.on_track?.count ?? 0;
    this.kpi("arr_managed", k.arr_managed, f.moneyCompact(k.arr_managed), `${f.count(k.account_count)} account${k.account_count === 1 ? "" : "s"}`, `ARR managed: ${f.money(k.arr_managed)}`);
    this.kpi("on_track_pct", k.on_track_pct, f.pct(k.on_track_pct), k.account_count === 0 ? "No accounts" : `${f.count(onTrack)} of ${f.count(k.account_count)} accounts`);
    this.kpi("expansion_ready_count", k.expansion_ready_count, f.count(k.expansion_ready_count), `${f.moneyCompact(k.expansion_ready_arr)} ARR`, `Expansion-ready ARR: ${f.money(k.expansion_ready_arr)}`);
    this.kpi("arr_at_risk", k.arr_at_risk, f.moneyCompact(k.arr_at_risk), k.arr_managed > 0 ? `${f.pct(k.arr_at_risk / k.arr_managed)} of ARR managed` : "\u00a0", `ARR at risk (bands at risk and critical): ${f.money(k.arr_at_risk)}`);
    byId("as-of").textContent = `As of ${health.as_of} · ${describeSlice(this.filters)}`;
    this.charts.renderHealth(health);
  }

  private kpi(key: keyof Kpis, value: number | null, text: string, sub: string, title?: string): void {
    const card = one<HTMLElement>(`[data-kpi="${key}"]`);
    card.dataset.value = value === null || value === undefined ? "" : String(value);
    one(".kpi-value", card).textContent = text;
    one(".kpi-sub", card).textContent = sub;
    if (title) card.title = title;
  }

  private clearFigures(): void {
    this.lastHealth = null;
    this.charts.renderHealth(null);
    for (const card of document.querySelectorAll<HTMLElement>("[data-kpi]")) {
      card.dataset.value = "";
      one(".kpi-value", card).textContent = "—";
      one(".kpi-sub", card).textContent = "\u00a0";
      card.removeAttribute("title");
    }
    this.accounts = [];
    this.total = 0;
    this.nextCursor = null;
    this.pageArgs = null;
    this.cards.replaceChildren();
    this.moreButton.hidden = true;
    byId("empty").hidden = true;
    this.shown.dataset.shown = "0";
    this.shown.dataset.total = "0";
    this.shown.textContent = "No figures: the last request failed.";
    this.renderStages(null);
    byId("as-of").textContent = `Figures unavailable · ${describeSlice(this.filters)}`;
  }

  private buildStages(): void {
    const items = f.STAGES.map((stage, i) =>
      h(
        "li",
        null,
        h(
          "button",
          {
            type: "button",
            class: "stage",
            "data-stage": stage,
            "data-count": "",
            "data-arr": "",
            "aria-pressed": "false",
            onclick: () => {
              this.setFilter("lifecycle_stage", this.filters.lifecycle_stage === stage ? undefined : stage);
              void this.refresh();
            },
          },
          h("span", { class: "stage-step", "aria-hidden": "true" }, String(i + 1)),
          h("span", { class: "stage-name" }, f.STAGE_LABEL[stage]),
          h("span", { class: "stage-count" }, "—"),
          h("span", { class: "stage-arr" }, "\u00a0"),
        ),
      ),
    );
    this.stages.replaceChildren(...items);
  }

  /** The strip's counts from a get_portfolio_health answer; null empties them ("—"). */
  private renderStages(health: PortfolioHealth | null): void {
    this.lastStrip = health;
    for (const button of this.stages.querySelectorAll<HTMLButtonElement>("button[data-stage]")) {
      const stage = button.dataset.stage as Stage;
      const pressed = this.filters.lifecycle_stage === stage;
      button.setAttribute("aria-pressed", String(pressed));
      if (!health) {
        button.dataset.count = "";
        button.dataset.arr = "";
        one(".stage-count", button).textContent = "—";
        one(".stage-arr", button).textContent = "\u00a0";
        button.removeAttribute("title");
        continue;
      }
      const { count, arr } = health.by_lifecycle_stage[stage] ?? { count: 0, arr: 0 };
      button.dataset.count = String(count);
      button.dataset.arr = String(arr);
      one(".stage-count", button).textContent = f.count(count);
      one(".stage-arr", button).textContent = `${f.moneyCompact(arr)} ARR`;
      button.title = `${f.count(count)} account${count === 1 ? "" : "s"}, ARR ${f.money(arr)}. ${pressed ? "Press again to clear this filter" : "Press to show only this stage"}`;
    }
  }

  private renderList(list: AccountList, append: boolean): void {
    if (!append) {
      this.accounts = [];
      this.cards.replaceChildren();
    }
    this.accounts.push(...list.accounts);
    this.total = list.total;
    this.nextCursor = list.next_cursor;
    this.cards.append(...list.accounts.map((a) => this.cardItem(a)));
    for (const a of list.accounts) if (a.csm) this.csms.set(a.csm.toLowerCase(), a.csm);
    this.renderCsmOptions();
    if (typeof list.descending === "boolean" && !append) this.showDirection(list.descending);
    this.renderShown();
  }

  private cardItem(a: AccountCard): HTMLElement {
    return h("li", { class: "card-item" }, accountCard(a, this.interactive));
  }

  /** The status line, the empty note and "Show more" for the listing on screen. */
  private renderShown(): void {
    const shown = this.accounts.length;
    const total = this.total;
    this.shown.dataset.shown = String(shown);
    this.shown.dataset.total = String(total);
    this.shown.textContent = `Showing ${f.count(shown)} of ${f.count(total)} account${total === 1 ? "" : "s"}`;
    byId("empty").hidden = total !== 0;
    const remaining = total - shown;
    this.moreButton.hidden = !this.nextCursor || !this.interactive;
    this.moreButton.replaceChildren("Show more", remaining > 0 ? h("span", { class: "more-count" }, ` (next ${f.count(Math.min(PAGE_SIZE, remaining))} of ${f.count(remaining)})`) : "");
  }

  private renderCsmOptions(): void {
    const names = [...this.csms.values()].sort((a, b) => a.localeCompare(b));
    byId("csm-options").replaceChildren(...names.map((name) => h("option", { value: name })));
  }

}

// ---- alert and legend (shared with main.ts) ---------------------------------------------------------------------

/** Shows the page's alert; `retry: false` hides its "Try again" button (nothing to retry). */
export function showAlert(title: string, message: string, options: { retry?: boolean } = {}): void {
  byId("alert-title").textContent = title;
  byId("alert-message").textContent = message;
  one<HTMLButtonElement>('button[name="retry"]').hidden = options.retry === false;
  byId("alert").hidden = false;
}

export function hideAlert(): void {
  byId("alert").hidden = true;
}

/** A failed call in the alert: a tool error, an error answer of the server, or no answer at all. */
function showError(e: unknown): void {
  const title =
    e instanceof ToolFailed ? `The server refused ${e.tool}` : e instanceof ServerError ? "The server answered with an error" : "Could not reach the server";
  showAlert(title, e instanceof Error ? e.message : String(e));
}

/** The legend's band rules, worded from the thresholds in force. */
function renderLegend(): void {
  for (const rule of document.querySelectorAll<HTMLElement>("[data-legend-rule]")) rule.textContent = f.bandRule(rule.dataset.legendRule as Band);
}

function optionLabel(name: string, value: string): string {
  if (name === "renewal_within_days") return `${value} days`;
  return f.humanize(value);
}

function describeSlice(filters: Filters): string {
  const parts = FILTER_KEYS.filter((k) => k !== "as_of" && filters[k] !== undefined).map((k) => {
    const v = String(filters[k]);
    switch (k) {
      case "band":
        return f.BAND_LABEL[v as Band] ?? v;
      case "lifecycle_stage":
        return f.STAGE_LABEL[v as Stage] ?? v;
      case "readiness":
        return `readiness ${f.humanize(v).toLowerCase()}`;
      case "renewal_within_days":
        return `renewing within ${v} d`;
      case "tier":
        return `tier ${v}`;
      case "min_arr":
        return `ARR ≥ ${f.moneyCompact(Number(v))}`;
      case "renewal_flag":
        return `renewal flag ${v}`;
      case "cohort_year":
      case "cohort_quarter":
        return `contract started ${v}`;
      default:
        return v;
    }
  });
  return parts.length ? parts.join(" · ") : "whole portfolio";
}
