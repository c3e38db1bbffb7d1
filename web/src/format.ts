// Number, date and label formatting. Data carries fractions (0.5) and plain money numbers; only text is formatted.
import type { Band, Lane, Readiness, Stage } from "./types";

let locale: string | undefined;
let compact: Intl.NumberFormat;
let whole: Intl.NumberFormat;
let percent: Intl.NumberFormat;
let percent1: Intl.NumberFormat;
let decimal: Intl.NumberFormat;

/** Sets the locale of every number format; answers whether it changed. */
export function setLocale(value: string | undefined): boolean {
  let next: string | undefined;
  try {
    next = value ? Intl.getCanonicalLocales(value)[0] : undefined;
  } catch {
    next = undefined;
  }
  if (compact && next === locale) return false;
  locale = next;
  compact = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });
  whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  percent1 = new Intl.NumberFormat(locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
  decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  return true;
}
setLocale(typeof navigator === "undefined" ? undefined : navigator.language);

/** 19167640.43 -> "19.2M" (KPIs, cards). */
export const moneyCompact = (n: number): string => compact.format(n);
/** 745750 -> "745,750" (scorecard, tooltips). */
export const money = (n: number): string => whole.format(n);
/** 0.562 -> "56%"; null -> "—". */
export const pct = (fraction: number | null | undefined): string => (fraction === null || fraction === undefined ? "—" : percent.format(fraction));
/** 1.0054 -> "100.5%" (retention figures, where whole percents hide the movement); null -> "—". */
export const pct1 = (fraction: number | null | undefined): string => (fraction === null || fraction === undefined ? "—" : percent1.format(fraction));
export const num = (n: number | null | undefined): string => (n === null || n === undefined ? "—" : decimal.format(n));
export const count = (n: number): string => whole.format(n);

// ---- policy thresholds ---------------------------------------------------------------------------------------------

/**
 * The thresholds this view words its labels with. They are policy values: the documented defaults here, replaced by
 * the "Thresholds in force" table of the server's `value://glossary` resource once it has been read.
 */
export const policy = {
  on_track_fulfilment: 0.7,
  at_risk_fulfilment: 0.4,
  renewal_red_days: 90,
  renewal_amber_days: 180,
};

/** Takes the thresholds from the glossary's markdown table rows (`| on_track_fulfilment | 0.70 | ... |`). */
export function applyGlossary(markdown: string): boolean {
  let changed = false;
  for (const key of Object.keys(policy) as (keyof typeof policy)[]) {
    const row = new RegExp(`^\\|\\s*${key}\\s*\\|\\s*(-?[0-9]+(?:\\.[0-9]+)?)\\s*\\|`, "m").exec(markdown);
    const value = row ? Number(row[1]) : NaN;
    if (Number.isFinite(value) && policy[key] !== value) {
      policy[key] = value;
      changed = true;
    }
  }
  return changed;
}

/**
 * A fulfilment fraction as a percentage that never reads as the other side of a band threshold: whole percents,
 * except where rounding up would reach a threshold the value is below (0.695 -> "69.5%", not "70%").
 */
export function fulfilmentPct(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined) return "—";
  const rounded = Math.round(fraction * 100) / 100;
  const crosses = [policy.on_track_fulfilment, policy.at_risk_fulfilment].some((t) => fraction < t && rounded >= t);
  return crosses ? percent1.format(Math.floor(fraction * 1000 + 1e-9) / 1000) : percent.format(fraction);
}

/** Whole percent of a threshold, for the legend (0.7 -> "70%"). */
const thresholdPct = (t: number): string => percent1.format(t).replace(/[.,]0(?=\D*$)/, "");

/** The band rules in words, from the thresholds in force. */
export function bandRule(band: Band): string {
  const on = thresholdPct(policy.on_track_fulfilment);
  const risk = thresholdPct(policy.at_risk_fulfilment);
  switch (band) {
    case "on_track":
      return `${on} or more`;
    case "at_risk":
      return `${risk} to under ${on}`;
    case "critical":
      return `under ${risk}`;
    default:
      return "no outcomes promised";
  }
}

// ---- labels ----------------------------------------------------------------------------------------------------------

export const BAND_LABEL: Record<Band, string> = { on_track: "On track", at_risk: "At risk", critical: "Critical", no_contract: "No contract" };
export const READINESS_LABEL: Record<Readiness, string> = { ready: "Ready", emerging: "Emerging", not_ready: "Not ready", blocked: "Blocked" };

export const STAGES: readonly Stage[] = ["onboarding", "first_value", "adoption", "renewal", "expansion"];
export const STAGE_LABEL: Record<Stage, string> = {
  onboarding: "Onboarding",
  first_value: "First value",
  adoption: "Adoption",
  renewal: "Renewal",
  expansion: "Expansion",
};

export const LANE_LABEL: Record<Lane, string> = { modules: "Modules", data_integration: "Data integration", managed_services: "Managed services" };

/** "schedule_impact_review" -> "Schedule impact review". */
export function humanize(value: string): string {
  const text = value.replace(/_/g, " ").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The renewal badge, its flag level in words as well as in colour: red "Renewal ≤ 90 d · in 45 d", amber
 * "Renewal ≤ 180 d · in 120 d", none "Renews in 400 d"; a passed date "Renewal passed 3 d ago" (red).
 */
export function renewalText(days: number, flag: string): string {
  if (days < 0) return `Renewal passed ${count(-days)} d ago`;
  const when = days === 0 ? "today" : `in ${count(days)} d`;
  if (flag === "red") return `Renewal ≤ ${count(policy.renewal_red_days)} d · ${when}`;
  if (flag === "amber") return `Renewal ≤ ${count(policy.renewal_amber_days)} d · ${when}`;
  return days === 0 ? "Renews today" : `Renews ${when}`;
}
