// The background's message checks (extension/background/background.js), run in Node against a fake
// extension API and a fake engine: only the allow-listed types, only from this extension,
// content-script types only from the top frame of a tab on a rules host, popup types only from
// extension pages, and at most 2 MB of JSON. The e2e suite (hostile2.test.mjs) shows the same
// from real pages in real browsers.
//
//   node --test tests/unit/

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { BASE, ID, loadBackground } from './lib/fake-extension.mjs';

// A stand-in engine (tests/unit/lib/fake-extension.mjs): two platforms, canned answers.
const ENGINE = {
  platforms: [
    { id: 'linkedin', name: 'linkedin', confidence: 'high', version: 1, hosts: ['www.linkedin.com'], settings: [] },
    { id: 'x', name: 'x', confidence: 'high', version: 1, hosts: ['x.com'], settings: [] },
  ],
};

let bg;
/** Sends `message` as `sender`; resolves with the reply (the listener answers asynchronously). */
const send = (message, sender) => bg.send(message, sender);

const page = 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement';
const content = (over = {}) => ({ id: ID, url: page, tab: { id: 7 }, frameId: 0, ...over });
const popup = (over = {}) => ({ id: ID, url: `${BASE}popup/popup.html`, ...over });
const snapshot = (url = page) => ({ url, lang: 'en', title: '', headings: [], dialogs: [], controls: [] });

describe('background message checks', () => {
  before(async () => {
    bg = await loadBackground({ engine: ENGINE });
  });
  after(() => {
    bg.cleanup();
    delete globalThis.chrome;
  });

  it('accepts the allow-listed types from the right senders', async () => {
    assert.deepEqual(await send({ type: 'classify', url: page }, content()), {
      ok: true,
      page: { platform: 'linkedin', name: 'linkedin', settings_page: true, roles: ['checkbox', 'switch'] },
    });
    const ev = await send({ type: 'evaluate', snapshot: snapshot() }, content());
    assert.equal(ev.ok, true, JSON.stringify(ev));
    const st = await send({ type: 'step', snapshot: snapshot(), plan: { setting: 'linkedin.genai-data' } }, content());
    assert.equal(st.ok, true, JSON.stringify(st));
    assert.equal((await send({ type: 'status' }, popup())).ok, true);
    assert.equal((await send({ type: 'platforms' }, popup())).ok, true);
  });

  it("opens the page report of the sender's own tab, and answers it only to extension pages", async () => {
    await send({ type: 'evaluate', snapshot: snapshot() }, content({ tab: { id: 9, index: 2 } }));
    const opened = await send({ type: 'open-report' }, content({ tab: { id: 9, index: 2 } }));
    assert.deepEqual(opened, { ok: true });
    const created = bg.api.calls.tabs.create.at(-1);
    assert.deepEqual(created, { url: `${BASE}report/report.html?tab=9` });
    const reply = await send({ type: 'page-report', tab: 9 }, { id: ID, url: `${BASE}report/report.html?tab=9` });
    assert.equal(reply.ok, true, JSON.stringify(reply));
    assert.equal(reply.report.untrain_report, 1);
    assert.equal(reply.report.snapshot.url, page);
    // a tab with no settings page seen; a content script asking for a report
    assert.equal((await send({ type: 'page-report', tab: 1234 }, popup())).ok, false);
    assert.equal((await send({ type: 'open-report' }, content({ tab: { id: 1234, index: 0 } }))).ok, false);
    assert.deepEqual(await send({ type: 'page-report', tab: 9 }, content()), {
      ok: false,
      error: 'not allowed from this sender',
    });
  });

  it('tells the popup what it last saw in a tab: the platform, and a settings page with no known setting', async () => {
    // the fake engine finds nothing on this page: every known setting is absent
    await send({ type: 'evaluate', snapshot: snapshot() }, content({ tab: { id: 11, index: 1 } }));
    assert.deepEqual(await send({ type: 'tab-page', tab: 11 }, popup()), {
      ok: true,
      page: { platform: 'linkedin', name: 'linkedin', no_known_setting: true },
    });
    // a tab it holds no page of
    assert.deepEqual(await send({ type: 'tab-page', tab: 4321 }, popup()), { ok: true, page: null });
    assert.deepEqual(await send({ type: 'tab-page' }, popup()), { ok: true, page: null });
    // extension pages only
    assert.deepEqual(await send({ type: 'tab-page', tab: 11 }, content()), {
      ok: false,
      error: 'not allowed from this sender',
    });
  });

  it('refuses messages that are not objects', async () => {
    for (const m of [null, undefined, 'classify', 42, [], [{ type: 'status' }], true]) {
      assert.deepEqual(await send(m, popup()), { ok: false, error: 'bad message' }, JSON.stringify(m));
    }
  });

  it('refuses unknown types', async () => {
    for (const type of [
      undefined,
      '',
      'eval',
      'EVALUATE',
      'evaluate ',
      'set-status',
      '__proto__',
      'constructor',
      'toString',
      1,
    ]) {
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
      assert.deepEqual(await send({ type: 'evaluate', snapshot: snapshot() }, sender), {
        ok: false,
        error: 'unknown sender',
      });
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
        await send(
          { type, platform: 'linkedin' },
          popup({ url: `chrome-extension://${'z'.repeat(32)}/popup/popup.html` }),
        ),
        no,
        `${type} from another extension's page`,
      );
    }
  });

  it('a page speaks only about itself', async () => {
    assert.deepEqual(await send({ type: 'classify', url: 'https://x.com/settings' }, content()), {
      ok: false,
      error: "url is not the sender's",
    });
    assert.deepEqual(await send({ type: 'evaluate', snapshot: snapshot('https://x.com/settings/grok') }, content()), {
      ok: false,
      error: "snapshot is not the sender's",
    });
    for (const s of [null, 'x', {}, { url: 5 }]) {
      assert.deepEqual(await send({ type: 'evaluate', snapshot: s }, content()), { ok: false, error: 'bad snapshot' });
    }
    for (const plan of [undefined, null, 'p', {}, { setting: 5 }]) {
      assert.deepEqual(await send({ type: 'step', snapshot: snapshot(), plan }, content()), {
        ok: false,
        error: 'bad plan',
      });
    }
    assert.deepEqual(await send({ type: 'classify', url: 7 }, content()), { ok: false, error: 'bad url' });
  });

  it('bounds message size before the engine sees it', async () => {
    const calls = globalThis.__calls.length;
    const big = snapshot();
    big.title = 'x'.repeat(2 * 1024 * 1024 + 1);
    assert.deepEqual(await send({ type: 'evaluate', snapshot: big }, content()), {
      ok: false,
      error: 'message too large',
    });
    const many = snapshot();
    many.controls = Array.from({ length: 40000 }, (_, i) => ({ index: i, role: 'switch', name: 'n'.repeat(50) }));
    assert.deepEqual(await send({ type: 'step', snapshot: many, plan: { setting: 'a' } }, content()), {
      ok: false,
      error: 'message too large',
    });
    assert.deepEqual(await send({ type: 'status', pad: 'y'.repeat(3e6) }, popup()), {
      ok: false,
      error: 'message too large',
    });
    assert.equal(globalThis.__calls.length, calls, 'the engine was not called');
  });

  it('a message that is not JSON is refused', async () => {
    const cyclic = { type: 'status' };
    cyclic.self = cyclic;
    assert.deepEqual(await send(cyclic, popup()), { ok: false, error: 'message is not JSON' });
    assert.deepEqual(await send({ type: 'status', n: 10n }, popup()), { ok: false, error: 'message is not JSON' });
  });
});
