// Proof by reload (extension/background/proof.js, proof-tabs.js, status.js afterProof, the
// audit's "proof" entries): what a fresh read proves, what an impossible one says, and the
// background's flow from a `prove` message to the status, the audit log and the page.
//
//   node --test tests/unit/

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';

import * as proof from '../../extension/background/proof.js';
import { proofResult } from '../../extension/background/everywhere-run.js';
import { afterEvaluation, afterOutcome, afterProof } from '../../extension/background/status.js';
import { eventsFor } from '../../extension/shared/audit-format.js';
import { NOW, content, evaluation, finding, loadBackground, setting, snapshot, until } from './lib/fake-extension.mjs';

const pending = (items, extra = {}) => ({
  tab: 7,
  origin: 7,
  platform: 'p',
  items: proof.proofItems(items.map((key) => ({ key, label: `${key} label` }))),
  url: 'https://p.example/settings',
  method: 'reload',
  at: NOW,
  ...extra,
});

describe('proof by reload: decisions (pure)', () => {
  it('reloads in place, except chat apps, which are read afresh in a background tab', () => {
    assert.equal(proof.methodOf('linkedin'), 'reload');
    assert.equal(proof.methodOf('x'), 'reload');
    assert.equal(proof.methodOf('chatgpt'), 'tab');
    assert.equal(proof.methodOf('claude'), 'tab');
  });

  it('a fresh read off is kept, on is not kept, unreadable proves nothing, absent waits', () => {
    const p = pending(['a', 'b', 'c']);
    assert.equal(
      proof.resolve(p, evaluation([finding('a', 'off'), finding('b', 'on')])),
      null,
      'c not there yet: wait',
    );
    const r = proof.resolve(p, evaluation([finding('a', 'off'), finding('b', 'on'), finding('c', 'unknown')]));
    assert.deepEqual(
      r.map((x) => [x.key, x.proof, x.note]),
      [
        ['a', 'reloaded', 'kept'],
        ['b', 'reloaded', 'not-kept'],
        ['c', 'none', 'unreadable'],
      ],
    );
    assert.deepEqual(r.map(proof.bannerStateOf), ['done', 'failed', 'unconfirmed']);
    const absent = finding('a', 'unknown', { reason: 'absent' });
    assert.equal(proof.resolve(pending(['a']), evaluation([absent])), null);
  });

  it('signed out, or no fresh read at all: never "done"', () => {
    const r = proof.resolve(pending(['a']), evaluation([], { signed_out: true }));
    assert.deepEqual(
      r.map((x) => [x.proof, x.note]),
      [['none', 'signed-out']],
    );
    for (const note of ['page-gone', 'tab-closed', 'timed-out']) {
      const u = proof.unproven(pending(['a']), note);
      assert.deepEqual(u.map(proof.bannerStateOf), ['unconfirmed'], note);
    }
    assert.equal(proof.expired(pending(['a']), NOW + proof.PROOF_TIMEOUT_MS + 1), true);
    assert.equal(proof.expired(pending(['a']), NOW + 1000), false);
  });

  it('suspects are proven by their key', () => {
    const p = pending(['suspected:k']);
    assert.equal(p.items[0].suspect, 'k');
    const r = proof.resolve(p, { ...evaluation([]), suspected: [{ key: 'k', state: 'off', label: 'S', control: 0 }] });
    assert.deepEqual(
      r.map((x) => [x.key, x.note]),
      [['suspected:k', 'kept']],
    );
  });

  it('bad requests change nothing: malformed items are refused', () => {
    for (const items of [null, 'a', [], [{}], [{ key: 3 }], [{ key: '' }], Array(21).fill({ key: 'a' })]) {
      assert.equal(proof.proofItems(items), null, JSON.stringify(items));
    }
    assert.deepEqual(
      proof.proofItems([{ key: 'a' }, { key: 'a' }]).map((x) => x.key),
      ['a'],
      'a repeated key counts once',
    );
    assert.deepEqual(proof.normaliseProofs({ 1: { platform: 'p' }, 2: 'x', 3: pending(['a']) }), { 3: pending(['a']) });
  });
});

describe('proof by reload: "opt out everywhere" results (pure)', () => {
  it('kept is turned off; not kept fails; no fresh read is turned off, unconfirmed, with why', () => {
    assert.deepEqual(proofResult({ proof: 'reloaded', note: 'kept' }, 'L'), { outcome: 'turned-off', label: 'L' });
    assert.deepEqual(
      [proofResult({ proof: 'reloaded', note: 'not-kept' }, 'L')].map((r) => [r.outcome, r.reason]),
      [['failed', 'not-kept']],
    );
    assert.deepEqual(
      [proofResult({ proof: 'none', note: 'tab-closed' }, 'L')].map((r) => [r.outcome, r.reason, r.message]),
      [['turned-off', 'unconfirmed', 'tab-closed']],
    );
  });
});

describe('proof by reload: status and audit (pure)', () => {
  const ctx = { url: 'https://p.example/settings', now: NOW };
  const offAfterClick = () => {
    const on = afterEvaluation(null, evaluation([finding('a', 'on')]), { ...ctx, firstSetting: null });
    return afterOutcome(
      on,
      { setting: 'a' },
      { kind: 'done', outcome: 'turned-off', label: 'L' },
      { info: setting('a'), ...ctx },
    );
  };

  it("Untrain's own re-read is the proof until the reload; kept makes it reloaded", () => {
    const off = offAfterClick();
    assert.deepEqual([off.state, off.outcome, off.proof], ['off', 'turned-off', 're-read']);
    const kept = afterProof(
      off,
      [{ key: 'a', setting: 'a', suspect: null, label: 'L', proof: 'reloaded', note: 'kept' }],
      ctx,
    );
    assert.deepEqual(
      [kept.state, kept.outcome, kept.proof, kept.proof_note, kept.proved_at],
      ['off', 'turned-off', 'reloaded', null, NOW],
    );
    const events = eventsFor({ p: off }, { p: kept }, 'proof', NOW);
    assert.deepEqual(
      events.map((e) => [e.event, e.proof, e.after]),
      [['confirmed', 'reloaded', 'off']],
    );
  });

  it('not kept: the setting is on and the opt-out failed, in the status and the audit log', () => {
    const off = offAfterClick();
    // The reloaded page's evaluation reads it on, then the proof is recorded on top.
    const seen = afterEvaluation(off, evaluation([finding('a', 'on')]), { ...ctx, firstSetting: null });
    const next = afterProof(
      seen,
      [{ key: 'a', setting: 'a', suspect: null, label: 'L', proof: 'reloaded', note: 'not-kept' }],
      ctx,
    );
    assert.deepEqual([next.state, next.outcome, next.proof, next.proof_note], ['on', 'failed', 'reloaded', 'not-kept']);
    const events = eventsFor({ p: off }, { p: next }, 'proof', NOW);
    assert.deepEqual(
      events.map((e) => [e.event, e.before, e.after]),
      [['not-kept', 'off', 'on']],
    );
  });

  it('no fresh read: still off by the re-read only, with the reason; never "reloaded"', () => {
    const off = offAfterClick();
    const next = afterProof(
      off,
      [{ key: 'a', setting: 'a', suspect: null, label: 'L', proof: 'none', note: 'signed-out' }],
      ctx,
    );
    assert.deepEqual([next.state, next.proof, next.proof_note], ['off', 're-read', 'signed-out']);
    assert.deepEqual(
      eventsFor({ p: off }, { p: next }, 'proof', NOW).map((e) => [e.event, e.message]),
      [['unconfirmed', 'signed-out']],
    );
  });
});

describe('proof by reload: the background flow (fake browser)', () => {
  const PLATFORMS = [
    { id: 'p', name: 'P', version: 1, hosts: ['p.example'], settings: [setting('a')] },
    { id: 'chatgpt', name: 'ChatGPT', version: 1, hosts: ['chatgpt.com'], settings: [setting('c')] },
  ];
  let bg;
  afterEach(() => {
    bg?.cleanup();
    bg = null;
  });
  let state = {};
  const engine = () => ({
    platforms: PLATFORMS,
    evaluate: (s, p) => ({
      platform: p.platform,
      name: p.name,
      signed_out: false,
      findings: state[p.platform] ?? [],
      suspected: [],
    }),
    next_step: (s, plan) => ({ plan, action: { kind: 'done', outcome: 'turned-off', label: 'L' } }),
  });
  const URL_P = 'https://p.example/settings';

  async function clickedOff(url, tab, id) {
    const r = await bg.send({ type: 'step', snapshot: snapshot(url), plan: { setting: id } }, content(url, tab));
    assert.equal(r.ok, true);
  }

  it('reload: the reloaded page reads it off: the reply carries the proof, status says reloaded', async () => {
    bg = await loadBackground({ engine: engine() });
    state = { p: [finding('a', 'on')] };
    await bg.send({ type: 'evaluate', snapshot: snapshot(URL_P) }, content(URL_P, 7));
    await clickedOff(URL_P, 7, 'a');
    const reply = await bg.send({ type: 'prove', url: URL_P, items: [{ key: 'a', label: 'L' }] }, content(URL_P, 7));
    assert.deepEqual(reply, { ok: true, method: 'reload' });
    assert.equal((await bg.send({ type: 'status' }, content(URL_P, 7))).ok, false, 'popup types only from the popup');
    state = { p: [finding('a', 'off')] };
    const after = await bg.send({ type: 'evaluate', snapshot: snapshot(URL_P) }, content(URL_P, 7));
    assert.deepEqual(
      after.proof.results.map((r) => [r.key, r.proof, r.note]),
      [['a', 'reloaded', 'kept']],
    );
    const status = bg.api.store.local.status.p;
    assert.deepEqual([status.state, status.outcome, status.proof], ['off', 'turned-off', 'reloaded']);
    assert.ok(bg.api.store.local.audit.some((e) => e.event === 'confirmed' && e.proof === 'reloaded'));
    // Only once: the next evaluation proves nothing more.
    const again = await bg.send({ type: 'evaluate', snapshot: snapshot(URL_P) }, content(URL_P, 7));
    assert.equal(again.proof, null);
  });

  it('reload: on again after the reload is a failure, never off', async () => {
    bg = await loadBackground({ engine: engine() });
    state = { p: [finding('a', 'on')] };
    await clickedOff(URL_P, 7, 'a');
    await bg.send({ type: 'prove', url: URL_P, items: [{ key: 'a' }] }, content(URL_P, 7));
    const after = await bg.send({ type: 'evaluate', snapshot: snapshot(URL_P) }, content(URL_P, 7));
    assert.deepEqual(
      after.proof.results.map((r) => r.note),
      ['not-kept'],
    );
    const status = bg.api.store.local.status.p;
    assert.deepEqual([status.state, status.outcome, status.proof_note], ['on', 'failed', 'not-kept']);
    assert.ok(bg.api.store.local.audit.some((e) => e.event === 'not-kept'));
  });

  it('tab closed before the fresh read: unconfirmed, said so', async () => {
    bg = await loadBackground({ engine: engine() });
    state = { p: [finding('a', 'on')] };
    await clickedOff(URL_P, 7, 'a');
    await bg.send({ type: 'prove', url: URL_P, items: [{ key: 'a' }] }, content(URL_P, 7));
    for (const fn of bg.api.removedListeners) fn(7);
    await until(() => bg.api.store.local.status.p.proof_note === 'tab-closed', 'the proof to end');
    assert.equal(bg.api.store.local.status.p.proof, 're-read');
    assert.ok(bg.api.store.local.audit.some((e) => e.event === 'unconfirmed' && e.message === 'tab-closed'));
  });

  it('tab: a chat app is read afresh in a background tab, which is closed; the page is told', async () => {
    bg = await loadBackground({ engine: engine() });
    const url = 'https://chatgpt.com/#settings/DataControls';
    state = { chatgpt: [finding('c', 'on')] };
    await clickedOff(url, 7, 'c');
    const reply = await bg.send({ type: 'prove', url, items: [{ key: 'c', label: 'L' }] }, content(url, 7));
    assert.deepEqual(reply, { ok: true, method: 'tab' });
    const created = bg.api.calls.tabs.create.at(-1);
    assert.equal(created.active, false, 'a background tab');
    const reader = bg.api.control.nextTab - 1;
    assert.deepEqual(bg.api.calls.tabs.update.at(-1), [reader, { url }], 'it opens the same page');
    state = { chatgpt: [finding('c', 'off')] };
    const r = await bg.send({ type: 'evaluate', snapshot: snapshot(url) }, content(url, reader));
    assert.equal(r.proof, null, 'the background tab shows nothing; the page the person looks at is told');
    assert.deepEqual(bg.api.calls.tabs.remove, [reader]);
    const [to, message] = bg.api.calls.tabs.sendMessage.at(-1);
    assert.equal(to, 7);
    assert.equal(message.type, 'proof-result');
    assert.deepEqual(
      message.results.map((x) => x.note),
      ['kept'],
    );
    assert.equal(bg.api.store.local.status.chatgpt.proof, 'reloaded');
  });

  it('a page that asks again and again opens one background tab, never more', async () => {
    bg = await loadBackground({ engine: engine() });
    const url = 'https://chatgpt.com/#settings/DataControls';
    const first = await bg.send({ type: 'prove', url, items: [{ key: 'c' }] }, content(url, 7));
    assert.equal(first.ok, true);
    for (let i = 0; i < 5; i++) {
      const again = await bg.send({ type: 'prove', url, items: [{ key: 'c' }] }, content(url, 7));
      assert.deepEqual(again, { ok: false, error: 'a proof is already running' });
    }
    assert.equal(bg.api.calls.tabs.create.length, 1);
  });

  it('bad input changes nothing and says why', async () => {
    bg = await loadBackground({ engine: engine() });
    for (const items of [undefined, [], [{ key: 1 }]]) {
      const r = await bg.send({ type: 'prove', url: URL_P, items }, content(URL_P, 7));
      assert.deepEqual(r, { ok: false, error: 'bad items' });
    }
    // Another host's address, or one that is not https: refused.
    for (const url of ['https://other.example/settings', 'http://p.example/settings', 'javascript:alert(1)']) {
      const r = await bg.send({ type: 'prove', url, items: [{ key: 'a' }] }, content(URL_P, 7));
      assert.deepEqual(r, { ok: false, error: "url is not the sender's" }, url);
    }
    assert.equal(bg.api.store.session.proofs, undefined);
  });
});
