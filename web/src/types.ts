// The shapes of the tool results this view reads (snake_case, as the server sends them; see
// tests/ValueMcp.Server.Tests/Snapshots/<tool>.json for the full output schemas).

export type Band = "on_track" | "at_risk" | "critical" | "no_contract";
export type Readiness = "ready" | "emerging" | "not_ready" | "blocked";
export type Stage = "onboarding" | "first_value" | "adoption" | "renewal" | "expansion";
export type Lane = "modules" | "data_integration" | "managed_services";
export type SortKey = "arr" | "fulfilment" | "readiness" | "renewal_date";

export interface CountArr {
  count: number;
  arr: number;
}

export interface Kpis {
  arr_managed: number;
  account_count: number;
  on_track_pct: number | null;
  expansion_ready_count: number;
  expansion_ready_arr: number;
  arr_at_risk: number;
  arr_without_value_contract: number;
  arr_renewing_90d: number;
  arr_renewing_180d: number;
}

export interface PortfolioHealth {
  as_of: string;
  filters: Record<string, unknown>;
  kpis: Kpis;
  by_band: Partial<Record<Band, CountArr>>;
  by_readiness: Partial<Record<Readiness, CountArr>>;
  by_renewal_flag: Record<string, CountArr>;
  by_lifecycle_stage: Partial<Record<Stage, CountArr>>;
  by_segment: { segment: string; kpis: Kpis }[];
  fulfilment_distribution?: FulfilmentRange[];
  renewals_passed?: RenewalsDue;
  renewals_by_month?: RenewalMonth[];
}

export interface Override {
  field: string;
  value: string;
  computed: string;
  author: string;
  reason: string;
  created_at: string;
  expires_at: string | null;
}

export interface AccountCard {
  id: string;
  name: string;
  segment: string;
  tier: string;
  csm: string;
  arr: number;
  fulfilment: number | null;
  band: Band;
  outcomes_promised: number;
  outcomes_evidenced: number;
  outcomes_overdue: number;
  evidenced_low_confidence_only: number;
  readiness: Readiness;
  lane?: Lane | null;
  renewal_date: string;
  days_to_renewal: number;
  renewal_flag: "red" | "amber" | "none";
  renewal_risk: "none" | "low" | "medium" | "high";
  lifecycle_stage: Stage;
  engagement: "growing" | "steady" | "declining";
  utilisation: number | null;
  next_action: { kind: string; reason: string };
  overrides: Override[];
}

export interface AccountList {
  as_of: string;
  filters: Record<string, unknown>;
  sort_by: SortKey;
  descending: boolean;
  total: number;
  accounts: AccountCard[];
  next_cursor: string | null;
}

export interface Evidence {
  id: string;
  captured_at: string;
  source: string;
  confidence: "low" | "medium" | "high";
  observed_value: number | null;
  achieved: boolean | null;
  achieves: boolean;
  note: string;
  captured_by: string;
}

export interface Outcome {
  id: string;
  title: string;
  metric: string;
  unit: string;
  baseline: number | null;
  target: number | null;
  direction: "increase" | "decrease" | null;
  promised_at: string;
  due_date: string | null;
  evidenced: boolean;
  evidenced_at: string | null;
  progress: number;
  overdue: boolean;
  exceeded: boolean;
  confidence: "low" | "medium" | "high" | null;
  latest_observed_value: number | null;
  evidence: Evidence[];
}

export interface Signal {
  id: string;
  observed_at: string;
  category: string;
  kind: string;
  polarity: number;
  note: string;
}

export interface Scorecard extends AccountCard {
  as_of: string;
  account_manager: string;
  executive_sponsor: string;
  contract_start: string;
  lane_timing: string | null;
  outcomes: Outcome[];
  signals_recent: Signal[];
  milestones: { kind: string; reached_at: string }[];
  reasons: { band?: string | null; readiness?: string | null; risk?: string | null; action?: string | null; lane?: string | null };
}

export interface RetentionRow {
  group: string;
  starting_arr: number;
  expansion: number;
  expansion_by_lane: Record<string, number>;
  contraction: number;
  churn: number;
  ending_arr: number;
  nrr: number | null;
  grr: number | null;
  logos_start: number;
  logos_retained: number;
  logo_retention: number | null;
  new_logos: number;
  new_logo_arr: number;
}

export interface Retention {
  period_start: string;
  period_end: string;
  as_of: string;
  measured_through: string;
  complete: boolean;
  group_by: "none" | "segment" | "tier" | "csm" | "cohort_year" | "cohort_quarter";
  total: RetentionRow;
  rows: RetentionRow[];
}

export type ScenarioRole = "steady" | "exposed" | "high_risk";

export interface ForecastAccount {
  id: string;
  name: string;
  segment: string;
  csm: string;
  arr: number;
  renewal_date: string;
  days_to_renewal: number;
  band: Band;
  renewal_risk: "none" | "low" | "medium" | "high";
  probability: number;
  scenario_role: ScenarioRole;
  downside: number;
  base: number;
  upside: number;
  scenario_note: string;
  reason: string;
}

export interface RenewalForecast {
  as_of: string;
  period_start: string;
  period_end: string;
  total: number;
  arr_due: number;
  downside: number;
  base: number;
  upside: number;
  by_scenario_role: Record<ScenarioRole, CountArr>;
  /** The accounts that move the range most, as the tool picks them (largest upside - downside first). */
  movers: ForecastMover[];
  accounts: ForecastAccount[];
}

export interface ForecastMover {
  id: string;
  name: string;
  arr: number;
  renewal_date: string;
  scenario_role: ScenarioRole;
  downside: number;
  base: number;
  upside: number;
  swing: number;
  scenario_note: string;
}

export interface FulfilmentRange {
  range: string;
  low: number | null;
  high: number | null;
  band: Band;
  count: number;
  arr: number;
}

export type RenewalRisk = "none" | "low" | "medium" | "high";

export interface RenewalsDue {
  count: number;
  arr: number;
  by_risk: Record<RenewalRisk, CountArr>;
}

export interface RenewalMonth extends RenewalsDue {
  month: string;
  from: string;
  to: string;
}
