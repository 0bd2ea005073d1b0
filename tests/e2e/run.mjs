// End-to-end tests of epiledger's pages in a real browser, against a live `epiledger serve` on the
// real history (a new database is filled with the shipped history on first use):
//
// - the dashboard shows for 2020-06-19 the same figures as the ledger (`epiledger show`);
// - a reporter submits a day through the form, sees an error for a bad field, fixes it;
// - a compiler publishes it, and the public page shows it;
// - the reporter revises it with a reason; the compiler publishes the revision with its errata;
//   the public page shows the new figures, and the first release as it was published (as-of);
// - the Rt chart with its band, the logarithmic scale, 7-day averages, the map per 100,000;
// - downloads, keyboard access, labels, and that no request leaves the server.
//
// Screenshots of each page go to target/e2e/screenshots/. Usage: node run.mjs [--keep]
// (EPILEDGER_BIN, EPILEDGER_CHROMIUM override the binary and the browser.)

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { browser, cli, OUT, scratch, startServer, token, within } from './lib.mjs';

const SHOTS = path.join(OUT, 'screenshots');
// What the server's renderer writes of Beijing's 5 local cases (the desk's preview): with no
// national total (a single unit's local figures), the plain bulletin of every figure.
const PREVIEW_ZH = /北京市：新增确诊病例（本土）5例/;
const PREVIEW_EN = /Beijing: new confirmed cases \(local\): 5/;
const TEST_TIMEOUT_MS = 120000;
const results = [];
const offsite = [];

function shotPath(name) { return path.join(SHOTS, name + '.png'); }

async function shot(page, name, opts = {}) {
  await page.screenshot({ path: shotPath(name), fullPage: true, ...opts });
}

async function test(name, fn) {
  const started = Date.now();
  try {
    await within(TEST_TIMEOUT_MS, `test "${name}"`, fn());
    results.push({ name, ok: true, ms: Date.now() - started });
    console.log(`  ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false, ms: Date.now() - started, error: e });
    console.log(`  FAIL ${name}: ${String(e && e.message || e).split('\n').slice(0, 12).join('\n       ')}`);
  }
}

/** The figures of a day in the ledger, from the command line: "region|origin|measure" → value. */
async function ledgerDay(db, date) {
  const day = JSON.parse(await cli(['--db', db, 'show', date, '--format', 'json']));
  const out = new Map();
  for (const f of day.facts) out.set(`${f.region}|${f.origin}|${f.measure}`, f.value);
  return out;
}

async function signIn(page, secret) {
  await page.fill('#token', secret);
  await page.click('#signin-form button[type=submit]');
  await page.waitForSelector('body[data-ready]');
}

async function cardValue(page, measure) {
  return page.getAttribute(`.card[data-measure="${measure}"]`, 'data-value');
}

async function main() {
  fs.rmSync(SHOTS, { recursive: true, force: true });
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = scratch('e2e');
  const db = path.join(dir, 'e2e.db');
  // The tokens are made on the database file before the server starts.
  const reporterToken = await token(db, 'reporter', '110000');
  const compilerToken = await token(db, 'compiler');
  // The case register: the first weeks of the history as synthetic people.
  const casesFile = path.join(dir, 'cases.csv');
  await cli(['cases', 'simulate', '--to', '2020-02-29', '--out', casesFile]);
  await cli(['--db', db, 'cases', 'import', casesFile]);
  const server = await startServer(db, path.join(OUT, 'server.log'));
  const base = server.base;
  console.log(`epiledger serve at ${base} (pid ${server.pid}), database ${db}`);
  const { context, close } = await browser();
  context.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(base + '/') && !u.startsWith('blob:') && !u.startsWith('data:')) offsite.push(u);
  });
  // Nothing may be fetched from elsewhere: such requests fail, and are counted.
  await context.route((url) => !url.href.startsWith(base + '/'), (route) => route.abort('blockedbyclient'));
  const pageErrors = [];
  const newPage = async () => {
    const p = await context.newPage();
    p.on('pageerror', (e) => pageErrors.push(`${p.url()}: ${e.message} ${(e.stack || '').split('\n').slice(1, 4).join(' | ')}`));
    return p;
  };

  const published = await (await fetch(base + '/api/v1/releases?from=2022-09-01')).json();
  const lastDay = published.releases.map((r) => r.date).sort().at(-1);
  const nextDay = new Date(Date.parse(lastDay + 'T00:00:00Z') + 86400e3).toISOString().slice(0, 10);

  try {
    // ---------------------------------------------------------------- the public dashboard
    const dash = await newPage();
    await test('the dashboard shows for 2020-06-19 the same figures as the ledger', async () => {
      const ledger = await ledgerDay(db, '2020-06-19');
      assert.ok(ledger.size > 20, `the ledger has ${ledger.size} figures of 2020-06-19`);
      await dash.goto(base + '/?date=2020-06-19&lang=en');
      await dash.waitForSelector('body[data-day="2020-06-19"]');
      // Every figure of the day, in the table of the ledger's figures.
      await dash.click('#facts-details summary');
      const shown = new Map(await dash.$$eval('#facts-table tr[data-fact]',
        (rows) => rows.map((r) => [r.dataset.fact, Number(r.dataset.value)])));
      const missing = [...ledger].filter(([k, v]) => shown.get(k) !== v).map(([k, v]) => `${k}=${v} (shown ${shown.get(k)})`);
      const extra = [...shown].filter(([k]) => !ledger.has(k)).map(([k, v]) => `${k}=${v}`);
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, 'the figures on screen differ from the ledger');
      // The headline figures of the nation.
      for (const m of ['confirmed_new', 'deaths_new', 'confirmed_current', 'confirmed_cumulative', 'deaths_cumulative']) {
        const want = ledger.get(`100000|all|${m}`);
        assert.equal(await cardValue(dash, m), String(want), `headline ${m}`);
        const text = await dash.textContent(`.card[data-measure="${m}"] .card-value`);
        assert.equal(text.replace(/[^\d]/g, ''), String(want), `headline ${m} as written`);
      }
      assert.match(await dash.textContent('.card[data-measure="confirmed_new"] .card-parts'), /local 23 · imported 4/);
      // The regions' table: every unit's local and imported new cases.
      const cells = await dash.$$eval('#units-table tbody tr[data-region] td[data-col]',
        (tds) => tds.map((td) => [td.closest('tr').dataset.region, td.dataset.col, td.dataset.value]));
      let checked = 0;
      // A unit the bulletin does not list, where the listed ones add up to the national figure,
      // had 0 (implied, as GET /facts?implied=true says, and marked as such); otherwise missing.
      const impliedCsv = await (await fetch(base + '/api/v1/facts?from=2020-06-19&to=2020-06-19&implied=true')).text();
      const implied = new Set(impliedCsv.split('\n').filter((l) => l.endsWith(',implied')).map((l) => l.split(',').slice(1, 4).join('|')));
      let impliedShown = 0;
      for (const [region, col, value] of cells) {
        const origin = { new_local: 'local', new_imported: 'imported' }[col];
        if (!origin) continue;
        const want = ledger.get(`${region}|${origin}|confirmed_new`);
        const isImplied = want === undefined && implied.has(`${region}|${origin}|confirmed_new`);
        assert.equal(value, want !== undefined ? String(want) : isImplied ? '0' : '', `${region} ${col}`);
        if (isImplied) {
          impliedShown++;
          assert.equal(await dash.getAttribute(`#units-table tr[data-region="${region}"] td[data-col="${col}"]`, 'class'), 'num implied');
        }
        checked++;
      }
      assert.ok(impliedShown >= 50, `${impliedShown} implied zeros shown`);
      assert.ok(checked >= 64, `checked ${checked} cells of the table`);
      // The bulletin, the charts and the map are there.
      assert.match(await dash.textContent('#bulletin'), /Beijing/);
      await dash.waitForSelector('body[data-charts="ready"]');
      assert.ok(await dash.$('#chart-new canvas'), 'the curves are drawn');
      await dash.waitForSelector('#map canvas');
      assert.match(await dash.getAttribute('#map', 'aria-label'), /Beijing 22/);
      await dash.waitForTimeout(300);
      await shot(dash, 'dashboard-2020-06-19-en');
    });

    await test('the dashboard shows Rt with its band and R = 1, a logarithmic scale, 7-day averages and rates per 100,000', async () => {
      const chart = (sel) => dash.evaluate((s) => {
        const o = window.echarts.getInstanceByDom(document.querySelector(s)).getOption();
        return { yAxis: o.yAxis.map((a) => a.type), series: o.series.map((x) => ({ id: x.id, n: x.data.length, mark: x.markLine?.data })) };
      }, sel);
      // Rt of the nation: every estimate the API gives (the same as EpiEstim's), drawn with its band.
      const csv = await (await fetch(base + '/api/v1/analytics/rt?format=csv')).text();
      const estimates = csv.trim().split('\n').slice(1).filter((l) => !l.endsWith(',,,,,,,,,')).length;
      assert.ok(estimates > 800, `the API gives ${estimates} estimates of Rt`);
      await dash.waitForFunction(() => Number(document.body.dataset.rt) > 0);
      assert.equal(Number(await dash.getAttribute('body', 'data-rt')), estimates);
      const rt = await chart('#chart-rt');
      assert.deepEqual(rt.series.map((x) => x.id), ['rt:lower', 'rt:band', 'rt:mean']);
      assert.deepEqual(rt.series[2].mark.map((m) => m.yAxis), [1], 'the line R = 1');
      // The logarithmic scale, and the 7-day average as the API computes it.
      await dash.check('#log-scale');
      assert.deepEqual((await chart('#chart-new')).yAxis, ['log']);
      assert.match(dash.url(), /[?&]log=1/);
      await dash.check('#avg-7d');
      const avg = (await chart('#chart-new')).series.find((x) => x.id === 'confirmed_new:avg7');
      assert.ok(avg && avg.n > 900, 'the 7-day average is drawn');
      const rates = await (await fetch(base + '/api/v1/analytics/rates?from=2020-06-19&to=2020-06-19')).json();
      const shown = await dash.evaluate(() => {
        const o = window.echarts.getInstanceByDom(document.querySelector('#chart-new')).getOption();
        const s = o.series.find((x) => x.id === 'confirmed_new:avg7');
        return s.data.find((p) => new Date(p[0]).toISOString().startsWith('2020-06-19'))?.[1];
      });
      assert.equal(shown, rates.rows[0].average_7d);
      await dash.uncheck('#log-scale');
      await dash.uncheck('#avg-7d');
      // The map per 100,000 inhabitants: Beijing's 22 cases of 21,893,095 people (2020 census).
      await dash.check('#map-per100k');
      assert.match(await dash.getAttribute('#map', 'aria-label'), /per 100,000.*Beijing 0\.1\b/);
      await dash.waitForTimeout(300);
      await shot(dash, 'dashboard-rt-per100k');
      await dash.uncheck('#map-per100k');
    });

    await test('the dashboard draws the case register: cases by onset and an age–sex pyramid of the public line list', async () => {
      const onsets = await (await fetch(base + '/api/v1/cases/onsets')).json();
      const cases = onsets.days.reduce((a, d) => a + d.cases, 0) + onsets.without_onset;
      assert.ok(cases > 10000, `the register has ${cases} cases`);
      await dash.waitForSelector('body[data-people-charts="ready"]');
      assert.equal(Number(await dash.getAttribute('body', 'data-people')), cases);
      const drawn = await dash.evaluate(() => {
        const o = (s) => window.echarts.getInstanceByDom(document.querySelector(s)).getOption();
        return {
          onset: o('#chart-onset').series[0].data.reduce((a, d) => a + d[1], 0),
          pyramid: o('#chart-pyramid').series.map((x) => x.data.reduce((a, v) => a + Math.abs(v), 0)),
        };
      });
      assert.equal(drawn.onset, cases - onsets.without_onset, 'every case with an onset is on the curve');
      const csv = await (await fetch(base + '/api/v1/cases/public')).text();
      const rows = csv.trim().split('\n').slice(1);
      const bySex = (sex) => rows.filter((r) => r.split(',')[2] === sex).length;
      assert.deepEqual(drawn.pyramid, [bySex('male'), bySex('female')], 'the pyramid counts the public rows');
      assert.ok(drawn.pyramid[0] > 0 && drawn.pyramid[1] > 0);
      await shot(dash, 'dashboard-register');
    });

    await test('the dashboard sorts the regions and downloads what is on screen', async () => {
      await dash.click('#units-table button[data-col="new_local"]');
      assert.equal(await dash.getAttribute('#units-table th:has(button[data-col="new_local"])', 'aria-sort'), 'descending');
      assert.equal(await dash.getAttribute('#units-table tbody tr:first-child', 'data-region'), '110000');
      const [download] = await Promise.all([dash.waitForEvent('download'), dash.click('#dl-day-csv')]);
      const csv = fs.readFileSync(await download.path(), 'utf8');
      assert.match(csv, /^date,region,origin,measure,value\n/);
      assert.match(csv, /\n2020-06-19,110000,local,confirmed_new,22\n/);
      const [dl2] = await Promise.all([dash.waitForEvent('download'), dash.click('#dl-curves-json')]);
      const curves = JSON.parse(fs.readFileSync(await dl2.path(), 'utf8'));
      const day = curves.series['confirmed_new:all'].values.find((v) => v.date === '2020-06-19');
      assert.equal(day.value, 27);
    });

    await test('the dashboard in Chinese, and on a phone', async () => {
      await dash.click('#lang-switch');
      await dash.waitForFunction(() => document.documentElement.lang === 'zh-CN');
      await dash.waitForFunction(() => document.querySelector('#bulletin h3')?.textContent.includes('2020年6月19日'));
      assert.match(await dash.textContent('.card[data-measure="confirmed_new"] .card-label'), /新增确诊病例/);
      await dash.waitForTimeout(300);
      await shot(dash, 'dashboard-2020-06-19-zh');
      const phone = await newPage();
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.goto(base + '/?date=2020-06-19&lang=zh');
      await phone.waitForSelector('body[data-day="2020-06-19"]');
      await phone.waitForSelector('body[data-charts="ready"]');
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `the page is ${overflow}px wider than the phone`);
      await phone.waitForTimeout(300);
      await shot(phone, 'dashboard-phone-zh');
      await phone.close();
      await dash.click('#lang-switch');
    });

    await test('the pages work with the keyboard and name every control', async () => {
      for (const route of ['/', '/report', '/desk', '/cases']) {
        const p = await newPage();
        await p.goto(base + route + '?lang=en');
        await p.waitForLoadState('load');
        await p.keyboard.press('Tab');
        assert.equal(await p.evaluate(() => document.activeElement.className), 'skip-link', `${route}: the first Tab reaches the skip link`);
        await p.keyboard.press('Enter');
        assert.equal(await p.evaluate(() => document.activeElement.id), 'main', `${route}: the skip link moves to the main content`);
        const report = await p.evaluate(() => {
          const problems = [];
          if (!document.documentElement.lang) problems.push('no lang');
          if (document.querySelectorAll('h1').length !== 1) problems.push('not one h1');
          for (const tag of ['header', 'nav', 'main', 'footer']) if (!document.querySelector(tag)) problems.push('no ' + tag);
          for (const c of document.querySelectorAll('input, select, textarea, button')) {
            if (c.type === 'hidden' || c.closest('[hidden]')) continue;
            const named = c.labels?.length || c.getAttribute('aria-label') || c.getAttribute('aria-labelledby') || (c.tagName === 'BUTTON' && c.textContent.trim());
            if (!named) problems.push(`unnamed ${c.tagName.toLowerCase()}#${c.id}`);
          }
          for (const t of document.querySelectorAll('table')) if (t.rows.length && !t.querySelector('th')) problems.push(`table#${t.id} has no headers`);
          return problems;
        });
        assert.deepEqual(report, [], `${route}: accessibility`);
        await p.close();
      }
    });

    // ---------------------------------------------------------------- the reporter's form
    const rep = await newPage();
    await test(`a reporter submits ${nextDay}, sees an error for a bad field, fixes it`, async () => {
      await rep.goto(base + '/report?lang=en');
      await shot(rep, 'report-sign-in');
      await signIn(rep, reporterToken);
      assert.match(await rep.textContent('#who-text'), /Beijing \(110000\)/);
      await rep.fill('#date', nextDay);
      await rep.dispatchEvent('#date', 'change');
      await rep.waitForFunction(() => /not reported/.test(document.querySelector('#existing').textContent));
      await rep.fill('#v-confirmed_new-local', '-5');
      await rep.fill('#v-asymptomatic_new-local', '3');
      await rep.click('#submit');
      await rep.waitForSelector('#error-summary:not([hidden])');
      const err = await rep.textContent('#v-confirmed_new-local-err');
      assert.match(err, /-5 is negative/, 'the server\'s message is next to the field');
      assert.equal(await rep.getAttribute('#v-confirmed_new-local', 'aria-invalid'), 'true');
      assert.equal(await rep.evaluate(() => document.activeElement.id), 'error-summary', 'the summary takes the focus');
      assert.equal(await rep.getAttribute('#v-asymptomatic_new-local', 'aria-invalid'), null);
      await shot(rep, 'report-error', { fullPage: false });
      await rep.click('#error-list a');
      assert.equal(await rep.evaluate(() => document.activeElement.id), 'v-confirmed_new-local', 'the summary links to the field');
      await rep.fill('#v-confirmed_new-local', '5');
      await rep.click('#submit');
      await rep.waitForSelector('body[data-submitted="1"]');
      assert.match(await rep.textContent('#submit-status'), /Stored: version 1/);
      assert.equal(await rep.getAttribute('#v-confirmed_new-local', 'aria-invalid'), null);
      await rep.waitForSelector('#versions tr[data-version="1"]');
      await shot(rep, 'report-stored');
    });

    // ---------------------------------------------------------------- the compiler's desk
    const desk = await newPage();
    await test(`a compiler publishes ${nextDay}, and the public page shows it`, async () => {
      await desk.goto(base + `/desk?date=${nextDay}&lang=en`);
      await signIn(desk, compilerToken);
      await desk.waitForSelector(`body[data-loaded="${nextDay}"]`);
      const state = await desk.getAttribute('#board tr[data-unit="110000"]', 'data-status');
      assert.ok(['on_time', 'late'].includes(state), `Beijing is ${state} on the board`);
      assert.equal(await desk.$$eval('#board tr[data-unit]', (r) => r.length), 32);
      // The case register (empty here) against the units' reports: Beijing's figures are not in it.
      assert.ok(Number(await desk.getAttribute('body', 'data-reconciled')) > 0, 'the reconciliation lists differences');
      assert.match(await desk.textContent('#reconcile tr[data-unit="110000"][data-measure="confirmed_new"][data-origin="local"]'), /not in the register/);
      // The preview is the server's rendering of the compilation, in both languages (tabs).
      const comp = await desk.textContent('#content-hash');
      assert.equal(await desk.getAttribute('body', 'data-preview'), comp, 'the preview is of the compilation shown');
      assert.equal(await desk.getAttribute('#tab-en', 'aria-selected'), 'true', 'the page\'s language first');
      assert.ok(await desk.isVisible('#preview-en'));
      assert.ok(await desk.isHidden('#preview-zh'));
      assert.match(await desk.textContent('#preview-en'), PREVIEW_EN);
      await desk.click('#tab-zh');
      assert.ok(await desk.isVisible('#preview-zh'));
      assert.match(await desk.textContent('#preview-zh'), PREVIEW_ZH);
      await desk.keyboard.press('ArrowRight');
      assert.equal(await desk.evaluate(() => document.activeElement.id), 'tab-en', 'the arrow keys move between the tabs');
      assert.ok(await desk.isVisible('#preview-en'));
      await shot(desk, 'desk-review');
      await desk.click('#approve');
      await desk.waitForSelector('.publish-btn');
      await desk.click('.publish-btn');
      await desk.waitForSelector(`body[data-published="${nextDay}#1"]`);
      await shot(desk, 'desk-published');
      const pub = await newPage();
      await pub.goto(base + '/?lang=en');
      await pub.waitForSelector(`body[data-day="${nextDay}"]`);
      assert.equal(await cardValue(pub, 'confirmed_new'), '5');
      assert.match(await pub.textContent('#bulletin h3'), new RegExp(`${nextDay}.*release 1`));
      assert.equal(await pub.getAttribute('#units-table tr[data-region="110000"] td[data-col="new_local"]', 'data-value'), '5');
      await pub.waitForSelector('body[data-charts="ready"]');
      await pub.waitForTimeout(300);
      await shot(pub, 'dashboard-published');
      await pub.close();
    });

    await test('a revision needs a reason; its release carries errata; the first release reads as published', async () => {
      await rep.fill('#v-confirmed_new-local', '6');
      await rep.click('#submit');
      await rep.waitForSelector('#reason-err:not([hidden])');
      assert.match(await rep.textContent('#reason-err'), /needs a reason/);
      await shot(rep, 'report-revision-needs-reason', { fullPage: false });
      await rep.fill('#reason', 'late laboratory results');
      await rep.click('#submit');
      await rep.waitForSelector('body[data-submitted="2"]');
      await rep.waitForSelector('#versions tr[data-version="2"]');
      await desk.click('#day-form button[type=submit]');
      await desk.waitForFunction(() => document.querySelectorAll('#errata-table tbody tr').length > 0 &&
        !document.querySelector('#errata-table .empty'));
      assert.match(await desk.textContent('#errata-table'), /late laboratory results/);
      await desk.click('#approve');
      await desk.waitForSelector('.publish-btn');
      await desk.click('.publish-btn');
      await desk.waitForSelector(`body[data-published="${nextDay}#2"]`);
      await shot(desk, 'desk-revision-published');
      const pub = await newPage();
      await pub.goto(base + `/?date=${nextDay}&lang=en`);
      await pub.waitForSelector(`body[data-day="${nextDay}"]`);
      assert.equal(await cardValue(pub, 'confirmed_new'), '6');
      assert.match(await pub.textContent('#errata'), /5 → 6/);
      await pub.selectOption('#release', '1');
      await pub.waitForSelector(`body[data-day="${nextDay}"] .card[data-measure="confirmed_new"][data-value="5"]`);
      assert.match(await pub.textContent('#day-status'), /release 1/);
      await pub.waitForTimeout(300);
      await shot(pub, 'dashboard-as-of-release-1');
      await pub.close();
    });

    await test('a figure far from the unit\'s recent days is a warning the reporter acknowledges', async () => {
      // Three days of small figures, sent straight to the API, make the unit's recent history.
      const days = [1, 2, 3].map((n) => new Date(Date.parse(nextDay + 'T00:00:00Z') + n * 86400e3).toISOString().slice(0, 10));
      const target = new Date(Date.parse(days[2] + 'T00:00:00Z') + 86400e3).toISOString().slice(0, 10);
      for (const [i, date] of days.entries()) {
        const r = await fetch(base + '/api/v1/reports', {
          method: 'POST',
          headers: { Authorization: 'Bearer ' + reporterToken, 'Content-Type': 'application/json' },
          body: JSON.stringify({ date, unit: '110000', figures: [{ measure: 'confirmed_new', origin: 'local', value: 2 + i }] }),
        });
        assert.equal(r.status, 201, `the report of ${date}: ${await r.text()}`);
      }
      await rep.fill('#date', target);
      await rep.dispatchEvent('#date', 'change');
      await rep.waitForFunction(() => /not reported/.test(document.querySelector('#existing').textContent));
      await rep.fill('#v-confirmed_new-local', '500');
      await rep.fill('#v-asymptomatic_new-local', '');
      // The live check shows the warning, with its box to tick, before anything is submitted.
      await rep.waitForFunction(() => /1 warning/.test(document.querySelector('#live').textContent));
      assert.ok(await rep.isVisible('#warning-list input[type=checkbox]'));
      await rep.click('#submit');
      await rep.waitForSelector('#warning-box:not([hidden])');
      assert.match(await rep.textContent('#v-confirmed_new-local-err'), /far above/);
      assert.equal(await rep.$$eval('#warning-list input[type=checkbox]', (b) => b.length), 1);
      await shot(rep, 'report-warning', { fullPage: false });
      await rep.check('#warning-list input[type=checkbox]');
      await rep.click('#submit');
      await rep.waitForFunction(() => /Stored: version 1/.test(document.querySelector('#submit-status').textContent));
      assert.ok(await rep.isHidden('#warning-box'));
    });

    await test('a reporter sees the server\'s live error next to a field before submitting, and it goes when fixed', async () => {
      // The form sends itself as a dry run (POST /reports?dry_run=true) as the reporter types;
      // the server's own messages come back by JSON pointer, and nothing is stored.
      const fresh = new Date(Date.parse(nextDay + 'T00:00:00Z') + 6 * 86400e3).toISOString().slice(0, 10);
      const p = await newPage();
      const dry = [];
      const stored = [];
      p.on('request', (r) => {
        const u = new URL(r.url());
        if (u.pathname !== '/api/v1/reports' || r.method() !== 'POST') return;
        (u.searchParams.get('dry_run') === 'true' ? dry : stored).push(r.postDataJSON());
      });
      await p.goto(base + `/report?lang=en&date=${fresh}`);
      await signIn(p, reporterToken);
      await p.waitForFunction(() => /not reported/.test(document.querySelector('#existing').textContent));
      await p.fill('#v-suspected_new-local', '-2');
      await p.waitForFunction(() => /-2 is negative/.test(document.querySelector('#v-suspected_new-local-err').textContent));
      assert.equal(await p.getAttribute('#v-suspected_new-local', 'aria-invalid'), 'true');
      assert.match(await p.getAttribute('#v-suspected_new-local', 'aria-describedby'), /v-suspected_new-local-err/);
      assert.equal(await p.getAttribute('#live', 'aria-live'), 'polite');
      assert.match(await p.textContent('#live'), /1 problem/);
      assert.ok(await p.isHidden('#error-summary'), 'no summary before submitting');
      assert.equal(stored.length, 0);
      await shot(p, 'report-live-error', { fullPage: false });
      // Submitting now sends nothing: the summary lists the problem and takes the focus.
      await p.click('#submit');
      await p.waitForSelector('#error-summary:not([hidden])');
      assert.equal(await p.evaluate(() => document.activeElement.id), 'error-summary');
      assert.match(await p.textContent('#submit-status'), /Correct the 1 problem/);
      assert.equal(stored.length, 0, 'nothing was sent to be stored');
      // In Chinese, the message of the problem's code, with the server's words.
      await p.click('#lang-switch');
      await p.waitForFunction(() => /数值不能为负/.test(document.querySelector('#v-suspected_new-local-err').textContent));
      assert.match(await p.textContent('#v-suspected_new-local-err'), /-2 is negative/);
      assert.equal(await p.getAttribute('#v-suspected_new-local-err .server-words', 'lang'), 'en');
      await shot(p, 'report-live-error-zh', { fullPage: false });
      await p.click('#lang-switch');
      await p.waitForFunction(() => document.documentElement.lang === 'en');
      // Fixed, the error goes.
      await p.fill('#v-suspected_new-local', '2');
      await p.waitForFunction(() => /no problems/.test(document.querySelector('#live').textContent));
      assert.equal(await p.getAttribute('#v-suspected_new-local', 'aria-invalid'), null);
      assert.ok(await p.isHidden('#v-suspected_new-local-err'));
      assert.ok(dry.length >= 2 && dry.every((b) => b.unit === '110000' && b.date === fresh), `dry runs: ${JSON.stringify(dry)}`);
      // The dry runs stored nothing.
      const versions = await (await fetch(base + `/api/v1/reports/${fresh}/110000/versions`, {
        headers: { Authorization: 'Bearer ' + reporterToken },
      })).json();
      assert.deepEqual(versions.versions, []);
      assert.equal(stored.length, 0);
      await p.click('#submit');
      await p.waitForFunction(() => /Stored: version 1/.test(document.querySelector('#submit-status').textContent));
      assert.equal(stored.length, 1);
      await p.close();
    });

    await test('a reporter fills in a day from the case register', async () => {
      const page = await newPage();
      await page.goto(base + '/report?date=2020-02-10&lang=en');
      await signIn(page, reporterToken);
      const r = await (await fetch(base + '/api/v1/cases/reconcile/2020-02-10?unit=110000',
        { headers: { Authorization: `Bearer ${reporterToken}` } })).json();
      const want = r.rows.find((x) => x.measure === 'confirmed_new' && x.origin === 'all').register;
      assert.ok(want > 0, `Beijing's register has ${want} new cases on 2020-02-10`);
      await page.click('#fill-register');
      await page.waitForSelector('body[data-filled]');
      assert.ok(Number(await page.getAttribute('body', 'data-filled')) > 3);
      assert.equal(await page.inputValue('#v-confirmed_new-all'), String(want));
      await page.close();
    });

    await test('a reporter lists its unit\'s case cards, filters them and opens one; each view is audited', async () => {
      const page = await newPage();
      await page.goto(base + '/cases?lang=en');
      await signIn(page, reporterToken);
      await page.waitForSelector('body[data-cards]');
      assert.ok(Number(await page.getAttribute('body', 'data-cards')) > 100, 'Beijing has cards in the register');
      await page.selectOption('#classification', 'confirmed');
      await page.click('#filters button[type=submit]');
      await page.waitForFunction(() => {
        const rows = [...document.querySelectorAll('#cards tbody tr')];
        return rows.length > 0 && rows.every((r) => r.dataset.classification === 'confirmed');
      });
      const first = await page.getAttribute('#cards tbody tr', 'data-card');
      await page.click(`#cards button[data-card="${first}"]`);
      await page.waitForSelector(`body[data-shown="${first}"]`);
      assert.match(await page.textContent('#card-view'), /confirmed case/);
      await shot(page, 'cases');
      await page.close();
    });

    await test('the reporter\'s form and the desk fit a phone', async () => {
      for (const [route, secret, name] of [[`/report?lang=zh&date=${nextDay}`, reporterToken, 'report-phone-zh'], [`/desk?lang=zh&date=${nextDay}`, compilerToken, 'desk-phone-zh']]) {
        const p = await newPage();
        await p.setViewportSize({ width: 390, height: 844 });
        await p.goto(base + route);
        await signIn(p, secret);
        if (route.startsWith('/report')) {
          await p.click('#add-part');
          await p.click('#add-correction');
        }
        const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${route}: the page is ${overflow}px wider than the phone`);
        await shot(p, name, { fullPage: false });
        await p.close();
      }
    });

    await test('the pages and assets are served with their types, validators and caching', async () => {
      const page = await fetch(base + '/', { headers: { 'Accept-Encoding': 'gzip' } });
      assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.match(page.headers.get('content-security-policy'), /default-src 'self'/);
      const html = await page.text();
      const prefix = html.match(/\/assets\/v[0-9a-f]{12}/)[0];
      const etag = page.headers.get('etag');
      assert.equal((await fetch(base + '/', { headers: { 'If-None-Match': etag } })).status, 304);
      const js = await fetch(base + prefix + '/vendor/echarts.min.js', { headers: { 'Accept-Encoding': 'gzip' } });
      assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
      assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.equal(js.headers.get('content-encoding'), 'gzip');
      for (const [p, type] of [['/css/app.css', 'text/css'], ['/vendor/china.json', 'application/json'], ['/vocab.json', 'application/json']]) {
        const r = await fetch(base + prefix + p);
        assert.equal(r.status, 200, p);
        assert.ok(r.headers.get('content-type').startsWith(type), `${p}: ${r.headers.get('content-type')}`);
      }
      // A missing asset: a clear JSON 404 with the request id.
      const missing = await fetch(base + prefix + '/js/nope.js');
      assert.equal(missing.status, 404);
      const body = await missing.json();
      assert.match(body.error.message, /no such asset: js\/nope\.js/);
      assert.ok(body.error.request_id);
      // The API's public data: gzip, a validator, and revalidation.
      const series = await fetch(base + '/api/v1/series?measure=confirmed_new&format=csv', { headers: { 'Accept-Encoding': 'gzip' } });
      assert.equal(series.headers.get('content-encoding'), 'gzip');
      assert.equal(series.headers.get('cache-control'), 'public, no-cache');
      const tag = series.headers.get('etag');
      assert.match(tag, /^W\/"/);
      assert.equal((await fetch(base + '/api/v1/series?measure=confirmed_new&format=csv', { headers: { 'If-None-Match': tag } })).status, 304);
    });

    await test('no page fetched anything from elsewhere, and no script failed', async () => {
      assert.deepEqual(offsite, []);
      assert.deepEqual(pageErrors, []);
    });
  } finally {
    await close();
    await server.stop();
    if (!process.argv.includes('--keep')) fs.rmSync(dir, { recursive: true, force: true });
  }
}

const started = Date.now();
try {
  await main();
} catch (e) {
  results.push({ name: 'setup', ok: false, error: e });
  console.log(`  FAIL setup: ${e && e.stack || e}`);
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
const shots = fs.existsSync(SHOTS) ? fs.readdirSync(SHOTS).length : 0;
console.log(`screenshots: ${shots} in ${path.relative(process.cwd(), SHOTS) || SHOTS}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
