// What the three pages share: the vocabulary, names and labels, numbers and times, the
// language switch, safe DOM building, downloads, and the sign-in of the staff pages.

import { api, ApiError } from './api.js';
import { applyI18n, getLang, setLang, t } from './i18n.js';

export { t, getLang };

// ---------------------------------------------------------------- vocabulary

let vocab = null;
const measures = new Map();
const regions = new Map();

/** Loads vocab.json (generated from the ledger's own vocabulary). */
export async function loadVocab() {
  if (vocab) return vocab;
  const res = await fetch(new URL('../vocab.json', import.meta.url), { credentials: 'same-origin' });
  if (!res.ok) throw new Error('vocab.json: HTTP ' + res.status);
  vocab = await res.json();
  for (const m of vocab.measures) measures.set(m.name, m);
  for (const r of [vocab.nation, ...vocab.units, ...vocab.notifying]) if (r) regions.set(r.code, r);
  return vocab;
}

export const NATION = '100000';
export const XPCC = '660000';
export const NOTIFYING = ['810000', '820000', '710000'];

/** The resident population at the 2020 census (nation and provinces), or undefined. */
export function population(code) { return regions.get(code)?.population ?? undefined; }

export function units() { return vocab ? vocab.units.map((u) => u.code) : []; }
export function measure(name) { return measures.get(name); }
export function allMeasures() { return vocab ? vocab.measures : []; }

export function measureLabel(name, lang = getLang()) {
  const m = measures.get(name);
  if (!m) return name;
  return lang === 'zh' ? m.zh : m.en;
}

export function originLabel(o, lang = getLang()) {
  if (lang === 'zh') return { all: '合计', imported: '境外输入', local: '本土' }[o] || o;
  return { all: 'total', imported: 'imported', local: 'local' }[o] || o;
}

/** A region's name: the short Chinese name, or the English one. */
export function regionName(code, lang = getLang()) {
  const key = String(code);
  const r = regions.get(key.split(':')[0]);
  if (key.includes(':')) return key.split(':')[1];
  if (!r) return key;
  if (key === NATION) return lang === 'zh' ? '全国' : 'Chinese mainland';
  return lang === 'zh' ? r.short : r.en;
}

let allRegions = null;
/** Every region of the registry (for breakdowns), loaded on demand: [{code, parent, level, zh, en}]. */
export async function loadRegions() {
  if (allRegions) return allRegions;
  const res = await fetch(new URL('../regions.json', import.meta.url), { credentials: 'same-origin' });
  if (!res.ok) throw new Error('regions.json: HTTP ' + res.status);
  const rows = await res.json();
  allRegions = rows.map(([code, parent, level, zh, en]) => ({ code, parent, level, zh, en }));
  return allRegions;
}

// ---------------------------------------------------------------- numbers, days, times

export function fmtNum(v, lang = getLang()) {
  if (v === undefined || v === null || Number.isNaN(v)) return '—';
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB').format(v);
}

export function fmtDelta(d, lang = getLang()) {
  if (d === undefined || d === null || Number.isNaN(d)) return '—';
  if (d === 0) return '±0';
  return (d > 0 ? '+' : '−') + fmtNum(Math.abs(d), lang);
}

/** YYYY-MM-DD plus n days. */
export function addDays(date, n) {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function dayMs(date) { return Date.parse(date + 'T00:00:00Z'); }
export function msDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

/** A time of the API (RFC 3339, UTC) in Beijing time: `2023-01-06 06:00`. */
export function fmtTime(iso, lang = getLang()) {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  // Shown in Beijing time, the reporting day's clock (the server says which day it is: /clock).
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${lang === 'zh' ? '北京时间' : 'Beijing time'}`;
}

/** When a release was published: its time for a release of epiledger's own, or the day and
 * publisher for a bulletin of the National Health Commission (whose hour is not known). */
export function fmtPublished(r, lang = getLang()) {
  if (!r) return '—';
  if (r.published_at) return fmtTime(r.published_at, lang);
  if (!r.published_on) return '—';
  return lang === 'zh'
    ? `${fmtDate(r.published_on, lang)}（国家卫生健康委员会）`
    : `on ${r.published_on} by the National Health Commission`;
}

export function fmtDate(date, lang = getLang()) {
  if (!date) return '—';
  if (lang !== 'zh') return date;
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

// ---------------------------------------------------------------- DOM

/** Builds an element: el('p', {class: 'x', text: 'hi'}, child…). Text is never parsed as HTML. */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (v === true) e.setAttribute(k, '');
    else e.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

/** Sets a status line (a live region) with a kind: info, ok, error, busy. */
export function status(node, text, kind = 'info') {
  if (!node) return;
  node.textContent = text || '';
  node.dataset.kind = kind;
}

/** The errata of a release, as a list. */
export function errataList(errata) {
  return el('ul', { class: 'errata' }, errata.map((e) => el('li', {},
    `${regionName(String(e.region))} · ${measureLabel(e.measure)} (${originLabel(e.origin)}): ${fmtNum(e.old)} → ${fmtNum(e.new)}`,
    e.reason ? el('span', { class: 'reason' }, ` — ${e.reason}`) : null)));
}

// ---------------------------------------------------------------- downloads

export function download(filename, mime, text) {
  const blob = new Blob([text], { type: mime });
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function csvField(v) {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export function toCsv(header, rows) {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

// ---------------------------------------------------------------- language

/** Sets up the language switch; `onChange` re-renders what is not static text. */
export function initLang(onChange) {
  const btn = document.getElementById('lang-switch');
  const render = () => {
    const lang = getLang();
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    applyI18n(document);
    if (btn) {
      btn.textContent = lang === 'zh' ? 'English' : '中文';
      btn.lang = lang === 'zh' ? 'en' : 'zh-CN';
      btn.setAttribute('aria-label', lang === 'zh' ? 'Switch to English' : '切换到中文');
    }
  };
  render();
  btn?.addEventListener('click', () => {
    setLang(getLang() === 'zh' ? 'en' : 'zh');
    render();
    onChange?.();
  });
}

// ---------------------------------------------------------------- sign-in (staff pages)

const TOKEN_KEY = 'epiledger.token.';

/**
 * Signs in with a token kept for the browser session only. `roles`: the roles the page is for.
 * Calls `onIn(who, token)` once signed in; returns a function that signs out.
 */
export function initSignIn(page, roles, onIn) {
  const form = document.getElementById('signin-form');
  const input = document.getElementById('token');
  const msg = document.getElementById('signin-status');
  const whoBox = document.getElementById('who');
  const signinBox = document.getElementById('signin');
  const out = document.getElementById('signout');
  const app = document.getElementById('app');
  const key = TOKEN_KEY + page;

  const show = (signedIn) => {
    signinBox.hidden = signedIn;
    app.hidden = !signedIn;
    whoBox.hidden = !signedIn;
  };

  async function tryToken(token, announce) {
    status(msg, t('signin.checking'), 'busy');
    let who;
    try {
      who = await api('/whoami', { token });
    } catch (e) {
      status(msg, e instanceof ApiError && e.status === 401 ? t('signin.bad', { msg: e.message }) : e.message, 'error');
      sessionStorage.removeItem(key);
      show(false);
      return false;
    }
    if (!roles.includes(who.role)) {
      status(msg, t('signin.role', { role: who.role }), 'error');
      show(false);
      return false;
    }
    sessionStorage.setItem(key, token);
    status(msg, '', 'info');
    const label = who.unit ? `${t('role.' + who.role)} · ${regionName(who.unit)} (${who.unit})` : t('role.' + who.role);
    document.getElementById('who-text').textContent = `${label} · ${who.label || ''}`;
    show(true);
    if (input) input.value = '';
    await onIn(who, token, announce);
    return true;
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const token = input.value.trim();
    if (!token) {
      status(msg, t('signin.empty'), 'error');
      input.focus();
      return;
    }
    await tryToken(token, true);
  });
  out.addEventListener('click', () => {
    sessionStorage.removeItem(key);
    show(false);
    status(msg, t('signin.out'), 'info');
    input.focus();
  });
  const saved = sessionStorage.getItem(key);
  if (saved) tryToken(saved, false);
  else show(false);
  return () => out.click();
}

/** Re-labels the "who" line after a language switch. */
export function whoLabel(who) {
  return who.unit ? `${t('role.' + who.role)} · ${regionName(who.unit)} (${who.unit})` : t('role.' + who.role);
}
