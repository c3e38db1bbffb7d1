// The charts of the view (ARR bridge, retention by cohort, renewal range), on both surfaces. Every expected figure is
// the tool's own answer, asked in this run with the arguments the chart used (window.__valuemcp.lastArgs.charts),
// and those arguments are checked too (the board's default period, the view's filters).
import path from 'node:path';
import fs from 'node:fs';
import { test, until, assert } from './harness.mjs';
import { clearFilters, waitForView, expectedKpis, PAGE_SIZE, WAIT } from './scenario.mjs';

/** The last full quarter before as_of, [start, end): the board prompt's default period. */
export function lastFullQuarter(asOf) {
  const year = Number(asOf.slice(0, 4));
  const q = Math.floor((Number(asOf.slice(5, 7)) - 1) / 3); // 0-based quarter of as_of
  const n = year * 4 + q - 1;
  const start = `${Math.floor(n / 4)}-${String((n % 4) * 3 + 1).padStart(2, '0')}-01`;
  const m = n + 1;
  const end = `${Math.floor(m / 4)}-${String((m % 4) * 3 + 1).padStart(2, '0')}-01`;
  return { start, end };
}

function addDays(iso, days) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The bridge steps a retention row gives: start, each lane with expansion, contraction, churn, end. */
export function expectedSteps(row) {
  return [
    ['starting_arr', row.starting_arr],
    ...Object.entries(row.expansion_by_lane).filter(([, v]) => v !== 0).map(([lane, v]) => [`expansion:${lane}`, v]),
    ['contraction', row.contraction],
    ['churn', row.churn],
    ['ending_arr', row.ending_arr],
  ].map(([k, v]) => [k, String(v)]);
}

/** The five forecast accounts with the largest gap between upside and downside (then ARR, then id). */
export function expectedMovers(forecast) {
  return forecast.accounts
    .filter((a) => a.upside !== a.downside)
    .sort((a, b) => (b.upside - b.downside) - (a.upside - a.downside) || b.arr - a.arr || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, 5)
    .map((a) => a.id);
}

function readChart(frame, chart) {
  return frame.evaluate((chart) => {
    const fig = document.querySelector(`figure[data-chart="${chart}"]`);
    if (!fig) return null;
    const steps = [...fig.querySelectorAll('[data-step]')].map((g) => ({
      key: g.dataset.step, value: g.dataset.value,
      text: g.querySelector('.bar-value')?.textContent ?? '', fill: g.querySelector('rect')?.getAttribute('fill') ?? null,
    }));
    const cells = [...fig.querySelectorAll('tr[data-cohort]')].map((tr) => ({
      cohort: tr.dataset.cohort,
      measures: Object.fromEntries([...tr.querySelectorAll('td[data-measure]')].map((td) => [td.dataset.measure, { value: td.dataset.value, text: td.textContent.trim() }])),
    }));
    const figures = Object.fromEntries([...fig.querySelectorAll('[data-figure]')].map((g) => [g.dataset.figure, { value: g.dataset.value, text: g.textContent.trim() }]));
    const movers = [...fig.querySelectorAll('[data-mover-id]')].map((li) => li.dataset.moverId);
    const vm = window.__valuemcp;
    return {
      state: fig.dataset.state, opened: fig.dataset.opened === 'true', group: fig.dataset.group ?? null, steps, cells, figures, movers,
      args: vm && vm.lastArgs && vm.lastArgs.charts ? JSON.parse(JSON.stringify(vm.lastArgs.charts[chart] ?? null)) : null,
      text: fig.innerText,
    };
  }, chart);
}

/** Waits until the chart is ready and `check` holds for what it shows. */
function waitChart(frame, chart, what, check = () => true) {
  return until(what, () => readChart(frame, chart), (c) => c && c.state === 'ready' && check(c), WAIT);
}

const sameSteps = (c, steps) => JSON.stringify(c.steps.map((s) => [s.key, s.value])) === JSON.stringify(steps);

export async function chartTests(ctx) {
  const { label, mcp, base } = ctx;
  const frame = () => ctx.frame();
  const t = (name, fn) => test(`${label}: charts: ${name}`, fn);
  const asOf = base.health.as_of;
  const quarter = lastFullQuarter(asOf);

  await t('ARR bridge equals retention_metrics for the last full quarter (the board default), every bar labelled, losses hatched', async () => {
    const f = frame();
    const c = await waitChart(f, 'bridge', 'the bridge', (c) => c.args && c.args.period_start === quarter.start);
    assert.deepEqual({ ...c.args }, { period_start: quarter.start, period_end: quarter.end, group_by: 'segment', as_of: asOf }, 'the bridge\'s retention_metrics arguments');
    const answer = await mcp.tool('retention_metrics', c.args);
    const want = expectedSteps(answer.total);
    const seen = await waitChart(f, 'bridge', 'the bridge steps of the answer', (c) => sameSteps(c, want));
    for (const s of seen.steps) {
      assert.ok(/\d/.test(s.text), `bar ${s.key} shows its amount in text (${JSON.stringify(s.text)})`);
      if (s.key === 'contraction' || s.key === 'churn') assert.equal(s.fill, 'url(#bridge-loss)', `${s.key} is hatched, not only coloured`);
    }
    assert.ok(seen.text.includes('NRR'), 'the bridge states NRR beside it');
  });

  await t('ARR bridge per segment: the segment\'s row of the same answer; its link filters the account list to that segment', async () => {
    const f = frame();
    const c = await waitChart(f, 'bridge', 'the bridge', (c) => c.args && c.args.period_start === quarter.start);
    const answer = await mcp.tool('retention_metrics', c.args);
    const row = answer.rows.find((r) => r.group !== '');
    assert.ok(row, 'retention_metrics by segment has a named segment');
    await f.locator('select[name="bridge-segment"]').selectOption(row.group);
    await waitChart(f, 'bridge', `the bridge of ${row.group}`, (c) => c.group === row.group && sameSteps(c, expectedSteps(row)));
    await f.locator('button[name="bridge-accounts"]').click();
    const health = await mcp.tool('get_portfolio_health', { segment: row.group });
    const listing = await mcp.tool('list_accounts', { segment: row.group, limit: PAGE_SIZE });
    await waitForView(f, `the account list of ${row.group}`, { kpis: expectedKpis(health), listing, filters: { segment: row.group } });
    await clearFilters(f, base);
  });

  await t('retention by cohort: a heat map with NRR, GRR and logo retention of retention_metrics by cohort_year in the cells (as numbers); by quarter too', async () => {
    const f = frame();
    for (const by of ['year', 'quarter']) {
      await f.locator('select[name="cohort-by"]').selectOption(by);
      const c = await waitChart(f, 'cohorts', `the cohort heat map by ${by}`, (c) => c.args && c.args.group_by === `cohort_${by}`);
      assert.deepEqual({ ...c.args }, { period_start: quarter.start, period_end: quarter.end, group_by: `cohort_${by}`, as_of: asOf });
      const answer = await mcp.tool('retention_metrics', c.args);
      const want = answer.rows.map((r) => [r.group, ['nrr', 'grr', 'logo_retention'].map((m) => (r[m] === null ? '' : String(r[m])))]);
      const seen = await waitChart(f, 'cohorts', `the cells of the answer by ${by}`, (c) =>
        JSON.stringify(c.cells.map((x) => [x.cohort, ['nrr', 'grr', 'logo_retention'].map((m) => x.measures[m]?.value)])) === JSON.stringify(want));
      for (const row of seen.cells) for (const m of ['nrr', 'grr', 'logo_retention'])
        if (row.measures[m].value !== '') assert.match(row.measures[m].text, /\d+(\.\d)?\s?%/, `cohort ${row.cohort} ${m} reads as a number in its cell`);
    }
    await f.locator('select[name="cohort-by"]').selectOption('year');
  });

  await t('retention by cohort: a cohort\'s name lists that cohort\'s accounts (list_accounts cohort_year / cohort_quarter), by click and by keyboard', async () => {
    const f = frame();
    for (const by of ['year', 'quarter']) {
      await clearFilters(f, base);
      await f.locator('select[name="cohort-by"]').selectOption(by);
      const c = await waitChart(f, 'cohorts', `the cohort heat map by ${by}`, (c) => c.args && c.args.group_by === `cohort_${by}`);
      const answer = await mcp.tool('retention_metrics', c.args);
      await waitChart(f, 'cohorts', `the rows of the answer by ${by}`, (c) => JSON.stringify(c.cells.map((x) => x.cohort)) === JSON.stringify(answer.rows.map((r) => r.group)));
      // The largest cohort by logos (a link to an empty list would prove little).
      const cohort = [...answer.rows].filter((r) => r.group !== '').sort((a, b) => b.logos_start - a.logos_start)[0]?.group;
      assert.ok(cohort, `retention_metrics by cohort_${by} has a cohort`);
      const key = `cohort_${by}`;
      const link = f.locator(`figure[data-chart="cohorts"] button[data-cohort-link="${cohort}"]`);
      if (by === 'year') await link.click();
      else await link.press('Enter');
      const health = await mcp.tool('get_portfolio_health', { [key]: cohort });
      const listing = await mcp.tool('list_accounts', { [key]: cohort, limit: PAGE_SIZE });
      assert.ok(listing.total > 0, `cohort ${cohort} has active accounts`);
      await waitForView(f, `the accounts of cohort ${cohort}`, { kpis: expectedKpis(health), listing, filters: { [key]: cohort } });
      const chip = await f.locator(`[data-filter="${key}"]`).innerText();
      assert.ok(chip.includes(cohort), `a removable chip names the cohort (${JSON.stringify(chip)})`);
    }
    await clearFilters(f, base);
    await f.locator('select[name="cohort-by"]').selectOption('year');
  });

  await t('renewal range equals renewal_forecast (the prompts\' window around as_of), names the accounts that move it, each opening its scorecard (click and keyboard)', async () => {
    const f = frame();
    const window = { period_start: addDays(asOf, -90), period_end: addDays(asOf, 91) };
    const c = await waitChart(f, 'range', 'the range', (c) => c.args && c.args.period_start === window.period_start && !c.args.band);
    assert.deepEqual({ ...c.args }, { ...window, as_of: asOf }, 'the range\'s renewal_forecast arguments');
    const answer = await mcp.tool('renewal_forecast', c.args);
    // The page shows the tool's own movers; the test re-derives them from the per-account figures as a cross-check.
    const movers = answer.movers.map((m) => m.id);
    assert.deepEqual(movers, expectedMovers(answer), 'renewal_forecast\'s movers are the five largest upside - downside gaps of its accounts');
    const seen = await waitChart(f, 'range', 'the range of the answer', (c) =>
      ['arr_due', 'downside', 'base', 'upside'].every((k) => c.figures[k] && c.figures[k].value === String(answer[k])) && JSON.stringify(c.movers) === JSON.stringify(movers));
    for (const k of ['downside', 'base', 'upside']) assert.ok(/\d/.test(seen.figures[k].text), `${k} in text`);
    if (movers.length) {
      const first = answer.accounts.find((a) => a.id === movers[0]);
      const button = f.locator(`[data-mover-id="${movers[0]}"] button`);
      await button.click();
      const sc = f.locator('[data-testid="scorecard"]');
      await until('the scorecard of the first mover', () => sc.evaluate((d) => ({ state: d.dataset.state, text: d.innerText.slice(0, 200) })),
        (x) => x.state === 'ready' && x.text.includes(first.name), WAIT);
      await ctx.page.keyboard.press('Escape');
      await sc.waitFor({ state: 'hidden', timeout: WAIT.timeoutMs });
      await button.press('Enter');
      await until('the scorecard again, from the keyboard', () => sc.evaluate((d) => ({ state: d.dataset.state, text: d.innerText.slice(0, 200) })),
        (x) => x.state === 'ready' && x.text.includes(first.name), WAIT);
      await ctx.page.keyboard.press('Escape');
      await sc.waitFor({ state: 'hidden', timeout: WAIT.timeoutMs });
    }
  });

  await t('renewal range follows the view\'s filters (band=critical), and its link filters the list to renewals within 90 days', async () => {
    const f = frame();
    await f.locator('select[name="band"]').selectOption('critical');
    const c = await waitChart(f, 'range', 'the range for band critical', (c) => c.args && c.args.band === 'critical');
    const answer = await mcp.tool('renewal_forecast', c.args);
    await waitChart(f, 'range', 'the critical range of the answer', (c) => ['arr_due', 'downside', 'base', 'upside'].every((k) => c.figures[k].value === String(answer[k])));
    await clearFilters(f, base);
    await f.locator('button[name="range-accounts"]').click();
    const args = { renewal_within_days: 90 };
    const health = await mcp.tool('get_portfolio_health', args);
    const listing = await mcp.tool('list_accounts', { ...args, limit: PAGE_SIZE });
    await waitForView(f, 'the renewals within 90 days', { kpis: expectedKpis(health), listing, filters: args });
    await clearFilters(f, base);
  });

  await t('fulfilment distribution and renewals by month equal get_portfolio_health\'s own fields, for the view\'s filters; a band link lists that band', async () => {
    const f = frame();
    const check = async (filters) => {
      const health = await mcp.tool('get_portfolio_health', filters);
      const wantRanges = JSON.stringify(health.fulfilment_distribution.map((r) => [r.range, r.band, String(r.count), String(r.arr)]));
      await until(`the fulfilment distribution for ${JSON.stringify(filters)}`, () => f.evaluate(() => [...document.querySelectorAll('figure[data-chart="fulfilment"] [data-range]')]
        .map((g) => [g.dataset.range, g.dataset.band, g.dataset.count, g.dataset.arr])), (x) => JSON.stringify(x) === wantRanges, WAIT);
      const wantMonths = JSON.stringify([['passed', health.renewals_passed], ...health.renewals_by_month.map((m) => [m.month, m])]
        .map(([k, d]) => [k, String(d.count), String(d.arr), ['high', 'medium', 'low', 'none'].filter((r) => d.by_risk[r].count > 0).map((r) => [r, String(d.by_risk[r].count), String(d.by_risk[r].arr)])]));
      await until(`the renewals by month for ${JSON.stringify(filters)}`, () => f.evaluate(() => [...document.querySelectorAll('figure[data-chart="renewals"] [data-month]')]
        .map((g) => [g.dataset.month, g.dataset.count, g.dataset.arr, [...g.querySelectorAll('[data-risk]')].map((r) => [r.dataset.risk, r.dataset.count, r.dataset.arr])])), (x) => JSON.stringify(x) === wantMonths, WAIT);
      const texts = await f.evaluate(() => [...document.querySelectorAll('figure[data-chart="renewals"] [data-month] .bar-value, figure[data-chart="fulfilment"] [data-range] .bar-value')].map((e) => e.textContent));
      assert.ok(texts.every((x) => /\d/.test(x)), `every bar says its count in text (${JSON.stringify(texts)})`);
    };
    await check({});
    await f.locator('select[name="segment"]').selectOption(base.health.by_segment.map((s) => s.segment).find(Boolean));
    await check({ segment: await f.locator('select[name="segment"]').inputValue() });
    await clearFilters(f, base);
    await f.locator('figure[data-chart="fulfilment"] button[data-band-link="critical"]').press('Enter');
    const health = await mcp.tool('get_portfolio_health', { band: 'critical' });
    const listing = await mcp.tool('list_accounts', { band: 'critical', limit: PAGE_SIZE });
    await waitForView(f, 'the critical accounts from the fulfilment chart\'s link', { kpis: expectedKpis(health), listing, filters: { band: 'critical' } });
    await clearFilters(f, base);
    await f.locator('figure[data-chart="renewals"] button[data-within-link="180"]').click();
    const h180 = await mcp.tool('get_portfolio_health', { renewal_within_days: 180 });
    await waitForView(f, 'the renewals within 180 days from the renewals chart\'s link', { kpis: expectedKpis(h180), filters: { renewal_within_days: 180 } });
    await clearFilters(f, base);
  });

  await t('chart screenshots (bridge, cohorts, range, fulfilment, renewals) to docs/screenshots', async () => {
    const f = frame();
    fs.mkdirSync(ctx.shotDir, { recursive: true });
    for (const chart of ['bridge', 'cohorts', 'range', 'fulfilment', 'renewals']) {
      await waitChart(f, chart, `the ${chart} chart`);
      await f.locator(`figure[data-chart="${chart}"]`).screenshot({ path: path.join(ctx.shotDir, `${ctx.shotPrefix}-chart-${chart}.png`) });
    }
  });
}

/** Host only: a retention_metrics or renewal_forecast result opens its chart, drawn from that result. */
export async function openedByToolTests({ openHost, mcp, base }) {
  const asOf = base.health.as_of;
  const quarter = lastFullQuarter(asOf);
  const cases = [
    { tool: 'retention_metrics', args: { period_start: quarter.start, period_end: quarter.end, as_of: asOf }, chart: 'bridge' },
    { tool: 'retention_metrics', args: { period_start: `${Number(asOf.slice(0, 4)) - 1}-01-01`, period_end: `${asOf.slice(0, 4)}-01-01`, group_by: 'cohort_quarter', as_of: asOf }, chart: 'cohorts' },
    { tool: 'renewal_forecast', args: { period_start: asOf, period_end: addDays(asOf, 180), as_of: asOf }, chart: 'range' },
  ];
  for (const k of cases) {
    await test(`host: a ${k.tool} result (${JSON.stringify(k.args)}) opens the ${k.chart} chart with that answer's figures`, async () => {
      const answer = await mcp.tool(k.tool, k.args);
      const opened = await openHost(k.args, k.tool);
      try {
        const c = await waitChart(opened.frame, k.chart, `the ${k.chart} chart opened`, (c) => {
          if (!c.opened) return false;
          if (k.chart === 'bridge') return sameSteps(c, expectedSteps(answer.total));
          if (k.chart === 'cohorts') return JSON.stringify(c.cells.map((x) => [x.cohort, x.measures.nrr?.value])) === JSON.stringify(answer.rows.map((r) => [r.group, r.nrr === null ? '' : String(r.nrr)]));
          return ['arr_due', 'downside', 'base', 'upside'].every((x) => c.figures[x] && c.figures[x].value === String(answer[x]));
        });
        assert.ok(c.opened);
        assert.deepEqual(opened.problems, [], 'no console error, uncaught exception or CSP violation');
      } finally {
        await opened.page.context().close().catch(() => {});
      }
    });
  }
}
