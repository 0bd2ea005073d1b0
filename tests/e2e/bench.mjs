// The dashboard's first load, measured: bytes transferred and time to the first chart, on
// loopback, against a live `epiledger serve` on the shipped history.
//
// Each cold run is a fresh chromium profile (an empty cache) loading `/`; the warm run reloads
// in the same profile. Bytes are what the network delivered (headers and compressed bodies, from
// the DevTools protocol); the first chart is the `epiledger:first-chart` mark the page sets when
// ECharts has drawn the curves, measured from the start of navigation.
//
// Usage: node bench.mjs [--runs N] [--json]

import path from 'node:path';
import fs from 'node:fs';
import { browser, OUT, scratch, startServer, within } from './lib.mjs';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 7;
const asJson = args.includes('--json');

async function load(context, url) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const requests = new Map();
  let bytes = 0;
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId) || {};
    r.url = e.response.url;
    r.status = e.response.status;
    r.fromCache = e.response.fromDiskCache || e.response.fromMemoryCache;
    requests.set(e.requestId, r);
  });
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    const r = requests.get(e.requestId) || {};
    r.bytes = e.encodedDataLength;
    requests.set(e.requestId, r);
  });
  await page.goto(url);
  await page.waitForSelector('body[data-charts="ready"]', { timeout: 30000 });
  await page.waitForSelector('body[data-day]:not([data-day=""])', { timeout: 30000 });
  await page.waitForLoadState('networkidle', { timeout: 30000 });
  const t = await page.evaluate(() => {
    const mark = (n) => performance.getEntriesByName(n)[0]?.startTime ?? null;
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      firstChart: mark('epiledger:first-chart'),
      dayReady: mark('epiledger:day-ready'),
      domContentLoaded: nav?.domContentLoadedEventEnd ?? null,
      load: nav?.loadEventEnd ?? null,
    };
  });
  const list = [...requests.values()].filter((r) => r.url && r.url.startsWith('http'));
  await page.close();
  return { bytes, requests: list.length, list, ...t };
}

const median = (xs) => {
  const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};

async function main() {
  const dir = scratch('bench');
  const server = await startServer(path.join(dir, 'bench.db'), path.join(OUT, 'bench-server.log'));
  const url = server.base + '/';
  const cold = [];
  let warm = null;
  let detail = null;
  try {
    // One load to warm the server (its first rendering of the bulletin), not counted.
    { const b = await browser(); await load(b.context, url); await b.close(); }
    for (let i = 0; i < runs; i++) {
      const b = await browser();
      try {
        const r = await within(60000, 'a cold load', load(b.context, url));
        cold.push(r);
        detail ??= r.list;
        if (i === runs - 1) warm = await within(60000, 'a warm load', load(b.context, url));
      } finally {
        await b.close();
      }
    }
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const summary = {
    runs,
    cold: {
      bytes: median(cold.map((r) => r.bytes)),
      requests: median(cold.map((r) => r.requests)),
      firstChartMs: median(cold.map((r) => r.firstChart)),
      firstChartMinMs: Math.min(...cold.map((r) => r.firstChart)),
      firstChartMaxMs: Math.max(...cold.map((r) => r.firstChart)),
      dayReadyMs: median(cold.map((r) => r.dayReady)),
      domContentLoadedMs: median(cold.map((r) => r.domContentLoaded)),
      loadMs: median(cold.map((r) => r.load)),
    },
    warm: warm && { bytes: warm.bytes, requests: warm.requests, firstChartMs: warm.firstChart, dayReadyMs: warm.dayReady },
  };
  if (asJson) {
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  const kb = (b) => (b / 1024).toFixed(1) + ' KiB';
  const ms = (x) => (x === null ? '—' : x.toFixed(0) + ' ms');
  console.log(`Dashboard first load (${url}, ${runs} cold runs, medians)`);
  console.log(`  cold: ${kb(summary.cold.bytes)} in ${summary.cold.requests} requests; first chart ${ms(summary.cold.firstChartMs)} ` +
    `(min ${ms(summary.cold.firstChartMinMs)}, max ${ms(summary.cold.firstChartMaxMs)}); day ready ${ms(summary.cold.dayReadyMs)}; ` +
    `DOMContentLoaded ${ms(summary.cold.domContentLoadedMs)}; load ${ms(summary.cold.loadMs)}`);
  if (warm) {
    console.log(`  warm: ${kb(warm.bytes)} in ${warm.requests} requests; first chart ${ms(warm.firstChart)}; day ready ${ms(warm.dayReady)}`);
  }
  console.log('  requests of a cold load (bytes on the wire):');
  for (const r of detail.slice().sort((a, b) => (b.bytes || 0) - (a.bytes || 0))) {
    const u = new URL(r.url);
    console.log(`    ${String(r.bytes ?? 0).padStart(8)}  ${r.status}  ${u.pathname}${u.search}`);
  }
}

main().catch((e) => {
  console.error(`bench failed: ${e && e.stack || e}`);
  process.exit(1);
});
