// The scorecard dialog: one account from get_account_scorecard, with its outcomes and their evidence, the reasons
// behind band, readiness, risk and action, the recent signals and any human overrides. Escape or the close button
// closes it and focus goes back to the card.
import type { CallTool } from "./client";
import { byId, h, one } from "./dom";
import * as f from "./format";
import type { Evidence, Outcome, Scorecard as ScorecardData, Signal } from "./types";
import { badges, fulfilmentBar } from "./cards";

export class Scorecard {
  private readonly dialog = one<HTMLDialogElement>('[data-testid="scorecard"]');
  private readonly body = byId("sc-body");
  private opener: HTMLElement | null = null;
  private request = 0;

  constructor(
    private readonly callTool: CallTool,
    private readonly asOf: () => string | undefined,
    private readonly onError: (e: unknown) => boolean,
  ) {
    one<HTMLButtonElement>('button[name="close-scorecard"]', this.dialog).addEventListener("click", () => this.close());
    this.dialog.addEventListener("close", () => this.closed());
    // A click on the backdrop (the dialog element itself, outside its frame) closes too.
    this.dialog.addEventListener("click", (e) => {
      if (e.target === this.dialog) this.close();
    });
  }

  /** Opens the scorecard of an account; `opener` gets the focus back on close; `name` titles it while it loads. */
  async open(accountId: string, opener: HTMLElement, name?: string): Promise<void> {
    if (!accountId) return;
    const request = ++this.request;
    this.opener = opener;
    this.dialog.dataset.state = "loading";
    this.dialog.dataset.accountId = accountId;
    byId("sc-title").textContent = name || accountId;
    byId("sc-meta").textContent = accountId;
    this.body.replaceChildren(h("p", { class: "sc-loading", role: "status" }, "Loading the scorecard…"));
    if (!this.dialog.open) {
      this.place(opener);
      this.dialog.showModal();
    }
    one<HTMLButtonElement>('button[name="close-scorecard"]', this.dialog).focus();

    const args: Record<string, unknown> = { account_id: accountId };
    const asOf = this.asOf();
    if (asOf) args.as_of = asOf;
    try {
      const result = await this.callTool("get_account_scorecard", args);
      if (request !== this.request || !this.dialog.open) return;
      if (result.isError || !result.structuredContent) {
        this.fail(result.text || "get_account_scorecard answered without structured content.");
        return;
      }
      this.render(result.structuredContent as ScorecardData);
      this.dialog.dataset.state = "ready";
    } catch (e) {
      if (request !== this.request) return;
      if (this.onError(e)) return;
      this.fail(e instanceof Error ? e.message : String(e));
    }
  }

  close(): void {
    if (this.dialog.open) this.dialog.close();
  }

  private closed(): void {
    this.request++;
    this.dialog.dataset.state = "closed";
    document.documentElement.style.removeProperty("min-height");
    const opener = this.opener;
    this.opener = null;
    if (opener?.isConnected) opener.focus();
  }

  /**
   * In a host's iframe the page is as tall as its content and the chat scrolls it, so a dialog centred in the iframe
   * could open far from where the user is looking: there it opens next to the card that was clicked.
   */
  private place(opener: HTMLElement): void {
    const embedded = document.documentElement.dataset.embedded === "true";
    if (!embedded) {
      this.dialog.style.removeProperty("top");
      return;
    }
    const top = Math.max(8, opener.getBoundingClientRect().top + window.scrollY - 24);
    this.dialog.style.top = `${top}px`;
    document.documentElement.style.minHeight = `${top + 680}px`;
  }

  private fail(message: string): void {
    this.dialog.dataset.state = "error";
    this.body.replaceChildren(
      h("div", { class: "alert inline", role: "alert" }, h("div", { class: "alert-text" }, h("strong", null, "Could not load the scorecard"), h("p", null, message))),
    );
  }

  private render(s: ScorecardData): void {
    byId("sc-title").textContent = s.name;
    byId("sc-meta").textContent = [s.id, s.segment, s.tier ? `Tier ${s.tier}` : "", s.csm ? `CSM ${s.csm}` : "", `ARR ${f.money(s.arr)}`, `as of ${s.as_of}`]
      .filter(Boolean)
      .join(" · ");
    const evidenced = s.outcomes.filter((o) => o.evidenced).length;
    const sections: (HTMLElement | null)[] = [
      h(
        "section",
        { class: "sc-summary", "aria-label": "Summary" },
        fulfilmentBar(s),
        badges(s),
        h("div", { class: "action", "data-action": s.next_action.kind }, h("span", { class: "action-kind" }, `Next: ${f.humanize(s.next_action.kind)}`), h("span", { class: "action-reason" }, s.next_action.reason)),
      ),
      section("Why", reasons(s)),
      section(`Outcomes · ${evidenced} of ${s.outcomes.length} evidenced`, s.outcomes.length ? h("ol", { class: "outcomes" }, s.outcomes.map(outcome)) : h("p", { class: "subtle" }, "No outcomes promised: this account has no value contract yet.")),
      section(`Signals, last 90 days · ${s.signals_recent.length}`, s.signals_recent.length ? h("ol", { class: "signals" }, [...s.signals_recent].reverse().map(signal)) : h("p", { class: "subtle" }, "No signals in the last 90 days.")),
      s.milestones?.length ? section("Milestones", h("ol", { class: "milestones" }, s.milestones.map((m) => h("li", null, h("span", { class: "date" }, m.reached_at), f.humanize(m.kind))))) : null,
    ];
    this.body.replaceChildren(...sections.filter((x): x is HTMLElement => x !== null));
  }
}

function section(title: string, ...content: (Node | null)[]): HTMLElement {
  return h("section", { class: "sc-section" }, h("h3", null, title), ...content);
}

function reasons(s: ScorecardData): HTMLElement {
  const rows: [string, string | null | undefined][] = [
    [`Band: ${f.BAND_LABEL[s.band] ?? s.band}`, s.reasons?.band],
    [`Readiness: ${f.READINESS_LABEL[s.readiness] ?? s.readiness}`, s.reasons?.readiness],
    [`Renewal risk: ${f.humanize(s.renewal_risk)}`, s.reasons?.risk],
    [`Action: ${f.humanize(s.next_action.kind)}`, s.reasons?.action],
    [s.lane ? `Lane: ${f.LANE_LABEL[s.lane] ?? s.lane}` : "Lane", s.reasons?.lane ? `${s.reasons.lane}${s.lane_timing ? `; typical timing ${s.lane_timing}` : ""}` : null],
  ];
  return h("dl", { class: "reasons" }, rows.filter(([, why]) => why).map(([what, why]) => [h("dt", null, what), h("dd", null, why!)]));
}

function outcome(o: Outcome): HTMLElement {
  const status = o.evidenced
    ? h("span", { class: "pill", "data-status": "evidenced" }, `Evidenced${o.evidenced_at ? ` ${o.evidenced_at}` : ""}`)
    : o.overdue
      ? h("span", { class: "pill", "data-status": "overdue" }, "Overdue")
      : h("span", { class: "pill", "data-status": "open" }, "In progress");
  const progress = h("span", { class: "bar-fill" });
  progress.style.width = `${Math.max(0, Math.min(1, o.progress)) * 100}%`;
  return h(
    "li",
    { class: "outcome", "data-outcome-id": o.id, "data-evidenced": String(o.evidenced) },
    h("div", { class: "outcome-head" }, h("h4", null, o.title), h("span", { class: "fine" }, o.id)),
    h(
      "div",
      { class: "pills" },
      status,
      o.exceeded ? h("span", { class: "pill", "data-status": "exceeded" }, "Exceeded target") : null,
      o.confidence ? h("span", { class: "pill", "data-confidence": o.confidence }, `${f.humanize(o.confidence)} confidence`) : null,
    ),
    h("p", { class: "outcome-target" }, targetText(o)),
    h(
      "div",
      { class: "progress", "data-evidenced": String(o.evidenced) },
      h("div", { class: "bar", role: "presentation" }, progress),
      h("span", { class: "fine" }, `Progress ${f.pct(o.progress)}`),
    ),
    o.evidence.length
      ? h("details", { class: "evidence" }, h("summary", null, `Evidence (${o.evidence.length})`), h("ol", null, [...o.evidence].reverse().map(evidence)))
      : h("p", { class: "fine" }, "No evidence captured yet."),
  );
}

function targetText(o: Outcome): string {
  const parts: string[] = [];
  if (o.target !== null) {
    const unit = o.unit ? ` ${o.unit}` : "";
    let target = `Target ${f.num(o.target)}${unit}`;
    if (o.baseline !== null) target += ` (from ${f.num(o.baseline)}${o.direction ? `, ${o.direction}` : ""})`;
    parts.push(target);
  } else parts.push("Qualitative outcome");
  if (o.latest_observed_value !== null) parts.push(`latest ${f.num(o.latest_observed_value)}`);
  if (o.due_date) parts.push(`due ${o.due_date}`);
  return parts.join(" · ");
}

function evidence(e: Evidence): HTMLElement {
  return h(
    "li",
    { class: "ev", "data-achieves": String(e.achieves) },
    h(
      "div",
      { class: "ev-head" },
      h("span", { class: "date" }, e.captured_at),
      h("span", null, `${f.humanize(e.source)} · ${e.confidence} confidence`),
      e.observed_value !== null ? h("span", null, `observed ${f.num(e.observed_value)}`) : null,
      e.achieves ? h("span", { class: "pill", "data-status": "evidenced" }, "Achieves") : null,
    ),
    e.note ? h("p", null, e.note) : null,
    e.captured_by ? h("p", { class: "fine" }, `by ${e.captured_by}`) : null,
  );
}

function signal(s: Signal): HTMLElement {
  const positive = s.polarity > 0;
  return h(
    "li",
    { class: "signal", "data-polarity": positive ? "positive" : "negative" },
    h("span", { class: "polarity", "aria-hidden": "true" }, positive ? "+" : "−"),
    h("span", { class: "sr-only" }, positive ? "Positive signal: " : "Negative signal: "),
    h("div", null, h("div", { class: "ev-head" }, h("span", { class: "date" }, s.observed_at), h("span", null, `${f.humanize(s.category)} · ${f.humanize(s.kind)}`)), s.note ? h("p", null, s.note) : null),
  );
}
