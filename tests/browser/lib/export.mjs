// `export=csv` in the page's address (the page served at /): the file the browser downloads is read back and its
// content compared with the tools' own answers, asked in this run with the same arguments.
import fs from 'node:fs';
import { test, until, assert } from './harness.mjs';
import { WAIT } from './scenario.mjs';

export const ACCOUNT_COLUMNS = ['id', 'name', 'segment', 'tier', 'csm', 'arr', 'fulfilment', 'band', 'outcomes_promised', 'outcomes_evidenced',
  'outcomes_overdue', 'readiness', 'renewal_date', 'days_to_renewal', 'renewal_flag', 'renewal_risk', 'lifecycle_stage', 'next_action', 'next_action_reason'];

/** RFC 4180: quoted fields, "" for a quote inside, CRLF between records. Returns the records as arrays of text. */
export function parseCsv(text) {
  const records = [];
  let field = '', record = [], i = 0, quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; i++; continue; }
    if (c === ',') { record.push(field); field = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { record.push(field); records.push(record); field = ''; record = []; i += 2; continue; }
    field += c; i++;
  }
  if (field !== '' || record.length) { record.push(field); records.push(record); }
  return records;
}

/** A cell as the page writes a tool value: numbers as JSON prints them, null as empty, text that a spreadsheet would read as a formula prefixed with '. */
function cell(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

async function listAll(mcp, args) {
  const accounts = [];
  let cursor = null;
  do {
    const page = await mcp.tool('list_accounts', { ...args, limit: 200, ...(cursor ? { cursor } : {}) });
    accounts.push(...page.accounts);
    cursor = page.next_cursor;
  } while (cursor);
  return accounts;
}

/** Opens an address of the page and returns the text of the file it downloads, and the export line it shows. */
async function exported(page, origin, query) {
  const download = page.waitForEvent('download', { timeout: WAIT.timeoutMs });
  await page.goto(`${origin}/?${query}`);
  const file = await download;
  const text = fs.readFileSync(await file.path(), 'utf8');
  const status = await until(`the export line of /?${query}`, () => page.evaluate(() => {
    const s = document.getElementById('export-status');
    return s ? { state: s.dataset.state, rows: s.dataset.rows, filename: s.dataset.filename, text: s.innerText, hidden: s.hidden } : null;
  }), (s) => s && s.state === 'done', WAIT);
  return { text, filename: file.suggestedFilename(), status };
}

export async function exportTests({ page, origin, mcp, base }) {
  const asOf = base.health.as_of;

  await test('browser: /?export=csv&band=critical&sort_by=fulfilment downloads every critical account, in that order, with the tools\' figures', async () => {
    const { text, filename, status } = await exported(page, origin, 'export=csv&band=critical&sort_by=fulfilment');
    const want = await listAll(mcp, { band: 'critical', sort_by: 'fulfilment' });
    assert.ok(want.length > 0, 'the demo has critical accounts');
    assert.equal(filename, `accounts-${asOf}.csv`);
    const [header, ...rows] = parseCsv(text);
    assert.deepEqual(header, ACCOUNT_COLUMNS, 'the header');
    assert.deepEqual(rows.map((r) => r[0]), want.map((a) => a.id), 'one row per account of list_accounts (every page), in its order');
    for (const [row, a] of rows.map((r, i) => [r, want[i]])) {
      const expected = [a.id, a.name, a.segment, a.tier, a.csm, a.arr, a.fulfilment, a.band, a.outcomes_promised, a.outcomes_evidenced, a.outcomes_overdue,
        a.readiness, a.renewal_date, a.days_to_renewal, a.renewal_flag, a.renewal_risk, a.lifecycle_stage, a.next_action.kind, a.next_action.reason].map(cell);
      assert.deepEqual(row, expected, `the row of ${a.id}`);
    }
    assert.equal(status.rows, String(want.length), 'the export line counts the accounts');
    assert.ok(status.text.includes(filename), `the export line names the file (${JSON.stringify(status.text)})`);
    // The view shows the address's slice too.
    const health = await mcp.tool('get_portfolio_health', { band: 'critical' });
    const kpi = await page.locator('[data-kpi="arr_managed"]').getAttribute('data-value');
    assert.equal(kpi, String(health.kpis.arr_managed), 'the KPIs of the address\'s filters');
  });

  await test('browser: /?export=csv&what=board downloads the board figures, equal to retention_metrics, renewal_forecast and get_portfolio_health', async () => {
    const { text, filename } = await exported(page, origin, 'export=csv&what=board');
    assert.equal(filename, `board-figures-${asOf}.csv`);
    const [header, ...rows] = parseCsv(text);
    assert.deepEqual(header, ['chart', 'period', 'item', 'measure', 'value']);
    const charts = await page.evaluate(() => JSON.parse(JSON.stringify(window.__valuemcp.lastArgs.charts)));
    const value = (chart, item, measure) => rows.filter((r) => r[0] === chart && r[2] === item && r[3] === measure).map((r) => r[4]);
    const bridge = await mcp.tool('retention_metrics', charts.bridge);
    for (const m of ['starting_arr', 'expansion', 'contraction', 'churn', 'ending_arr', 'nrr', 'grr', 'logo_retention'])
      assert.deepEqual(value('arr_bridge', 'all', m), [cell(bridge.total[m])], `arr_bridge all ${m}`);
    for (const row of bridge.rows) assert.deepEqual(value('arr_bridge', row.group, 'nrr'), [cell(row.nrr)], `arr_bridge ${row.group} nrr`);
    const cohorts = await mcp.tool('retention_metrics', charts.cohorts);
    for (const row of cohorts.rows)
      for (const m of ['starting_arr', 'nrr', 'grr', 'logo_retention']) assert.deepEqual(value(`retention_${cohorts.group_by}`, row.group, m), [cell(row[m])], `cohort ${row.group} ${m}`);
    const forecast = await mcp.tool('renewal_forecast', charts.range);
    for (const m of ['total', 'arr_due', 'downside', 'base', 'upside']) assert.deepEqual(value('renewal_forecast', 'all', m), [cell(forecast[m])], `renewal_forecast ${m}`);
    const health = await mcp.tool('get_portfolio_health', {});
    for (const r of health.fulfilment_distribution) assert.deepEqual(value('fulfilment_distribution', r.range, 'count'), [cell(r.count)], `fulfilment ${r.range} count`);
    for (const m of health.renewals_by_month) assert.deepEqual(value('renewals_by_month', m.month, 'arr'), [cell(m.arr)], `renewals ${m.month} arr`);
  });

  await test('browser: /?export=xls says export=csv is what is accepted, and downloads nothing', async () => {
    let downloads = 0;
    const count = () => downloads++;
    page.on('download', count);
    try {
      await page.goto(`${origin}/?export=xls`);
      const s = await until('the export line of /?export=xls', () => page.evaluate(() => {
        const s = document.getElementById('export-status');
        return s ? { state: s.dataset.state, text: s.innerText } : null;
      }), (s) => s && s.state === 'error', WAIT);
      assert.ok(s.text.includes('export=csv'), `the line says what is accepted (${JSON.stringify(s.text)})`);
      await page.locator('body[data-state="ready"]').waitFor({ state: 'attached', timeout: WAIT.timeoutMs });
      assert.equal(downloads, 0, 'no file');
    } finally {
      page.off('download', count);
    }
  });

  // Back to the plain page for whatever runs next.
  await page.goto(`${origin}/`);
  await page.locator('body[data-state="ready"]').waitFor({ state: 'attached', timeout: WAIT.timeoutMs });
}
