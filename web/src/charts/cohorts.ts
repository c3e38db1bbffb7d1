// Retention by cohort as a heat map: one row per cohort (year or quarter of contract start), NRR, GRR and logo
// retention in the cells as numbers, the cell's shade saying how far below or above 100% it is. Every number is a
// field of the retention_metrics rows; the shade is only a second reading of the number in the cell.
import { h } from "../dom";
import * as f from "../format";
import type { RetentionRow } from "../types";

export const COHORT_MEASURES = [
  { key: "nrr", label: "NRR" },
  { key: "grr", label: "GRR" },
  { key: "logo_retention", label: "Logo retention" },
] as const;

/** The cell's tone: at or above 100% "up", down to 90% "mild", below that "down"; no value "none". */
export function tone(value: number | null): "up" | "mild" | "down" | "none" {
  if (value === null) return "none";
  return value >= 1 ? "up" : value >= 0.9 ? "mild" : "down";
}

/** Shade strength 0..1 from the distance to 100% (30 points or more is full). */
function strength(value: number): number {
  return Math.min(1, Math.abs(value - 1) / 0.3);
}

/**
 * The heat map; each cohort's name is a button listing that cohort's accounts (list_accounts' cohort_year or
 * cohort_quarter filter: the accounts active as of the view's date whose contract started then).
 */
export function cohortHeatmap(rows: RetentionRow[], by: "year" | "quarter", showCohort: (cohort: string) => void, interactive: boolean): HTMLElement {
  const body = rows.map((row) =>
    h(
      "tr",
      { "data-cohort": row.group },
      h(
        "th",
        { scope: "row" },
        row.group === ""
          ? "(no start date)"
          : h("button", {
              type: "button",
              class: "link",
              "data-cohort-link": row.group,
              disabled: !interactive,
              "aria-label": `Show the accounts whose contract started in ${row.group}`,
              title: `Show the accounts whose contract started in ${row.group}`,
              onclick: () => showCohort(row.group),
            }, row.group),
      ),
      COHORT_MEASURES.map(({ key, label }) => {
        const value = row[key];
        const t = tone(value);
        const style = value === null ? null : `--shade:${Math.round(15 + strength(value) * 45)}%`;
        return h(
          "td",
          { class: `heat heat-${t}`, "data-measure": key, "data-value": value === null ? "" : String(value), style, title: `${label} ${row.group}: ${f.pct1(value)}` },
          h("span", { class: "heat-num" }, f.pct1(value)),
          t === "down" ? h("span", { class: "heat-mark", "aria-hidden": "true" }, " ▼") : t === "up" && value !== null && value > 1 ? h("span", { class: "heat-mark", "aria-hidden": "true" }, " ▲") : null,
        );
      }),
      h("td", { class: "num", "data-measure": "starting_arr", "data-value": String(row.starting_arr) }, f.moneyCompact(row.starting_arr)),
      h("td", { class: "num", "data-measure": "logos_start", "data-value": String(row.logos_start) }, `${f.count(row.logos_retained)} / ${f.count(row.logos_start)}`),
    ),
  );
  return h(
    "div",
    { class: "chart-body heat-wrap" },
    h(
      "table",
      { class: "heatmap" },
      h("caption", { class: "sr-only" }, `Retention by cohort (${by} of contract start)`),
      h(
        "thead",
        null,
        h("tr", null, h("th", { scope: "col" }, by === "year" ? "Cohort (year)" : "Cohort (quarter)"), COHORT_MEASURES.map((m) => h("th", { scope: "col" }, m.label)), h("th", { scope: "col" }, "Starting ARR"), h("th", { scope: "col" }, "Logos kept")),
      ),
      h("tbody", null, body),
    ),
    h("p", { class: "fine" }, "▲ above 100% · ▼ below 90% · shade grows with the distance from 100% · a cohort's name lists its accounts"),
  );
}
