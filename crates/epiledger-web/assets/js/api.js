// The client of the server's API (/api/v1). Every call is bounded in time; an error answer
// becomes an ApiError with the server's code, message, problems and warnings.

export const API = '/api/v1';
const TIMEOUT_MS = 20000;

export class ApiError extends Error {
  constructor(status, body, fallback) {
    const e = (body && body.error) || {};
    super(e.message || fallback || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || (status === 0 ? 'network' : 'http_' + status);
    this.problems = e.problems || [];
    this.warnings = e.warnings || [];
    this.requestId = e.request_id || '';
  }
}

function query(params) {
  if (!params) return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/**
 * Calls the API. `as`: 'json' (default) or 'text'.
 * @returns {Promise<any>} the parsed body; {status, body} when `full` is set.
 */
export async function api(path, opts = {}) {
  const { method = 'GET', token, body, params, as = 'json', signal, full = false } = opts;
  const headers = { Accept: as === 'json' ? 'application/json' : '*/*' };
  if (token) headers.Authorization = 'Bearer ' + token;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(new DOMException('timeout', 'TimeoutError')), TIMEOUT_MS);
  const onAbort = () => ctrl.abort(signal.reason);
  if (signal) {
    if (signal.aborted) ctrl.abort(signal.reason);
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  let res;
  try {
    res = await fetch(API + path + query(params), {
      method, headers, body: payload, signal: ctrl.signal, credentials: 'omit',
    });
  } catch (e) {
    if (signal && signal.aborted) throw e;
    const timeout = ctrl.signal.aborted;
    throw new ApiError(0, null, timeout ? 'the server did not answer in time' : 'the server cannot be reached');
  } finally {
    clearTimeout(timer);
    if (signal) signal.removeEventListener('abort', onAbort);
  }
  const text = await res.text();
  let parsed = text;
  const isJson = (res.headers.get('content-type') || '').startsWith('application/json');
  if (isJson && text) {
    try { parsed = JSON.parse(text); } catch { parsed = null; }
  }
  if (!res.ok) throw new ApiError(res.status, isJson ? parsed : null, text.slice(0, 200));
  return full ? { status: res.status, body: parsed, headers: res.headers } : parsed;
}

let openapi;
/** The server's OpenAPI document (once). */
export function openApi() {
  openapi ??= api('/openapi.json').catch(() => null);
  return openapi;
}

/** Whether POST /reports accepts a `dry_run` parameter (validation without storing). */
export async function hasDryRun() {
  const doc = await openApi();
  const params = doc?.paths?.['/reports']?.post?.parameters || [];
  return params.some((p) => p && p.name === 'dry_run' && p.in === 'query');
}

/** Reads the series of a measure as CSV: [[date, value], …]. */
export async function series(measure, origin, extra = {}, signal) {
  const text = await api('/series', {
    params: { measure, origin, format: 'csv', ...extra }, as: 'text', signal,
  });
  const out = [];
  for (const line of text.split('\n').slice(1)) {
    const i = line.indexOf(',');
    if (i > 0) out.push([line.slice(0, i), Number(line.slice(i + 1))]);
  }
  return out;
}

/** The reporting day under way in Beijing, as the server's clock says (GET /api/v1/clock): the
 * pages never compute it from the browser's clock. */
export async function reportingToday() {
  const c = await api('/clock');
  return c.today;
}
