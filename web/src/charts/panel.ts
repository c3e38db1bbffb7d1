// The charts section: ARR bridge, retention by cohort and the renewal range, each drawn from one tool answer
// (retention_metrics, renewal_forecast) asked with the view's date and filters; each links to the account list.
// A chart's failure stays in its own figure (data-state="error"): the KPIs and cards keep working.
import type { CallTool, ToolResult } from "../client";
import { byId, h, one } from "../dom";
import * as f from "../format";
import type { PortfolioHealth, RenewalForecast, Retention, RetentionRow } from "../types";
import { fulfilmentChart, renewalMonthsChart } from "./distribution";
import { bridgeChart } from "./bridge";
import { cohortHeatmap } from "./cohorts";
import { rangeChart } from "./range";
import { download, toCsv, type Cell } from "../export";

export type ChartKey = "bridge" | "cohorts" | "range" | "fulfilment" | "renewals";

/** The renewal window of the range, as the board and weekly prompts use it: open renewals from 90 days back, 90 ahead. */
export const RANGE_BACK_DAYS = 90;
export const RANGE_AHEAD_DAYS = 90;

export interface ChartHooks {
  /** Sets one filter of the account list (a chart's link) and refreshes. */
  applyFilter(key: "segment" | "renewal_within_days" | "band" | "cohort_year" | "cohort_quarter", value: string | number): void;
  openAccount(id: string, name: string, from: HTMLElement): void;
  /** An error that means "sign in again": the view handles it; true when it did. */
  handleAuth(e: unknown): boolean;
}

export interface Period {
  label: string;
  start: string;
  end: string;
}

class ChartFailed extends Error {}

/** ISO day arithmetic in UTC. */
function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function quarterStart(year: number, q: number): string {
  return `${year}-${String(q * 3 - 2).padStart(2, "0")}-01`;
}

/** The periods offered for a date: the last four full quarters (the last one first: the board's default), this quarter and year to date, last year. */
export function periodsFor(asOf: string): Period[] {
  const year = Number(asOf.slice(0, 4));
  const q = Math.floor((Number(asOf.slice(5, 7)) - 1) / 3) + 1;
  const quarters: Period[] = [];
  for (let i = 1; i <= 4; i++) {
    const n = (year * 4 + (q - 1) - i);
    const y = Math.floor(n / 4), qq = (n % 4) + 1;
    const next = n + 1;
    quarters.push({ label: `${y}-Q${qq}`, start: quarterStart(y, qq), end: quarterStart(Math.floor(next / 4), (next % 4) + 1) });
  }
  const nextQ = year * 4 + q;
  return [
    ...quarters,
    { label: `${year}-Q${q} to date`, start: quarterStart(year, q), end: quarterStart(Math.floor(nextQ / 4), (nextQ % 4) + 1) },
    { label: `${year} to date`, start: `${year}-01-01`, end: `${year + 1}-01-01` },
    { label: `${year - 1}`, start: `${year - 1}-01-01`, end: `${year}-01-01` },
  ];
}

export class ChartsPanel {
  /** For tests: the arguments of each chart's last call. */
  readonly lastArgs: Partial<Record<ChartKey, Record<string, unknown>>> = {};
  private asOf: string | null = null;
  private filters: Record<string, string | number> = {};
  private period: Period | null = null;
  private cohortBy: "year" | "quarter" = "year";
  /** The renewal window of a delivered renewal_forecast result; null: the prompts' window around as_of. */
  private rangeWindow: { start: string; end: string } | null = null;
  private bridgeSegment = "";
  private filterSegment = "";
  private bridgeAnswer: Retention | null = null;
  private cohortAnswer: Retention | null = null;
  private rangeAnswer: RenewalForecast | null = null;
  private readonly generation: Record<ChartKey, number> = { bridge: 0, cohorts: 0, range: 0, fulfilment: 0, renewals: 0 };
  private health: PortfolioHealth | null = null;
  private interactive = true;
  /** Each chart's call in flight (or its last one). */
  private readonly inflight: Partial<Record<ChartKey, Promise<void>>> = {};

  private readonly periodSelect = one<HTMLSelectElement>('select[name="chart-period"]');
  private readonly cohortSelect = one<HTMLSelectElement>('select[name="cohort-by"]');
  private readonly segmentSelect = one<HTMLSelectElement>('select[name="bridge-segment"]');

  constructor(private readonly callTool: CallTool, private readonly hooks: ChartHooks) {
    this.periodSelect.addEventListener("change", () => {
      this.period = this.periods().find((p) => `${p.start}..${p.end}` === this.periodSelect.value) ?? this.period;
      void this.loadRetention();
    });
    this.cohortSelect.addEventListener("change", () => {
      this.cohortBy = this.cohortSelect.value === "quarter" ? "quarter" : "year";
      void this.loadCohorts();
    });
    this.segmentSelect.addEventListener("change", () => {
      this.bridgeSegment = this.segmentSelect.value;
      this.renderBridge();
    });
    one<HTMLButtonElement>('button[name="bridge-accounts"]').addEventListener("click", () => {
      if (this.bridgeSegment) this.hooks.applyFilter("segment", this.bridgeSegment);
      else byId("cards").scrollIntoView({ block: "start" });
    });
    one<HTMLButtonElement>('button[name="export-board"]').addEventListener("click", () => void this.exportFigures());
    one<HTMLButtonElement>('button[name="range-accounts"]').addEventListener("click", () => this.hooks.applyFilter("renewal_within_days", RANGE_AHEAD_DAYS));
  }

  setInteractive(enabled: boolean): void {
    this.interactive = enabled;
    for (const control of byId("charts").querySelectorAll<HTMLSelectElement | HTMLButtonElement>("select, button")) control.disabled = !enabled;
  }

  /** After the view's refresh: the view's date and filters; asks again what they change. */
  update(asOf: string, filters: Record<string, string | number>): void {
    const dateChanged = asOf !== this.asOf;
    this.asOf = asOf;
    this.filters = filters;
    // The period stays what the user (or a delivered result) chose; the board's default otherwise.
    if (!this.period) this.period = this.periods()[0] ?? null;
    this.fillPeriods();
    // The bridge follows the view's segment filter when it changes; in between, its own select decides.
    const segment = typeof filters.segment === "string" ? filters.segment : "";
    if (segment !== this.filterSegment) this.bridgeSegment = this.filterSegment = segment;
    if (dateChanged || !this.bridgeAnswer) void this.loadBridge();
    else this.renderBridge();
    if (dateChanged || !this.cohortAnswer) void this.loadCohorts();
    void this.loadRange();
  }

  /**
   * A tool result the host delivered (the call that opened the view): a retention_metrics answer opens the bridge
   * (or the cohorts, when grouped by cohort), a renewal_forecast answer the range, drawn from that answer as it is.
   */
  showDelivered(result: ToolResult, args: Record<string, unknown>): ChartKey | null {
    const content = result.structuredContent as Partial<Retention & RenewalForecast> | undefined;
    if (result.isError || !content || typeof content !== "object") return null;
    if (Array.isArray(content.rows) && content.total && typeof content.group_by === "string") {
      const r = content as Retention;
      this.asOf = r.as_of;
      this.period = { label: `${r.period_start} to ${r.period_end}`, start: r.period_start, end: r.period_end };
      this.fillPeriods();
      if (r.group_by === "cohort_year" || r.group_by === "cohort_quarter") {
        this.cohortBy = r.group_by === "cohort_year" ? "year" : "quarter";
        this.cohortSelect.value = this.cohortBy;
        this.cohortAnswer = r;
        this.renderCohorts();
        this.open("cohorts");
        return "cohorts";
      }
      if (r.group_by === "segment" || r.group_by === "none") {
        this.bridgeAnswer = r;
        this.renderBridge();
      } else {
        // Grouped by tier or CSM: the bridge of the whole set (the total row).
        this.bridgeAnswer = { ...r, rows: [] };
        this.renderBridge();
      }
      this.open("bridge");
      return "bridge";
    }
    if (typeof content.arr_due === "number" && typeof content.downside === "number" && Array.isArray(content.accounts)) {
      this.asOf = content.as_of ?? this.asOf;
      this.rangeAnswer = content as RenewalForecast;
      this.rangeWindow = { start: this.rangeAnswer.period_start, end: this.rangeAnswer.period_end };
      this.lastArgs.range = { ...args };
      this.renderRange();
      this.open("range");
      return "range";
    }
    return null;
  }

  /** Puts a chart in view and marks it as the one a tool result opened. */
  open(chart: ChartKey): void {
    const figure = this.figure(chart);
    figure.dataset.state = "ready";
    for (const other of byId("charts").querySelectorAll<HTMLElement>("figure[data-opened]")) other.removeAttribute("data-opened");
    figure.dataset.opened = "true";
    figure.scrollIntoView({ block: "nearest" });
  }

  /**
   * The fulfilment distribution and the renewals by month: fields of the get_portfolio_health answer on screen (the
   * view's filters), so no call of their own.
   */
  renderHealth(health: PortfolioHealth | null): void {
    this.health = health;
    for (const chart of ["fulfilment", "renewals"] as const) {
      const figure = this.figure(chart);
      if (!health || !health.fulfilment_distribution || !health.renewals_by_month || !health.renewals_passed) {
        figure.dataset.state = health ? "error" : "loading";
        one(".chart-slot", figure).replaceChildren(health ? h("p", { class: "chart-error" }, "This server's get_portfolio_health gives no distribution.") : "");
        continue;
      }
      figure.dataset.state = "ready";
      figure.dataset.asOf = health.as_of;
      if (chart === "fulfilment") {
        one(".chart-caption", figure).textContent = `Accounts by fulfilment (evidenced / promised outcomes) · as of ${health.as_of}`;
        one(".chart-slot", figure).replaceChildren(fulfilmentChart(health.fulfilment_distribution, (band) => this.hooks.applyFilter("band", band), this.interactive));
      } else {
        const months = health.renewals_by_month;
        one(".chart-caption", figure).textContent = `Renewal dates from ${health.as_of} to ${months[months.length - 1]?.to ?? health.as_of}, coloured by renewal risk`;
        one(".chart-slot", figure).replaceChildren(renewalMonthsChart(health.renewals_passed, months, (days) => this.hooks.applyFilter("renewal_within_days", days), this.interactive));
      }
    }
  }

  rerender(): void {
    if (this.health) this.renderHealth(this.health);
    this.fillPeriods();
    this.renderBridge();
    this.renderCohorts();
    this.renderRange();
  }

  /**
   * The figures of every chart on screen as one CSV (chart, item, measure, value): the tools' values as answered.
   */
  figureRows(): Cell[][] {
    const rows: Cell[][] = [];
    const b = this.bridgeAnswer;
    if (b) {
      const period = `${b.period_start}..${b.period_end}`;
      for (const row of [b.total, ...b.rows]) {
        for (const key of ["starting_arr", "expansion", "contraction", "churn", "ending_arr", "nrr", "grr", "logos_start", "logos_retained", "logo_retention", "new_logos", "new_logo_arr"] as const)
          rows.push(["arr_bridge", period, row === b.total ? "all" : row.group, key, row[key]]);
        for (const [lane, v] of Object.entries(row.expansion_by_lane)) rows.push(["arr_bridge", period, row === b.total ? "all" : row.group, `expansion:${lane}`, v]);
      }
    }
    const c = this.cohortAnswer;
    if (c)
      for (const row of c.rows)
        for (const key of ["starting_arr", "nrr", "grr", "logo_retention", "logos_start", "logos_retained"] as const)
          rows.push([`retention_${c.group_by}`, `${c.period_start}..${c.period_end}`, row.group, key, row[key]]);
    const r = this.rangeAnswer;
    if (r) {
      const window = `${r.period_start}..${r.period_end}`;
      for (const key of ["total", "arr_due", "downside", "base", "upside"] as const) rows.push(["renewal_forecast", window, "all", key, r[key]]);
      for (const a of r.accounts) {
        rows.push(["renewal_forecast", window, a.id, "arr", a.arr], ["renewal_forecast", window, a.id, "probability", a.probability]);
        rows.push(["renewal_forecast", window, a.id, "downside", a.downside], ["renewal_forecast", window, a.id, "base", a.base], ["renewal_forecast", window, a.id, "upside", a.upside]);
      }
    }
    const h = this.health;
    if (h?.fulfilment_distribution)
      for (const x of h.fulfilment_distribution) rows.push(["fulfilment_distribution", h.as_of, x.range, "count", x.count], ["fulfilment_distribution", h.as_of, x.range, "arr", x.arr]);
    if (h?.renewals_by_month && h.renewals_passed)
      for (const [month, due] of [["passed", h.renewals_passed], ...h.renewals_by_month.map((m) => [m.month, m] as const)] as const) {
        rows.push(["renewals_by_month", h.as_of, month, "count", due.count], ["renewals_by_month", h.as_of, month, "arr", due.arr]);
        for (const [risk, v] of Object.entries(due.by_risk)) rows.push(["renewals_by_month", h.as_of, month, `${risk}_count`, v.count], ["renewals_by_month", h.as_of, month, `${risk}_arr`, v.arr]);
      }
    return rows;
  }

  /** Once every chart's last call has answered (or failed). */
  async settled(): Promise<void> {
    await Promise.all(Object.values(this.inflight));
  }

  /** The board figures as a CSV file; returns its name and number of rows. */
  async exportFigures(): Promise<{ filename: string; rows: number }> {
    const rows = this.figureRows();
    const filename = `board-figures-${this.asOf ?? "today"}.csv`;
    await download(filename, toCsv(["chart", "period", "item", "measure", "value"], rows));
    return { filename, rows: rows.length };
  }

  // ---- calls --------------------------------------------------------------------------------------------------------

  private loadRetention(): Promise<void> {
    return Promise.all([this.loadBridge(), this.loadCohorts()]).then(() => {});
  }

  private async loadBridge(): Promise<void> {
    if (!this.period || !this.interactive) return;
    const args = { period_start: this.period.start, period_end: this.period.end, group_by: "segment", ...this.dated() };
    await this.load("bridge", "retention_metrics", args, (answer: Retention) => {
      this.bridgeAnswer = answer;
      this.renderBridge();
    });
  }

  private async loadCohorts(): Promise<void> {
    if (!this.period || !this.interactive) return;
    const args = { period_start: this.period.start, period_end: this.period.end, group_by: `cohort_${this.cohortBy}`, ...this.dated() };
    await this.load("cohorts", "retention_metrics", args, (answer: Retention) => {
      this.cohortAnswer = answer;
      this.renderCohorts();
    });
  }

  private async loadRange(): Promise<void> {
    if (!this.asOf || !this.interactive) return;
    const args = {
      ...this.filters,
      period_start: this.rangeWindow?.start ?? addDays(this.asOf, -RANGE_BACK_DAYS),
      period_end: this.rangeWindow?.end ?? addDays(this.asOf, RANGE_AHEAD_DAYS + 1),
      as_of: this.asOf,
    };
    await this.load("range", "renewal_forecast", args, (answer: RenewalForecast) => {
      this.rangeAnswer = answer;
      this.renderRange();
    });
  }

  /** as_of for the retention calls: the view's date (a period still running is measured to that date). */
  private dated(): Record<string, string> {
    return this.asOf ? { as_of: this.asOf } : {};
  }

  private load<T>(chart: ChartKey, tool: string, args: Record<string, unknown>, done: (answer: T) => void): Promise<void> {
    const call = this.call(chart, tool, args, done);
    this.inflight[chart] = call;
    return call;
  }

  private async call<T>(chart: ChartKey, tool: string, args: Record<string, unknown>, done: (answer: T) => void): Promise<void> {
    const generation = ++this.generation[chart];
    const figure = this.figure(chart);
    this.lastArgs[chart] = args;
    figure.dataset.state = "loading";
    try {
      const result = await this.callTool(tool, args);
      if (result.isError) throw new ChartFailed(result.text || `${tool} failed without a message.`);
      if (!result.structuredContent || typeof result.structuredContent !== "object") throw new ChartFailed(`${tool} answered without structured content.`);
      if (generation !== this.generation[chart]) return;
      done(result.structuredContent as T);
      figure.dataset.state = "ready";
    } catch (e) {
      if (generation !== this.generation[chart]) return;
      if (this.hooks.handleAuth(e)) return;
      figure.dataset.state = "error";
      one(".chart-slot", figure).replaceChildren(h("p", { class: "chart-error", role: "alert" }, `${tool}: ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  // ---- rendering ----------------------------------------------------------------------------------------------------

  private figure(chart: ChartKey): HTMLElement {
    return one<HTMLElement>(`figure[data-chart="${chart}"]`);
  }

  private periods(): Period[] {
    return this.asOf ? periodsFor(this.asOf) : [];
  }

  private fillPeriods(): void {
    const periods = this.periods();
    if (this.period && !periods.some((p) => p.start === this.period!.start && p.end === this.period!.end)) periods.unshift(this.period);
    this.periodSelect.replaceChildren(...periods.map((p) => h("option", { value: `${p.start}..${p.end}` }, p.label)));
    if (this.period) this.periodSelect.value = `${this.period.start}..${this.period.end}`;
  }

  private renderBridge(): void {
    const answer = this.bridgeAnswer;
    if (!answer) return;
    const segments = answer.group_by === "segment" ? answer.rows.map((r) => r.group).filter((g) => g !== "") : [];
    const current = segments.find((g) => g.toLowerCase() === this.bridgeSegment.toLowerCase()) ?? "";
    this.segmentSelect.replaceChildren(h("option", { value: "" }, "All segments"), ...segments.map((g) => h("option", { value: g }, g)));
    this.segmentSelect.value = current;
    this.segmentSelect.disabled = !this.interactive || segments.length === 0;
    const row: RetentionRow = current ? answer.rows.find((r) => r.group === current)! : answer.total;
    const figure = this.figure("bridge");
    figure.dataset.group = row.group;
    figure.dataset.periodStart = answer.period_start;
    figure.dataset.periodEnd = answer.period_end;
    const title = `ARR bridge, ${current || "all segments"}, ${answer.period_start} to ${answer.period_end} (end excluded)`;
    one(".chart-caption", figure).textContent = `${current || "All segments"} · ${periodText(answer)}`;
    one(".chart-slot", figure).replaceChildren(bridgeChart(row, title));
    one<HTMLButtonElement>('button[name="bridge-accounts"]').textContent = current ? `Show the ${current} accounts` : "Show the accounts";
  }

  private renderCohorts(): void {
    const answer = this.cohortAnswer;
    if (!answer) return;
    const figure = this.figure("cohorts");
    figure.dataset.periodStart = answer.period_start;
    figure.dataset.periodEnd = answer.period_end;
    one(".chart-caption", figure).textContent = `By ${answer.group_by === "cohort_quarter" ? "quarter" : "year"} of contract start · ${periodText(answer)}`;
    const by = answer.group_by === "cohort_quarter" ? "quarter" : "year";
    one(".chart-slot", figure).replaceChildren(
      cohortHeatmap(answer.rows, by, (cohort) => this.hooks.applyFilter(by === "quarter" ? "cohort_quarter" : "cohort_year", cohort), this.interactive),
    );
  }

  private renderRange(): void {
    const answer = this.rangeAnswer;
    if (!answer) return;
    const figure = this.figure("range");
    figure.dataset.periodStart = answer.period_start;
    figure.dataset.periodEnd = answer.period_end;
    one(".chart-caption", figure).textContent = `Renewal dates ${answer.period_start} to ${addDays(answer.period_end, -1)} (passed dates: renewals still open) · as of ${answer.as_of}`;
    one(".chart-slot", figure).replaceChildren(rangeChart(answer, (id, name, from) => this.hooks.openAccount(id, name, from)));
    one<HTMLButtonElement>('button[name="range-accounts"]').textContent = `Show renewals within ${f.count(RANGE_AHEAD_DAYS)} days`;
  }
}

function periodText(r: Retention): string {
  return `${r.period_start} to ${addDays(r.period_end, -1)}${r.complete ? "" : `, to date (through ${r.measured_through})`}`;
}
