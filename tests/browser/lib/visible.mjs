// Checks of the text a person reads (not the data-* attributes): KPI values and their sub-lines, the lifecycle strip,
// "Showing N of TOTAL", account cards and scorecard outcomes. The expected numbers are the tools' answers, formatted
// in the app's document with the Intl rules web/src/format.ts documents (compact money "19.2M", whole numbers
// "1,234", percentages "56%"), for the host's locale (en-US) and the browser's. Wording around the numbers is not
// checked, so the sub-lines may be reworded; the numbers must match.
import { assert } from './harness.mjs';

export const READINESS_LABELS = { ready: 'Ready', emerging: 'Emerging', not_ready: 'Not ready', blocked: 'Blocked' };
const BAND_TEXT = { on_track: 'On track', at_risk: 'At risk', critical: 'Critical', no_contract: 'No contract' };

/** Collapses whitespace, including the no-break spaces Intl puts into some locales' numbers. */
export const norm = (s) => String(s ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `text` shows the number `formatted` on its own (not as part of a longer number). */
export function hasNumber(text, formatted) {
  return new RegExp(`(?<![\\d.,\u2212-])${escape(norm(formatted))}(?![\\d]|[.,]\\d)`).test(norm(text));
}

/**
 * Formats numbers in the app's document: items [[kind, n], ...] with kind compact | whole | percent; returns, per
 * item, the distinct texts for the candidate locales. percent1: one decimal (a fulfilment just under a band threshold).
 */
export function formatIn(frame, items) {
  return frame.evaluate((items) => {
    const locales = [...new Set(['en-US', navigator.language].filter(Boolean))];
    const fmts = locales.map((loc) => ({
      compact: new Intl.NumberFormat(loc, { notation: 'compact', maximumFractionDigits: 1 }),
      whole: new Intl.NumberFormat(loc, { maximumFractionDigits: 0 }),
      percent: new Intl.NumberFormat(loc, { style: 'percent', maximumFractionDigits: 0 }),
      percent1: new Intl.NumberFormat(loc, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    }));
    return items.map(([kind, n]) => [...new Set(fmts.map((f) => f[kind].format(n)))]);
  }, items);
}

/** Asserts `text` shows one of the candidate formattings; the message says what was expected and what was seen. */
function expectNumber(text, candidates, what) {
  assert.ok(candidates.some((c) => hasNumber(text, c)), `${what}: expected the text to show ${candidates.map((c) => JSON.stringify(c)).join(' or ')}; seen ${JSON.stringify(norm(text))}`);
}

/** The visible texts the checks read: KPI cards, strip buttons, shown count. */
function readTexts(frame) {
  return frame.evaluate(() => {
    const kpis = {};
    for (const el of document.querySelectorAll('[data-kpi]')) {
      const value = el.querySelector('.kpi-value');
      kpis[el.dataset.kpi] = { all: el.innerText, value: value ? value.innerText : null };
    }
    const stages = {};
    for (const b of document.querySelectorAll('button[data-stage]')) stages[b.dataset.stage] = b.innerText;
    const shown = document.querySelector('[data-testid="shown-count"]');
    return { kpis, stages, shown: shown ? shown.innerText : null };
  });
}

/**
 * The visible figures equal the tools' answers: each KPI card shows its value (compact money, whole count, percent)
 * and the numbers of its sub-line; each stage button its count and ARR (from `strip`, the slice without a stage
 * filter, when given); the listing status "Showing <shown> of <total>".
 */
export async function checkVisibleFigures(frame, { health, strip, shown, total }) {
  const k = health.kpis;
  const onTrack = (health.by_band.on_track && health.by_band.on_track.count) || 0;
  const stripHealth = strip || health;
  const STAGES = Object.keys(stripHealth.by_lifecycle_stage);
  const items = [
    ['compact', k.arr_managed], ['whole', k.account_count],
    ['percent', k.on_track_pct ?? 0], ['whole', onTrack],
    ['whole', k.expansion_ready_count], ['compact', k.expansion_ready_arr],
    ['compact', k.arr_at_risk], ['percent', k.arr_managed > 0 ? k.arr_at_risk / k.arr_managed : 0],
    ...STAGES.flatMap((s) => [['whole', stripHealth.by_lifecycle_stage[s].count], ['compact', stripHealth.by_lifecycle_stage[s].arr]]),
  ];
  if (shown !== undefined) items.push(['whole', shown], ['whole', total]);
  const f = await formatIn(frame, items);
  const seen = await readTexts(frame);
  const kpi = (key) => {
    assert.ok(seen.kpis[key], `a [data-kpi="${key}"] card (seen ${JSON.stringify(Object.keys(seen.kpis))})`);
    return seen.kpis[key];
  };
  // The headline number: in .kpi-value when the card has one, else anywhere in the card.
  const headline = (key) => kpi(key).value ?? kpi(key).all;
  expectNumber(headline('arr_managed'), f[0], `KPI arr_managed ${k.arr_managed} (compact)`);
  expectNumber(kpi('arr_managed').all, f[1], `KPI arr_managed sub-line: account_count ${k.account_count}`);
  if (k.on_track_pct === null) {
    assert.ok(/—|–|-|n\/a/i.test(headline('on_track_pct')), `KPI on_track_pct null: expected a dash; seen ${JSON.stringify(norm(headline('on_track_pct')))}`);
  } else {
    expectNumber(headline('on_track_pct'), f[2], `KPI on_track_pct ${k.on_track_pct} (percent)`);
    expectNumber(kpi('on_track_pct').all, f[3], `KPI on_track_pct sub-line: by_band.on_track.count ${onTrack}`);
    expectNumber(kpi('on_track_pct').all, f[1], `KPI on_track_pct sub-line: account_count ${k.account_count}`);
  }
  expectNumber(headline('expansion_ready_count'), f[4], `KPI expansion_ready_count ${k.expansion_ready_count}`);
  expectNumber(kpi('expansion_ready_count').all, f[5], `KPI expansion_ready_count sub-line: expansion_ready_arr ${k.expansion_ready_arr} (compact)`);
  expectNumber(headline('arr_at_risk'), f[6], `KPI arr_at_risk ${k.arr_at_risk} (compact)`);
  if (k.arr_managed > 0) expectNumber(kpi('arr_at_risk').all, f[7], `KPI arr_at_risk sub-line: share of ARR managed ${k.arr_at_risk / k.arr_managed} (percent)`);
  STAGES.forEach((s, i) => {
    const text = seen.stages[s];
    assert.ok(text !== undefined, `a button[data-stage="${s}"]`);
    const { count, arr } = stripHealth.by_lifecycle_stage[s];
    expectNumber(text, f[8 + 2 * i], `stage ${s} count ${count}`);
    expectNumber(text, f[9 + 2 * i], `stage ${s} ARR ${arr} (compact)`);
  });
  if (shown !== undefined) {
    const [shownText, totalText] = f.slice(-2);
    const text = norm(seen.shown);
    const ok = shownText.some((a) => totalText.some((b) => new RegExp(`(?<![\\d.,])${escape(norm(a))}\\D+${escape(norm(b))}(?![\\d]|[.,]\\d)`).test(text)));
    assert.ok(ok, `shown count: expected "… ${shownText[0]} of ${totalText[0]} …" (shown ${shown}, total ${total}); seen ${JSON.stringify(text)}`);
  }
}

/**
 * The visible text of these accounts' cards: name, segment, compact ARR, band label and fulfilment %, readiness,
 * the days to renewal (their absolute value once the renewal has passed; "today" at 0) and the next action's reason.
 */
export async function checkCardTexts(frame, accounts) {
  // A fulfilment is a whole percent, or (format.ts fulfilmentPct) one decimal, rounded down, where rounding would
  // reach a band threshold it is below (0.695 -> "69.5%").
  const f = await formatIn(frame, accounts.flatMap((a) => [['compact', a.arr], ['percent', a.fulfilment ?? 0], ['whole', Math.abs(a.days_to_renewal)],
    ['percent1', Math.floor((a.fulfilment ?? 0) * 1000 + 1e-9) / 1000]]));
  const texts = await frame.evaluate((ids) => ids.map((id) => {
    const card = [...document.querySelectorAll(`[data-account-id="${CSS.escape(id)}"]`)].find((e) => !e.closest('[data-testid="scorecard"]'));
    if (!card) return null;
    const bar = card.querySelector('[data-band]');
    return { all: card.innerText, bar: bar ? bar.innerText : null };
  }), accounts.map((a) => a.id));
  accounts.forEach((a, i) => {
    const seen = texts[i];
    assert.ok(seen, `a card [data-account-id="${a.id}"]`);
    const text = norm(seen.all);
    const has = (s, what) => assert.ok(text.toLowerCase().includes(norm(s).toLowerCase()), `card ${a.id} ${what}: expected ${JSON.stringify(norm(s))}; seen ${JSON.stringify(text)}`);
    has(a.name, 'name');
    if (a.segment) has(a.segment, 'segment');
    expectNumber(text, f[4 * i], `card ${a.id} ARR ${a.arr} (compact)`);
    const bar = norm(seen.bar ?? seen.all);
    assert.ok(bar.includes(BAND_TEXT[a.band]), `card ${a.id} band: expected ${JSON.stringify(BAND_TEXT[a.band])}; seen ${JSON.stringify(bar)}`);
    if (a.fulfilment === null) assert.ok(bar.includes('—'), `card ${a.id} fulfilment null: expected "—"; seen ${JSON.stringify(bar)}`);
    else expectNumber(bar, [...f[4 * i + 1], ...f[4 * i + 3]], `card ${a.id} fulfilment ${a.fulfilment} (percent)`);
    has(READINESS_LABELS[a.readiness] ?? a.readiness, `readiness ${a.readiness}`);
    if (a.days_to_renewal === 0) assert.ok(/today/i.test(text) || hasNumber(text, '0'), `card ${a.id} renews today: expected "today" or 0; seen ${JSON.stringify(text)}`);
    else expectNumber(text, f[4 * i + 2], `card ${a.id} days_to_renewal ${a.days_to_renewal}`);
    if (a.days_to_renewal < 0) assert.ok(/pass|ago|overdue|late/i.test(text), `card ${a.id} renewal passed ${-a.days_to_renewal} d ago: expected the text to say so (passed/ago/overdue); seen ${JSON.stringify(text)}`);
    has(a.next_action.reason, 'next action reason');
  });
}

/**
 * Each outcome of a get_account_scorecard answer, in the open scorecard: its evidence count ("Evidence (3)",
 * "3 evidence", or "no evidence" at 0) and, when it has one, its confidence ("High confidence").
 */
export async function checkScorecardOutcomes(frame, scorecard) {
  const texts = await frame.evaluate((ids) => ids.map((id) => {
    const el = document.querySelector(`[data-testid="scorecard"] [data-outcome-id="${CSS.escape(id)}"]`);
    return el ? el.innerText : null;
  }), scorecard.outcomes.map((o) => o.id));
  scorecard.outcomes.forEach((o, i) => {
    const text = norm(texts[i]);
    assert.ok(texts[i] !== null, `[data-outcome-id="${o.id}"] in the scorecard`);
    const n = o.evidence.length;
    const countShown = new RegExp(`evidence\\D{0,12}(?<![\\d.,])${n}(?!\\d)|(?<![\\d.,])${n}\\s+(?:\\w+\\s+){0,2}evidence`, 'i').test(text) || (n === 0 && /no evidence/i.test(text));
    assert.ok(countShown, `outcome ${o.id}: expected its evidence count ${n} (e.g. "Evidence (${n})"); seen ${JSON.stringify(text)}`);
    if (o.confidence) {
      const want = `${o.confidence.replace(/_/g, ' ')} confidence`;
      assert.ok(text.toLowerCase().includes(want.toLowerCase()), `outcome ${o.id}: expected ${JSON.stringify(want)}; seen ${JSON.stringify(text)}`);
    }
  });
}

/** Inline on* handler attributes and javascript: URLs anywhere in the document, and its scripts (src or length). */
export function scanMarkup(frame) {
  return frame.evaluate(() => {
    const handlers = [];
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        if (/^on/i.test(attr.name)) handlers.push(`<${el.tagName.toLowerCase()} ${attr.name}="${attr.value.slice(0, 60)}">`);
        if (/^(href|src|action|formaction|xlink:href)$/i.test(attr.name) && /^\s*javascript:/i.test(attr.value)) handlers.push(`<${el.tagName.toLowerCase()} ${attr.name}="${attr.value.slice(0, 60)}">`);
      }
    }
    const scripts = [...document.querySelectorAll('script')].map((s) => (s.src ? `src=${s.src}` : `inline:${s.textContent.length}`));
    return { handlers, scripts };
  });
}
