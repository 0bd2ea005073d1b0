// The reporter's form: a unit's report of a day, checked by the server's own rules. Every
// problem the server finds is shown next to its field (by the JSON pointer of the problem) and in
// a summary; plausibility warnings are acknowledged by the reporter; a revision needs a reason;
// the unit's versions of the day are listed. When the server offers a dry run
// (POST /reports?dry_run=true), the form is checked live as it is filled in.

import { api, ApiError, hasDryRun, reportingToday } from './api.js';
import {
  $, $$, addDays, allMeasures, el, fmtNum, fmtTime, getLang, initLang, initSignIn,
  loadRegions, loadVocab, measureLabel, NATION, originLabel, regionName, status, t, whoLabel,
} from './common.js';
import { extend, tIn } from './i18n.js';

extend({
  zh: {
    'report.title': '填报当日数字',
    'report.day': '报告日',
    'report.unit': '报告单位：',
    'report.figures': '数字',
    'report.figuresHint': '未知的数字请留空（缺失不等于零）；通报为“无”的数字填 0。',
    'report.measure': '指标',
    'report.parts': '分地区数字',
    'report.partsHint': '某个数字在本单位内各地（地市、区县）的分布。',
    'report.addPart': '添加分地区数字',
    'report.fillRegister': '从病例登记填入',
    'report.filled': '已从病例登记填入{n}个数字，请核对后提交。',
    'report.fillNone': '病例登记中没有本单位该日的数字。',
    'report.fillFailed': '无法读取病例登记：{msg}',
    'report.partOf': '所属数字',
    'report.partRegion': '地区代码',
    'report.partValue': '数值',
    'report.partNoFigure': '请先在上表填写该数字本身。',
    'report.remove': '删除',
    'report.corrections': '订正',
    'report.correctionsHint': '核减、核增或订正此前的数字，说明原因。',
    'report.addCorrection': '添加订正',
    'report.kind': '类型',
    'report.kind.reduce': '核减',
    'report.kind.increase': '核增',
    'report.kind.revise': '订正',
    'report.delta': '变化量（带符号）',
    'report.restated': '订正后数值',
    'report.refersTo': '所订正的日期',
    'report.corrReason': '原因',
    'report.origin': '来源',
    'report.revision': '修订原因',
    'report.reason': '原因',
    'report.reasonHint': '本单位已报告该日时必填：说明新版本为何取代旧版本。',
    'report.reasonRequired': '本单位已报告该日（第{n}版）：再次提交即为修订，须填写原因。',
    'report.submit': '提交',
    'report.submitting': '正在提交……',
    'report.stored': '已保存：第{n}版，{time}。',
    'report.unchanged': '与已保存的第{n}版相同，未产生新版本。',
    'report.rejected': '报告未被接受',
    'report.rejectedMsg': '服务器发现 {n} 个问题，整份报告未保存。请逐项更正：',
    'report.warnings': '请核实以下数字',
    'report.warningsHint': '服务器认为这些数字与本单位近日数字相差较大。请更正，或核实无误后勾选确认再提交。',
    'report.ack': '已核实：{msg}',
    'report.expected': '应为：{e}',
    'report.versions': '本单位该日的各版本',
    'report.version': '版本',
    'report.submittedAt': '提交时间',
    'report.by': '提交令牌',
    'report.nFigures': '数字个数',
    'report.hash': '内容哈希',
    'report.actions': '操作',
    'report.load': '载入表单',
    'report.show': '查看数字',
    'report.noVersions': '本单位尚未报告该日。',
    'report.existingNone': '本单位尚未报告该日。',
    'report.existing': '已有第{n}版（{time}）。表单已载入该版本；修改后提交即为第{m}版，须填写原因。',
    'report.loadFailed': '无法读取已报告的版本：{msg}',
    'report.loaded': '已将第{n}版载入表单。',
    'report.live': '服务器校验：{n} 个问题。',
    'report.liveOk': '服务器校验：没有问题。',
    'report.liveWarnings': '服务器校验：没有问题；{n} 个提醒待核实确认。',
    'report.liveUnavailable': '暂时无法在线校验（{msg}）；提交时服务器仍会校验。',
    'report.checking': '服务器校验中……',
    'report.fixFirst': '请先更正 {n} 个问题再提交。',
    'report.group.flow': '当日新增（0—24时）',
    'report.group.change': '较前一日变化',
    'report.group.stock': '24时现有',
    'report.group.cumulative': '累计',
    'report.footer': '数字以服务器的校验为准：提交时整份报告一起校验，有问题则一项都不保存。',
    'report.formLevel': '整份报告',
    // The server's problem codes in Chinese; the server's own (English) words follow each.
    'code.malformed_json': '报告不是有效的 JSON',
    'code.malformed_csv': '报告不是有效的 CSV',
    'code.not_an_object': '此处应为一个对象',
    'code.unknown_field': '未知的字段',
    'code.missing_field': '缺少必填字段',
    'code.missing_value': '缺少数值（未知的数字请整项留空）',
    'code.wrong_type': '类型不对',
    'code.not_a_number': '不是数字',
    'code.quoted_number': '数字不应加引号',
    'code.not_whole': '应为整数',
    'code.too_large': '数字过大',
    'code.negative': '数值不能为负（核减此前的数字请用“订正”）',
    'code.no_figures': '报告至少要有一个数字',
    'code.too_many_rows': '行数过多',
    'code.empty_csv': 'CSV 为空',
    'code.duplicate_column': '列重复',
    'code.unknown_column': '未知的列',
    'code.missing_columns': '缺少列',
    'code.wrong_field_count': '本行的字段数与表头不符',
    'code.not_utf8': '不是 UTF-8 文本',
    'code.mixed_dates': '一份报告只能有一个日期',
    'code.invalid_date': '日期格式不对（应为 YYYY-MM-DD）',
    'code.future_date': '日期不能晚于今天（北京时间）',
    'code.invalid_unit': '报告单位代码不对',
    'code.not_a_reporting_unit': '不是报告单位',
    'code.invalid_region': '地区代码不对',
    'code.unknown_region': '没有这个地区代码',
    'code.unknown_measure': '未知的指标',
    'code.not_reported_by_units': '此指标由国家汇总，各单位不报',
    'code.unknown_origin': '未知的来源（应为 全部、境外输入 或 本土）',
    'code.unknown_correction_kind': '未知的订正类型',
    'code.correction_without_change': '订正须给出变化量或订正后数值',
    'code.duplicate_figure': '同一数字填了两次',
    'code.duplicate_part': '同一地区在分地区数字中出现两次',
    'code.national_breakdown': '全国数字没有分地区数字',
    'code.part_is_unit': '分地区数字的地区不能是本单位自身',
    'code.outside_unit': '地区不在本单位内',
    'code.part_without_figure': '分地区数字没有对应的数字',
    'code.revision_needs_reason': '本单位已报告该日：修订须填写原因',
    'code.reason_conflict': '原因填了两个不同的值',
    'code.origins_mismatch': '全部 ≠ 境外输入 + 本土',
    'code.parts_exceed_figure': '分地区数字之和大于该数字',
    'code.balance_broken': '累计确诊 ≠ 现有确诊 + 累计治愈 + 累计死亡',
    'code.accumulation_broken': '累计数与前一日累计加当日新增不符（非当日变化请用“订正”说明）',
    'code.stock_broken': '现有数与前一日现有数及当日增减不符（非当日变化请用“订正”说明）',
    'code.invalid_parameter': '参数不对',
    'code.invalid_time': '时间格式不对',
    'code.implausible_high': '远高于本单位近日的数字',
    'code.implausible_jump': '与本单位前一日的数字相差很大',
    'code.implausible_decrease': '累计数比前一日少',
  },
  en: {
    'report.title': 'Report a day',
    'report.day': 'The day',
    'report.unit': 'Reporting unit:',
    'report.figures': 'Figures',
    'report.figuresHint': 'Leave a figure empty when it is not known (missing is not zero); write 0 for a stated none.',
    'report.measure': 'Measure',
    'report.parts': 'Breakdowns',
    'report.partsHint': 'How a figure divides among the prefectures or districts inside the unit.',
    'report.addPart': 'Add a part',
    'report.fillRegister': 'Fill in from the case register',
    'report.filled': '{n} figures filled in from the case register: check them before submitting.',
    'report.fillNone': 'The case register has no figure of this unit for the day.',
    'report.fillFailed': 'The case register could not be read: {msg}',
    'report.partOf': 'Of the figure',
    'report.partRegion': 'Region code',
    'report.partValue': 'Value',
    'report.partNoFigure': 'Fill in the figure itself in the table first.',
    'report.remove': 'Remove',
    'report.corrections': 'Corrections',
    'report.correctionsHint': 'A reduction, increase or revision of an earlier figure, with its reason.',
    'report.addCorrection': 'Add a correction',
    'report.kind': 'Kind',
    'report.kind.reduce': 'reduce (核减)',
    'report.kind.increase': 'increase (核增)',
    'report.kind.revise': 'revise (订正)',
    'report.delta': 'Change (signed)',
    'report.restated': 'Corrected value',
    'report.refersTo': 'Day corrected',
    'report.corrReason': 'Reason',
    'report.origin': 'Origin',
    'report.revision': 'Reason for a revision',
    'report.reason': 'Reason',
    'report.reasonHint': 'Needed when the unit already reported the day: why the new version supersedes the old.',
    'report.reasonRequired': 'The unit already reported this day (version {n}): sending again is a revision and needs a reason.',
    'report.submit': 'Submit the report',
    'report.submitting': 'Submitting…',
    'report.stored': 'Stored: version {n}, {time}.',
    'report.unchanged': 'Identical to the stored version {n}; no new version.',
    'report.rejected': 'The report was not accepted',
    'report.rejectedMsg': 'The server found {n} problem(s); nothing of the report was stored. Correct each:',
    'report.warnings': 'Check these figures',
    'report.warningsHint': 'The server finds these figures far from the unit’s recent days. Correct them, or tick to confirm that you checked them, and submit again.',
    'report.ack': 'Checked: {msg}',
    'report.expected': 'Expected: {e}',
    'report.versions': 'The unit’s versions of this day',
    'report.version': 'Version',
    'report.submittedAt': 'Submitted',
    'report.by': 'Token',
    'report.nFigures': 'Figures',
    'report.hash': 'Content hash',
    'report.actions': 'Actions',
    'report.load': 'Load into the form',
    'report.show': 'Show the figures',
    'report.noVersions': 'The unit has not reported this day yet.',
    'report.existingNone': 'The unit has not reported this day yet.',
    'report.existing': 'Version {n} is stored ({time}). The form holds it; submitting a change makes version {m} and needs a reason.',
    'report.loadFailed': 'The stored versions cannot be read: {msg}',
    'report.loaded': 'Version {n} is in the form.',
    'report.live': 'Checked by the server: {n} problem(s).',
    'report.liveOk': 'Checked by the server: no problems.',
    'report.liveWarnings': 'Checked by the server: no problems; {n} warning(s) to confirm.',
    'report.liveUnavailable': 'The form cannot be checked now ({msg}); the server checks it when it is submitted.',
    'report.checking': 'Checking with the server…',
    'report.fixFirst': 'Correct the {n} problem(s) first; nothing was sent.',
    'report.group.flow': 'Over the day (0–24h)',
    'report.group.change': 'Change on the previous day',
    'report.group.stock': 'At 24:00',
    'report.group.cumulative': 'Cumulative',
    'report.footer': 'The server’s checks decide: a report is checked whole, and nothing of it is stored if anything is wrong.',
    'report.formLevel': 'The report',
    // The server's problem codes (in English the server's own words are shown; these stand in
    // when it gives none).
    'code.malformed_json': 'the report is not valid JSON',
    'code.malformed_csv': 'the report is not valid CSV',
    'code.not_an_object': 'an object is expected here',
    'code.unknown_field': 'unknown field',
    'code.missing_field': 'a required field is missing',
    'code.missing_value': 'the value is missing (leave out a figure that is not known)',
    'code.wrong_type': 'wrong type',
    'code.not_a_number': 'not a number',
    'code.quoted_number': 'a number without quotes is expected',
    'code.not_whole': 'a whole number is expected',
    'code.too_large': 'the number is too large',
    'code.negative': 'counts are zero or more (a reduction of an earlier figure is a correction)',
    'code.no_figures': 'a report gives at least one figure',
    'code.too_many_rows': 'too many rows',
    'code.empty_csv': 'the CSV is empty',
    'code.duplicate_column': 'a column is given twice',
    'code.unknown_column': 'unknown column',
    'code.missing_columns': 'columns are missing',
    'code.wrong_field_count': 'the row has another number of fields than the header',
    'code.not_utf8': 'not UTF-8 text',
    'code.mixed_dates': 'a report is of one day',
    'code.invalid_date': 'not a date (YYYY-MM-DD)',
    'code.future_date': 'the day is in the future (Beijing time)',
    'code.invalid_unit': 'not a unit code',
    'code.not_a_reporting_unit': 'not a reporting unit',
    'code.invalid_region': 'not a region code',
    'code.unknown_region': 'no such region code',
    'code.unknown_measure': 'unknown measure',
    'code.not_reported_by_units': 'the compilers count this measure; units do not report it',
    'code.unknown_origin': 'unknown origin (all, imported or local)',
    'code.unknown_correction_kind': 'unknown kind of correction',
    'code.correction_without_change': 'a correction gives a change or the corrected value',
    'code.duplicate_figure': 'the figure is given twice',
    'code.duplicate_part': 'the region is given twice in the breakdown',
    'code.national_breakdown': 'the national figures have no breakdown',
    'code.part_is_unit': 'a part is a region inside the unit, not the unit',
    'code.outside_unit': 'the region lies outside the unit',
    'code.part_without_figure': 'a part of a figure the report does not give',
    'code.revision_needs_reason': 'the unit already reported the day: a revision needs a reason',
    'code.reason_conflict': 'two different reasons',
    'code.origins_mismatch': 'all ≠ imported + local',
    'code.parts_exceed_figure': 'the parts sum to more than the figure',
    'code.balance_broken': 'cumulative confirmed ≠ current + cumulative discharged + cumulative deaths',
    'code.accumulation_broken': 'the cumulative figure is not the previous day’s plus the day’s flow (a correction explains other changes)',
    'code.stock_broken': 'the current figure does not follow from the previous day’s (a correction explains other changes)',
    'code.invalid_parameter': 'wrong parameter',
    'code.invalid_time': 'not a time',
    'code.implausible_high': 'far above the unit’s recent days',
    'code.implausible_jump': 'a jump from the unit’s previous day',
    'code.implausible_decrease': 'a cumulative figure below the previous day’s',
  },
});

const ORIGINS = ['local', 'imported', 'all'];
const GROUPS = ['flow', 'change', 'stock', 'cumulative'];

const state = {
  who: null,
  token: null,
  unit: null,
  existing: null, // the newest stored version of the day
  versions: [],
  places: null, // where each part of the last body sent is in the form
  dryRun: false,
  seq: 0, // bumped by every change of the form
  live: null, // the last live check of the form as it is: {seq, err}
};

let partSeq = 0;
let corrSeq = 0;

const reportable = () => allMeasures().filter((m) => m.kind !== 'coverage');
const inputId = (m, o) => `v-${m}-${o}`;

// ------------------------------------------------------------------ the form

function buildFigures() {
  const table = $('#figures');
  const keep = new Map($$('input', table).map((i) => [i.id, i.value]));
  table.replaceChildren();
  table.append(el('caption', { class: 'visually-hidden' }, t('report.figures')));
  table.append(el('thead', {}, el('tr', {},
    el('th', { scope: 'col', id: 'col-measure' }, t('report.measure')),
    ORIGINS.map((o) => el('th', { scope: 'col', id: `o-${o}` }, originLabel(o))))));
  const body = el('tbody');
  for (const g of GROUPS) {
    const ms = reportable().filter((m) => m.kind === g);
    if (!ms.length) continue;
    body.append(el('tr', { class: 'group-row' }, el('th', { scope: 'colgroup', colspan: 4 }, t('report.group.' + g))));
    for (const m of ms) {
      const tr = el('tr', { dataset: { measure: m.name } },
        el('th', { scope: 'row' },
          el('span', { class: 'mlabel', id: `m-${m.name}` }, measureLabel(m.name)), el('span', { class: 'mname', lang: 'en' }, m.name)));
      for (const o of ORIGINS) {
        const id = inputId(m.name, o);
        const input = el('input', {
          type: 'text', id, name: id, inputmode: m.signed ? 'text' : 'numeric', autocomplete: 'off',
          'aria-labelledby': `m-${m.name} o-${o}`, 'aria-describedby': `${id}-err`,
          dataset: { measure: m.name, origin: o },
        });
        input.value = keep.get(id) || '';
        tr.append(el('td', { 'data-label': originLabel(o) }, input, el('p', { class: 'field-error', id: `${id}-err`, hidden: true })));
      }
      body.append(tr);
    }
  }
  table.append(body);
}

function figureOptions(select, value) {
  select.replaceChildren();
  for (const m of reportable()) {
    for (const o of ORIGINS) {
      select.append(el('option', { value: `${m.name}|${o}` }, `${measureLabel(m.name)} (${originLabel(o)})`));
    }
  }
  if (value) select.value = value;
}

async function fillRegionList() {
  const list = $('#region-list');
  if (list.childElementCount || !state.unit || state.unit === NATION) return;
  try {
    const all = await loadRegions();
    const prefix = state.unit.slice(0, 2);
    for (const r of all) {
      if (r.code.startsWith(prefix) && r.code !== state.unit && (r.level === 'prefecture' || r.level === 'county')) {
        list.append(el('option', { value: r.code }, getLang() === 'zh' ? r.zh : `${r.en || r.zh} ${r.zh}`));
      }
    }
  } catch { /* the codes can still be typed */ }
}

function addPart(p = {}) {
  const n = ++partSeq;
  const id = (f) => `p${n}-${f}`;
  const select = el('select', { id: id('figure'), 'aria-describedby': id('figure') + '-err' });
  figureOptions(select, p.figure);
  const row = el('div', { class: 'row part', dataset: { n } },
    el('div', { class: 'field' }, el('label', { for: id('figure') }, t('report.partOf')), select,
      el('p', { class: 'field-error', id: id('figure') + '-err', hidden: true })),
    el('div', { class: 'field' }, el('label', { for: id('region') }, t('report.partRegion')),
      el('input', { type: 'text', id: id('region'), list: 'region-list', inputmode: 'numeric', autocomplete: 'off', size: 10, 'aria-describedby': id('region') + '-err', value: p.region || '' }),
      el('p', { class: 'field-error', id: id('region') + '-err', hidden: true })),
    el('div', { class: 'field' }, el('label', { for: id('value') }, t('report.partValue')),
      el('input', { type: 'text', id: id('value'), inputmode: 'numeric', autocomplete: 'off', size: 8, 'aria-describedby': id('value') + '-err', value: p.value ?? '' }),
      el('p', { class: 'field-error', id: id('value') + '-err', hidden: true })),
    el('button', { type: 'button', class: 'btn-secondary', onclick: () => { row.remove(); changed(); } }, t('report.remove')));
  $('#parts').append(row);
  fillRegionList();
  return row;
}

function addCorrection(c = {}) {
  const n = ++corrSeq;
  const id = (f) => `c${n}-${f}`;
  const field = (f, label, control) => el('div', { class: 'field' }, el('label', { for: id(f) }, label), control,
    el('p', { class: 'field-error', id: id(f) + '-err', hidden: true }));
  const measureSel = el('select', { id: id('measure'), 'aria-describedby': id('measure') + '-err' },
    reportable().map((m) => el('option', { value: m.name }, measureLabel(m.name))));
  measureSel.value = c.measure || 'confirmed_cumulative';
  const originSel = el('select', { id: id('origin'), 'aria-describedby': id('origin') + '-err' },
    ['all', 'local', 'imported'].map((o) => el('option', { value: o }, originLabel(o))));
  originSel.value = c.origin || 'all';
  const kindSel = el('select', { id: id('kind'), 'aria-describedby': id('kind') + '-err' },
    ['reduce', 'increase', 'revise'].map((k) => el('option', { value: k }, t('report.kind.' + k))));
  kindSel.value = c.kind || 'reduce';
  const input = (f, extra = {}) => el('input', { type: 'text', id: id(f), autocomplete: 'off', 'aria-describedby': id(f) + '-err', ...extra });
  const row = el('div', { class: 'row correction', dataset: { n } },
    field('measure', t('report.measure'), measureSel),
    field('origin', t('report.origin'), originSel),
    field('kind', t('report.kind'), kindSel),
    field('delta', t('report.delta'), input('delta', { size: 8, value: c.delta ?? '' })),
    field('restated', t('report.restated'), input('restated', { size: 8, inputmode: 'numeric', value: c.restated ?? '' })),
    field('refers_to', t('report.refersTo'), el('input', { type: 'date', id: id('refers_to'), 'aria-describedby': id('refers_to') + '-err', value: c.refers_to || '' })),
    field('reason', t('report.corrReason'), input('reason', { size: 24, value: c.reason || '' })),
    el('button', { type: 'button', class: 'btn-secondary', onclick: () => { row.remove(); changed(); } }, t('report.remove')));
  $('#corrections').append(row);
  return row;
}

/** A typed value as JSON: a number when it reads as one, else the text (the server says what is wrong). */
function value(raw) {
  const s = raw.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xFF10 + 48))
    .replace(/\uFF0D/g, '-').replace(/[\s\u3000]/g, '');
  if (/^[-+]?\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    return Number.isSafeInteger(n) || !Number.isInteger(n) ? n : s;
  }
  return s;
}

/** The report as JSON, and where each of its parts is in the form. */
function collect() {
  const figures = [];
  const places = { figures: [], corrections: [], local: [] };
  const index = new Map();
  for (const input of $$('#figures input')) {
    const raw = input.value.trim();
    if (!raw) continue;
    const f = { measure: input.dataset.measure, origin: input.dataset.origin, value: value(raw) };
    index.set(`${f.measure}|${f.origin}`, figures.length);
    figures.push(f);
    places.figures.push({ value: input, parts: [] });
  }
  for (const row of $$('#parts .part')) {
    const n = row.dataset.n;
    const fig = $(`#p${n}-figure`).value;
    const region = $(`#p${n}-region`).value.trim();
    const v = $(`#p${n}-value`).value.trim();
    if (!region && !v) continue;
    const i = index.get(fig);
    if (i === undefined) {
      places.local.push({ el: $(`#p${n}-figure`), message: t('report.partNoFigure') });
      continue;
    }
    (figures[i].breakdown ??= []).push({ region, value: v === '' ? null : value(v) });
    places.figures[i].parts.push({ region: $(`#p${n}-region`), value: $(`#p${n}-value`) });
  }
  const corrections = [];
  for (const row of $$('#corrections .correction')) {
    const n = row.dataset.n;
    const g = (f) => $(`#c${n}-${f}`);
    const c = { measure: g('measure').value, origin: g('origin').value, kind: g('kind').value };
    if (g('delta').value.trim()) c.delta = value(g('delta').value.trim());
    if (g('restated').value.trim()) c.restated = value(g('restated').value.trim());
    if (g('refers_to').value) c.refers_to = g('refers_to').value;
    if (g('reason').value.trim()) c.reason = g('reason').value.trim();
    corrections.push(c);
    places.corrections.push(Object.fromEntries(
      ['measure', 'origin', 'kind', 'delta', 'restated', 'refers_to', 'reason'].map((f) => [f, g(f)])));
  }
  const body = { date: $('#date').value, unit: state.unit, figures };
  if (corrections.length) body.corrections = corrections;
  const reason = $('#reason').value.trim();
  if (reason) body.reason = reason;
  const ack = $$('#warning-list input:checked').map((i) => i.value);
  if (ack.length) body.acknowledge = ack;
  return { body, places };
}

/** The form element a problem's place names. */
function placeOf(problem, places) {
  if (problem.parameter === 'reason') return $('#reason');
  const p = problem.pointer;
  if (p === undefined) return null;
  const seg = p.split('/').slice(1);
  if (seg[0] === 'date') return $('#date');
  if (seg[0] === 'unit') return $('#unit-text');
  if (seg[0] === 'reason') return $('#reason');
  if (seg[0] === 'acknowledge') return $('#warning-list');
  if (seg[0] === 'figures' && seg.length > 1) {
    const f = places.figures[Number(seg[1])];
    if (!f) return null;
    if (seg[2] === 'breakdown' && seg.length > 3) {
      const part = f.parts[Number(seg[3])];
      if (part) return seg[4] === 'value' ? part.value : part.region;
    }
    return f.value;
  }
  if (seg[0] === 'corrections' && seg.length > 1) {
    const c = places.corrections[Number(seg[1])];
    if (!c) return null;
    return c[seg[2]] || c.measure;
  }
  return null;
}

function labelOf(node) {
  if (!node) return t('report.formLevel');
  if (node.id === 'unit-text') return t('report.unit');
  const labelled = node.getAttribute('aria-labelledby');
  if (labelled) return labelled.split(' ').map((id) => document.getElementById(id)?.textContent.trim()).join(' · ');
  const l = node.id ? document.querySelector(`label[for="${node.id}"]`) : null;
  return l ? l.textContent.trim() : t('report.formLevel');
}

function messageNode(node) {
  if (!node) return null;
  return document.getElementById(node.id + '-err') ||
    (node.id === 'unit-text' ? $('#unit-err') : null);
}

function clearMarks() {
  for (const n of $$('[aria-invalid="true"]')) n.removeAttribute('aria-invalid');
  for (const n of $$('.has-warning')) n.classList.remove('has-warning');
  for (const n of $$('.field-error, .field-warning')) {
    n.textContent = '';
    n.hidden = true;
    n.className = 'field-error';
  }
  $('#error-summary').hidden = true;
}

/** Marks a field as invalid (or with a warning) and puts the message next to it. */
function mark(node, parts, kind) {
  const msg = messageNode(node);
  if (kind === 'error') node?.setAttribute?.('aria-invalid', 'true');
  else node?.classList?.add('has-warning');
  if (msg) {
    msg.removeAttribute('lang'); // the page's language; the server's words carry lang="en"
    if (msg.childNodes.length) msg.append(' ');
    msg.append(...[parts].flat().map((x) => (x instanceof Node ? x.cloneNode(true) : x)));
    msg.className = kind === 'error' ? 'field-error' : 'field-warning';
    msg.hidden = false;
  }
}

/** The server's own words of a problem or warning (English), with what would be right. */
function serverWords(p) {
  return p.expected ? `${p.message}. Expected: ${p.expected}` : p.message;
}

/**
 * A problem or warning in the page's language, as nodes: in English the server's words; in
 * Chinese the words of its code, then the server's words (marked as English) in brackets.
 */
function problemText(p) {
  const key = 'code.' + p.code;
  const own = p.code ? tIn(getLang(), key) : key;
  if (!p.message) return [own !== key ? own : t('report.formLevel')];
  const words = el('span', { lang: 'en', class: 'server-words' }, serverWords(p));
  return getLang() === 'zh' && own !== key ? [own, '（', words, '）'] : [words];
}

/** Shows the server's problems and warnings; `summary`: also the summary, focused. */
function showProblems(err, places, { summary = true } = {}) {
  clearMarks();
  const problems = err.problems || [];
  const list = $('#error-list');
  list.replaceChildren();
  for (const p of problems) {
    const node = placeOf(p, places);
    mark(node, problemText(p), 'error');
    const target = node && node.id && node.id !== 'unit-text' ? node : null;
    const text = [`${labelOf(node)}: `, ...problemText(p)];
    list.append(el('li', {}, target
      ? el('a', { href: '#' + target.id, onclick: (e) => { e.preventDefault(); target.focus(); } }, ...text)
      : text));
  }
  for (const l of places.local) {
    mark(l.el, l.message, 'error');
    list.append(el('li', {}, el('a', { href: '#' + l.el.id, onclick: (e) => { e.preventDefault(); l.el.focus(); } }, `${labelOf(l.el)}: ${l.message}`)));
  }
  showWarnings(err.warnings || [], places);
  const n = problems.length + places.local.length;
  if (n && summary) {
    $('#error-summary-h').textContent = t('report.rejected');
    $('#error-summary-msg').replaceChildren(t('report.rejectedMsg', { n }), ' ', el('span', { lang: 'en' }, `(${err.message})`));
    $('#error-summary').hidden = false;
    $('#error-summary').focus();
  }
  return n;
}

function showWarnings(warnings, places) {
  const box = $('#warning-box');
  const list = $('#warning-list');
  const checked = new Set($$('#warning-list input:checked').map((i) => i.value));
  // The same warnings as shown: the boxes stay as they are (and keep the focus).
  const same = list.dataset.ids === warnings.map((w) => w.id).join(' ') && list.dataset.lang === getLang();
  if (!same) list.replaceChildren();
  for (const w of warnings) {
    const node = placeOf(w, places);
    mark(node, problemText(w), 'warning');
    if (same) continue;
    const id = 'ack-' + w.id.replace(/[^a-z0-9_-]/gi, '_');
    list.append(el('div', { class: 'field inline' },
      el('input', { type: 'checkbox', id, value: w.id, checked: checked.has(w.id) }),
      el('label', { for: id }, t('report.ack', { msg: `${labelOf(node)} — ` }), ...problemText(w))));
  }
  list.dataset.ids = warnings.map((w) => w.id).join(' ');
  list.dataset.lang = getLang();
  box.hidden = warnings.length === 0;
}

// ------------------------------------------------------------------ submit, dry run

async function submit(ev) {
  ev.preventDefault();
  const btn = $('#submit');
  const out = $('#submit-status');
  clearTimeout(liveTimer);
  const { body, places } = collect();
  state.places = places;
  if (places.local.length) {
    showProblems({ problems: [], warnings: [], message: '' }, places);
    return;
  }
  // The live check found problems in exactly this form: nothing is sent; the summary lists them.
  const live = state.live;
  if (live && live.seq === state.seq && live.err) {
    const n = showProblems(live.err, places);
    status(out, t('report.fixFirst', { n }), 'error');
    return;
  }
  state.seq++; // an answer of a live check still under way is of no use now
  btn.disabled = true;
  status(out, t('report.submitting'), 'busy');
  try {
    const res = await api('/reports', { method: 'POST', token: state.token, body, full: true });
    clearMarks();
    $('#warning-box').hidden = true;
    $('#warning-list').replaceChildren();
    delete $('#warning-list').dataset.ids;
    status($('#live'), '', 'ok');
    const r = res.body;
    status(out, r.unchanged ? t('report.unchanged', { n: r.version }) : t('report.stored', { n: r.version, time: fmtTime(r.submitted_at) }), 'ok');
    document.body.dataset.submitted = String(r.version);
    $('#reason').value = '';
    await loadDay({ keepForm: true });
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.problems.length || e.warnings.length) {
      const n = showProblems(e, places, { summary: e.problems.length > 0 });
      if (!n && e.warnings.length) $('#warning-box').focus();
      status(out, e.message, 'error');
    } else {
      clearMarks();
      status(out, e.message, 'error');
    }
  } finally {
    btn.disabled = false;
  }
}

// Live validation: a moment after the reporter stops typing, the form is sent as a dry run
// (POST /reports?dry_run=true: the server's own rules, nothing stored) and the server's
// messages are shown next to their fields; the polite live region says how many there are.
const LIVE_DELAY_MS = 300;
let liveTimer = null;
function changed() {
  state.seq++; // the form changed: an earlier check no longer describes it
  state.live = null;
  if (!state.dryRun || !state.token) return;
  clearTimeout(liveTimer);
  liveTimer = setTimeout(liveCheck, LIVE_DELAY_MS);
}

async function liveCheck() {
  const seq = state.seq;
  const { body, places } = collect();
  if (!body.date || !body.figures.length || places.local.length) return;
  status($('#live'), t('report.checking'), 'busy');
  try {
    const r = await api('/reports', { method: 'POST', token: state.token, body, params: { dry_run: 'true' } });
    if (seq !== state.seq) return;
    state.live = { seq, err: null };
    state.places = places;
    clearMarks();
    showWarnings((r && r.warnings) || [], places);
    const open = (r && r.unacknowledged) || [];
    status($('#live'), open.length ? t('report.liveWarnings', { n: open.length }) : t('report.liveOk'), open.length ? 'warn' : 'ok');
  } catch (e) {
    if (seq !== state.seq || !(e instanceof ApiError)) return;
    if (!e.problems.length) {
      // Not a verdict on the figures (the network, a token revoked): the submission will say.
      status($('#live'), t('report.liveUnavailable', { msg: e.message }), 'info');
      return;
    }
    state.live = { seq, err: e };
    state.places = places;
    const n = showProblems(e, places, { summary: false });
    status($('#live'), t('report.live', { n }), 'error');
  }
}

// ------------------------------------------------------------------ stored versions

function fillForm(report) {
  for (const i of $$('#figures input')) i.value = '';
  $('#parts').replaceChildren();
  $('#corrections').replaceChildren();
  for (const f of report.figures || []) {
    const input = document.getElementById(inputId(f.measure, f.origin));
    if (input) input.value = String(f.value);
    for (const p of f.breakdown || []) addPart({ figure: `${f.measure}|${f.origin}`, region: String(p.region), value: p.value });
  }
  for (const c of report.corrections || []) {
    addCorrection({ ...c, refers_to: c.refers_to || '' });
  }
}

async function loadDay({ keepForm = false } = {}) {
  const date = $('#date').value;
  const line = $('#existing');
  if (!date) return;
  let versions = [];
  try {
    const r = await api(`/reports/${date}/${state.unit}/versions`, { token: state.token });
    versions = r.versions || [];
  } catch (e) {
    status(line, t('report.loadFailed', { msg: e.message }), 'error');
    return;
  }
  state.versions = versions;
  state.existing = versions[versions.length - 1] || null;
  if (state.existing) {
    status(line, t('report.existing', { n: state.existing.version, time: fmtTime(state.existing.submitted_at), m: state.existing.version + 1 }), 'info');
    if (!keepForm) fillForm(state.existing);
  } else {
    status(line, t('report.existingNone'), 'info');
  }
  $('#reason-hint').textContent = state.existing ? t('report.reasonRequired', { n: state.existing.version }) : t('report.reasonHint');
  renderVersions();
}

function renderVersions() {
  const table = $('#versions');
  table.replaceChildren();
  table.append(el('caption', { class: 'visually-hidden' }, t('report.versions')));
  table.append(el('thead', {}, el('tr', {},
    [t('report.version'), t('report.submittedAt'), t('report.by'), t('report.reason'), t('report.nFigures'), t('report.hash'), t('report.actions')]
      .map((h) => el('th', { scope: 'col' }, h)))));
  const body = el('tbody');
  for (const v of state.versions.slice().reverse()) {
    const figures = el('details', {}, el('summary', {}, t('report.show')),
      el('ul', {}, (v.figures || []).map((f) => el('li', {},
        `${measureLabel(f.measure)} (${originLabel(f.origin)}): ${fmtNum(f.value)}`,
        f.breakdown?.length ? ` [${f.breakdown.map((p) => `${regionName(String(p.region))} ${fmtNum(p.value)}`).join(', ')}]` : ''))));
    body.append(el('tr', { dataset: { version: v.version } },
      el('th', { scope: 'row' }, String(v.version)),
      el('td', {}, fmtTime(v.submitted_at)),
      el('td', {}, v.submitted_by ?? '—'),
      el('td', {}, v.reason || '—'),
      el('td', { class: 'num' }, String((v.figures || []).length)),
      el('td', { class: 'mono' }, (v.content_hash || '').slice(0, 12)),
      el('td', {}, figures, el('button', {
        type: 'button', class: 'btn-secondary',
        onclick: () => { fillForm(v); status($('#existing'), t('report.loaded', { n: v.version }), 'info'); $('#figures-h').scrollIntoView(); },
      }, t('report.load')))));
  }
  if (!state.versions.length) body.append(el('tr', {}, el('td', { colspan: 7, class: 'empty' }, t('report.noVersions'))));
  table.append(body);
}

// ------------------------------------------------------------------ start

function relabel() {
  if (!state.who) return;
  $('#who-text').textContent = whoLabel(state.who);
  $('#unit-text').textContent = `${regionName(state.unit)} (${state.unit})`;
  buildFigures();
  for (const s of $$('#parts select')) figureOptions(s, s.value);
  if (state.existing) loadDay({ keepForm: true });
  else if ($('#existing').textContent) status($('#existing'), t('report.existingNone'), 'info');
  renderVersions();
  changed(); // the server's messages again, in the new language
}

/** Fills the figures with what the case register derives for the unit's day. */
async function fillFromRegister() {
  const date = $('#date').value;
  const line = $('#fill-status');
  if (!date || !state.unit) return;
  try {
    const r = await api(`/cases/reconcile/${date}`, { token: state.token, params: { unit: state.unit } });
    let n = 0;
    for (const row of r.rows) {
      const input = document.getElementById(inputId(row.measure, row.origin));
      if (input && row.register !== null && row.register !== undefined) {
        input.value = String(row.register);
        n += 1;
      }
    }
    status(line, n ? t('report.filled', { n }) : t('report.fillNone'), n ? 'ok' : 'info');
    document.body.dataset.filled = String(n);
    if (n) changed();
  } catch (e) {
    status(line, t('report.fillFailed', { msg: e.message }), 'error');
  }
}

async function main() {
  await loadVocab();
  initLang(relabel);
  state.dryRun = await hasDryRun();
  const today = await reportingToday();
  $('#date').max = today;
  $('#date').value = new URLSearchParams(location.search).get('date') || addDays(today, -1);
  buildFigures();
  $('#report-form').addEventListener('submit', submit);
  $('#report-form').addEventListener('input', changed);
  $('#date').addEventListener('change', () => { clearMarks(); loadDay(); changed(); });
  $('#add-part').addEventListener('click', () => addPart().querySelector('select').focus());
  $('#fill-register').addEventListener('click', fillFromRegister);
  $('#add-correction').addEventListener('click', () => addCorrection().querySelector('select').focus());
  initSignIn('report', ['reporter', 'compiler'], async (who, token) => {
    state.who = who;
    state.token = token;
    state.unit = who.unit || NATION;
    $('#unit-text').textContent = `${regionName(state.unit)} (${state.unit})`;
    await loadDay();
    document.body.dataset.ready = '1';
  });
}

main();
