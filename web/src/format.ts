// Number, date and label formatting. Data carries fractions (0.5) and plain money numbers; only text is formatted.
import type { Band, Lane, Readiness, Stage } from "./types";

let locale: string | undefined;
let compact: Intl.NumberFormat;
let whole: Intl.NumberFormat;
let percent: Intl.NumberFormat;
let decimal: Intl.NumberFormat;

export function setLocale(value: string | undefined): void {
  try {
    locale = value ? Intl.getCanonicalLocales(value)[0] : undefined;
  } catch {
    locale = undefined;
  }
  compact = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });
  whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
}
setLocale(typeof navigator === "undefined" ? undefined : navigator.language);

/** 19167640.43 -> "19.2M" (KPIs, cards). */
export const moneyCompact = (n: number): string => compact.format(n);
/** 745750 -> "745,750" (scorecard, tooltips). */
export const money = (n: number): string => whole.format(n);
/** 0.562 -> "56%"; null -> "—". */
export const pct = (fraction: number | null | undefined): string => (fraction === null || fraction === undefined ? "—" : percent.format(fraction));
export const num = (n: number | null | undefined): string => (n === null || n === undefined ? "—" : decimal.format(n));
export const count = (n: number): string => whole.format(n);

export const BANDS: readonly Band[] = ["on_track", "at_risk", "critical", "no_contract"];
export const BAND_LABEL: Record<Band, string> = { on_track: "On track", at_risk: "At risk", critical: "Critical", no_contract: "No contract" };
export const BAND_RULE: Record<Band, string> = { on_track: "≥ 70%", at_risk: "40–69%", critical: "< 40%", no_contract: "no outcomes promised" };

export const READINESS: readonly Readiness[] = ["ready", "emerging", "not_ready", "blocked"];
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

/** days_to_renewal -> "Renews in 45 d" / "Renews today" / "Renewal passed 3 d ago". */
export function renewalText(days: number): string {
  if (days > 0) return `Renews in ${count(days)} d`;
  if (days === 0) return "Renews today";
  return `Renewal passed ${count(-days)} d ago`;
}
