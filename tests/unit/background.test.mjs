// The background's message checks (extension/background.js), run in Node against a fake
// extension API and a fake engine: only the allow-listed types, only from this extension,
// content-script types only from the top frame of a tab on a rules host, popup types only from
// extension pages, and at most 2 MB of JSON. The e2e suite (hostile2.test.mjs) shows the same
// from real pages in real browsers.
//
//   node --test tests/unit/

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ID = 'abcdefghijklmnopabcdefghijklmnop';
const BASE = `chrome-extension://${ID}/`;
const HOSTS = { 'www.linkedin.com': 'linkedin', 'x.com': 'x' };

// A stand-in for pkg/untrain.js (the wasm-bindgen module): same exports, canned answers, JSON
// text in and out like the real one (extension/engine.js parses it).
const FAKE_PKG = `
const HOSTS = ${JSON.stringify(HOSTS)};
const page = (url) => {
  let h; try { h = new URL(url).hostname; } catch { return null; }
  const p = HOSTS[h];
  return p ? { platform: p, name: p, settings_page: true } : null;
};
export default async function init() {}
export function load() { return ''; }
export function classify(url) { return JSON.stringify(page(url)); }
export function evaluate(text) {
  const s = JSON.parse(text);
  if (typeof s.url !== 'string') return 'error: snapshot.url: expected a string';
  const p = page(s.url);
  globalThis.__calls.push('evaluate');
  return JSON.stringify({ platform: p ? p.platform : '', name: '', signed_out: false, findings: [] });
}
export function next_step(snapshot, plan) {
  JSON.parse(snapshot);
  globalThis.__calls.push('next_step');
  return JSON.stringify({ plan: JSON.parse(plan), action: { kind: 'wait', ms: 250, why: 'x' } });
}
export function platforms() {
  return JSON.stringify([{ id: 'linkedin', name: 'LinkedIn', confidence: 'high', hosts: [], settings: [] }]);
}
`;

function fakeApi() {
  const store = { local: {}, session: {} };
  const area = (name) => ({
    async get(key) {
      return key in store[name] ? { [key]: structuredClone(store[name][key]) } : {};
    },
    async set(obj) {
      Object.assign(store[name], structuredClone(obj));
    },
  });
  const api = {
    listener: null,
    runtime: {
      id: ID,
      getURL: (p) => BASE + p,
      onMessage: { addListener: (fn) => { api.listener = fn; } },
      onInstalled: { addListener() {} },
      onStartup: { addListener() {} },
    },
    storage: { local: area('local'), session: area('session') },
    action: { async setBadgeText() {}, async setBadgeBackgroundColor() {} },
    tabs: {
      async create() { return { id: 99 }; },
      async get(id) { return { id }; },
      async update(id) { return { id }; },
      async remove() {},
      onRemoved: { addListener() {} },
    },
    // the weekly re-check and the opt-out-everywhere time limit (not exercised here)
    alarms: {
      async create() {},
      async get() { return undefined; },
      async clear() { return true; },
      onAlarm: { addListener() {} },
    },
  };
  return api;
}

let dir;
let api;

/** Sends `message` as `sender`; resolves with the reply (the listener answers asynchronously). */
function send(message, sender) {
  return new Promise((resolve) => {
    const keep = api.listener(message, sender, resolve);
    assert.equal(keep, true, 'the listener keeps the channel open for its async reply');
  });
}

const page = 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement';
const content = (over = {}) => ({ id: ID, url: page, tab: { id: 7 }, frameId: 0, ...over });
const popup = (over = {}) => ({ id: ID, url: `${BASE}popup.html`, ...over });
const snapshot = (url = page) => ({ url, lang: 'en', title: '', headings: [], dialogs: [], controls: [] });

describe('background message checks', () => {
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'untrain-bg-'));
    // background.js and the modules it imports (audit, everywhere, reminders, recheck, ...)
    for (const f of fs.readdirSync(path.join(REPO, 'extension')).filter((n) => n.endsWith('.js'))) {
      fs.copyFileSync(path.join(REPO, 'extension', f), path.join(dir, f));
    }
    fs.mkdirSync(path.join(dir, 'pkg'));
    fs.writeFileSync(path.join(dir, 'pkg/untrain.js'), FAKE_PKG);
    api = fakeApi();
    globalThis.chrome = api;
    globalThis.__calls = [];
    await import(pathToFileURL(path.join(dir, 'background.js')).href);
    assert.ok(api.listener, 'background registered runtime.onMessage');
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    delete globalThis.chrome;
  });

  it('accepts the allow-listed types from the right senders', async () => {
    assert.deepEqual(await send({ type: 'classify', url: page }, content()), {
      ok: true, page: { platform: 'linkedin', name: 'linkedin', settings_page: true },
    });
    const ev = await send({ type: 'evaluate', snapshot: snapshot() }, content());
    assert.equal(ev.ok, true, JSON.stringify(ev));
    const st = await send({ type: 'step', snapshot: snapshot(), plan: { setting: 'linkedin.genai-data' } }, content());
    assert.equal(st.ok, true, JSON.stringify(st));
    assert.equal((await send({ type: 'status' }, popup())).ok, true);
    assert.equal((await send({ type: 'platforms' }, popup())).ok, true);
  });

  it('refuses messages that are not objects', async () => {
    for (const m of [null, undefined, 'classify', 42, [], [{ type: 'status' }], true]) {
      assert.deepEqual(await send(m, popup()), { ok: false, error: 'bad message' }, JSON.stringify(m));
    }
  });

  it('refuses unknown types', async () => {
    for (const type of [undefined, '', 'eval', 'EVALUATE', 'evaluate ', 'set-status', '__proto__', 'constructor', 'toString', 1]) {
      assert.deepEqual(await send({ type }, popup()), { ok: false, error: 'unknown message type' }, String(type));
    }
  });

  it('refuses other extensions and web pages (no externally_connectable, but checked anyway)', async () => {
    for (const sender of [
      content({ id: 'otherextensionidotherextensionid' }),
      { url: page, tab: { id: 7 }, frameId: 0 }, // a web page: no extension id
      popup({ id: undefined }),
      {},
      null,
    ]) {
      assert.deepEqual(await send({ type: 'status' }, sender), { ok: false, error: 'unknown sender' });
      assert.deepEqual(await send({ type: 'evaluate', snapshot: snapshot() }, sender), { ok: false, error: 'unknown sender' });
    }
  });

  it('content-script types only from the top frame of a tab on a rules host, over https', async () => {
    const no = { ok: false, error: 'not allowed from this sender' };
    const m = { type: 'evaluate', snapshot: snapshot() };
    assert.deepEqual(await send(m, content({ frameId: 3 })), no, 'subframe');
    assert.deepEqual(await send(m, content({ frameId: undefined })), no, 'no frame id');
    assert.deepEqual(await send(m, content({ tab: undefined })), no, 'no tab (an extension page)');
    assert.deepEqual(await send(m, popup()), no, 'the popup');
    assert.deepEqual(await send(m, content({ url: 'https://evil.example/settings' })), no, 'another host');
    assert.deepEqual(await send(m, content({ url: 'http://www.linkedin.com/x' })), no, 'plain http');
    assert.deepEqual(await send(m, content({ url: undefined })), no, 'no url');
    assert.deepEqual(await send(m, content({ url: 'https://www.linkedin.com.evil.example/' })), no, 'look-alike host');
  });

  it('popup types only from extension pages', async () => {
    const no = { ok: false, error: 'not allowed from this sender' };
    for (const type of ['status', 'platforms', 'open-and-opt-out']) {
      assert.deepEqual(await send({ type, platform: 'linkedin' }, content()), no, `${type} from a content script`);
      assert.deepEqual(
        await send({ type, platform: 'linkedin' }, popup({ url: `chrome-extension://${'z'.repeat(32)}/popup.html` })),
        no, `${type} from another extension's page`,
      );
    }
  });

  it('a page speaks only about itself', async () => {
    assert.deepEqual(
      await send({ type: 'classify', url: 'https://x.com/settings' }, content()),
      { ok: false, error: "url is not the sender's" },
    );
    assert.deepEqual(
      await send({ type: 'evaluate', snapshot: snapshot('https://x.com/settings/grok') }, content()),
      { ok: false, error: "snapshot is not the sender's" },
    );
    for (const s of [null, 'x', {}, { url: 5 }]) {
      assert.deepEqual(await send({ type: 'evaluate', snapshot: s }, content()), { ok: false, error: 'bad snapshot' });
    }
    for (const plan of [undefined, null, 'p', {}, { setting: 5 }]) {
      assert.deepEqual(await send({ type: 'step', snapshot: snapshot(), plan }, content()), { ok: false, error: 'bad plan' });
    }
    assert.deepEqual(await send({ type: 'classify', url: 7 }, content()), { ok: false, error: 'bad url' });
  });

  it('bounds message size before the engine sees it', async () => {
    const calls = globalThis.__calls.length;
    const big = snapshot();
    big.title = 'x'.repeat(2 * 1024 * 1024 + 1);
    assert.deepEqual(await send({ type: 'evaluate', snapshot: big }, content()), { ok: false, error: 'message too large' });
    const many = snapshot();
    many.controls = Array.from({ length: 40000 }, (_, i) => ({ index: i, role: 'switch', name: 'n'.repeat(50) }));
    assert.deepEqual(await send({ type: 'step', snapshot: many, plan: { setting: 'a' } }, content()), { ok: false, error: 'message too large' });
    assert.deepEqual(await send({ type: 'status', pad: 'y'.repeat(3e6) }, popup()), { ok: false, error: 'message too large' });
    assert.equal(globalThis.__calls.length, calls, 'the engine was not called');
  });

  it('a message that is not JSON is refused', async () => {
    const cyclic = { type: 'status' };
    cyclic.self = cyclic;
    assert.deepEqual(await send(cyclic, popup()), { ok: false, error: 'message is not JSON' });
    assert.deepEqual(await send({ type: 'status', n: 10n }, popup()), { ok: false, error: 'message is not JSON' });
  });
});
