// The compiler's desk: the completeness board of the 32 units, the national compilation with
// its discrepancies, checks and errata, a preview of the bulletin in both languages, approval of
// the compilation reviewed (by its content hash) and publication, and the releases.

import { api, ApiError, reportingToday } from './api.js';
import {
  $, addDays, el, errataList, fmtDate, fmtNum, fmtPublished, fmtTime, getLang, initLang,
  initSignIn, loadVocab, measureLabel, originLabel, regionName, status, t, whoLabel,
} from './common.js';
import { extend, tIn } from './i18n.js';

extend({
  zh: {
    'desk.title': '汇总与发布',
    'desk.day': '汇总日期',
    'desk.refresh': '刷新',
    'desk.auto': '每30秒自动刷新完整性',
    'desk.board': '报告完整性',
    'desk.cutoff': '截止时间：{time}{set}',
    'desk.cutoffDefault': '（默认）',
    'desk.count.on_time': '按时 {n}',
    'desk.count.late': '迟报 {n}',
    'desk.count.missing': '未报 {n}',
    'desk.count.awaiting': '待报 {n}',
    'desk.state.on_time': '按时',
    'desk.state.late': '迟报',
    'desk.state.missing': '未报',
    'desk.state.awaiting': '待报',
    'desk.unit': '报告单位',
    'desk.status': '状态',
    'desk.first': '首次报告',
    'desk.version': '最新版本',
    'desk.last': '最新提交',
    'desk.reason': '修订原因',
    'desk.national': '全国数字（汇总员报告）：第{n}版',
    'desk.compilation': '全国汇总',
    'desk.complete': '32个单位全部报告。',
    'desk.incomplete': '{n}/32个单位已报告；未报告：{missing}。',
    'desk.hash': '汇总内容哈希：',
    'desk.base': '将修订已发布的第{n}版。',
    'desk.isPublished': '即已发布的第{n}版。',
    'desk.discrepancies': '与全国数字不一致',
    'desk.noDiscrepancies': '没有不一致。',
    'desk.checks': '账本恒等式检查（警告）',
    'desk.noChecks': '恒等式全部成立（对照已发布的前一日）。',
    'desk.errataPending': '相对已发布版本的订正',
    'desk.noErrata': '没有订正（该日尚未发布，或数字相同）。',
    'desk.col.region': '地区',
    'desk.col.measure': '指标',
    'desk.col.origin': '来源',
    'desk.col.national': '全国数字',
    'desk.col.source': '来源说明',
    'desk.col.sum': '各单位之和',
    'desk.col.units': '报告单位数',
    'desk.col.identity': '恒等式',
    'desk.col.expected': '应为',
    'desk.col.found': '实为',
    'desk.col.old': '原数',
    'desk.col.new': '新数',
    'desk.col.reason': '原因',
    'desk.preview': '通报预览',
    'desk.previewHint': '由服务器按当前汇总、用发布时的同一渲染程序生成；发布前不公开。',
    'desk.previewLoading': '正在生成预览……',
    'desk.previewFailed': '无法生成预览：{msg}',
    'desk.previewTabs': '预览的语言',
    'desk.previewEmpty': '（尚无数字）',
    'desk.approve': '审核与发布',
    'desk.note': '审核意见（可选）',
    'desk.accept': '已知悉上述不一致，仍然批准',
    'desk.approveBtn': '批准该汇总',
    'desk.approveHash': '批准的是内容哈希为 {hash} 的汇总。',
    'desk.approving': '正在批准……',
    'desk.approved': '已批准：发布编号 {id}。请核对后发布。',
    'desk.publishBtn': '发布（编号 {id}）',
    'desk.publishing': '正在发布……',
    'desk.published': '已发布：{date}第{n}版。',
    'desk.publicLink': '在公众页面查看',
    'desk.pending': '待发布的批准',
    'desk.nothing': '没有可汇总的报告。',
    'desk.same': '该汇总与已发布的第{n}版相同，无需再批准。',
    'desk.releases': '发布记录',
    'desk.rel.id': '编号',
    'desk.rel.number': '版次',
    'desk.rel.status': '状态',
    'desk.rel.approved': '批准时间',
    'desk.rel.published': '发布时间',
    'desk.rel.note': '审核意见',
    'desk.rel.errata': '订正',
    'desk.status.approved': '已批准',
    'desk.status.published': '已发布',
    'desk.status.superseded': '已取代',
    'desk.noReleases': '该日没有发布记录。',
    'desk.recent': '近期已发布的通报及其订正',
    'desk.recentItem': '{date} 第{n}版 · {time}',
    'desk.noRecent': '近14日没有发布。',
    'desk.loaded': '{date}：已更新（{time}）。',
    'desk.failed': '读取失败：{msg}',
    'desk.reconcile': '病例登记对账',
    'desk.reconcileDiffers': '病例登记推算的数字与各单位报告有{n}处不一致（只列出不一致的数字）。',
    'desk.reconcileAgrees': '病例登记推算的数字与各单位的报告一致。',
    'desk.reconcileFailed': '无法读取病例登记：{msg}',
    'desk.col.register': '病例登记',
    'desk.col.report': '单位报告',
    'desk.col.difference': '差',
    'desk.notReported': '未报告',
    'desk.notInRegister': '登记中没有',
    'desk.footer': '批准的是所审核的汇总（以内容哈希为准）：汇总如有变化，须重新审核。发布后版本不可更改，订正以新版本发布。',
  },
  en: {
    'desk.title': 'Compile and publish',
    'desk.day': 'Day to compile',
    'desk.refresh': 'Refresh',
    'desk.auto': 'Refresh the completeness every 30 s',
    'desk.board': 'Completeness',
    'desk.cutoff': 'Cutoff: {time}{set}',
    'desk.cutoffDefault': ' (the default)',
    'desk.count.on_time': 'on time {n}',
    'desk.count.late': 'late {n}',
    'desk.count.missing': 'missing {n}',
    'desk.count.awaiting': 'awaiting {n}',
    'desk.state.on_time': 'on time',
    'desk.state.late': 'late',
    'desk.state.missing': 'missing',
    'desk.state.awaiting': 'awaiting',
    'desk.unit': 'Unit',
    'desk.status': 'State',
    'desk.first': 'First reported',
    'desk.version': 'Newest version',
    'desk.last': 'Last submitted',
    'desk.reason': 'Reason of the revision',
    'desk.national': 'National figures (the compilers’ report): version {n}',
    'desk.compilation': 'National compilation',
    'desk.complete': 'All 32 units reported.',
    'desk.incomplete': '{n} of 32 units reported; missing: {missing}.',
    'desk.hash': 'Content hash of the compilation:',
    'desk.base': 'It revises the published release {n}.',
    'desk.isPublished': 'It is the published release {n}.',
    'desk.discrepancies': 'Discrepancies with the national figures',
    'desk.noDiscrepancies': 'No discrepancy.',
    'desk.checks': 'The ledger’s identities (warnings)',
    'desk.noChecks': 'Every identity holds (against the published previous day).',
    'desk.errataPending': 'Errata against the published release',
    'desk.noErrata': 'No errata (the day is not published yet, or the figures are the same).',
    'desk.col.region': 'Region',
    'desk.col.measure': 'Measure',
    'desk.col.origin': 'Origin',
    'desk.col.national': 'National figure',
    'desk.col.source': 'Its source',
    'desk.col.sum': 'Sum over the units',
    'desk.col.units': 'Units giving it',
    'desk.col.identity': 'Identity',
    'desk.col.expected': 'Expected',
    'desk.col.found': 'Found',
    'desk.col.old': 'Published',
    'desk.col.new': 'New',
    'desk.col.reason': 'Reason',
    'desk.preview': 'Preview of the bulletin',
    'desk.previewHint': 'Rendered by the server from the current compilation, with the renderer that writes the published bulletin; not public until published.',
    'desk.previewLoading': 'Rendering the preview…',
    'desk.previewFailed': 'The preview cannot be rendered: {msg}',
    'desk.previewTabs': 'Language of the preview',
    'desk.previewEmpty': '(no figures yet)',
    'desk.approve': 'Approve and publish',
    'desk.note': 'Note (optional)',
    'desk.accept': 'I know of the discrepancies above and approve nonetheless',
    'desk.approveBtn': 'Approve this compilation',
    'desk.approveHash': 'You approve the compilation with content hash {hash}.',
    'desk.approving': 'Approving…',
    'desk.approved': 'Approved: release id {id}. Check it, then publish.',
    'desk.publishBtn': 'Publish (release id {id})',
    'desk.publishing': 'Publishing…',
    'desk.published': 'Published: {date}, release {n}.',
    'desk.publicLink': 'See it on the public page',
    'desk.pending': 'Approved, not yet published',
    'desk.nothing': 'No unit has reported: there is nothing to compile.',
    'desk.same': 'The compilation is the published release {n}: there is nothing new to approve.',
    'desk.releases': 'Releases',
    'desk.rel.id': 'Id',
    'desk.rel.number': 'Release',
    'desk.rel.status': 'State',
    'desk.rel.approved': 'Approved',
    'desk.rel.published': 'Published',
    'desk.rel.note': 'Note',
    'desk.rel.errata': 'Errata',
    'desk.status.approved': 'approved',
    'desk.status.published': 'published',
    'desk.status.superseded': 'superseded',
    'desk.noReleases': 'No release of this day.',
    'desk.recent': 'Recently published bulletins and their errata',
    'desk.recentItem': '{date} release {n} · {time}',
    'desk.noRecent': 'Nothing published in the 14 days before.',
    'desk.loaded': '{date}: up to date ({time}).',
    'desk.failed': 'Could not read: {msg}',
    'desk.reconcile': 'The case register against the reports',
    'desk.reconcileDiffers': '{n} figures derived from the case register differ from the units’ reports (only those are listed).',
    'desk.reconcileAgrees': 'The figures derived from the case register agree with every unit’s report.',
    'desk.reconcileFailed': 'The case register could not be read: {msg}',
    'desk.col.register': 'Case register',
    'desk.col.report': 'Unit’s report',
    'desk.col.difference': 'Difference',
    'desk.notReported': 'not reported',
    'desk.notInRegister': 'not in the register',
    'desk.footer': 'An approval names the compilation reviewed (its content hash): if the compilation changes, review it again. A published release never changes; a correction is a new release.',
  },
});

const state = { who: null, token: null, board: null, comp: null, releases: null, recent: [], preview: null, reconcile: null, timer: null, seq: 0 };

function badge(kind, text) {
  return el('span', { class: 'badge ' + kind }, text);
}

function table(node, headers, rows, empty) {
  node.replaceChildren();
  node.append(el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h)))));
  const body = el('tbody');
  for (const r of rows) {
    const tr = el('tr', r.attrs || {});
    r.cells.forEach((c, i) => {
      const cell = i === 0 ? el('th', { scope: 'row' }) : el('td', {});
      if (c instanceof Node) cell.append(c); else cell.textContent = c ?? '—';
      tr.append(cell);
    });
    body.append(tr);
  }
  if (!rows.length) body.append(el('tr', {}, el('td', { colspan: headers.length, class: 'empty' }, empty)));
  node.append(body);
}

// ------------------------------------------------------------------ loading

async function load({ quiet = false } = {}) {
  const date = $('#date').value;
  if (!date) return;
  const seq = ++state.seq;
  const line = $('#desk-status');
  if (!quiet) status(line, t('dash.loading', { date: fmtDate(date) }), 'busy');
  try {
    const token = state.token;
    const [board, comp, releases, recent, reconcile] = await Promise.all([
      api(`/days/${date}/board`, { token }),
      api(`/days/${date}/compilation`, { token }),
      api(`/days/${date}/releases`, { token }),
      api('/releases', { params: { from: addDays(date, -13), to: date } }),
      // The register is a help, not a condition: the desk works without it.
      api(`/cases/reconcile/${date}`, { token }).catch((e) => ({ failed: e.message })),
    ]);
    if (seq !== state.seq) return;
    Object.assign(state, { board, comp, releases, recent: recent.releases || [], reconcile });
    render();
    await loadPreview(comp, seq);
    status(line, t('desk.loaded', { date: fmtDate(date), time: fmtTime(new Date().toISOString()) }), 'ok');
    document.body.dataset.loaded = date;
  } catch (e) {
    if (seq !== state.seq) return;
    status(line, t('desk.failed', { msg: e.message }), 'error');
  }
}

function render() {
  renderBoard();
  renderCompilation();
  renderPreview();
  renderApprove();
  renderReconcile();
  renderReleases();
}

function renderReconcile() {
  const r = state.reconcile;
  if (!r) return;
  const line = $('#reconcile-summary');
  if (r.failed) {
    line.textContent = t('desk.reconcileFailed', { msg: r.failed });
    $('#reconcile').replaceChildren();
    return;
  }
  const rows = r.rows.filter((x) => x.differs);
  line.textContent = rows.length ? t('desk.reconcileDiffers', { n: rows.length }) : t('desk.reconcileAgrees');
  const diff = (x) => {
    if (x.register == null) return t('desk.notInRegister');
    if (x.report == null) return t('desk.notReported');
    const d = x.register - x.report;
    return (d > 0 ? '+' : '') + fmtNum(d);
  };
  table($('#reconcile'),
    [t('desk.col.region'), t('desk.col.measure'), t('desk.col.origin'), t('desk.col.register'), t('desk.col.report'), t('desk.col.difference')],
    rows.map((x) => ({
      attrs: { dataset: { unit: x.unit, measure: x.measure, origin: x.origin } },
      cells: [`${regionName(x.unit)} (${x.unit})`, measureLabel(x.measure), originLabel(x.origin),
        x.register == null ? '—' : fmtNum(x.register), x.report == null ? '—' : fmtNum(x.report), diff(x)],
    })), '');
  document.body.dataset.reconciled = String(rows.length);
}

function renderBoard() {
  const b = state.board;
  if (!b) return;
  $('#cutoff').textContent = t('desk.cutoff', { time: fmtTime(b.cutoff), set: b.cutoff_set ? '' : t('desk.cutoffDefault') }) +
    (b.national_report ? ' · ' + t('desk.national', { n: b.national_report }) : '');
  $('#counts').replaceChildren(...['on_time', 'late', 'missing', 'awaiting'].map((k) =>
    el('li', {}, badge(k, t('desk.count.' + k, { n: b.counts[k] })))));
  table($('#board'), [t('desk.unit'), t('desk.status'), t('desk.first'), t('desk.version'), t('desk.last'), t('desk.reason')],
    b.units.map((u) => ({
      attrs: { dataset: { unit: u.unit, status: u.status } },
      cells: [`${regionName(u.unit)} (${u.unit})`, badge(u.status, t('desk.state.' + u.status)),
        fmtTime(u.first_submitted_at), u.version ?? '—', fmtTime(u.submitted_at), u.reason || '—'],
    })), '');
}

function publishedHash() {
  return (state.releases?.published || []).at(-1)?.content_hash;
}

function renderCompilation() {
  const c = state.comp;
  if (!c) return;
  const box = $('#comp-summary');
  const missing = c.units_missing.map((u) => regionName(u)).join(getLang() === 'zh' ? '、' : ', ');
  box.replaceChildren(...[
    el('p', {}, c.complete ? t('desk.complete') : t('desk.incomplete', { n: c.units_reported, missing })),
    el('p', {}, t('desk.hash'), ' ', el('code', { class: 'mono', id: 'content-hash' }, c.content_hash)),
    c.base_version ? el('p', {}, publishedHash() === c.content_hash ? t('desk.isPublished', { n: c.base_version }) : t('desk.base', { n: c.base_version })) : null,
  ].filter(Boolean));
  table($('#discrepancies'),
    [t('desk.col.measure'), t('desk.col.origin'), t('desk.col.national'), t('desk.col.source'), t('desk.col.sum'), t('desk.col.units')],
    c.discrepancies.map((d) => ({ cells: [measureLabel(d.measure), originLabel(d.origin), fmtNum(d.national), d.national_source, fmtNum(d.units_sum), String(d.units_reporting)] })),
    t('desk.noDiscrepancies'));
  table($('#checks'),
    [t('desk.col.region'), t('desk.col.measure'), t('desk.col.origin'), t('desk.col.identity'), t('desk.col.expected'), t('desk.col.found')],
    c.checks.map((b) => ({ cells: [regionName(String(b.region)), measureLabel(b.measure), originLabel(b.origin), b.identity, fmtNum(b.expected), fmtNum(b.found)] })),
    t('desk.noChecks'));
  table($('#errata-table'),
    [t('desk.col.region'), t('desk.col.measure'), t('desk.col.origin'), t('desk.col.old'), t('desk.col.new'), t('desk.col.reason')],
    c.errata.map((e) => ({ cells: [regionName(String(e.region)), measureLabel(e.measure), originLabel(e.origin), fmtNum(e.old), fmtNum(e.new), e.reason] })),
    t('desk.noErrata'));
}

// ------------------------------------------------------------------ preview

// The preview is the server's: GET /days/{date}/compilation/bulletin renders the current
// compilation with the renderer that writes the published bulletin, in both languages, shown
// as two tabs (the page's language first).

async function loadPreview(comp, seq) {
  const box = $('#preview-status');
  if (!comp.basis.length) {
    state.preview = { hash: comp.content_hash, zh: null, en: null };
    renderPreview();
    return;
  }
  status(box, t('desk.previewLoading'), 'busy');
  try {
    const [zh, en] = await Promise.all(['zh', 'en'].map((lang) => api(`/days/${comp.date}/compilation/bulletin`, {
      token: state.token, params: { lang, format: 'text' }, as: 'text', full: true,
    })));
    if (seq !== state.seq) return;
    state.preview = { hash: zh.headers.get('x-content-hash'), zh: zh.body, en: en.body };
    renderPreview();
    status(box, '', 'ok');
    document.body.dataset.preview = state.preview.hash || '';
  } catch (e) {
    if (seq !== state.seq) return;
    status(box, t('desk.previewFailed', { msg: e.message }), 'error');
  }
}

function renderPreview() {
  const p = state.preview;
  if (!p) return;
  for (const lang of ['zh', 'en']) {
    const box = $('#preview-' + lang);
    box.replaceChildren();
    const lines = (p[lang] || '').split('\n').map((l) => l.trim()).filter(Boolean);
    if (!lines.length) {
      box.append(el('p', { class: 'empty' }, tIn(lang, 'desk.previewEmpty')));
      continue;
    }
    box.append(el('h3', { text: lines[0] }));
    for (const l of lines.slice(1)) box.append(el('p', { text: l }));
  }
}

/** Shows one language's tab (the WAI-ARIA tabs pattern: arrows move, Home and End too). */
function selectTab(lang, focus = false) {
  for (const l of ['zh', 'en']) {
    const tab = $('#tab-' + l);
    const on = l === lang;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $('#preview-' + l).hidden = !on;
    if (on && focus) tab.focus();
  }
}

function initTabs() {
  for (const l of ['zh', 'en']) {
    const tab = $('#tab-' + l);
    tab.addEventListener('click', () => selectTab(l));
    tab.addEventListener('keydown', (e) => {
      const other = l === 'zh' ? 'en' : 'zh';
      const to = { ArrowRight: other, ArrowLeft: other, Home: 'zh', End: 'en' }[e.key];
      if (!to) return;
      e.preventDefault();
      selectTab(to, true);
    });
  }
  selectTab(getLang() === 'en' ? 'en' : 'zh');
}

// ------------------------------------------------------------------ approve, publish

function renderApprove() {
  const c = state.comp;
  if (!c) return;
  const hasDisc = c.discrepancies.length > 0;
  $('#accept-row').hidden = !hasDisc;
  if (!hasDisc) $('#accept').checked = false;
  const published = (state.releases?.published || []).at(-1);
  const same = published && publishedHash() === c.content_hash;
  $('#approve').disabled = c.basis.length === 0 || same;
  $('#approve-hash').textContent = !c.basis.length ? t('desk.nothing')
    : same ? t('desk.same', { n: published.number })
      : t('desk.approveHash', { hash: c.content_hash.slice(0, 16) + '…' });
  const pending = (state.releases?.approvals || []).filter((r) => r.status === 'approved');
  const box = $('#pending');
  box.replaceChildren();
  if (!pending.length) return;
  box.append(el('h3', {}, t('desk.pending')));
  for (const r of pending) {
    box.append(el('div', { class: 'actions' },
      el('span', {}, `#${r.id} · ${fmtTime(r.approved_at)} · ${r.content_hash.slice(0, 12)}…` + (r.note ? ` · ${r.note}` : '')),
      el('button', { type: 'button', class: 'publish-btn', dataset: { id: r.id }, onclick: () => publish(r.id) }, t('desk.publishBtn', { id: r.id }))));
  }
}

function idempotencyKey() {
  return (crypto.randomUUID && crypto.randomUUID()) || `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

async function approve(ev) {
  ev.preventDefault();
  const c = state.comp;
  const out = $('#approve-status');
  if (!c) return;
  $('#approve').disabled = true;
  status(out, t('desk.approving'), 'busy');
  try {
    const body = { content_hash: c.content_hash };
    const note = $('#note').value.trim();
    if (note) body.note = note;
    if ($('#accept').checked) body.accept_discrepancies = true;
    const r = await api(`/days/${c.date}/releases`, { method: 'POST', token: state.token, body, idempotencyKey: idempotencyKey() });
    $('#note').value = '';
    await load({ quiet: true });
    status(out, t('desk.approved', { id: r.release.id }), 'ok');
    $(`.publish-btn[data-id="${r.release.id}"]`)?.focus();
  } catch (e) {
    status(out, e.message, 'error');
    if (e instanceof ApiError && e.status === 409) await load({ quiet: true });
  } finally {
    renderApprove();
  }
}

async function publish(id) {
  const out = $('#approve-status');
  status(out, t('desk.publishing'), 'busy');
  try {
    const r = await api(`/releases/${id}/publish`, { method: 'POST', token: state.token, idempotencyKey: idempotencyKey() });
    await load({ quiet: true });
    out.replaceChildren(t('desk.published', { date: fmtDate(r.release.date), n: r.release.number }), ' ',
      el('a', { href: `/?date=${r.release.date}` }, t('desk.publicLink')));
    out.dataset.kind = 'ok';
    document.body.dataset.published = `${r.release.date}#${r.release.number}`;
  } catch (e) {
    status(out, e.message, 'error');
  }
}

// ------------------------------------------------------------------ releases

function renderReleases() {
  const all = state.releases?.approvals || [];
  table($('#releases'),
    [t('desk.rel.id'), t('desk.rel.number'), t('desk.rel.status'), t('desk.rel.approved'), t('desk.rel.published'), t('desk.rel.note'), t('desk.rel.errata')],
    all.slice().reverse().map((r) => ({
      attrs: { dataset: { release: r.id, status: r.status } },
      cells: [`#${r.id}`, r.number ?? '—', badge(r.status, t('desk.status.' + r.status)), fmtTime(r.approved_at),
        fmtTime(r.published_at), r.note || '—', r.errata.length ? errataList(r.errata) : '—'],
    })), t('desk.noReleases'));
  const box = $('#recent');
  box.replaceChildren();
  const list = state.recent.slice().reverse();
  if (!list.length) {
    box.append(el('p', { class: 'empty' }, t('desk.noRecent')));
    return;
  }
  box.append(el('ul', {}, list.map((r) => el('li', {},
    el('a', { href: `/?date=${r.date}&release=${r.number}` }, t('desk.recentItem', { date: fmtDate(r.date), n: r.number, time: fmtPublished(r) })),
    r.errata?.length ? errataList(r.errata) : null))));
}

// ------------------------------------------------------------------ start

function relabel() {
  if (!state.who) return;
  $('#who-text').textContent = whoLabel(state.who);
  render();
}

function autoRefresh() {
  clearInterval(state.timer);
  if ($('#auto').checked) {
    state.timer = setInterval(() => { if (!document.hidden) load({ quiet: true }); }, 30000);
  }
}

async function main() {
  await loadVocab();
  initLang(relabel);
  const q = new URLSearchParams(location.search).get('date');
  const today = await reportingToday();
  $('#date').value = q || addDays(today, -1);
  $('#date').max = today;
  $('#day-form').addEventListener('submit', (e) => { e.preventDefault(); load(); });
  $('#date').addEventListener('change', () => load());
  $('#auto').addEventListener('change', autoRefresh);
  $('#approve-form').addEventListener('submit', approve);
  initTabs();
  initSignIn('desk', ['compiler'], async (who, token) => {
    state.who = who;
    state.token = token;
    await load();
    document.body.dataset.ready = '1';
  });
}

main();
