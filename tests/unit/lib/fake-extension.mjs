// A fake extension API and a fake engine for Node tests of the background modules
// (extension/background.js and what it imports), without a browser.
//
//   const bg = await loadBackground({ engine });   // a fresh module instance each call
//   await bg.send({ type: 'evaluate', snapshot }, bg.content(url, tabId));
//
// Each loadBackground() copies extension/ (but its pkg/) into a new temporary folder and imports
// its background/background.js, so the
// module state (queues, timers, the engine promise) is new, as after a service-worker restart.
// Pass `api` to keep the storage of an earlier instance (a restart keeps storage).
//
// The fake engine (pkg/untrain.js) answers from `globalThis.__engine`, which the test sets:
// { platforms: [PlatformInfo], evaluate(snapshot) -> Evaluation, next_step(snapshot, plan) ->
// Decision }; classify() is derived from the platforms' hosts (a "*.domain" host matches its
// subdomains), every page of a known host being a settings page.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const ID = 'abcdefghijklmnopabcdefghijklmnop';
export const BASE = `chrome-extension://${ID}/`;

const FAKE_PKG = `
const e = () => globalThis.__engine;
const hostMatches = (pattern, host) => pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : pattern === host;
const page = (url) => {
  let h; try { h = new URL(url).hostname; } catch { return null; }
  const p = e().platforms.find((x) => x.hosts.some((pattern) => hostMatches(pattern, h)));
  return p ? { platform: p.id, name: p.name, settings_page: true, roles: ['checkbox', 'switch'] } : null;
};
export default async function init() {}
export function load(rules) { globalThis.__calls.push('load'); return typeof rules === 'string' ? '' : 'error: no rules'; }
export function normalize(text) { return String(text).toLowerCase().replace(/[^\\p{L}\\p{N}]+/gu, ' ').trim(); }
export function report_stem() { return false; }
export function report_url(url) { return String(url).split(/[?#]/)[0]; }
export function __wbg_reset_state() { globalThis.__calls.push('reset'); }
export function classify(url) { return JSON.stringify(page(url)); }
export function evaluate(text) {
  const s = JSON.parse(text);
  globalThis.__calls.push('evaluate');
  if (e().trap && e().trap-- > 0) throw new WebAssembly.RuntimeError('unreachable');
  const p = page(s.url);
  if (e().evaluate) return JSON.stringify(e().evaluate(s, p));
  return JSON.stringify({ platform: p ? p.platform : '', name: p ? p.name : '', signed_out: false, findings: [], suspected: [] });
}
export function next_step(snapshot, plan) {
  globalThis.__calls.push('next_step');
  const s = JSON.parse(snapshot);
  const pl = JSON.parse(plan);
  if (e().next_step) return JSON.stringify(e().next_step(s, pl));
  return JSON.stringify({ plan: pl, action: { kind: 'wait', ms: 250, why: 'x' } });
}
export function platforms() { return JSON.stringify(e().platforms); }
`;

/** A setting as platforms() lists it. */
export function setting(id, extra = {}) {
  return {
    id,
    title: id,
    settings_url: `https://example.invalid/${id}`,
    automation: 'automatic',
    default: 'on',
    form_url: null,
    email: null,
    email_subject: null,
    instructions: {},
    prepared_text: {},
    regions: [],
    confidence: 'high',
    ...extra,
  };
}

/** A finding as evaluate() reports it. */
export function finding(settingId, state, extra = {}) {
  return {
    setting: settingId,
    title: settingId,
    state,
    label: `${settingId} label`,
    control: state === 'unknown' ? null : 0,
    reason: state === 'unknown' ? 'unreadable' : null,
    matched_by: 'label',
    automation: 'automatic',
    rule_version: 1,
    ...extra,
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The background arms long timers (a proof's 25 s time-out, an "everywhere" run's deadline) that
// would keep each test file's Node process alive for their whole length after its tests are
// done: 90 s of CI waiting on nothing. Timers of a second or more are unref'd (a service worker
// has no such notion, so nothing else changes). A test that waits for one polls (until()), and
// its polling keeps the process alive; one that awaited it alone would fail loudly ("the event
// loop has already resolved"), not pass.
const refSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = /** @type {typeof setTimeout} */ (
  (fn, ms, ...args) => {
    const timer = refSetTimeout(fn, ms, ...args);
    if (Number(ms) >= 1000) timer.unref();
    return timer;
  }
);

/**
 * The fake browser API. `delay(op)`: ms to wait inside storage get/set (to interleave
 * concurrent writers); `badge`: 'ok' | 'reject' | 'throw'.
 */
export function fakeApi({ delay = null } = {}) {
  const store = { local: {}, session: {} };
  const calls = {
    sets: { local: 0, session: 0 },
    tabs: { create: [], update: [], remove: [], sendMessage: [] },
    accessLevel: [],
  };
  const control = { badge: 'ok', hangCreate: false, hangUpdate: false, nextTab: 100 };
  const wait = async (op) => {
    const ms = delay ? delay(op) : 0;
    if (ms > 0) await sleep(ms);
  };
  const area = (name) => ({
    async get(keys) {
      await wait(`${name}.get`);
      const list = keys == null ? Object.keys(store[name]) : Array.isArray(keys) ? keys : [keys];
      const out = {};
      for (const k of list) if (k in store[name]) out[k] = structuredClone(store[name][k]);
      return out;
    },
    async set(obj) {
      await wait(`${name}.set`);
      calls.sets[name]++;
      Object.assign(store[name], structuredClone(obj));
    },
    async remove(keys) {
      for (const k of Array.isArray(keys) ? keys : [keys]) delete store[name][k];
    },
    async setAccessLevel(options) {
      calls.accessLevel.push([name, options]);
    },
  });
  const never = () => new Promise(() => {});
  const api = {
    store,
    calls,
    control,
    listener: null,
    alarmListeners: [],
    removedListeners: [],
    updatedListeners: [],
    runtime: {
      id: ID,
      getURL: (p) => BASE + p,
      onMessage: {
        addListener: (fn) => {
          api.listener = fn;
        },
      },
      onInstalled: { addListener() {} },
      onStartup: { addListener() {} },
      getManifest: () => ({}),
    },
    i18n: { getMessage: (key) => (key === 'locale' ? 'en' : ''), getUILanguage: () => 'en' },
    storage: { local: area('local'), session: area('session'), onChanged: { addListener() {} } },
    action: {
      async setBadgeText() {
        if (control.badge === 'reject') throw new Error('badge refused');
        if (control.badge === 'throw') throw new TypeError('badge broken');
      },
      async setBadgeBackgroundColor() {},
    },
    tabs: {
      async create(props) {
        calls.tabs.create.push(props);
        if (control.hangCreate) return never();
        return { id: control.nextTab++ };
      },
      async get(id) {
        return { id, url: '' };
      },
      async update(id, props) {
        calls.tabs.update.push([id, props]);
        if (control.hangUpdate) return never();
        return { id };
      },
      async remove(id) {
        calls.tabs.remove.push(id);
      },
      onRemoved: {
        addListener: (fn) => {
          api.removedListeners.push(fn);
        },
      },
      onUpdated: {
        addListener: (fn) => {
          api.updatedListeners.push(fn);
        },
      },
      async sendMessage(id, message) {
        calls.tabs.sendMessage.push([id, message]);
      },
    },
    alarms: {
      async create() {},
      async get() {
        return undefined;
      },
      async clear() {
        return true;
      },
      onAlarm: {
        addListener: (fn) => {
          api.alarmListeners.push(fn);
        },
      },
    },
  };
  return api;
}

let instance = 0;

/** Imports a fresh copy of the background (and the modules it imports) over `api`. */
export async function loadBackground({ engine, api = fakeApi() } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `untrain-bg-${instance++}-`));
  fs.cpSync(path.join(REPO, 'extension'), dir, {
    recursive: true,
    filter: (src) => path.relative(path.join(REPO, 'extension'), src) !== 'pkg' && !src.endsWith('.json'),
  });
  fs.mkdirSync(path.join(dir, 'pkg'));
  fs.writeFileSync(path.join(dir, 'pkg/untrain.js'), FAKE_PKG);
  globalThis.chrome = api;
  globalThis.__calls = globalThis.__calls || [];
  // background/engine.js fetches the packaged rules.json (the fake engine ignores its text)
  if (!globalThis.__realFetch) globalThis.__realFetch = globalThis.fetch;
  globalThis.fetch = async (url) => {
    if (String(url) === `${BASE}rules.json`) return new Response('[]');
    return globalThis.__realFetch(url);
  };
  if (engine) globalThis.__engine = engine;
  await import(pathToFileURL(path.join(dir, 'background/background.js')).href);
  assert.ok(api.listener, 'background registered runtime.onMessage');
  const send = (message, sender) =>
    new Promise((resolve) => {
      const keep = api.listener(message, sender, resolve);
      assert.equal(keep, true, 'the listener keeps the channel open for its async reply');
    });
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  /** One of this instance's modules (e.g. 'shared/audit-format.js'), for its pure functions. */
  const module = (name) => import(pathToFileURL(path.join(dir, name)).href);
  return { api, send, dir, cleanup, module };
}

/** A content script's sender on `url` in tab `tab`. */
/** A fixed "now" for the pure models' tests. */
export const NOW = Date.UTC(2026, 4, 3, 12);

/** An engine evaluation of platform `p` with these findings. */
export const evaluation = (findings, extra = {}) => ({
  platform: 'p',
  name: 'P',
  signed_out: false,
  findings,
  suspected: [],
  ...extra,
});

export const content = (url, tab = 7) => ({ id: ID, url, tab: { id: tab }, frameId: 0 });
/** The popup's sender. */
export const popup = () => ({ id: ID, url: `${BASE}popup/popup.html` });
/** A snapshot of `url` (the fake engine reads only its url). */
export const snapshot = (url) => ({ url, lang: 'en', title: '', headings: [], dialogs: [], controls: [] });

/** Polls `fn` until truthy (for work the background finishes after its reply). */
export async function until(fn, what = 'condition', timeout = 3000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
