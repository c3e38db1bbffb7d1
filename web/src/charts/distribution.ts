// Where fulfilment stands, and when renewals fall: two charts of the get_portfolio_health answer on screen
// (fulfilment_distribution, renewals_passed and renewals_by_month), for the view's filters. Each bar says its count
// (and ARR) in text; bands and risks have a fill pattern each as well as a colour.
import { h } from "../dom";
import * as f from "../format";
import type { Band, FulfilmentRange, RenewalMonth, RenewalRisk, RenewalsDue } from "../types";
import { chartSvg, dots, hatch, linear, niceStep, s } from "./svg";

/** Fill per band: solid, hatched, cross-hatched, dotted. */
const BAND_FILL: Record<Band, string> = { on_track: "var(--band-on_track)", at_risk: "url(#fd-at_risk)", critical: "url(#fd-critical)", no_contract: "url(#fd-no_contract)" };
const RISKS: readonly RenewalRisk[] = ["high", "medium", "low", "none"];
const RISK_LABEL: Record<RenewalRisk, string> = { high: "High risk", medium: "Medium risk", low: "Low risk", none: "Not assessed (beyond 180 d)" };
const RISK_FILL: Record<RenewalRisk, string> = { high: "url(#rm-high)", medium: "url(#rm-medium)", low: "var(--band-on_track)", none: "url(#rm-none)" };

function crossHatch(id: string, colour: string): SVGPatternElement {
  return s(
    "pattern",
    { id, width: 6, height: 6, patternUnits: "userSpaceOnUse" },
    s("rect", { width: 6, height: 6, fill: colour, "fill-opacity": 0.3 }),
    s("path", { d: "M0 0L6 6M6 0L0 6", stroke: colour, "stroke-width": 1.4 }),
  );
}

function swatch(fill: string, defs: SVGElement[]): SVGSVGElement {
  return s("svg", { width: 14, height: 14, viewBox: "0 0 14 14", "aria-hidden": "true", class: "swatch-svg" }, s("defs", null, defs), s("rect", { width: 14, height: 14, rx: 3, fill, stroke: "var(--border-strong)" }));
}

export function fulfilmentChart(ranges: FulfilmentRange[], onBand: (band: Band) => void, interactive: boolean): HTMLElement {
  const W = 640, H = 230, left = 34, right = 8, top = 22, bottom = 44;
  const defs = () => [hatch("fd-at_risk", "var(--band-at_risk)"), crossHatch("fd-critical", "var(--band-critical)"), dots("fd-no_contract", "var(--band-no_contract)")];
  const max = Math.max(1, ...ranges.map((r) => r.count));
  const step = niceStep(max, 4);
  const topV = Math.ceil(max / step) * step;
  const y = linear(0, topV, H - bottom, top);
  const slot = (W - left - right) / ranges.length;
  const barW = slot * 0.72;
  const grid = [];
  for (let v = 0; v <= topV; v += step) grid.push(s("g", { class: "tick" }, s("line", { x1: left, x2: W - right, y1: y(v), y2: y(v) }), s("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, f.count(v))));
  const bars = ranges.map((r, i) => {
    const x = left + slot * i + (slot - barW) / 2;
    const label = r.low === null ? "None" : `${Math.round(r.low * 100)}–${Math.round((r.high ?? 1) * 100)}%`;
    const g = s(
      "g",
      { class: "bar bar-band", "data-range": r.range, "data-band": r.band, "data-count": String(r.count), "data-arr": String(r.arr) },
      s("title", null, `${r.range === "no_contract" ? "No contract" : `Fulfilment ${label}`}: ${f.count(r.count)} accounts, ARR ${f.money(r.arr)} (${f.BAND_LABEL[r.band]}). Click to list the ${f.BAND_LABEL[r.band]} accounts.`),
      s("rect", { x, y: y(r.count), width: barW, height: Math.max(r.count > 0 ? 1 : 0, y(0) - y(r.count)), fill: BAND_FILL[r.band], stroke: `var(--band-${r.band})` }),
      s("text", { class: "bar-value", x: x + barW / 2, y: y(r.count) - 5, "text-anchor": "middle" }, f.count(r.count)),
      s("text", { class: "bar-label", x: x + barW / 2, y: H - bottom + 14, "text-anchor": "middle" }, label),
      r.count > 0 ? s("text", { class: "bar-label sub", x: x + barW / 2, y: H - bottom + 28, "text-anchor": "middle" }, f.moneyCompact(r.arr)) : null,
    );
    if (interactive) g.addEventListener("click", () => onBand(r.band));
    return g;
  });
  const svg = chartSvg(W, H, `Fulfilment distribution: ${ranges.map((r) => `${r.range} ${r.count}`).join(", ")}`, s("defs", null, defs()), s("g", { class: "grid" }, grid), bars);
  const bands: Band[] = ["critical", "at_risk", "on_track", "no_contract"];
  const totals = bands.map((b) => ({ band: b, count: ranges.filter((r) => r.band === b).reduce((n, r) => n + r.count, 0) }));
  return h(
    "div",
    { class: "chart-body" },
    svg,
    h(
      "div",
      { class: "chart-links", role: "group", "aria-label": "List the accounts of a band" },
      totals.map((t) =>
        h(
          "button",
          { type: "button", class: "btn ghost chip-btn", "data-band-link": t.band, disabled: !interactive, onclick: () => onBand(t.band) },
          swatch(BAND_FILL[t.band], defs()),
          ` ${f.BAND_LABEL[t.band]} · ${f.count(t.count)}`,
        ),
      ),
    ),
  );
}

export function renewalMonthsChart(passed: RenewalsDue, months: RenewalMonth[], onWithin: (days: number) => void, interactive: boolean): HTMLElement {
  const W = 640, H = 250, left = 44, right = 8, top = 24, bottom = 44;
  const defs = () => [crossHatch("rm-high", "var(--band-critical)"), hatch("rm-medium", "var(--band-at_risk)"), dots("rm-none", "var(--band-no_contract)")];
  const columns = [{ key: "passed", label: "Passed", sub: "still open", due: passed }, ...months.map((m) => ({ key: m.month, label: m.month, sub: "", due: m as RenewalsDue }))];
  const max = Math.max(1, ...columns.map((c) => c.due.arr));
  const step = niceStep(max, 4);
  const topV = Math.ceil(max / step) * step;
  const y = linear(0, topV, H - bottom, top);
  const slot = (W - left - right) / columns.length;
  const barW = slot * 0.62;
  const grid = [];
  for (let v = 0; v <= topV; v += step) grid.push(s("g", { class: "tick" }, s("line", { x1: left, x2: W - right, y1: y(v), y2: y(v) }), s("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, f.moneyCompact(v))));
  const bars = columns.map((c, i) => {
    const x = left + slot * i + (slot - barW) / 2;
    let base = 0;
    const parts = RISKS.map((risk) => {
      const part = c.due.by_risk[risk] ?? { count: 0, arr: 0 };
      const y0 = y(base + part.arr);
      const y1 = y(base);
      base += part.arr;
      return part.count > 0
        ? s("rect", { class: `seg seg-${risk}`, "data-risk": risk, "data-count": String(part.count), "data-arr": String(part.arr), x, y: y0, width: barW, height: Math.max(1, y1 - y0), fill: RISK_FILL[risk], stroke: risk === "low" ? "var(--band-on_track)" : risk === "none" ? "var(--band-no_contract)" : risk === "high" ? "var(--band-critical)" : "var(--band-at_risk)" },
            s("title", null, `${c.label}: ${RISK_LABEL[risk]} ${f.count(part.count)} (ARR ${f.money(part.arr)})`))
        : null;
    });
    const highCount = c.due.by_risk.high?.count ?? 0;
    return s(
      "g",
      { class: "bar", "data-month": c.key, "data-count": String(c.due.count), "data-arr": String(c.due.arr) },
      parts,
      s("text", { class: "bar-value", x: x + barW / 2, y: y(c.due.arr) - 5, "text-anchor": "middle" }, `${f.count(c.due.count)}${highCount ? ` (${f.count(highCount)}!)` : ""}`),
      s("text", { class: "bar-label", x: x + barW / 2, y: H - bottom + 14, "text-anchor": "middle" }, c.label),
      s("text", { class: "bar-label sub", x: x + barW / 2, y: H - bottom + 28, "text-anchor": "middle" }, c.due.count ? f.moneyCompact(c.due.arr) : c.sub),
    );
  });
  const svg = chartSvg(W, H, `Renewals by month: ${columns.map((c) => `${c.label} ${c.due.count} (ARR ${f.money(c.due.arr)}, high risk ${c.due.by_risk.high?.count ?? 0})`).join("; ")}`, s("defs", null, defs()), s("g", { class: "grid" }, grid), bars);
  return h(
    "div",
    { class: "chart-body" },
    svg,
    h("ul", { class: "chart-legend", "aria-label": "Renewal risk" }, RISKS.map((r) => h("li", null, swatch(RISK_FILL[r], defs()), ` ${RISK_LABEL[r]}`))),
    h("p", { class: "fine" }, "Bar height: ARR renewing; above each bar the number of renewals, with the high-risk ones as (n!)."),
    h(
      "div",
      { class: "chart-links", role: "group", "aria-label": "List the renewals" },
      [90, 180].map((d) => h("button", { type: "button", class: "btn ghost chip-btn", "data-within-link": String(d), disabled: !interactive, onclick: () => onWithin(d) }, `Renewing within ${f.count(d)} days`)),
    ),
  );
}
