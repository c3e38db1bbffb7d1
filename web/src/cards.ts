// An account card, and the parts of it the scorecard reuses (fulfilment bar, badges). Colour is never the only
// signal: the band, readiness, lane and renewal are spelled out in text.
import { h } from "./dom";
import * as f from "./format";
import type { AccountCard } from "./types";


export function fulfilmentBar(a: Pick<AccountCard, "band" | "fulfilment" | "outcomes_evidenced" | "outcomes_promised">): HTMLElement {
  const fill = h("span", { class: "bar-fill" });
  fill.style.width = a.band === "no_contract" || a.fulfilment === null ? "100%" : `${Math.max(0, Math.min(1, a.fulfilment)) * 100}%`;
  return h(
    "div",
    { class: "fulfil", "data-band": a.band },
    h("div", { class: "bar", role: "presentation" }, fill),
    h(
      "p",
      { class: "fulfil-text" },
      h("span", { class: "band-label" }, f.BAND_LABEL[a.band] ?? a.band),
      h("span", { class: "fulfil-pct" }, f.pct(a.fulfilment)),
      h("span", { class: "fine" }, a.outcomes_promised > 0 ? `${a.outcomes_evidenced} of ${a.outcomes_promised} outcomes evidenced` : "no outcomes promised"),
    ),
  );
}

export function badges(a: AccountCard): HTMLElement {
  const items: HTMLElement[] = [
    h("li", { class: "badge", "data-readiness": a.readiness }, h("span", { class: "sr-only" }, "Expansion readiness: "), f.READINESS_LABEL[a.readiness] ?? f.humanize(a.readiness)),
  ];
  if (a.lane) items.push(h("li", { class: "badge lane", "data-lane": a.lane }, `Lane: ${f.LANE_LABEL[a.lane] ?? f.humanize(a.lane)}`));
  items.push(h("li", { class: "badge", "data-renewal": a.renewal_flag, title: `Renewal date ${a.renewal_date}` }, f.renewalText(a.days_to_renewal)));
  if (a.renewal_risk === "high" || a.renewal_risk === "medium")
    items.push(h("li", { class: "badge", "data-risk": a.renewal_risk }, `${f.humanize(a.renewal_risk)} renewal risk`));
  for (const o of a.overrides ?? [])
    items.push(h("li", { class: "badge override", title: `${o.reason} (${o.author}, ${o.created_at})` }, `${f.humanize(o.field)} set to ${f.humanize(o.value)} by ${o.author}`));
  return h("ul", { class: "badges" }, items);
}

let cardSeq = 0;

export function accountCard(a: AccountCard): HTMLElement {
  const nameId = `acc-${++cardSeq}`;
  const meta = [a.segment, a.tier ? `Tier ${a.tier}` : "", a.csm].filter(Boolean).join(" · ");
  return h(
    "article",
    { class: "card", "data-account-id": a.id, tabindex: "0", "aria-labelledby": nameId, "aria-describedby": `${nameId}-hint` },
    h(
      "div",
      { class: "card-head" },
      h("h3", { class: "card-name", id: nameId }, a.name),
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
    h("span", { class: "sr-only", id: `${nameId}-hint` }, "Press Enter to open the scorecard."),
  );
}
