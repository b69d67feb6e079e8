// The message contract (extension/shared/messages.js): every type has one sender context, the
// background answers each popup type (none is "unknown"), and content-script payloads are
// checked field by field. tests/unit/background.test.mjs checks the senders.
//
//   node --test tests/unit/

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import '../../extension/shared/messages.js';
import { content, loadBackground, popup, snapshot } from './lib/fake-extension.mjs';

const { MSG, CONTENT_TYPES, POPUP_TYPES, BACKGROUND_TYPES, payloadError } = globalThis.UntrainMessages;

describe('message contract', () => {
  it('every type belongs to exactly one sender context', () => {
    const all = Object.values(MSG);
    assert.equal(new Set(all).size, all.length, 'no two names for one type');
    for (const type of all) {
      const contexts = [CONTENT_TYPES, POPUP_TYPES, BACKGROUND_TYPES].filter((set) => set.has(type));
      assert.equal(contexts.length, 1, type);
    }
    assert.equal(CONTENT_TYPES.size + POPUP_TYPES.size + BACKGROUND_TYPES.size, all.length);
  });

  it('content payloads: a url string, a snapshot with a url, a plan with a setting', () => {
    assert.equal(payloadError({ type: MSG.CLASSIFY, url: 'https://x' }), null);
    assert.equal(payloadError({ type: MSG.CLASSIFY, url: 1 }), 'bad url');
    assert.equal(payloadError({ type: MSG.EVALUATE, snapshot: { url: 'u' } }), null);
    for (const s of [undefined, null, 'u', {}, { url: 1 }]) {
      assert.equal(payloadError({ type: MSG.EVALUATE, snapshot: s }), 'bad snapshot');
      assert.equal(payloadError({ type: MSG.STEP, snapshot: s, plan: { setting: 'a' } }), 'bad snapshot');
    }
    for (const plan of [undefined, null, 'p', {}, { setting: 5 }]) {
      assert.equal(payloadError({ type: MSG.STEP, snapshot: { url: 'u' }, plan }), 'bad plan');
    }
    assert.equal(payloadError({ type: MSG.STEP, snapshot: { url: 'u' }, plan: { setting: 'a' } }), null);
    assert.equal(payloadError({ type: MSG.STATUS }), null, 'popup payloads are read by their handlers');
    assert.equal(payloadError({ type: MSG.PROVE, url: 'https://x', items: [{ key: 'a', label: 'L' }] }), null);
    assert.equal(payloadError({ type: MSG.PROVE, items: [{ key: 'a' }] }), 'bad url');
    for (const items of [undefined, null, 'a', [], [{}], [{ key: 5 }], [{ key: '' }], Array(21).fill({ key: 'a' })]) {
      assert.equal(payloadError({ type: MSG.PROVE, items }), 'bad items', JSON.stringify(items));
    }
  });

  it('frozen: a page script in the same world cannot add a type', () => {
    assert.ok(Object.isFrozen(globalThis.UntrainMessages) && Object.isFrozen(MSG));
  });
});

describe('message contract: the background answers every type', () => {
  let bg;
  before(async () => {
    bg = await loadBackground({
      engine: { platforms: [{ id: 'p', name: 'P', version: 1, hosts: ['p.example'], settings: [] }] },
    });
  });
  after(() => {
    bg.cleanup();
    delete globalThis.chrome;
  });

  it('popup types from the popup', async () => {
    for (const type of POPUP_TYPES) {
      const reply = await bg.send({ type, platform: 'p' }, popup());
      assert.notEqual(reply.error, 'unknown message type', type);
      assert.equal(typeof reply.ok, 'boolean', type);
    }
    await bg.send({ type: MSG.EVERYWHERE_CANCEL }, popup());
  });

  it('content types from a page of the platform', async () => {
    const url = 'https://p.example/settings';
    const messages = {
      [MSG.CLASSIFY]: { url },
      [MSG.EVALUATE]: { snapshot: snapshot(url) },
      [MSG.STEP]: { snapshot: snapshot(url), plan: { setting: 'a' } },
      [MSG.PROVE]: { url, items: [{ key: 'a', label: 'L' }] },
    };
    for (const type of CONTENT_TYPES) {
      const reply = await bg.send({ type, ...messages[type] }, content(url));
      assert.equal(reply.ok, true, `${type}: ${JSON.stringify(reply)}`);
    }
  });
});
