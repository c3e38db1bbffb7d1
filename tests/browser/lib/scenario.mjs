// The checks both surfaces share (the app inside the test host, and the page `serve --http` serves at /). Every
// expected value is the tool's own answer, fetched from the same server in the same run with the same arguments.
import fs from 'node:fs';
import path from 'node:path';
import { test, until, assert } from './harness.mjs';

export const KPIS = ['arr_managed', 'on_track_pct', 'expansion_ready_count', 'arr_at_risk'];
export const STAGES = ['onboarding', 'first_value', 'adoption', 'renewal', 'expansion'];
export const BAND_LABELS = { on_track: 'On track', at_risk: 'At risk', critical: 'Critical', no_contract: 'No contract' };
export const PAGE_SIZE = 50;
const FILTER_KEYS = ['segment', 'tier', 'csm', 'lifecycle_stage', 'band', 'readiness', 'renewal_flag', 'renewal_within_days', 'min_arr'];
const WAIT = { timeoutMs: 45_000 };

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

function sameList(a, b) {
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

async function clearFilters(frame, base) {
  const state = await readState(frame);
  if (Object.keys(activeFilters(state.lastArgs && state.lastArgs.health)).length === 0 && sameKpis(state.kpis, base.kpis)) return;
  await frame.locator('button[name="clear-filters"]').click();
  await waitForView(frame, 'the unfiltered view after clear-filters', { kpis: base.kpis, listing: base.listing, filters: {} });
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
    await clearFilters(f, base);
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
    await waitForView(f, 'the band=critical view', { filters: { band: 'critical' } });
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

  await t('screenshots, wide (1400x900) and narrow (380x800); no horizontal scrolling when narrow', async () => {
    const f = frame();
    await clearFilters(f, base);
    fs.mkdirSync(ctx.shotDir, { recursive: true });
    await ctx.page.setViewportSize({ width: 1400, height: 900 });
    await waitForView(f, 'the unfiltered view (wide)', { kpis: base.kpis, listing: base.listing });
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
