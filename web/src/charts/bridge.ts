// The ARR bridge of a period: starting ARR, + expansion by lane, - contraction, - churn, = ending ARR. Every figure
// is a field of one retention_metrics row; the page only places them. Gains are solid, losses hatched, totals
// outlined, and every bar carries its amount in text.
import { h } from "../dom";
import * as f from "../format";
import type { RetentionRow } from "../types";
import { chartSvg, hatch, linear, niceStep, s } from "./svg";

export interface BridgeStep {
  key: string;
  label: string;
  kind: "total" | "gain" | "loss";
  value: number;
}

const LANE_LABEL: Record<string, string> = {
  modules: "Modules",
  data_integration: "Data integr.",
  managed_services: "Managed svc.",
  seats: "Seats",
  price: "Price",
  "": "No lane",
};

/** The steps of the bridge, in order: lanes with no expansion in the period are left out. */
export function bridgeSteps(row: RetentionRow): BridgeStep[] {
  const lanes = Object.entries(row.expansion_by_lane).filter(([, v]) => v !== 0);
  return [
    { key: "starting_arr", label: "Starting ARR", kind: "total", value: row.starting_arr },
    ...lanes.map(([lane, v]): BridgeStep => ({ key: `expansion:${lane}`, label: `+ ${LANE_LABEL[lane] ?? f.humanize(lane)}`, kind: "gain", value: v })),
    { key: "contraction", label: "− Contraction", kind: "loss", value: row.contraction },
    { key: "churn", label: "− Churn", kind: "loss", value: row.churn },
    { key: "ending_arr", label: "Ending ARR", kind: "total", value: row.ending_arr },
  ];
}

export function bridgeChart(row: RetentionRow, title: string): HTMLElement {
  const steps = bridgeSteps(row);
  const W = 720, H = 300, left = 56, right = 12, top = 26, bottom = 58;
  // Where each bar starts and ends: totals stand on the axis, gains and losses float from the running total.
  let running = 0;
  const spans = steps.map((step) => {
    if (step.kind === "total") {
      running = step.value;
      return { from: 0, to: step.value };
    }
    const from = running;
    running += step.kind === "gain" ? step.value : -step.value;
    return { from, to: running };
  });
  const levels = spans.flatMap((sp, i) => (steps[i].kind === "total" ? [sp.to] : [sp.from, sp.to]));
  const hi = Math.max(...levels, 1);
  const lowest = Math.min(...levels);
  // The axis starts near the lowest level (a broken axis, said in words) so the movements are visible at all.
  const step = niceStep(hi - lowest || hi, 4);
  const lo = lowest > 0 ? Math.max(0, Math.floor((lowest - (hi - lowest) * 0.6) / step) * step) : Math.min(0, lowest);
  const top1 = Math.ceil(hi / step) * step;
  const y = linear(lo, top1, H - bottom, top);
  const slot = (W - left - right) / steps.length;
  const barW = Math.min(54, slot * 0.66);

  const grid = [];
  for (let v = lo; v <= top1 + step / 2; v += step)
    grid.push(s("g", { class: "tick" }, s("line", { x1: left, x2: W - right, y1: y(v), y2: y(v) }), s("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, f.moneyCompact(v))));

  const bars = steps.map((st, i) => {
    const sp = spans[i];
    const x = left + slot * i + (slot - barW) / 2;
    const y0 = y(Math.max(sp.from, sp.to, lo));
    const y1 = y(Math.max(Math.min(sp.from, sp.to), lo));
    const height = Math.max(1, y1 - y0);
    const sign = st.kind === "gain" ? "+" : st.kind === "loss" ? "−" : "";
    const words = st.label.replace(/^[+−] /, "").split(" ");
    const mid = Math.ceil(words.length / 2);
    return s(
      "g",
      { class: `bar bar-${st.kind}`, "data-step": st.key, "data-value": String(st.value) },
      s("title", null, `${st.label}: ${f.money(st.value)}`),
      s("rect", { x, y: y0, width: barW, height, fill: st.kind === "loss" ? "url(#bridge-loss)" : null }),
      s("text", { class: "bar-value", x: x + barW / 2, y: y0 - 6, "text-anchor": "middle" }, `${sign}${f.moneyCompact(st.value)}`),
      s("text", { class: "bar-label", x: x + barW / 2, y: H - bottom + 16, "text-anchor": "middle" }, `${st.kind === "gain" ? "+ " : st.kind === "loss" ? "− " : ""}${words.slice(0, mid).join(" ")}`),
      words.length > 1 ? s("text", { class: "bar-label", x: x + barW / 2, y: H - bottom + 30, "text-anchor": "middle" }, words.slice(mid).join(" ")) : null,
    );
  });
  // Connectors from each bar's end to the next bar's start.
  const links = spans.slice(0, -1).map((sp, i) => {
    const x = left + slot * i + (slot + barW) / 2;
    return s("line", { class: "connector", x1: x, x2: x + slot - barW, y1: y(Math.max(sp.to, lo)), y2: y(Math.max(sp.to, lo)) });
  });

  const svg = chartSvg(
    W,
    H,
    `${title}: starting ARR ${f.money(row.starting_arr)}, expansion ${f.money(row.expansion)}, contraction ${f.money(row.contraction)}, churn ${f.money(row.churn)}, ending ARR ${f.money(row.ending_arr)}`,
    s("defs", null, hatch("bridge-loss", "var(--band-critical)")),
    s("g", { class: "grid" }, grid),
    links,
    bars,
    lo > 0 ? s("text", { class: "axis-note", x: left, y: H - 6 }, `Axis starts at ${f.moneyCompact(lo)}`) : null,
  );
  return h(
    "div",
    { class: "chart-body" },
    svg,
    h(
      "p",
      { class: "chart-summary" },
      `NRR ${f.pct1(row.nrr)} · GRR ${f.pct1(row.grr)} · logos ${f.count(row.logos_retained)} of ${f.count(row.logos_start)} retained`,
      row.new_logos > 0 ? ` · ${f.count(row.new_logos)} new logo${row.new_logos === 1 ? "" : "s"} (${f.moneyCompact(row.new_logo_arr)}) not in the bridge` : "",
    ),
  );
}
