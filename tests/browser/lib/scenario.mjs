// The checks both surfaces share (the app inside the test host, and the page `serve --http` serves at /). Every
// expected value is the tool's own answer, fetched from the same server in the same run with the same arguments.
import fs from 'node:fs';
import path from 'node:path';
import { test, until, assert } from './harness.mjs';
import { checkVisibleFigures, checkCardTexts, checkScorecardOutcomes, scanMarkup, norm } from './visible.mjs';

export const KPIS = ['arr_managed', 'on_track_pct', 'expansion_ready_count', 'arr_at_risk'];
export const STAGES = ['onboarding', 'first_value', 'adoption', 'renewal', 'expansion'];
export const BAND_LABELS = { on_track: 'On track', at_risk: 'At risk', critical: 'Critical', no_contract: 'No contract' };
export const PAGE_SIZE = 50;
const FILTER_KEYS = ['segment', 'tier', 'csm', 'lifecycle_stage', 'band', 'readiness', 'renewal_flag', 'renewal_within_days', 'min_arr', 'cohort_year', 'cohort_quarter'];
export const WAIT = { timeoutMs: 45_000 };

/** The KPI data-values the DOM contract promises for a get_portfolio_health answer. */
export function expectedKpis(health) {
  return Object.fromEntries(KPIS.map((k) => [k, health.kpis[k] === null || health.kpis[k] === undefined ? '' : String(health.kpis[k])]));
}

/** The filter arguments actually set in an app's call (nulls, empty strings and paging/sorting left out). */
export function activeFilters(args) {
  return Object.fromEntries(Object.entries(args || {}).filter(([k, v]) => FILTER_KEYS.includes(k) && v !== null && v !== undefined && v !== ''));
}

/** Everything the checks read from the app's document, in one round trip. */
export function readState(frame) {
  return frame.evaluate(() => {
    const kpis = {};
    for (const el of document.querySelectorAll('[data-kpi]')) kpis[el.dataset.kpi] = el.dataset.value;
    const shownEl = document.querySelector('[data-testid="shown-count"]');
    const cards = [...document.querySelectorAll('[data-account-id]')]
      .filter((e) => !(e.parentElement && e.parentElement.closest('[data-account-id]')) && !e.closest('[data-testid="scorecard"]'))
      .map((e) => e.dataset.accountId);
    const stages = {};
    for (const b of document.querySelectorAll('button[data-stage]')) {
      stages[b.dataset.stage] = { count: b.dataset.count, arr: b.dataset.arr, pressed: b.getAttribute('aria-pressed') };
    }
    const vm = window.__valuemcp;
    return {
      state: document.body.dataset.state,
      kpis,
      shown: shownEl ? shownEl.dataset.shown : undefined,
      total: shownEl ? shownEl.dataset.total : undefined,
      cards,
      stages,
      lastArgs: vm && vm.lastArgs ? JSON.parse(JSON.stringify(vm.lastArgs)) : undefined,
    };
  });
}

function canonical(filters) {
  return JSON.stringify(Object.entries(filters).map(([k, v]) => [k, String(v)]).sort());
}

export function sameList(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameKpis(actual, expected) {
  return KPIS.every((k) => actual[k] === expected[k]);
}

/** Waits until the app is ready and shows exactly these KPIs and (when given) this listing. */
export async function waitForView(frame, what, { kpis, listing, filters }) {
  return until(
    what,
    () => readState(frame),
    (s) =>
      s.state === 'ready' &&
      (!filters || (s.lastArgs && canonical(activeFilters(s.lastArgs.health)) === canonical(filters))) &&
      (!kpis || sameKpis(s.kpis, kpis)) &&
      (!listing || (sameList(s.cards, listing.accounts.map((a) => a.id)) && s.total === String(listing.total))),
    WAIT,
  );
}

export async function clearFilters(frame, base) {
  await closeScorecard(frame);
  // The default order (a check that failed half-way may have left another one).
  if (await frame.locator('select[name="sort_by"]').inputValue() !== 'arr') {
    await frame.locator('select[name="sort_by"]').selectOption('arr');
    await until('the default sort (arr) to apply', () => readState(frame), (s) => s.state === 'ready' && s.lastArgs && s.lastArgs.list && s.lastArgs.list.sort_by === 'arr', WAIT);
  }
  const state = await readState(frame);
  if (Object.keys(activeFilters(state.lastArgs && state.lastArgs.health)).length === 0 && sameKpis(state.kpis, base.kpis)) return;
  await frame.locator('button[name="clear-filters"]').click();
  await waitForView(frame, 'the unfiltered view after clear-filters', { kpis: base.kpis, listing: base.listing, filters: {} });
}

/** Closes the scorecard if it is open (so a failed check leaves no dialog over the page for the next test). */
async function closeScorecard(frame) {
  const sc = frame.locator('[data-testid="scorecard"]');
  if (await sc.evaluate((d) => d.open === true || getComputedStyle(d).display !== 'none').catch(() => false)) {
    await frame.locator('button[name="close-scorecard"]').click().catch(() => {});
    await sc.waitFor({ state: 'hidden', timeout: WAIT.timeoutMs }).catch(() => {});
  }
}

/** The strip's data-count/data-arr equal a get_portfolio_health answer's by_lifecycle_stage. */
function checkStripData(state, health) {
  for (const stage of STAGES) {
    const want = health.by_lifecycle_stage[stage] || { count: 0, arr: 0 };
    assert.equal(state.stages[stage] && state.stages[stage].count, String(want.count), `${stage} data-count`);
    assert.equal(state.stages[stage] && state.stages[stage].arr, String(want.arr), `${stage} data-arr`);
  }
}

/**
 * Applies one filter through the page (`act`), then waits for KPIs and cards equal to the tools called with exactly
 * `filters`, and checks the strip (data and text), the shown count and the visible figures.
 */
async function applyFilter(mcp, frame, filters, act) {
  const health = await mcp.tool('get_portfolio_health', filters);
  const listing = await mcp.tool('list_accounts', { ...filters, limit: PAGE_SIZE });
  await act();
  const s = await waitForView(frame, `the ${JSON.stringify(filters)} view`, { kpis: expectedKpis(health), listing, filters });
  assert.ok(s.cards.length <= PAGE_SIZE, `at most ${PAGE_SIZE} cards`);
  assert.equal(s.shown, String(listing.accounts.length), 'shown-count data-shown');
  assert.equal(s.total, String(listing.total), 'shown-count data-total');
  checkStripData(s, health);
  await checkVisibleFigures(frame, { health, shown: listing.accounts.length, total: listing.total });
  return { health, listing };
}

/** Resolves what colour a CSS value (a var(), a hex) computes to, in the app's document. */
function resolveColour(frame, cssValue) {
  return frame.evaluate((v) => {
    const el = document.createElement('div');
    el.style.backgroundColor = v;
    document.body.appendChild(el);
    const c = getComputedStyle(el).backgroundColor;
    el.remove();
    return c;
  }, cssValue);
}

/**
 * Registers the shared tests for one surface.
 * ctx: { label, page, frame: () => Frame, mcp, shotDir, shotPrefix, base } where base is filled by the caller's
 * first test: { health, kpis, listing }.
 */
export async function sharedTests(ctx) {
  const { label, mcp } = ctx;
  const base = ctx.base;
  const frame = () => ctx.frame();
  const t = (name, fn) => test(`${label}: ${name}`, fn);

  await t('KPI cards equal get_portfolio_health (no filters)', async () => {
    const s = await waitForView(frame(), 'the four KPIs of get_portfolio_health', { kpis: base.kpis });
    assert.deepEqual(Object.keys(s.kpis).sort(), [...KPIS].sort(), 'exactly the four KPI cards');
    ctx.scriptsAtLoad = (await scanMarkup(frame())).scripts;
  });

  await t('visible text: KPI values and sub-lines, stage counts and ARR, "Showing N of TOTAL" read as the tools\' figures', async () => {
    await waitForView(frame(), 'the unfiltered view', { kpis: base.kpis, listing: base.listing });
    await checkVisibleFigures(frame(), { health: base.health, shown: base.listing.accounts.length, total: base.listing.total });
  });

  await t(`account cards equal list_accounts({limit: ${PAGE_SIZE}}) and the shown count its total`, async () => {
    const s = await waitForView(frame(), 'the first page of list_accounts', { listing: base.listing });
    assert.equal(s.cards.length, base.listing.accounts.length);
    assert.equal(s.shown, String(base.listing.accounts.length), 'shown-count data-shown');
    assert.equal(s.total, String(base.listing.total), 'shown-count data-total');
  });

  await t('lifecycle strip counts and ARR equal by_lifecycle_stage', async () => {
    const s = await readState(frame());
    assert.deepEqual(Object.keys(s.stages).sort(), [...STAGES].sort(), 'one button per stage');
    for (const stage of STAGES) {
      const want = base.health.by_lifecycle_stage[stage] || { count: 0, arr: 0 };
      assert.equal(s.stages[stage].count, String(want.count), `${stage} data-count`);
      assert.equal(s.stages[stage].arr, String(want.arr), `${stage} data-arr`);
      assert.equal(s.stages[stage].pressed, 'false', `${stage} aria-pressed with no stage applied`);
    }
  });

  await t('band label and colour: each card\'s bar matches its band\'s legend swatch and --band-<band>', async () => {
    const f = frame();
    const accounts = base.listing.accounts;
    const sample = accounts.find((a) => a.band === 'at_risk') || accounts[0];
    const bar = f.locator(`[data-account-id="${sample.id}"] [data-band]`).first();
    assert.equal(await bar.getAttribute('data-band'), sample.band, `${sample.id} data-band`);
    const text = (await bar.innerText()).replace(/\s+/g, ' ');
    assert.ok(text.includes(BAND_LABELS[sample.band]), `${sample.id} bar text "${text}" names the band "${BAND_LABELS[sample.band]}"`);
    if (sample.fulfilment === null) {
      assert.ok(text.includes('—'), `${sample.id} bar text "${text}" shows — for no fulfilment`);
    } else {
      const pcts = [...text.matchAll(/(\d+(?:[.,]\d+)?)\s?%/g)].map((m) => Number(m[1].replace(',', '.')));
      assert.ok(pcts.some((p) => Math.abs(p - sample.fulfilment * 100) < 1), `${sample.id} bar text "${text}" shows ${sample.fulfilment * 100}%`);
    }
    // Colours: legend swatch per band, the :root variable, and every card's fill.
    // The swatch is the [data-legend-band] element, or (a legend item) its first descendant with a colour.
    const legend = await f.evaluate(() => Object.fromEntries([...document.querySelectorAll('[data-legend-band]')].map((e) => {
      const transparent = (c) => c === 'transparent' || /^rgba\(.*,\s*0\)$/.test(c);
      const own = getComputedStyle(e).backgroundColor;
      if (!transparent(own)) return [e.dataset.legendBand, own];
      const inner = [...e.querySelectorAll('.swatch, *')].map((x) => getComputedStyle(x).backgroundColor).find((c) => !transparent(c));
      return [e.dataset.legendBand, inner || own];
    })));
    for (const band of Object.keys(BAND_LABELS)) {
      assert.ok(legend[band], `a legend swatch for ${band} (found ${JSON.stringify(Object.keys(legend))})`);
      assert.equal(legend[band], await resolveColour(f, `var(--band-${band})`), `legend swatch ${band} is var(--band-${band})`);
    }
    assert.equal(new Set(Object.values(legend)).size, Object.keys(legend).length, `the band colours differ: ${JSON.stringify(legend)}`);
    const fills = await f.evaluate(() => [...document.querySelectorAll('[data-account-id]')].map((card) => {
      const bar = card.querySelector('[data-band]');
      const fill = bar && bar.querySelector('.bar-fill');
      return { id: card.dataset.accountId, band: bar && bar.dataset.band, colour: fill && getComputedStyle(fill).backgroundColor };
    }));
    const sampleFill = fills.find((x) => x.id === sample.id);
    assert.equal(sampleFill.colour, legend[sample.band], `${sample.id} .bar-fill colour equals the ${sample.band} swatch`);
    const other = Object.keys(legend).find((b) => b !== sample.band);
    assert.notEqual(sampleFill.colour, legend[other], `${sample.id} .bar-fill differs from the ${other} colour`);
    const byId = new Map(accounts.map((a) => [a.id, a]));
    for (const x of fills) {
      if (!byId.has(x.id)) continue;
      assert.equal(x.band, byId.get(x.id).band, `${x.id} data-band equals the listing's band`);
      if (byId.get(x.id).band !== 'no_contract' && x.colour !== null) assert.equal(x.colour, legend[x.band], `${x.id} fill colour`);
    }
  });

  await t('filter band=critical: KPIs and cards equal the tools with {band: "critical"}', async () => {
    const f = frame();
    const health = await mcp.tool('get_portfolio_health', { band: 'critical' });
    const listing = await mcp.tool('list_accounts', { band: 'critical', limit: PAGE_SIZE });
    await f.locator('select[name="band"]').selectOption('critical');
    await waitForView(f, 'the band=critical view', { kpis: expectedKpis(health), listing, filters: { band: 'critical' } });
    assert.ok(listing.accounts.length > 0, 'the demo has critical accounts');
    await checkVisibleFigures(f, { health, shown: listing.accounts.length, total: listing.total });
  });

  await t('filter segment=<first segment> (with band still set), then clear-filters restores the totals', async () => {
    const f = frame();
    const options = await f.locator('select[name="segment"] option').evaluateAll((os) => os.map((o) => o.value));
    const segment = base.health.by_segment.map((s) => s.segment).find((s) => options.includes(s));
    assert.ok(segment, `select[name=segment] offers a segment of by_segment (options: ${JSON.stringify(options)})`);
    const args = { band: 'critical', segment };
    const health = await mcp.tool('get_portfolio_health', args);
    const listing = await mcp.tool('list_accounts', { ...args, limit: PAGE_SIZE });
    await f.locator('select[name="segment"]').selectOption(segment);
    await waitForView(f, `the ${JSON.stringify(args)} view`, { kpis: expectedKpis(health), listing, filters: { band: 'critical', segment } });
    await checkVisibleFigures(f, { health, shown: listing.accounts.length, total: listing.total });
    await clearFilters(f, base);
  });

  await t('stage click (renewal): aria-pressed, KPIs and cards equal the tools with {lifecycle_stage: "renewal"}', async () => {
    const f = frame();
    await clearFilters(f, base);
    const health = await mcp.tool('get_portfolio_health', { lifecycle_stage: 'renewal' });
    const listing = await mcp.tool('list_accounts', { lifecycle_stage: 'renewal', limit: PAGE_SIZE });
    await f.locator('button[data-stage="renewal"]').click();
    const s = await waitForView(f, 'the lifecycle_stage=renewal view', { kpis: expectedKpis(health), listing, filters: { lifecycle_stage: 'renewal' } });
    assert.equal(s.stages.renewal.pressed, 'true', 'renewal aria-pressed');
    for (const stage of STAGES.filter((x) => x !== 'renewal')) assert.equal(s.stages[stage].pressed, 'false', `${stage} aria-pressed`);
    // The strip keeps the whole portfolio's stages (the slice without the stage filter).
    checkStripData(s, base.health);
    await checkVisibleFigures(f, { health, strip: base.health, shown: listing.accounts.length, total: listing.total });
    await clearFilters(f, base);
  });

  // Each filter control on its own: KPIs, strip and cards equal the tools called with that one filter.
  const readinessValues = Object.keys(base.health.by_readiness || {}).filter((r) => base.health.by_readiness[r].count > 0);
  for (const readiness of readinessValues) {
    await t(`filter readiness=${readiness}: KPIs, strip and cards equal the tools with {readiness: "${readiness}"}`, async () => {
      const f = frame();
      await clearFilters(f, base);
      await applyFilter(mcp, f, { readiness }, () => f.locator('select[name="readiness"]').selectOption(readiness));
    });
  }
  for (const days of [90, 180]) {
    await t(`filter renewal_within_days=${days}: KPIs, strip and cards equal the tools with {renewal_within_days: ${days}}`, async () => {
      const f = frame();
      await clearFilters(f, base);
      await applyFilter(mcp, f, { renewal_within_days: days }, () => f.locator('select[name="renewal_within_days"]').selectOption(String(days)));
    });
  }
  await t('filter csm=<a CSM of the first page> (typed, then Enter): KPIs, strip and cards equal the tools with {csm}', async () => {
    const f = frame();
    await clearFilters(f, base);
    const csm = base.listing.accounts.map((a) => a.csm).find(Boolean);
    assert.ok(csm, 'the first page names a CSM');
    const box = f.locator('input[name="csm"]');
    await applyFilter(mcp, f, { csm }, async () => { await box.fill(csm); await box.press('Enter'); });
    await clearFilters(f, base);
    assert.equal(await box.inputValue(), '', 'clear-filters empties the CSM box');
  });

  await t('an unknown CSM: the tool\'s isError text (with the known names) shows in an alert; emptying the box recovers', async () => {
    const f = frame();
    await clearFilters(f, base);
    const unknown = 'Nobody Atall';
    const refused = await mcp.client.callTool({ name: 'get_portfolio_health', arguments: { csm: unknown } });
    assert.equal(refused.isError, true, `get_portfolio_health({csm: "${unknown}"}) answers isError`);
    const message = norm((refused.content || []).map((c) => c.text).join(' '));
    const known = [...new Set(base.listing.accounts.map((a) => a.csm).filter(Boolean))].filter((n) => message.includes(n));
    assert.ok(known.length > 0, `the server's message lists known CSM names: ${message}`);
    const box = f.locator('input[name="csm"]');
    await box.fill(unknown);
    await box.press('Enter');
    const seen = await until(`an alert with the server's message "${message}"`, () => f.evaluate(() => ({
      state: document.body.dataset.state,
      alerts: [...document.querySelectorAll('[role="alert"]')].filter((e) => !e.hidden && e.getClientRects().length > 0 && !e.closest('[data-testid="scorecard"]')).map((e) => e.innerText),
    })), (x) => x.state !== 'loading' && x.alerts.some((a) => known.every((n) => a.includes(n))), WAIT);
    assert.ok(['error', 'ready'].includes(seen.state), `body[data-state] is error (or ready with the alert) after isError; seen ${seen.state}`);
    const alert = norm(seen.alerts.find((a) => known.every((n) => a.includes(n))));
    assert.ok(alert.includes(unknown), `the alert quotes "${unknown}"; seen ${JSON.stringify(alert)}`);
    await box.fill('');
    await box.press('Enter');
    await waitForView(f, 'the unfiltered view after emptying the CSM box', { kpis: base.kpis, listing: base.listing, filters: {} });
    const after = await f.evaluate(() => [...document.querySelectorAll('[role="alert"]')].filter((e) => !e.hidden && e.getClientRects().length > 0).map((e) => e.innerText));
    assert.deepEqual(after.filter((a) => norm(a) !== ''), [], 'no alert is shown after recovering');
  });

  await t('sort_by=fulfilment, then descending: cards in list_accounts order', async () => {
    const f = frame();
    await clearFilters(f, base);
    const asc = await mcp.tool('list_accounts', { sort_by: 'fulfilment', limit: PAGE_SIZE });
    await f.locator('select[name="sort_by"]').selectOption('fulfilment');
    await waitForView(f, 'cards sorted by fulfilment', { listing: asc });
    const desc = await mcp.tool('list_accounts', { sort_by: 'fulfilment', descending: true, limit: PAGE_SIZE });
    await f.locator('button[name="descending"]').click();
    await waitForView(f, 'cards sorted by fulfilment, descending', { listing: desc });
    await f.locator('button[name="descending"]').click();
    await f.locator('select[name="sort_by"]').selectOption('arr');
    await waitForView(f, 'cards sorted by arr again', { listing: base.listing });
  });

  for (const sortBy of ['readiness', 'renewal_date']) {
    await t(`sort_by=${sortBy}: cards in list_accounts({sort_by: "${sortBy}"}) order, and the first cards' text`, async () => {
      const f = frame();
      await clearFilters(f, base);
      const listing = await mcp.tool('list_accounts', { sort_by: sortBy, limit: PAGE_SIZE });
      await f.locator('select[name="sort_by"]').selectOption(sortBy);
      await waitForView(f, `cards sorted by ${sortBy}`, { listing });
      // Card content: the first three, plus (renewal_date) a passed renewal when this page has one.
      const sample = listing.accounts.slice(0, 3);
      const passed = listing.accounts.find((a) => a.days_to_renewal < 0);
      if (passed && !sample.includes(passed)) sample.push(passed);
      await checkCardTexts(f, sample);
      await f.locator('select[name="sort_by"]').selectOption('arr');
      await waitForView(f, 'cards sorted by arr again', { listing: base.listing });
    });
  }

  await t('card text: name, segment, ARR, band and fulfilment %, readiness, renewal days and next action of the first page', async () => {
    const f = frame();
    await clearFilters(f, base);
    const accounts = base.listing.accounts;
    const sample = [accounts[0], accounts.find((a) => a.band === 'critical'), accounts.find((a) => a.band === 'no_contract' || a.fulfilment === null),
      accounts.find((a) => a.days_to_renewal < 0), accounts.find((a) => a.readiness === 'ready')].filter(Boolean);
    await checkCardTexts(f, [...new Set(sample)]);
  });

  await t(`"Show more" appends the next page (next_cursor): ${PAGE_SIZE * 2} cards in list_accounts order`, async () => {
    const f = frame();
    assert.ok(base.listing.next_cursor, 'the demo has more than one page');
    const next = await mcp.tool('list_accounts', { limit: PAGE_SIZE, cursor: base.listing.next_cursor });
    const ids = [...base.listing.accounts, ...next.accounts].map((a) => a.id);
    await f.locator('button[name="show-more"]').or(f.getByRole('button', { name: /show\b.*\bmore/i })).first().click();
    const s = await until('two pages of cards', () => readState(f), (x) => x.state === 'ready' && sameList(x.cards, ids), WAIT);
    assert.equal(s.shown, String(ids.length), 'shown-count data-shown after Show more');
    assert.equal(s.total, String(base.listing.total), 'shown-count data-total after Show more');
    // Back to one page: a filter change starts the listing over.
    await f.locator('select[name="band"]').selectOption('critical');
    const critical = await mcp.tool('list_accounts', { band: 'critical', limit: PAGE_SIZE });
    const back = await waitForView(f, 'the band=critical view, one page again', { listing: critical, filters: { band: 'critical' } });
    assert.ok(back.cards.length <= PAGE_SIZE, `at most ${PAGE_SIZE} cards after a filter change (seen ${back.cards.length})`);
    assert.equal(back.shown, String(critical.accounts.length), 'shown-count data-shown is one page again');
    await clearFilters(f, base);
  });

  await t('clicking an account opens its scorecard with get_account_scorecard\'s outcomes; close hides it', async () => {
    const f = frame();
    await clearFilters(f, base);
    const account = base.listing.accounts.find((a) => a.outcomes_promised > 0) || base.listing.accounts[0];
    const card = await mcp.tool('get_account_scorecard', { account_id: account.id });
    await f.locator(`[data-account-id="${account.id}"]`).first().click();
    const sc = f.locator('[data-testid="scorecard"]');
    await sc.waitFor({ state: 'visible', timeout: WAIT.timeoutMs });
    const want = card.outcomes.map((o) => o.id).sort();
    const got = await until(`the scorecard of ${account.id} with ${want.length} outcomes`,
      () => sc.locator('[data-outcome-id]').evaluateAll((els) => els.map((e) => e.dataset.outcomeId)),
      (ids) => sameList([...ids].sort(), want), WAIT);
    assert.equal(got.length, card.outcomes.length);
    assert.ok((await sc.innerText()).includes(account.name), `the scorecard names ${account.name}`);
    await f.locator('button[name="close-scorecard"]').click();
    await sc.waitFor({ state: 'hidden', timeout: WAIT.timeoutMs });
  });

  await t('scorecard evidence: each outcome shows its evidence count and its confidence', async () => {
    const f = frame();
    await clearFilters(f, base);
    const account = base.listing.accounts.find((a) => a.outcomes_evidenced > 0);
    assert.ok(account, 'the first page has an account with evidenced outcomes');
    const card = await mcp.tool('get_account_scorecard', { account_id: account.id });
    assert.ok(card.outcomes.some((o) => o.evidence.length > 0), `${account.id} has evidence`);
    await f.locator(`[data-account-id="${account.id}"]`).first().click();
    const sc = f.locator('[data-testid="scorecard"]');
    await until(`the scorecard of ${account.id}, ready`, () => sc.evaluate((d) => ({ state: d.dataset.state, n: d.querySelectorAll('[data-outcome-id]').length })),
      (x) => x.state === 'ready' && x.n === card.outcomes.length, WAIT);
    try {
      await checkScorecardOutcomes(f, card);
    } finally {
      await closeScorecard(f);
    }
  });

  await t('keyboard: Tab reaches a stage button and Enter applies that stage', async () => {
    const f = frame();
    await clearFilters(f, base);
    await f.evaluate(() => { window.focus(); if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur(); });
    let stage;
    const tabbed = [];
    for (let i = 0; i < 150 && !stage; i++) {
      await ctx.page.keyboard.press('Tab');
      const focused = await f.evaluate(() => {
        const a = document.activeElement;
        if (!a || a === document.body) return null;
        return { stage: a.dataset ? a.dataset.stage : undefined, tag: a.tagName.toLowerCase(), name: a.getAttribute('name') || a.dataset.testid || a.id || (a.textContent || '').trim().slice(0, 20) };
      });
      if (focused) tabbed.push(focused.tag + (focused.name ? `[${focused.name}]` : ''));
      if (focused && focused.stage) stage = focused.stage;
    }
    assert.ok(stage, `Tab reached a stage button (focus went through: ${tabbed.slice(0, 40).join(', ')})`);
    const health = await mcp.tool('get_portfolio_health', { lifecycle_stage: stage });
    await ctx.page.keyboard.press('Enter');
    const s = await waitForView(f, `the lifecycle_stage=${stage} view after Enter`, { kpis: expectedKpis(health), filters: { lifecycle_stage: stage } });
    assert.equal(s.stages[stage].pressed, 'true', `${stage} aria-pressed after Enter`);
    await clearFilters(f, base);
  });

  await t('keyboard: Space on a focused stage button applies that stage', async () => {
    const f = frame();
    await clearFilters(f, base);
    const stage = 'adoption';
    const health = await mcp.tool('get_portfolio_health', { lifecycle_stage: stage });
    await f.evaluate(() => window.focus());
    await f.locator(`button[data-stage="${stage}"]`).focus();
    const focused = await f.evaluate(() => document.activeElement && document.activeElement.dataset && document.activeElement.dataset.stage);
    assert.equal(focused, stage, 'the stage button has the focus');
    await ctx.page.keyboard.press('Space');
    const s = await waitForView(f, `the lifecycle_stage=${stage} view after Space`, { kpis: expectedKpis(health), filters: { lifecycle_stage: stage } });
    assert.equal(s.stages[stage].pressed, 'true', `${stage} aria-pressed after Space`);
    await clearFilters(f, base);
  });

  await t('keyboard: Enter on a focused account card opens its scorecard; Escape closes it and focus returns to the card', async () => {
    const f = frame();
    await clearFilters(f, base);
    const account = base.listing.accounts[1] || base.listing.accounts[0];
    const card = await mcp.tool('get_account_scorecard', { account_id: account.id });
    await f.evaluate(() => window.focus());
    // The card's own button when it has one, else the card itself (focusable: tabindex or role=button).
    const target = await f.evaluate((id) => {
      const el = [...document.querySelectorAll(`[data-account-id="${CSS.escape(id)}"]`)].find((e) => !e.closest('[data-testid="scorecard"]'));
      if (!el) return { error: 'no card' };
      const button = el.querySelector('button');
      const t = button || el;
      if (!button && !(el.getAttribute('role') === 'button' || el.hasAttribute('tabindex'))) return { error: `the card is neither a button nor has one, nor role=button/tabindex: ${el.outerHTML.slice(0, 200)}` };
      t.scrollIntoView({ block: 'center' });
      t.focus();
      return { tag: t.tagName.toLowerCase(), focused: document.activeElement === t };
    }, account.id);
    assert.ok(!target.error, target.error);
    assert.ok(target.focused, `the card's ${target.tag} takes the focus`);
    await ctx.page.keyboard.press('Enter');
    const sc = f.locator('[data-testid="scorecard"]');
    await sc.waitFor({ state: 'visible', timeout: WAIT.timeoutMs });
    const opened = await until(`the scorecard of ${account.id} after Enter`, () => sc.evaluate((d) => ({
      state: d.dataset.state, ids: [...d.querySelectorAll('[data-outcome-id]')].map((e) => e.dataset.outcomeId).sort(), text: d.innerText.slice(0, 300),
    })), (x) => x.state === 'ready' && sameList(x.ids, card.outcomes.map((o) => o.id).sort()), WAIT);
    assert.ok(norm(opened.text).includes(account.name), `the scorecard names ${account.name}; seen ${JSON.stringify(norm(opened.text))}`);
    await ctx.page.keyboard.press('Escape');
    await sc.waitFor({ state: 'hidden', timeout: WAIT.timeoutMs });
    const back = await until('the focus back on the card', () => f.evaluate(() => {
      const a = document.activeElement;
      const c = a && a.closest && a.closest('[data-account-id]');
      return { card: c ? c.dataset.accountId : null, active: a ? a.tagName.toLowerCase() + (a.getAttribute('name') ? `[name=${a.getAttribute('name')}]` : '') : null };
    }), (x) => x.card === account.id, { timeoutMs: 5_000 });
    assert.equal(back.card, account.id);
  });

  await t('markup: no inline on* handler or javascript: URL anywhere, and no <script> beyond those present at load', async () => {
    const f = frame();
    const seen = await scanMarkup(f);
    assert.deepEqual(seen.handlers, [], 'inline event handler attributes / javascript: URLs');
    assert.ok(ctx.scriptsAtLoad, 'the scripts were recorded at load (first test)');
    assert.deepEqual(seen.scripts, ctx.scriptsAtLoad, 'the <script> elements now vs. at load');
  });

  await t('screenshots, wide (1400x900) and narrow (380x800); no horizontal scrolling when narrow', async () => {
    const f = frame();
    await clearFilters(f, base);
    fs.mkdirSync(ctx.shotDir, { recursive: true });
    await ctx.page.setViewportSize({ width: 1400, height: 900 });
    await waitForView(f, 'the unfiltered view (wide)', { kpis: base.kpis, listing: base.listing });
    // No focus ring or hover left over from the keyboard and click checks.
    await f.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
    await ctx.page.mouse.move(0, 0);
    await ctx.page.evaluate(() => window.scrollTo(0, 0));
    await ctx.page.screenshot({ path: path.join(ctx.shotDir, `${ctx.shotPrefix}-wide.png`) });
    await ctx.page.setViewportSize({ width: 380, height: 800 });
    await waitForView(f, 'the unfiltered view (narrow)', { kpis: base.kpis });
    const overflow = await until('the narrow layout to settle', () => f.evaluate(() => {
      const d = document.documentElement;
      return { scrollWidth: d.scrollWidth, clientWidth: d.clientWidth };
    }), (o) => o.scrollWidth <= o.clientWidth, { timeoutMs: 5_000 }).catch((e) => e);
    await ctx.page.evaluate(() => window.scrollTo(0, 0));
    await ctx.page.screenshot({ path: path.join(ctx.shotDir, `${ctx.shotPrefix}-narrow.png`) });
    await ctx.page.setViewportSize({ width: 1400, height: 900 });
    if (overflow instanceof Error) throw overflow;
  });
}
