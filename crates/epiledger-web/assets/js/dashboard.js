// The public dashboard: the bulletin of a day (the latest by default) as published, its headline
// figures with the change on the previous day, the curves over the whole history, a map and a
// table of the regions, every figure of the day, and downloads of what is on screen. A day can be
// read as a given release published it (`as_of` its publication time).

import { api, ApiError, series as fetchSeries } from './api.js';
import {
  $, $$, addDays, dayMs, download, el, errataList, fmtDate, fmtDelta, fmtNum, fmtPublished, fmtTime, getLang, initLang,
  allMeasures, loadVocab, measureLabel, msDay, NATION, NOTIFYING, originLabel, population, regionName, status, t,
  toCsv, units, XPCC,
} from './common.js';

const FIRST_DAY = '2020-01-20';

// The curves: which series, on which chart.
const CURVES = [
  { id: 'confirmed_new:all', measure: 'confirmed_new', origin: 'all', chart: 'new', color: '#c0392b', width: 1.5 },
  { id: 'confirmed_new:local', measure: 'confirmed_new', origin: 'local', chart: 'new', color: '#e67e22' },
  { id: 'confirmed_new:imported', measure: 'confirmed_new', origin: 'imported', chart: 'new', color: '#2980b9' },
  { id: 'asymptomatic_new:all', measure: 'asymptomatic_new', origin: 'all', chart: 'new', color: '#8e44ad' },
  { id: 'deaths_new:all', measure: 'deaths_new', origin: 'all', chart: 'new', color: '#2c3e50' },
  { id: 'confirmed_current:all', measure: 'confirmed_current', origin: 'all', chart: 'stock', color: '#d35400' },
  { id: 'confirmed_cumulative:all', measure: 'confirmed_cumulative', origin: 'all', chart: 'stock', color: '#c0392b', axis: 1 },
  { id: 'deaths_cumulative:all', measure: 'deaths_cumulative', origin: 'all', chart: 'stock', color: '#2c3e50', axis: 1 },
];

// The headline figures of the nation.
const HEADLINE = [
  { measure: 'confirmed_new', split: true },
  { measure: 'asymptomatic_new', split: true },
  { measure: 'deaths_new' },
  { measure: 'confirmed_current' },
  { measure: 'confirmed_cumulative' },
  { measure: 'deaths_cumulative' },
];

// The columns of the regions' table.
const COLUMNS = [
  { id: 'new', measure: 'confirmed_new', origin: 'total' },
  { id: 'new_local', measure: 'confirmed_new', origin: 'local' },
  { id: 'new_imported', measure: 'confirmed_new', origin: 'imported' },
  { id: 'asym', measure: 'asymptomatic_new', origin: 'total' },
  { id: 'deaths', measure: 'deaths_new', origin: 'total' },
  { id: 'active', measure: 'confirmed_current', origin: 'total' },
  { id: 'cum', measure: 'confirmed_cumulative', origin: 'total' },
  { id: 'deaths_cum', measure: 'deaths_cumulative', origin: 'total' },
];

const MAP_METRICS = {
  new: { column: 'new' },
  asym: { column: 'asym' },
  active: { column: 'active' },
  cumulative: { column: 'cum' },
};

const state = {
  date: null, // the day shown
  latest: null, // the newest published day
  release: null, // a release number: read as of its publication; null: as known now
  releases: [], // the day's published releases
  asOf: null,
  facts: new Map(), // "date|region|origin|measure" → value (the day and the day before)
  implied: new Set(), // the keys of those figures that are zeros a complete list implies
  dayFacts: [], // the day's facts as the API gave them
  bulletin: null,
  curves: new Map(), // curve id → [[date, value]]
  curvesKey: null,
  range: null, // [from, to] or null for everything
  sort: { col: null, dir: 'descending' },
  mapMetric: 'new',
  per100k: false, // the map per 100,000 inhabitants
  log: false, // the curves on a logarithmic scale
  avg: false, // the 7-day average of new confirmed cases on the curves
  rt: [], // [date, mean, q025, q975] of the nation's Rt (GET /analytics/rt)
  avg7: [], // [date, 7-day average] of new confirmed cases (GET /analytics/rates)
  seq: 0,
};

let charts = null; // {new, stock, rt, map}
let echartsLib = null;
let mapReady = null;
let firstChartMarked = false;

// ------------------------------------------------------------------ URL state

function readUrl() {
  const q = new URLSearchParams(location.search);
  const d = q.get('date');
  state.date = d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : null;
  const r = Number(q.get('release'));
  state.release = Number.isInteger(r) && r > 0 ? r : null;
  const m = q.get('map');
  if (m && MAP_METRICS[m]) state.mapMetric = m;
  state.per100k = q.get('per100k') === '1';
  state.log = q.get('log') === '1';
  state.avg = q.get('avg') === '1';
}

function writeUrl() {
  const q = new URLSearchParams(location.search);
  q.delete('lang');
  if (state.date && state.date !== state.latest) q.set('date', state.date); else q.delete('date');
  if (state.release) q.set('release', String(state.release)); else q.delete('release');
  if (state.mapMetric !== 'new') q.set('map', state.mapMetric); else q.delete('map');
  for (const [k, on] of [['per100k', state.per100k], ['log', state.log], ['avg', state.avg]]) {
    if (on) q.set(k, '1'); else q.delete(k);
  }
  const s = q.toString();
  history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
}

// ------------------------------------------------------------------ facts

const key = (date, region, origin, m) => `${date}|${region}|${origin}|${m}`;

function fact(date, region, origin, m) {
  return state.facts.get(key(date, region, origin, m));
}

/** Whether a figure is a zero that a complete list implies (not stated). */
function implied(date, region, origin, m) {
  return state.implied.has(key(date, region, origin, m));
}

/** A region's figure of a measure: `all` as given, or local + imported where only those are given. */
function total(date, region, m) {
  const all = fact(date, region, 'all', m);
  if (all !== undefined) return { value: all, implied: implied(date, region, 'all', m) };
  const l = fact(date, region, 'local', m);
  const i = fact(date, region, 'imported', m);
  if (l === undefined && i === undefined) return { value: undefined };
  const parts = [l !== undefined && 'local', i !== undefined && 'imported'].filter(Boolean);
  return {
    value: (l ?? 0) + (i ?? 0), derived: 'sum', partial: l === undefined || i === undefined,
    implied: parts.every((o) => implied(date, region, o, m)),
  };
}

/** A cell of the regions' table (Hong Kong, Macao and Taiwan: new and active derived from their cumulative figures). */
function cell(date, region, col) {
  if (col.origin !== 'total') {
    return { value: fact(date, region, col.origin, col.measure), implied: implied(date, region, col.origin, col.measure) };
  }
  const v = total(date, region, col.measure);
  if (v.value !== undefined || !NOTIFYING.includes(region)) return v;
  if (col.measure === 'confirmed_new') {
    const a = fact(date, region, 'all', 'confirmed_cumulative');
    const b = fact(addDays(date, -1), region, 'all', 'confirmed_cumulative');
    if (a !== undefined && b !== undefined) return { value: a - b, derived: 'notified' };
  }
  if (col.measure === 'confirmed_current') {
    const c = fact(date, region, 'all', 'confirmed_cumulative');
    const d = fact(date, region, 'all', 'discharged_cumulative');
    const x = fact(date, region, 'all', 'deaths_cumulative');
    if (c !== undefined && d !== undefined && x !== undefined) return { value: c - d - x, derived: 'notified' };
  }
  return v;
}

// ------------------------------------------------------------------ loading

function echartsReady() {
  if (window.echarts) return Promise.resolve(window.echarts);
  return new Promise((resolve, reject) => {
    const s = document.getElementById('echarts-script');
    s.addEventListener('load', () => resolve(window.echarts), { once: true });
    s.addEventListener('error', () => reject(new Error('echarts.min.js did not load')), { once: true });
    if (window.echarts) resolve(window.echarts);
  });
}

async function loadCurves(signal) {
  const extra = {};
  if (state.asOf) {
    extra.as_of = state.asOf;
    extra.to = state.date;
  }
  const k = JSON.stringify(extra);
  if (state.curvesKey === k) return;
  const [all, rt, avg7] = await Promise.all([
    Promise.all(CURVES.map((c) => fetchSeries(c.measure, c.origin, extra, signal))),
    fetchAnalytics('rt', extra, signal, (c) => [c[0], num(c[1]), num(c[3]), num(c[9])]),
    fetchAnalytics('rates', extra, signal, (c) => [c[0], num(c[3])]),
  ]);
  CURVES.forEach((c, i) => state.curves.set(c.id, all[i]));
  state.rt = rt;
  state.avg7 = avg7;
  state.curvesKey = k;
}

/** An empty cell is an absent value (null), never 0. */
function num(cell) {
  return cell === '' || cell === undefined ? null : Number(cell);
}

/** Rows of an analytics CSV of the nation, each mapped by `row`; none if the estimate fails
 * (the curves do not depend on it). */
async function fetchAnalytics(which, extra, signal, row) {
  try {
    const text = await api(`/analytics/${which}`, { params: { format: 'csv', ...extra }, as: 'text', signal });
    return text.split('\n').slice(1).filter((l) => l).map((l) => row(l.split(',')));
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    return [];
  }
}

function lastCurveDay() {
  let last = FIRST_DAY;
  for (const s of state.curves.values()) if (s.length && s[s.length - 1][0] > last) last = s[s.length - 1][0];
  return last;
}

/** The newest published day: the newest release (or, with none, the curves' last day). */
async function findLatest() {
  const { releases } = await api('/releases', { params: { order: 'desc', limit: 1 } });
  return releases[0]?.date;
}

/** Rows of a CSV text (RFC 4180 quoting). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else if (c !== '\r') field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** The published figures of a day and the day before (as of a time), with the zeros that
 * complete lists imply, marked (`basis`: stated or implied). */
async function fetchFacts(d, asOf, signal) {
  const text = await api('/facts', { params: { from: addDays(d, -1), to: d, format: 'csv', as_of: asOf, implied: true }, as: 'text', signal });
  return parseCsv(text).slice(1).filter((r) => r.length === 6)
    .map(([date, region, origin, measure, value, basis]) => ({ date, region, origin, measure, value: Number(value), basis }));
}

/** The bulletin's lines in the interface's language (a release, or the newest); null if none. */
async function fetchBulletin(d, release, signal) {
  try {
    const text = await api(`/bulletins/${d}`, { params: { format: 'text', lang: getLang(), release }, as: 'text', signal });
    return text.replace(/\n+$/, '').split('\n');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

async function fetchReleases(d, signal) {
  try {
    return (await api(`/days/${d}/releases`, { signal })).published || [];
  } catch (e) {
    if (signal?.aborted) throw e;
    return [];
  }
}

async function loadDay(signal) {
  const d = state.date;
  let releases;
  let facts;
  let lines;
  if (state.release) {
    // As of a release: its publication time decides what the figures were then.
    releases = await fetchReleases(d, signal);
    const rel = releases.find((r) => r.number === state.release);
    if (!rel) state.release = null;
    state.asOf = rel ? rel.recorded_at : null;
    [facts, lines] = await Promise.all([fetchFacts(d, state.asOf || undefined, signal), fetchBulletin(d, rel?.number, signal)]);
  } else {
    state.asOf = null;
    [releases, facts, lines] = await Promise.all([fetchReleases(d, signal), fetchFacts(d, undefined, signal), fetchBulletin(d, undefined, signal)]);
  }
  state.releases = releases;
  const rel = state.release ? releases.find((r) => r.number === state.release) : releases.at(-1);
  state.bulletin = lines && {
    lines, lang: getLang(), release: rel?.number ?? null, publication: rel ?? null, errata: rel?.errata || [],
  };
  state.facts = new Map();
  state.implied = new Set();
  state.dayFacts = [];
  for (const f of facts) {
    const k = key(f.date, f.region, f.origin, f.measure);
    state.facts.set(k, f.value);
    if (f.basis === 'implied') state.implied.add(k);
    else if (f.date === d) state.dayFacts.push(f);
  }
}

let current = null;

/** Shows a day: its releases, figures, bulletin; the curves again when read as of a release. */
async function show(date, { release = null, focus = false } = {}) {
  current?.abort();
  const ctrl = new AbortController();
  current = ctrl;
  const seq = ++state.seq;
  state.date = date;
  state.release = release;
  $('#day').value = date;
  const dayStatus = $('#day-status');
  status(dayStatus, t('dash.loading', { date: fmtDate(date) }), 'busy');
  document.body.dataset.day = '';
  $('#bulletin').setAttribute('aria-busy', 'true');
  try {
    await loadDay(ctrl.signal);
    if (seq !== state.seq) return;
    renderReleaseSelect();
    renderDay();
    writeUrl();
    const curves = loadCurves(ctrl.signal).then(() => seq === state.seq && renderCurves());
    await curves;
    if (seq !== state.seq) return;
    if (!document.body.dataset.everReady) {
      document.body.dataset.everReady = '1';
      performance.mark('epiledger:day-ready');
    }
    document.body.dataset.day = date;
    if (focus) $('#headline-h').focus?.();
  } catch (e) {
    if (ctrl.signal.aborted) return;
    status(dayStatus, t('dash.failed', { msg: e.message }), 'error');
  } finally {
    $('#bulletin').setAttribute('aria-busy', 'false');
  }
}

// ------------------------------------------------------------------ rendering: the day

function renderReleaseSelect() {
  const sel = $('#release');
  const keep = sel.options[0];
  sel.replaceChildren(keep);
  keep.textContent = t('dash.versionNow');
  for (const r of state.releases) {
    sel.append(el('option', { value: String(r.number) },
      t('dash.releaseOpt', { n: r.number, time: fmtPublished(r) })));
  }
  sel.value = state.release ? String(state.release) : '';
}

function renderDay() {
  const d = state.date;
  const shown = state.bulletin;
  const dayStatus = $('#day-status');
  if (shown) {
    const asof = state.release ? t('dash.asOf', { time: fmtTime(state.asOf) }) : t('dash.asKnownNow');
    status(dayStatus, t('dash.showing', {
      date: fmtDate(d), n: shown.release ?? '—', time: fmtPublished(shown.publication), asof,
    }), 'ok');
  } else {
    status(dayStatus, t('dash.noBulletin', { date: fmtDate(d) }), state.dayFacts.length ? 'info' : 'error');
  }
  $('#day-next').disabled = !!state.latest && d >= state.latest;
  $('#day-prev').disabled = d <= FIRST_DAY;
  renderHeadline();
  renderBulletin();
  renderUnits();
  renderFacts();
  renderMap();
}

function renderHeadline() {
  const d = state.date;
  const prev = addDays(d, -1);
  const box = $('#headline');
  box.replaceChildren();
  for (const h of HEADLINE) {
    const cur = total(d, NATION, h.measure).value;
    const before = total(prev, NATION, h.measure).value;
    const delta = cur !== undefined && before !== undefined ? cur - before : undefined;
    const deltaText = delta === undefined ? t('dash.noPrev') : t('dash.delta', { d: fmtDelta(delta) });
    const parts = [];
    if (h.split) {
      for (const o of ['local', 'imported']) {
        const v = fact(d, NATION, o, h.measure);
        if (v !== undefined) parts.push(`${originLabel(o)} ${fmtNum(v)}`);
      }
    }
    box.append(el('div', { class: 'card', dataset: { measure: h.measure, value: cur ?? '' } },
      el('h3', { class: 'card-label', text: measureLabel(h.measure) }),
      el('p', { class: 'card-value', dataset: { testid: 'headline-value' } }, fmtNum(cur)),
      el('p', { class: 'card-delta ' + (delta > 0 ? 'up' : delta < 0 ? 'down' : '') }, deltaText),
      parts.length ? el('p', { class: 'card-parts' }, parts.join(' · ')) : null));
  }
}

function renderBulletin() {
  const art = $('#bulletin');
  const links = $('#bulletin-links');
  art.replaceChildren();
  links.replaceChildren();
  $('#errata').replaceChildren();
  const b = state.bulletin;
  if (!b) {
    art.append(el('p', { class: 'empty' }, t('dash.noBulletin', { date: fmtDate(state.date) })));
    return;
  }
  art.lang = b.lang === 'zh' ? 'zh-CN' : 'en';
  const [title, ...lines] = b.lines;
  if (title) art.append(el('h3', { text: title }));
  for (const line of lines) art.append(el('p', { text: line }));
  const base = `/api/v1/bulletins/${state.date}?lang=${b.lang}` + (b.release ? `&release=${b.release}` : '');
  links.append(el('span', {}, t('dash.bulletinAs')), ' ',
    el('a', { href: base + '&format=text' }, t('dash.fmtText')), ' ',
    el('a', { href: base + '&format=html' }, 'HTML'), ' ',
    el('a', { href: base + '&format=json' }, 'JSON'));
  const errata = b.errata || [];
  if (errata.length) {
    const box = $('#errata');
    box.append(el('h3', { text: t('dash.errata', { n: b.release }) }));
    box.append(errataList(errata));
  }
}

function unitRows() {
  return units().map((u) => ({ code: u, cells: COLUMNS.map((c) => cell(state.date, u, c)) }));
}

function renderUnits() {
  const table = $('#units-table');
  const cap = table.querySelector('caption');
  table.replaceChildren(cap);
  const head = el('tr', {}, el('th', { scope: 'col' }, t('dash.region')));
  for (const c of [{ id: 'region' }, ...COLUMNS]) {
    if (c.id === 'region') continue;
    const th = el('th', { scope: 'col', class: 'num', 'aria-sort': state.sort.col === c.id ? state.sort.dir : 'none' });
    const label = c.origin === 'total' ? measureLabel(c.measure) : `${measureLabel(c.measure)} (${originLabel(c.origin)})`;
    th.append(el('button', {
      type: 'button', class: 'sort-btn', dataset: { col: c.id },
      onclick: () => {
        const dir = state.sort.col === c.id && state.sort.dir === 'descending' ? 'ascending' : 'descending';
        state.sort = { col: c.id, dir };
        renderUnits();
        table.querySelector(`button[data-col="${c.id}"]`)?.focus();
      },
    }, label, el('span', { class: 'sort-icon', 'aria-hidden': 'true' },
      state.sort.col === c.id ? (state.sort.dir === 'ascending' ? ' ▲' : ' ▼') : ' ↕')));
    head.append(th);
  }
  table.append(el('thead', {}, head));
  let rows = unitRows();
  if (state.sort.col) {
    const i = COLUMNS.findIndex((c) => c.id === state.sort.col);
    const sign = state.sort.dir === 'ascending' ? 1 : -1;
    rows = rows.slice().sort((a, b) => {
      const x = a.cells[i].value;
      const y = b.cells[i].value;
      if (x === undefined && y === undefined) return a.code.localeCompare(b.code);
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      return (x - y) * sign || a.code.localeCompare(b.code);
    });
  }
  const body = el('tbody');
  for (const r of rows) body.append(unitRow(r.code, r.cells));
  table.append(body);
  const notified = el('tbody', { class: 'notified' },
    el('tr', {}, el('th', { scope: 'colgroup', colspan: COLUMNS.length + 1, class: 'group' }, t('dash.notified'))));
  for (const code of NOTIFYING) notified.append(unitRow(code, COLUMNS.map((c) => cell(state.date, code, c))));
  table.append(notified);
  const nation = el('tfoot', {}, unitRow(NATION, COLUMNS.map((c) => cell(state.date, NATION, c))));
  table.append(nation);
}

function unitRow(code, cells) {
  const tr = el('tr', { dataset: { region: code } },
    el('th', { scope: 'row' }, regionName(code), code === XPCC ? el('span', { class: 'note' }, ' *') : null));
  cells.forEach((c, i) => {
    const td = el('td', { class: 'num', dataset: { col: COLUMNS[i].id, value: c.value ?? '' } }, fmtNum(c.value));
    if (c.implied) {
      td.classList.add('implied');
      td.title = t('dash.impliedZero');
      td.append(el('span', { class: 'visually-hidden' }, ` (${td.title})`));
    } else if (c.derived) {
      td.classList.add('derived');
      td.title = c.derived === 'notified' ? t('dash.derivedNotified') : t('dash.derivedSum');
      td.append(el('span', { class: 'visually-hidden' }, ` (${td.title})`));
    }
    tr.append(td);
  });
  return tr;
}

function regionOrder(region) {
  const code = region.split(':')[0];
  if (code === NATION) return -1;
  const n = NOTIFYING.indexOf(code);
  if (n >= 0) return 100 + n;
  const i = units().indexOf(code.slice(0, 2) + '0000');
  return i >= 0 ? i : 50;
}

/** The day's facts in the bulletin's order: the nation, the units, Hong Kong, Macao and Taiwan. */
function sortedFacts() {
  const ms = new Map(allMeasures().map((m, j) => [m.name, j]));
  const os = { all: 0, imported: 1, local: 2 };
  return state.dayFacts.slice().sort((a, b) =>
    regionOrder(a.region) - regionOrder(b.region) ||
    (a.region < b.region ? -1 : a.region > b.region ? 1 : 0) ||
    (ms.get(a.measure) ?? 99) - (ms.get(b.measure) ?? 99) ||
    os[a.origin] - os[b.origin]);
}

function renderFacts() {
  const table = $('#facts-table');
  const cap = table.querySelector('caption');
  table.replaceChildren(cap);
  table.append(el('thead', {}, el('tr', {},
    el('th', { scope: 'col' }, t('dash.region')),
    el('th', { scope: 'col' }, t('dash.code')),
    el('th', { scope: 'col' }, t('dash.measure')),
    el('th', { scope: 'col' }, t('dash.origin')),
    el('th', { scope: 'col', class: 'num' }, t('dash.value')))));
  const body = el('tbody');
  for (const f of sortedFacts()) {
    body.append(el('tr', { dataset: { fact: `${f.region}|${f.origin}|${f.measure}`, value: f.value } },
      el('th', { scope: 'row' }, regionName(f.region)),
      el('td', {}, f.region),
      el('td', {}, measureLabel(f.measure)),
      el('td', {}, originLabel(f.origin)),
      el('td', { class: 'num' }, fmtNum(f.value))));
  }
  if (!state.dayFacts.length) {
    body.append(el('tr', {}, el('td', { colspan: 5, class: 'empty' }, t('dash.noFacts'))));
  }
  table.append(body);
  cap.textContent = t('dash.factsCap', { date: fmtDate(state.date), n: state.dayFacts.length });
}

// ------------------------------------------------------------------ rendering: the charts

/** Points for a chart: on a logarithmic scale a value of 0 or less has no place (a gap). */
function points(list) {
  return list.map(([d, v]) => [dayMs(d), state.log && !(v > 0) ? null : v]);
}

function curveData(id) {
  return points(state.curves.get(id) || []);
}

function curveName(c) {
  const m = measureLabel(c.measure);
  const name = c.origin === 'all' ? m : `${m} (${originLabel(c.origin)})`;
  return c.axis ? `${name} ${t('dash.rightAxis')}` : name;
}

function axisLabel(ms) {
  return msDay(ms);
}

function chartOption(which) {
  const list = CURVES.filter((c) => c.chart === which);
  const zoom = currentZoom();
  const mark = {
    symbol: 'none', silent: true, animation: false,
    lineStyle: { color: '#555', type: 'dashed', width: 1 },
    label: { formatter: state.date || '', position: 'insideEndTop', color: '#333' },
    data: state.date ? [{ xAxis: dayMs(state.date) }] : [],
  };
  const axis = state.log ? { type: 'log', logBase: 10, min: 1 } : { type: 'value' };
  const series = list.map((c, i) => ({
    id: c.id,
    name: curveName(c),
    type: 'line',
    yAxisIndex: c.axis || 0,
    showSymbol: false,
    sampling: 'lttb',
    connectNulls: false,
    color: c.color,
    lineStyle: { width: c.width || 1.2 },
    emphasis: { focus: 'series' },
    data: curveData(c.id),
    markLine: i === 0 ? mark : undefined,
  }));
  if (which === 'new' && state.avg) {
    series.push({
      id: 'confirmed_new:avg7', name: t('dash.avgCurve'), type: 'line', showSymbol: false,
      connectNulls: false, color: '#7b241c', lineStyle: { width: 2.5 }, z: 3,
      data: points(state.avg7),
    });
  }
  return {
    aria: { enabled: true, label: { description: `${t(which === 'new' ? 'dash.chartNew' : 'dash.chartStock')}. ${ariaSummary(list)}` } },
    animation: false,
    textStyle: { fontFamily: 'inherit' },
    tooltip: {
      trigger: 'axis', confine: true,
      valueFormatter: (v) => fmtNum(Array.isArray(v) ? v[1] : v),
    },
    legend: { top: 0, left: 0, type: 'scroll', textStyle: { fontSize: 12 } },
    grid: { left: 8, right: which === 'stock' ? 8 : 16, top: 36, bottom: 64, containLabel: true },
    xAxis: { type: 'time', min: dayMs(FIRST_DAY), axisLabel: { formatter: axisLabel, hideOverlap: true } },
    yAxis: which === 'stock'
      ? [{ ...axis }, { ...axis, splitLine: { show: false } }]
      : [{ ...axis }],
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none', ...zoom },
      { type: 'slider', xAxisIndex: 0, filterMode: 'none', height: 22, bottom: 8, labelFormatter: axisLabel, ...zoom },
    ],
    series,
  };
}

/** The chart of Rt: its mean, the 95% credible interval as a band, and the line R = 1. */
function rtOption() {
  const zoom = currentZoom();
  const rows = state.rt;
  const lower = rows.map(([d, , lo]) => [dayMs(d), lo]);
  const width = rows.map(([d, , lo, hi]) => [dayMs(d), lo === null || hi === null ? null : hi - lo]);
  const estimates = rows.filter((r) => r[1] !== null);
  const last = estimates.at(-1);
  const summary = last
    ? `${t('dash.rtMean')} ${last[1].toFixed(2)} (${last[2].toFixed(2)}–${last[3].toFixed(2)}), ${last[0]}`
    : t('dash.rtNone');
  return {
    aria: { enabled: true, label: { description: `${t('dash.chartRt')}. ${summary}` } },
    animation: false,
    textStyle: { fontFamily: 'inherit' },
    tooltip: {
      trigger: 'axis', confine: true,
      formatter: (ps) => {
        const p = ps.find((x) => x.seriesId === 'rt:mean');
        if (!p) return '';
        const row = rows[p.dataIndex];
        if (!row || row[1] === null) return `${msDay(p.value[0])}: —`;
        return `${row[0]}<br>Rt ${row[1].toFixed(2)} (95%: ${row[2].toFixed(2)}–${row[3].toFixed(2)})`;
      },
    },
    legend: { top: 0, left: 0, data: [t('dash.rtMean'), t('dash.rtBand')], textStyle: { fontSize: 12 } },
    grid: { left: 8, right: 16, top: 36, bottom: 64, containLabel: true },
    xAxis: { type: 'time', min: dayMs(FIRST_DAY), axisLabel: { formatter: axisLabel, hideOverlap: true } },
    yAxis: { type: 'value', min: 0, max: (v) => Math.min(Math.max(2, Math.ceil(v.max)), 6) },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none', ...zoom },
      { type: 'slider', xAxisIndex: 0, filterMode: 'none', height: 22, bottom: 8, labelFormatter: axisLabel, ...zoom },
    ],
    series: [
      { id: 'rt:lower', type: 'line', stack: 'band', data: lower, showSymbol: false, lineStyle: { opacity: 0 }, silent: true, connectNulls: false },
      {
        id: 'rt:band', name: t('dash.rtBand'), type: 'line', stack: 'band', data: width, showSymbol: false, silent: true,
        connectNulls: false, color: '#f5b7b1', lineStyle: { opacity: 0 }, areaStyle: { color: '#f5b7b1', opacity: 0.6 },
      },
      {
        id: 'rt:mean', name: t('dash.rtMean'), type: 'line', data: rows.map(([d, m]) => [dayMs(d), m]), showSymbol: false,
        connectNulls: false, color: '#922b21', lineStyle: { width: 1.5 },
        markLine: {
          symbol: 'none', silent: true, animation: false, lineStyle: { color: '#333', type: 'solid', width: 1 },
          label: { formatter: 'R = 1', position: 'insideEndTop' }, data: [{ yAxis: 1 }],
        },
      },
    ],
  };
}

function ariaSummary(list) {
  const parts = list.map((c) => {
    const s = state.curves.get(c.id) || [];
    if (!s.length) return `${curveName(c)}: —`;
    let max = s[0];
    for (const p of s) if (p[1] > max[1]) max = p;
    return t('dash.ariaSeries', { name: curveName(c), from: s[0][0], to: s[s.length - 1][0], max: fmtNum(max[1]), maxDay: max[0] });
  });
  return parts.join('; ');
}

function currentZoom() {
  if (!state.range) return { start: 0, end: 100 };
  return { startValue: dayMs(state.range[0]), endValue: dayMs(state.range[1]) };
}

async function ensureCharts() {
  if (charts) return charts;
  echartsLib = await echartsReady();
  const opts = { renderer: 'canvas', locale: getLang() === 'zh' ? 'ZH' : 'EN' };
  const chartNew = echartsLib.init($('#chart-new'), null, opts);
  const chartStock = echartsLib.init($('#chart-stock'), null, opts);
  const chartRt = echartsLib.init($('#chart-rt'), null, opts);
  chartNew.group = 'curves';
  chartStock.group = 'curves';
  chartRt.group = 'curves';
  echartsLib.connect('curves');
  chartNew.on('datazoom', () => syncRangeFromChart(chartNew));
  chartStock.on('datazoom', () => syncRangeFromChart(chartStock));
  chartRt.on('datazoom', () => syncRangeFromChart(chartRt));
  chartNew.on('finished', () => {
    if (firstChartMarked || !state.curves.size) return;
    firstChartMarked = true;
    performance.mark('epiledger:first-chart');
    document.body.dataset.charts = 'ready';
  });
  const ro = new ResizeObserver(() => {
    chartNew.resize();
    chartStock.resize();
    chartRt.resize();
    if (charts?.map) {
      charts.map.resize();
      if (mapWasNarrow !== null && mapWasNarrow !== ($('#map').clientWidth < 560)) renderMap();
    }
  });
  ro.observe($('#chart-new'));
  ro.observe($('#map'));
  charts = { new: chartNew, stock: chartStock, rt: chartRt, map: null };
  return charts;
}

async function renderCurves() {
  const c = await ensureCharts();
  c.new.setOption(chartOption('new'), { notMerge: true });
  c.stock.setOption(chartOption('stock'), { notMerge: true });
  c.rt.setOption(rtOption(), { notMerge: true });
  document.body.dataset.rt = String(state.rt.filter((r) => r[1] !== null).length);
  syncRangeInputs();
  if ($('#curves-table-details').open) renderCurvesTable();
}

function visibleRange() {
  const last = state.asOf ? state.date : (state.latest || lastCurveDay());
  return state.range || [FIRST_DAY, last];
}

function syncRangeFromChart(chart) {
  const dz = chart.getOption().dataZoom?.[0];
  if (!dz) return;
  let from = dz.startValue;
  let to = dz.endValue;
  if (typeof from !== 'number' || typeof to !== 'number') return;
  state.range = [msDay(from), msDay(to)];
  syncRangeInputs();
  if ($('#curves-table-details').open) renderCurvesTable();
}

function syncRangeInputs() {
  const [from, to] = visibleRange();
  const max = state.latest || lastCurveDay();
  for (const id of ['#range-from', '#range-to']) $(id).max = max;
  $('#range-from').value = from;
  $('#range-to').value = to;
}

function setRange(from, to) {
  if (!from || !to || from > to) return;
  state.range = [from, to];
  if (!charts) return;
  for (const c of [charts.new, charts.stock, charts.rt]) c.dispatchAction({ type: 'dataZoom', startValue: dayMs(from), endValue: dayMs(to) });
  syncRangeInputs();
  if ($('#curves-table-details').open) renderCurvesTable();
}

function curvesInRange() {
  const [from, to] = visibleRange();
  const days = new Map();
  for (const c of CURVES) {
    for (const [d, v] of state.curves.get(c.id) || []) {
      if (d < from || d > to) continue;
      if (!days.has(d)) days.set(d, {});
      days.get(d)[c.id] = v;
    }
  }
  return { from, to, days: [...days.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)) };
}

function renderCurvesTable() {
  const table = $('#curves-table');
  const cap = table.querySelector('caption');
  table.replaceChildren(cap);
  const { from, to, days } = curvesInRange();
  cap.textContent = t('dash.curvesTableCap', { from, to });
  table.append(el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('dash.date')),
    CURVES.map((c) => el('th', { scope: 'col', class: 'num' }, curveName(c))))));
  const body = el('tbody');
  for (const [d, vals] of days) {
    body.append(el('tr', {}, el('th', { scope: 'row' }, d),
      CURVES.map((c) => el('td', { class: 'num' }, fmtNum(vals[c.id])))));
  }
  table.append(body);
}

// ------------------------------------------------------------------ rendering: the map

function loadMap() {
  mapReady ??= (async () => {
    const [lib, geo] = await Promise.all([
      echartsReady(),
      fetch(new URL('../vendor/china.json', import.meta.url), { credentials: 'same-origin' }).then((r) => {
        if (!r.ok) throw new Error('china.json: HTTP ' + r.status);
        return r.json();
      }),
    ]);
    lib.registerMap('china', geo);
    const chart = lib.init($('#map'), null, { renderer: 'canvas' });
    if (charts) charts.map = chart;
    return chart;
  })();
  return mapReady;
}

let mapWasNarrow = null;
function mapNarrow() {
  mapWasNarrow = $('#map').clientWidth < 560;
  return mapWasNarrow;
}

// Per 100,000 inhabitants.
const PIECES_100K = [
  { value: 0, color: '#fdfcfb', label: '0' },
  { gt: 0, lt: 0.1, color: '#fde0c5', label: '< 0.1' },
  { gte: 0.1, lt: 1, color: '#f9a66c', label: '0.1–1' },
  { gte: 1, lt: 10, color: '#e4572e', label: '1–10' },
  { gte: 10, lt: 100, color: '#b3001b', label: '10–100' },
  { gte: 100, color: '#5c0010', label: '≥ 100' },
];

const PIECES = [
  { value: 0, color: '#fdfcfb' },
  { min: 1, max: 9, color: '#fde0c5' },
  { min: 10, max: 99, color: '#f9a66c' },
  { min: 100, max: 999, color: '#e4572e' },
  { min: 1000, max: 9999, color: '#b3001b' },
  { min: 10000, color: '#5c0010' },
];

async function renderMap() {
  let chart;
  try {
    chart = await loadMap();
  } catch (e) {
    $('#map').replaceChildren(el('p', { class: 'empty' }, t('dash.mapFailed', { msg: e.message })));
    return;
  }
  if (charts) charts.map = chart;
  const col = COLUMNS.find((c) => c.id === MAP_METRICS[state.mapMetric].column);
  const data = [];
  const described = [];
  for (const code of [...units(), ...NOTIFYING]) {
    if (code === XPCC) continue;
    const c = cell(state.date, code, col);
    const pop = population(code);
    // Per 100,000: only where the census gives a population (not Hong Kong, Macao, Taiwan).
    const value = state.per100k ? (c.value !== undefined && pop ? (c.value * 1e5) / pop : undefined) : c.value;
    data.push({ name: code, value: value ?? NaN, derived: c.derived, implied: c.implied });
    if (value !== undefined) described.push(`${regionName(code)} ${fmtRate(value)}`);
  }
  const label = measureLabel(col.measure) + (state.per100k ? ` (${t('dash.per100kUnit')})` : '');
  const narrow = mapNarrow();
  $('#map').setAttribute('aria-label', `${t('dash.map')}: ${label}, ${fmtDate(state.date)}. ` +
    (described.length ? described.join(', ') : t('dash.mapNone')));
  chart.setOption({
    aria: { enabled: false }, // the container's own label says more (and the table below has it all)
    animation: false,
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const name = escapeHtml(regionName(p.name));
        const v = Number.isFinite(p.value) ? fmtRate(p.value) : '—';
        const derived = p.data?.implied ? ` (${escapeHtml(t('dash.impliedZero'))})`
          : p.data?.derived ? ` (${escapeHtml(p.data.derived === 'notified' ? t('dash.derivedNotified') : t('dash.derivedSum'))})` : '';
        return `${name}<br>${escapeHtml(label)}: ${v}${derived}`;
      },
    },
    visualMap: {
      type: 'piecewise', orient: narrow ? 'vertical' : 'horizontal', left: narrow ? 0 : 'center', bottom: 0,
      itemWidth: 14, itemHeight: 10, itemGap: narrow ? 4 : 6, textStyle: { fontSize: 11 },
      pieces: state.per100k ? PIECES_100K : PIECES.map((p) => ({ ...p, label: p.value === 0 ? '0' : p.max ? `${fmtNum(p.min)}–${fmtNum(p.max)}` : `≥ ${fmtNum(p.min)}` })),
      outOfRange: { color: '#d9d9d9' },
    },
    series: [{
      id: 'regions', type: 'map', map: 'china', nameProperty: 'id', roam: true, scaleLimit: { min: 0.8, max: 8 },
      top: 8, bottom: narrow ? 8 : 56, left: narrow ? 72 : 4, right: 4, preserveAspect: 'contain',
      itemStyle: { areaColor: '#d9d9d9', borderColor: '#fff', borderWidth: 0.8 },
      emphasis: { label: { show: false }, itemStyle: { areaColor: '#ffd54f' } },
      select: { disabled: true },
      label: { show: false },
      data,
    }],
  }, { notMerge: true });
}

/** A count as a whole number; a rate per 100,000 with up to 2 decimals. */
function fmtRate(v) {
  if (!state.per100k) return fmtNum(v);
  return v.toLocaleString(getLang() === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: v < 1 ? 3 : 2 });
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

// ------------------------------------------------------------------ downloads

function downloadDay(format) {
  const d = state.date;
  const suffix = state.release ? `-release${state.release}` : '';
  const facts = sortedFacts();
  if (format === 'csv') {
    download(`epiledger-${d}${suffix}.csv`, 'text/csv;charset=utf-8',
      toCsv(['date', 'region', 'origin', 'measure', 'value'], facts.map((f) => [d, f.region, f.origin, f.measure, f.value])));
  } else {
    const regions = [...units(), ...NOTIFYING, NATION].map((code) => ({
      region: code,
      ...Object.fromEntries(COLUMNS.map((c) => [c.id, cell(d, code, c).value ?? null])),
    }));
    download(`epiledger-${d}${suffix}.json`, 'application/json', JSON.stringify({
      date: d,
      release: state.bulletin?.release ?? null,
      as_of: state.asOf,
      source: location.origin + '/api/v1/facts',
      facts: facts.map((f) => ({ region: f.region, origin: f.origin, measure: f.measure, value: f.value })),
      table: { columns: COLUMNS, rows: regions },
    }, null, 2));
  }
}

function downloadCurves(format) {
  const { from, to, days } = curvesInRange();
  const name = `epiledger-curves-${from}_${to}`;
  if (format === 'csv') {
    download(name + '.csv', 'text/csv;charset=utf-8',
      toCsv(['date', ...CURVES.map((c) => c.id)], days.map(([d, v]) => [d, ...CURVES.map((c) => v[c.id] ?? '')])));
  } else {
    const out = {};
    for (const c of CURVES) {
      out[c.id] = {
        measure: c.measure, origin: c.origin, region: NATION,
        values: (state.curves.get(c.id) || []).filter(([d]) => d >= from && d <= to).map(([date, value]) => ({ date, value })),
      };
    }
    download(name + '.json', 'application/json', JSON.stringify({ from, to, as_of: state.asOf, series: out }, null, 2));
  }
}

// ------------------------------------------------------------------ wiring

function wire() {
  $('#day-form').addEventListener('submit', (e) => e.preventDefault());
  $('#day').addEventListener('change', () => {
    const v = $('#day').value;
    if (v && v >= FIRST_DAY) show(v);
  });
  $('#day-prev').addEventListener('click', () => show(addDays(state.date, -1)));
  $('#day-next').addEventListener('click', () => show(addDays(state.date, 1)));
  $('#day-latest').addEventListener('click', () => show(state.latest || lastCurveDay()));
  $('#release').addEventListener('change', () => {
    const v = Number($('#release').value) || null;
    show(state.date, { release: v });
  });
  $('#range-from').addEventListener('change', () => setRange($('#range-from').value, $('#range-to').value));
  $('#range-to').addEventListener('change', () => setRange($('#range-from').value, $('#range-to').value));
  $('#range-form').addEventListener('submit', (e) => e.preventDefault());
  for (const b of $$('.presets button')) {
    b.addEventListener('click', () => {
      const days = Number(b.dataset.days);
      const end = state.asOf ? state.date : (state.latest || lastCurveDay());
      if (!days) {
        state.range = null;
        if (charts) {
          for (const c of [charts.new, charts.stock, charts.rt]) c.dispatchAction({ type: 'dataZoom', start: 0, end: 100 });
        }
        syncRangeInputs();
      } else {
        const to = state.date && state.date <= end ? state.date : end;
        const from = addDays(to, -(days - 1));
        setRange(from < FIRST_DAY ? FIRST_DAY : from, to);
      }
    });
  }
  $('#curves-table-details').addEventListener('toggle', () => {
    if ($('#curves-table-details').open) renderCurvesTable();
  });
  $('#map-metric').value = state.mapMetric;
  $('#map-metric').addEventListener('change', () => {
    state.mapMetric = $('#map-metric').value;
    writeUrl();
    renderMap();
  });
  $('#map-per100k').checked = state.per100k;
  $('#map-per100k').addEventListener('change', () => {
    state.per100k = $('#map-per100k').checked;
    writeUrl();
    renderMap();
  });
  for (const [id, k] of [['#log-scale', 'log'], ['#avg-7d', 'avg']]) {
    $(id).checked = state[k];
    $(id).addEventListener('change', () => {
      state[k] = $(id).checked;
      writeUrl();
      if (charts) renderCurves();
    });
  }
  $('#dl-day-csv').addEventListener('click', () => downloadDay('csv'));
  $('#dl-day-json').addEventListener('click', () => downloadDay('json'));
  $('#dl-curves-csv').addEventListener('click', () => downloadCurves('csv'));
  $('#dl-curves-json').addEventListener('click', () => downloadCurves('json'));
}

async function relabel() {
  renderReleaseSelect();
  if (state.date) {
    // The bulletin's own text is in the language asked for.
    if (state.bulletin) {
      try {
        const lines = await fetchBulletin(state.date, state.bulletin.release ?? undefined);
        if (lines) Object.assign(state.bulletin, { lines, lang: getLang() });
      } catch { /* keep the other language's text */ }
    }
    renderDay();
  }
  if (charts) {
    charts.new.setOption(chartOption('new'), { notMerge: true });
    charts.stock.setOption(chartOption('stock'), { notMerge: true });
    charts.rt.setOption(rtOption(), { notMerge: true });
    if ($('#curves-table-details').open) renderCurvesTable();
  }
  await renderPeople();
}

// ------------------------------------------------------------------ the case register

const AGE_BANDS = ['0-9', '10-19', '20-29', '30-39', '40-49', '50-59', '60-69', '70-79', '80+', 'unknown'];
let people = null; // {onsets, pyramid, rows}
let peopleCharts = null; // {onset, pyramid}

/** Counts the de-identified line list (CSV) by age band and sex. */
function pyramidOf(csv) {
  const lines = csv.split('\n').filter((l) => l.length);
  const head = (lines.shift() || '').split(',');
  const [ai, si] = [head.indexOf('age'), head.indexOf('sex')];
  const counts = Object.fromEntries(AGE_BANDS.map((b) => [b, { male: 0, female: 0 }]));
  for (const l of lines) {
    const cells = l.split(',');
    const c = counts[cells[ai]];
    if (c && (cells[si] === 'male' || cells[si] === 'female')) c[cells[si]] += 1;
  }
  return { counts, rows: lines.length };
}

async function loadPeople() {
  const line = $('#people-status');
  try {
    const [onsets, csv] = await Promise.all([api('/cases/onsets'), api('/cases/public', { as: 'text' })]);
    people = { onsets, ...pyramidOf(csv) };
  } catch (e) {
    line.textContent = t('dash.peopleFailed', { msg: e.message });
    return;
  }
  await renderPeople();
}

async function renderPeople() {
  if (!people) return;
  const line = $('#people-status');
  const { onsets, counts, rows } = people;
  const cases = onsets.days.reduce((a, d) => a + d.cases, 0) + onsets.without_onset;
  document.body.dataset.people = String(cases);
  if (!cases && !rows) {
    line.textContent = t('dash.peopleEmpty');
    return;
  }
  line.textContent = t('dash.peopleSummary', { cases: fmtNum(cases), without: fmtNum(onsets.without_onset), rows: fmtNum(rows) });
  const lib = await echartsReady();
  if (!peopleCharts) {
    const opts = { renderer: 'canvas', locale: getLang() === 'zh' ? 'ZH' : 'EN' };
    peopleCharts = { onset: lib.init($('#chart-onset'), null, opts), pyramid: lib.init($('#chart-pyramid'), null, opts) };
    const ro = new ResizeObserver(() => { peopleCharts.onset.resize(); peopleCharts.pyramid.resize(); });
    ro.observe($('#chart-onset'));
  }
  $('#chart-onset').setAttribute('aria-label', `${t('dash.onset')}: ${fmtNum(cases - onsets.without_onset)}`);
  peopleCharts.onset.setOption({
    animation: false,
    title: { text: t('dash.onset'), textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' },
    grid: { left: 56, right: 16, top: 36, bottom: 56 },
    xAxis: { type: 'time' },
    yAxis: { type: 'value' },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
    series: [{ type: 'bar', name: t('dash.onset'), data: onsets.days.map((d) => [d.date, d.cases]), itemStyle: { color: '#c0392b' } }],
  }, { notMerge: true });
  const label = (b) => (b === 'unknown' ? t('dash.ageUnknown') : b);
  $('#chart-pyramid').setAttribute('aria-label', `${t('dash.pyramid')}: ` +
    AGE_BANDS.map((b) => `${label(b)} ${t('dash.male')} ${counts[b].male}, ${t('dash.female')} ${counts[b].female}`).join('; '));
  peopleCharts.pyramid.setOption({
    animation: false,
    title: { text: t('dash.pyramid'), textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmtNum(Math.abs(v)) },
    legend: { bottom: 0 },
    grid: { left: 64, right: 16, top: 36, bottom: 40 },
    xAxis: { type: 'value', axisLabel: { formatter: (v) => fmtNum(Math.abs(v)) } },
    yAxis: { type: 'category', data: AGE_BANDS.map(label) },
    series: [
      { type: 'bar', stack: 'p', name: t('dash.male'), data: AGE_BANDS.map((b) => -counts[b].male), itemStyle: { color: '#2f6fb0' } },
      { type: 'bar', stack: 'p', name: t('dash.female'), data: AGE_BANDS.map((b) => counts[b].female), itemStyle: { color: '#c2577a' } },
    ],
  }, { notMerge: true });
  document.body.dataset.peopleCharts = 'ready';
}

async function main() {
  readUrl();
  initLang(relabel);
  wire();
  const status0 = $('#day-status');
  status(status0, t('dash.loadingAll'), 'busy');
  const ctrl = new AbortController();
  try {
    // The curves first: the first chart does not wait for the day. The newest day is asked
    // for meanwhile (its failure is reported below, when it is awaited).
    const latest = findLatest();
    latest.catch(() => {});
    await Promise.all([loadVocab(), loadCurves(ctrl.signal)]);
    const chartsDrawn = renderCurves();
    state.latest = (await latest) || lastCurveDay();
    $('#day').max = state.latest;
    await chartsDrawn;
    await show(state.date || state.latest, { release: state.release });
    syncRangeInputs();
    await loadPeople();
  } catch (e) {
    status(status0, t('dash.failed', { msg: e.message }), 'error');
    document.body.dataset.error = e.message;
  }
}

main();
