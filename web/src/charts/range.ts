// The renewal forecast as a range bar: ARR due as the track, downside to upside as the range (hatched up to the
// downside, dotted from there to the upside), the base as a marked line, each with its amount in text. Below it the
// accounts that move the range most, as the tool names them (renewal_forecast's movers: largest upside - downside
// first), each opening its scorecard.
import { h } from "../dom";
import * as f from "../format";
import type { RenewalForecast } from "../types";
import { chartSvg, dots, hatch, linear, s } from "./svg";

export function rangeChart(forecast: RenewalForecast, openAccount: (id: string, name: string, from: HTMLElement) => void): HTMLElement {
  const W = 720, H = 150, left = 16, right = 16, barY = 58, barH = 34;
  const x = linear(0, Math.max(forecast.arr_due, 1), left, W - right);
  const marks: { key: string; label: string; value: number; y: number; anchor: string }[] = [
    { key: "downside", label: "Downside", value: forecast.downside, y: barY - 12, anchor: "end" },
    { key: "base", label: "Base", value: forecast.base, y: barY + barH + 22, anchor: "middle" },
    { key: "upside", label: "Upside", value: forecast.upside, y: barY - 12, anchor: "start" },
  ];
  const svg = chartSvg(
    W,
    H,
    `Renewal forecast: ARR due ${f.money(forecast.arr_due)}; renewed ARR downside ${f.money(forecast.downside)}, base ${f.money(forecast.base)}, upside ${f.money(forecast.upside)}`,
    s("defs", null, hatch("range-down", "var(--band-at_risk)"), dots("range-up", "var(--band-on_track)")),
    s("g", { "data-figure": "arr_due", "data-value": String(forecast.arr_due) },
      s("rect", { class: "range-track", x: x(0), y: barY, width: x(forecast.arr_due) - x(0), height: barH }),
      s("text", { class: "range-label", x: W - right, y: barY + barH + 40, "text-anchor": "end" }, `ARR due ${f.moneyCompact(forecast.arr_due)} (${f.count(forecast.total)} accounts)`)),
    s("rect", { class: "range-low", x: x(0), y: barY, width: Math.max(0, x(forecast.downside) - x(0)), height: barH, fill: "url(#range-down)" }),
    s("rect", { class: "range-span", x: x(forecast.downside), y: barY, width: Math.max(1, x(forecast.upside) - x(forecast.downside)), height: barH, fill: "url(#range-up)" }),
    marks.map((m) =>
      s(
        "g",
        { class: `range-mark mark-${m.key}`, "data-figure": m.key, "data-value": String(m.value) },
        s("line", { x1: x(m.value), x2: x(m.value), y1: barY - 6, y2: barY + barH + 6 }),
        s("text", { x: x(m.value) + (m.anchor === "end" ? -4 : m.anchor === "start" ? 4 : 0), y: m.y, "text-anchor": m.anchor }, `${m.label} ${f.moneyCompact(m.value)}`),
      ),
    ),
  );
  const movers = forecast.movers ?? [];
  const list = movers.length
    ? h(
        "ol",
        { class: "movers-list", "aria-label": "Accounts that move the range" },
        movers.map((a) => {
          const button = h("button", { type: "button", class: "link", "data-open-account": a.id }, a.name);
          button.addEventListener("click", () => openAccount(a.id, a.name, button));
          return h(
            "li",
            { "data-mover-id": a.id },
            button,
            h("span", { class: "fine" }, ` · ARR ${f.moneyCompact(a.arr)} · renews ${a.renewal_date} · ${f.humanize(a.scenario_role)} · ${f.moneyCompact(a.downside)} to ${f.moneyCompact(a.upside)} (moves it ${f.moneyCompact(a.swing)})`),
          );
        }),
      )
    : h("p", { class: "fine" }, "No account moves the range: every renewal in the window counts the same in all three scenarios.");
  return h(
    "div",
    { class: "chart-body" },
    svg,
    h("p", { class: "fine" }, "Hatched: renewed in the downside · dotted: added in the upside · line: base (ARR × probability)"),
    h("h4", { class: "chart-sub" }, "Accounts that move the range"),
    list,
  );
}
