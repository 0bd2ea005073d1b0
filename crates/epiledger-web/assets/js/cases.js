// A unit's case cards (reporters: the cards their unit reported or whose residence is in their
// province; compilers: every card), filtered, newest first, and a card's view. Every card
// listed or shown is a read in the audit log.

import { api } from './api.js';
import { $, el, fmtDate, fmtNum, initLang, initSignIn, loadVocab, regionName, status, t, whoLabel } from './common.js';
import { extend } from './i18n.js';

extend({
  zh: {
    'cases.title': '病例登记',
    'cases.filters': '筛选',
    'cases.classification': '分类',
    'cases.any': '全部',
    'cases.c.confirmed': '确诊病例',
    'cases.c.clinically_diagnosed': '临床诊断病例',
    'cases.c.asymptomatic': '无症状感染者',
    'cases.c.suspected': '疑似病例',
    'cases.from': '审核日期从',
    'cases.to': '至',
    'cases.open': '只看未结案的',
    'cases.show': '显示',
    'cases.list': '病例卡',
    'cases.prev': '上一页',
    'cases.next': '下一页',
    'cases.card': '病例卡详情',
    'cases.cardHint': '每次查看病例卡都记入审计日志（谁、哪张卡、何时）。',
    'cases.count': '共{total}张，显示第{from}—{to}张。',
    'cases.none': '没有符合条件的病例卡。',
    'cases.failed': '读取失败：{msg}',
    'cases.col.card': '病例卡',
    'cases.col.classification': '分类',
    'cases.col.origin': '来源',
    'cases.col.residence': '现住址',
    'cases.col.audit': '审核日期',
    'cases.col.outcome': '转归',
    'cases.withdrawn': '已删除',
    'cases.f.severity': '严重程度',
    'cases.f.institution': '报告单位所在县',
    'cases.f.sexAge': '性别、年龄',
    'cases.f.onset': '发病日期',
    'cases.f.diagnosis': '诊断日期',
    'cases.f.report': '报告日期',
    'cases.f.person': '个人（假名）',
    'cases.f.name': '姓名',
    'cases.f.phone': '电话',
    'cases.footer': '病例登记中的个人信息只向报告单位和汇总员显示，不导出，不记入日志；公众只看到汇总数字和去标识化的个案列表。',
  },
  en: {
    'cases.title': 'Case register',
    'cases.filters': 'Filters',
    'cases.classification': 'Classification',
    'cases.any': 'any',
    'cases.c.confirmed': 'confirmed case',
    'cases.c.clinically_diagnosed': 'clinically diagnosed case',
    'cases.c.asymptomatic': 'asymptomatic infection',
    'cases.c.suspected': 'suspected case',
    'cases.from': 'Audited from',
    'cases.to': 'to',
    'cases.open': 'Open cards only',
    'cases.show': 'Show',
    'cases.list': 'Case cards',
    'cases.prev': 'Previous page',
    'cases.next': 'Next page',
    'cases.card': 'The card',
    'cases.cardHint': 'Every view of a card is written to the audit log (who, which card, when).',
    'cases.count': '{total} cards; showing {from}–{to}.',
    'cases.none': 'No card matches.',
    'cases.failed': 'Could not read the register: {msg}',
    'cases.col.card': 'Card',
    'cases.col.classification': 'Classification',
    'cases.col.origin': 'Origin',
    'cases.col.residence': 'Residence',
    'cases.col.audit': 'Audited',
    'cases.col.outcome': 'Outcome',
    'cases.withdrawn': 'withdrawn',
    'cases.f.severity': 'Severity',
    'cases.f.institution': 'Reporting institution’s county',
    'cases.f.sexAge': 'Sex, age',
    'cases.f.onset': 'Onset',
    'cases.f.diagnosis': 'Diagnosis',
    'cases.f.report': 'Reported',
    'cases.f.person': 'Person (pseudonym)',
    'cases.f.name': 'Name',
    'cases.f.phone': 'Telephone',
    'cases.footer': 'The personal data of the case register is shown only to the reporting unit and the compilers, never exported, never logged; the public sees only aggregates and the de-identified line list.',
  },
});

const PAGE = 50;
const state = { who: null, token: null, offset: 0, list: null, card: null };

const classLabel = (c) => t('cases.c.' + c);

async function load() {
  const line = $('#cases-status');
  try {
    const list = await api('/cases/cards', {
      token: state.token,
      params: {
        classification: $('#classification').value, from: $('#from').value, to: $('#to').value,
        open: $('#open').checked ? 'true' : '', limit: PAGE, offset: state.offset,
      },
    });
    state.list = list;
    renderList();
    document.body.dataset.cards = String(list.total);
  } catch (e) {
    status(line, t('cases.failed', { msg: e.message }), 'error');
  }
}

function renderList() {
  const list = state.list;
  if (!list) return;
  const n = list.cards.length;
  status($('#cases-status'), n ? t('cases.count', { total: fmtNum(list.total), from: list.offset + 1, to: list.offset + n }) : t('cases.none'), 'ok');
  const table = $('#cards');
  table.replaceChildren();
  table.append(el('thead', {}, el('tr', {}, [t('cases.col.card'), t('cases.col.classification'), t('cases.col.origin'),
    t('cases.col.residence'), t('cases.col.audit'), t('cases.col.outcome')].map((h) => el('th', { scope: 'col' }, h)))));
  const body = el('tbody');
  for (const c of list.cards) {
    const button = el('button', { type: 'button', class: 'link-btn', dataset: { card: c.card } }, c.card);
    button.addEventListener('click', () => showCard(c.card));
    body.append(el('tr', { dataset: { card: c.card, classification: c.classification } },
      el('th', { scope: 'row' }, button),
      el('td', {}, classLabel(c.classification) + (c.severity ? ` (${c.severity})` : '')),
      el('td', {}, c.origin),
      el('td', {}, `${regionName(c.residence.slice(0, 2) + '0000')} ${c.residence}`),
      el('td', {}, fmtDate(c.audit)),
      el('td', {}, c.withdrawn ? t('cases.withdrawn') : c.outcome ? `${c.outcome} ${fmtDate(c.outcome_date)}` : '—')));
  }
  table.append(body);
  $('#prev').disabled = list.offset === 0;
  $('#next').disabled = list.offset + n >= list.total;
}

async function showCard(card) {
  const [unit, id] = card.split(':');
  try {
    state.card = await api(`/cases/cards/${unit}/${encodeURIComponent(id)}`, { token: state.token });
    renderCard();
    document.body.dataset.shown = card;
  } catch (e) {
    status($('#cases-status'), t('cases.failed', { msg: e.message }), 'error');
  }
}

function renderCard() {
  const c = state.card;
  if (!c) return;
  const rows = [
    [t('cases.col.card'), c.card],
    [t('cases.col.classification'), classLabel(c.classification)],
    [t('cases.f.severity'), c.severity],
    [t('cases.col.origin'), c.origin + (c.country ? ` (${c.country})` : '')],
    [t('cases.col.residence'), c.residence],
    [t('cases.f.institution'), c.institution],
    [t('cases.f.sexAge'), `${c.sex ?? '—'}, ${c.age ?? '—'}`],
    [t('cases.f.onset'), c.onset && fmtDate(c.onset)],
    [t('cases.f.diagnosis'), c.diagnosis && fmtDate(c.diagnosis)],
    [t('cases.f.report'), fmtDate(c.report)],
    [t('cases.col.audit'), fmtDate(c.audit)],
    [t('cases.col.outcome'), c.withdrawn ? t('cases.withdrawn') : c.outcome && `${c.outcome} ${fmtDate(c.outcome_date)}`],
    [t('cases.f.person'), c.person],
    [t('cases.f.name'), c.name],
    [t('cases.f.phone'), c.phone],
  ];
  $('#card-view').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v ?? '—')]));
}

function relabel() {
  if (!state.who) return;
  $('#who-text').textContent = whoLabel(state.who);
  renderList();
  renderCard();
}

async function main() {
  await loadVocab();
  initLang(relabel);
  $('#filters').addEventListener('submit', (e) => { e.preventDefault(); state.offset = 0; load(); });
  $('#prev').addEventListener('click', () => { state.offset = Math.max(0, state.offset - PAGE); load(); });
  $('#next').addEventListener('click', () => { state.offset += PAGE; load(); });
  initSignIn('cases', ['reporter', 'compiler'], async (who, token) => {
    state.who = who;
    state.token = token;
    await load();
    document.body.dataset.ready = '1';
  });
}

main();
