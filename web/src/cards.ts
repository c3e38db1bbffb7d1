// An account card, and the parts of it the scorecard reuses (fulfilment bar, badges). Colour is never the only
// signal: the band, readiness, lane, renewal flag and any override are spelled out in text. An override is shown with
// its author and reason next to the computed value, never instead of it.
import { h } from "./dom";
import * as f from "./format";
import type { AccountCard, Override } from "./types";

type OverrideField = "band" | "readiness" | "risk";

function overrideOf(a: Pick<AccountCard, "overrides">, field: OverrideField): Override | undefined {
  return (a.overrides ?? []).find((o) => o.field === field);
}

/** " (override by A: reason) · computed: Critical": what the shown value replaces, and who decided it. */
function overrideNote(o: Override, label: (value: string) => string): HTMLElement {
  const until = o.expires_at ? `, until ${o.expires_at}` : "";
  return h(
    "span",
    { class: "override-note", "data-override": o.field, "data-computed": o.computed, title: `Set ${o.created_at} by ${o.author}${until}` },
    ` (override by ${o.author}: ${o.reason})`,
    h("span", { class: "computed" }, ` · computed: ${label(o.computed)}`),
  );
}

const bandLabel = (band: string): string => f.BAND_LABEL[band as AccountCard["band"]] ?? f.humanize(band);
const readinessLabel = (r: string): string => f.READINESS_LABEL[r as AccountCard["readiness"]] ?? f.humanize(r);
const riskLabel = (r: string): string => f.humanize(r);

export function fulfilmentBar(
  a: Pick<AccountCard, "band" | "fulfilment" | "outcomes_evidenced" | "outcomes_promised" | "evidenced_low_confidence_only" | "overrides">,
): HTMLElement {
  const noContract = a.band === "no_contract" || a.fulfilment === null || a.outcomes_promised === 0;
  const fill = h("span", { class: "bar-fill" });
  fill.style.width = noContract ? "0%" : `${Math.max(0, Math.min(1, a.fulfilment ?? 0)) * 100}%`;
  const override = overrideOf(a, "band");
  const low = a.evidenced_low_confidence_only ?? 0;
  const caption = noContract
    ? "no outcomes promised"
    : `${a.outcomes_evidenced} of ${a.outcomes_promised} outcomes evidenced`;
  return h(
    "div",
    { class: "fulfil", "data-band": a.band, "data-override": override ? "band" : null, "data-computed-band": override?.computed },
    h("div", { class: "bar", role: "presentation", "data-empty": noContract ? "" : null }, noContract ? h("span", { class: "bar-empty", "aria-hidden": "true" }, "No contract") : null, fill),
    h(
      "p",
      { class: "fulfil-text" },
      h("span", { class: "band-label" }, `${override ? "Band: " : ""}${bandLabel(a.band)}`),
      override ? overrideNote(override, bandLabel) : null,
      h("span", { class: "fulfil-pct" }, f.fulfilmentPct(a.fulfilment)),
      h(
        "span",
        { class: "fine" },
        caption,
        low > 0 ? h("span", { class: "low-confidence", "data-low-confidence": String(low) }, ` (${f.count(low)} on low-confidence evidence only)`) : null,
      ),
    ),
  );
}

export function badges(a: AccountCard): HTMLElement {
  const readiness = overrideOf(a, "readiness");
  const risk = overrideOf(a, "risk");
  const items: HTMLElement[] = [
    h(
      "li",
      { class: "badge", "data-readiness": a.readiness, "data-override": readiness ? "readiness" : null },
      `Expansion: ${readinessLabel(a.readiness)}`,
      readiness ? overrideNote(readiness, readinessLabel) : null,
    ),
  ];
  if (a.lane) items.push(h("li", { class: "badge lane", "data-lane": a.lane }, `Lane: ${f.LANE_LABEL[a.lane] ?? f.humanize(a.lane)}`));
  items.push(h("li", { class: "badge", "data-renewal": a.renewal_flag, title: `Renewal date ${a.renewal_date}` }, f.renewalText(a.days_to_renewal, a.renewal_flag)));
  if (a.renewal_risk === "high" || a.renewal_risk === "medium" || risk)
    items.push(
      h(
        "li",
        { class: "badge", "data-risk": a.renewal_risk, "data-override": risk ? "risk" : null },
        `${riskLabel(a.renewal_risk)} renewal risk`,
        risk ? overrideNote(risk, riskLabel) : null,
      ),
    );
  return h("ul", { class: "badges" }, items);
}

let cardSeq = 0;

/**
 * The card is an <article> with [data-account-id]; the account name is its <button> (the scorecard's opener, where
 * focus returns). A click anywhere on the card opens the scorecard too.
 */
export function accountCard(a: AccountCard, enabled: boolean): HTMLElement {
  const nameId = `acc-${++cardSeq}`;
  const meta = [a.segment, a.tier ? `Tier ${a.tier}` : "", a.csm].filter(Boolean).join(" · ");
  return h(
    "article",
    { class: "card", "data-account-id": a.id, tabindex: "-1", "aria-labelledby": nameId },
    h(
      "div",
      { class: "card-head" },
      h(
        "h3",
        { class: "card-name" },
        h("button", { type: "button", class: "card-open", id: nameId, "aria-describedby": `${nameId}-hint`, disabled: !enabled }, a.name),
      ),
      h("p", { class: "card-arr", title: `ARR ${f.money(a.arr)}` }, f.moneyCompact(a.arr), h("span", { class: "unit" }, " ARR")),
    ),
    h("p", { class: "card-meta" }, meta),
    fulfilmentBar(a),
    badges(a),
    h(
      "div",
      { class: "action", "data-action": a.next_action.kind },
      h("span", { class: "action-kind" }, h("span", { class: "sr-only" }, "Next action: "), f.humanize(a.next_action.kind)),
      h("span", { class: "action-reason" }, a.next_action.reason),
    ),
    h("span", { class: "sr-only", id: `${nameId}-hint` }, "Opens the scorecard."),
  );
}
