// What the end-to-end tests and the benchmark share: the binary, a live `epiledger serve` on a
// fresh database, tokens made with the CLI, and Debian's chromium driven by playwright-core.

import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.EPILEDGER_BIN || path.join(ROOT, 'target', 'release', 'epiledger');
export const CHROMIUM = process.env.EPILEDGER_CHROMIUM || '/usr/bin/chromium';
export const OUT = path.join(ROOT, 'target', 'e2e');

const run = promisify(execFile);

/** Rejects after `ms` with a message naming what was waited for. */
export function within(ms, what, promise) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms); }),
  ]);
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Runs the CLI; returns its standard output. */
export async function cli(args, timeoutMs = 120000) {
  const { stdout } = await run(BIN, args, { timeout: timeoutMs, maxBuffer: 64 << 20 });
  return stdout;
}

/** A token's secret, made with the CLI on the database file (before the server starts). */
export async function token(db, role, unit) {
  const args = ['--db', db, 'token', 'create', '--role', role];
  if (unit) args.push('--unit', unit);
  const out = (await cli(args)).trim();
  const secret = out.split(/\s+/).find((w) => w.startsWith('elt_'));
  if (!secret) throw new Error(`epiledger token create printed no secret: ${out}`);
  return secret;
}

/** A fresh directory under target/e2e. */
export function scratch(name) {
  fs.mkdirSync(OUT, { recursive: true });
  return fs.mkdtempSync(path.join(os.tmpdir(), `epiledger-${name}-`));
}

/**
 * Starts `epiledger serve` on a free port and waits for /healthz. Returns {base, stop()}.
 */
export async function startServer(db, logFile) {
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run cargo build --release -p epiledger`);
  const port = await freePort();
  const log = fs.openSync(logFile, 'w');
  const child = spawn(BIN, ['--db', db, 'serve', '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', log, log],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG || 'info' },
  });
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120000;
  for (;;) {
    if (exited) throw new Error(`epiledger serve exited (${JSON.stringify(exited)}); see ${logFile}`);
    try {
      const r = await fetch(base + '/healthz', { signal: AbortSignal.timeout(2000) });
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`epiledger serve did not answer /healthz within 120 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    await within(10000, 'the server to stop', new Promise((r) => child.once('exit', r))).catch(() => child.kill('SIGKILL'));
  };
  process.once('exit', () => { if (!exited) child.kill('SIGKILL'); });
  return { base, stop, pid: child.pid };
}

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Debian's chromium with a fresh profile. Returns the persistent context (close it to quit). */
export async function browser(opts = {}) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'epiledger-chromium-'));
  const context = await within(60000, 'chromium to start', chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
    acceptDownloads: true,
    timeout: 60000,
    ...opts,
  }));
  context.setDefaultTimeout(15000);
  context.setDefaultNavigationTimeout(30000);
  const close = async () => {
    await within(15000, 'chromium to close', context.close()).catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}
