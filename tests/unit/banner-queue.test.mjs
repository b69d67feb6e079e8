// The banner's queue (extension/content/banner-queue.js): which item the banner shows after an
// evaluation, the hold of a "done", the person's dismissals, and what "auto" runs, in Node. The
// e2e suite shows the banner itself in browsers.
//
//   node --test tests/unit/

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import '../../extension/content/banner-queue.js';
import { finding } from './lib/fake-extension.mjs';

const q = globalThis.UntrainBannerQueue;
const NOW = 1_000_000;

const evaluation = (findings, suspected = []) => ({ platform: 'p', name: 'P', signed_out: false, findings, suspected });
const items = (...args) => q.itemsOf(evaluation(...args), ['el0', 'el1'], { a: { id: 'a' } });
const decide = (list, over = {}) =>
  q.decide({
    items: list,
    auto: false,
    dismissed: new Set(),
    lastShown: null,
    holdUntil: 0,
    now: NOW,
    results: new Map(),
    previous: null,
    ...over,
  });

describe('banner queue: items', () => {
  it('findings become items by kind, absent ones are left out, suspects come after', () => {
    const list = items(
      [
        finding('a', 'on'),
        finding('s', 'off', { automation: 'safe-by-default' }),
        finding('g', 'manual', { automation: 'guided' }),
        finding('x', 'unknown', { reason: 'absent' }),
      ],
      [{ key: 'k', state: 'on', label: 'K', control: 1 }],
    );
    assert.deepEqual(
      list.map((i) => [i.key, i.kind]),
      [
        ['a', 'known'],
        ['s', 'safe-default'],
        ['g', 'guided'],
        ['suspected:k', 'suspected'],
      ],
    );
    assert.equal(list[0].control, 'el0');
    assert.deepEqual(list[0].info, { id: 'a' });
    assert.equal(list[3].control, 'el1');
  });

  it('settings that need the person come before guided ones, then suspects; closed ones are left out', () => {
    const list = items(
      [finding('g', 'manual', { automation: 'guided' }), finding('a', 'on'), finding('b', 'off')],
      [{ key: 'k', state: 'on', label: '', control: null }],
    );
    assert.deepEqual(
      q.candidates(list, new Set()).map((i) => i.key),
      ['a', 'g', 'suspected:k'],
    );
    assert.deepEqual(
      q.candidates(list, new Set(['a'])).map((i) => i.key),
      ['g', 'suspected:k'],
    );
  });
});

describe('banner queue: decisions', () => {
  it('offers the first setting that is on', () => {
    const d = decide(items([finding('b', 'off'), finding('a', 'on')]));
    assert.equal(d.kind, 'offer');
    assert.deepEqual([d.item.key, d.turnedBackOn, d.wasOffAt, d.note], ['a', false, null, null]);
  });

  it('auto runs the automatic settings that are on, never one found only by keywords', () => {
    const list = items([
      finding('a', 'on'),
      finding('b', 'on', { matched_by: 'keywords' }),
      finding('s', 'on', { automation: 'safe-by-default' }),
    ]);
    const d = decide(list, { auto: true });
    assert.deepEqual([d.kind, d.items.map((i) => i.key)], ['auto', ['a']]);
    assert.equal(
      decide(items([finding('b', 'on', { matched_by: 'keywords' })]), { auto: true }).kind,
      'offer',
      'nothing to run: the person decides',
    );
  });

  it('a "done" is held for a moment before the next item, then the next is offered with a note', () => {
    const list = items([finding('a', 'off'), finding('b', 'on')]);
    const results = new Map([['a', { state: 'done', label: 'A' }]]);
    const lastShown = { key: 'a', state: 'done' };
    const held = decide(list, { lastShown, holdUntil: NOW + 500, results });
    assert.deepEqual(held, { kind: 'hold', shown: lastShown, wait: 500 });
    const next = decide(list, { lastShown, holdUntil: NOW - 1, results });
    assert.equal(next.kind, 'offer');
    assert.deepEqual(next.note, { key: 'bannerPreviousDone', label: 'A' });
  });

  it('an "unconfirmed" change (no reload could prove it) stays like a failure, whatever else waits', () => {
    const list = items([finding('a', 'off'), finding('b', 'on')]);
    const shown = { key: 'a', state: 'unconfirmed' };
    assert.deepEqual(decide(list, { lastShown: shown, holdUntil: NOW - 1 }), { kind: 'hold', shown, wait: 0 });
  });

  it('a "failed" stays until the person closes it; a result stays when nothing else needs the person', () => {
    const list = items([finding('a', 'on'), finding('b', 'on')]);
    const failed = { key: 'a', state: 'failed' };
    assert.deepEqual(decide(list, { lastShown: { key: 'b', state: 'failed' } }), {
      kind: 'hold',
      shown: { key: 'b', state: 'failed' },
      wait: 0,
    });
    assert.equal(decide(list, { lastShown: failed }).kind, 'offer', 'the same item again: offered again');
    const done = { key: 'a', state: 'done' };
    assert.deepEqual(decide(items([finding('a', 'off')]), { lastShown: done }), { kind: 'hold', shown: done, wait: 0 });
  });

  it('a setting turned off before and on again is offered as "again", with the date it was off', () => {
    const list = items([finding('a', 'on')]);
    const previous = { setting: 'a', state: 'off', checked_at: 5, settings: { a: { outcome: 'turned-off' } } };
    const d = decide(list, { previous });
    assert.deepEqual([d.turnedBackOn, d.wasOffAt], [true, 5]);
    const fromResults = decide(list, { results: new Map([['a', { state: 'done' }]]) });
    assert.equal(fromResults.turnedBackOn, true);
    assert.equal(q.wasOffAt({ setting: 'a', state: 'on', was_off_at: 3 }, { setting: 'a' }), 3);
    assert.equal(q.wasOffAt({ setting: 'b', state: 'off', checked_at: 3 }, { setting: 'a' }), null, 'another setting');
  });

  it('guided settings are shown as guided', () => {
    const d = decide(items([finding('g', 'manual', { automation: 'guided' })]));
    assert.deepEqual([d.kind, d.item.key], ['guided', 'g']);
  });

  it('nothing needs the person: a note on the first setting, nothing after a dismissal, cleared without settings', () => {
    assert.deepEqual((({ kind, item, state }) => [kind, item.key, state])(decide(items([finding('a', 'off')]))), [
      'note',
      'a',
      'already-off',
    ]);
    assert.equal(decide(items([finding('a', 'unknown')])).state, 'unknown');
    assert.deepEqual(decide(items([finding('a', 'off')]), { dismissed: new Set(['x']) }), { kind: 'none' });
    assert.deepEqual(decide(items([], [{ key: 'k', state: 'unknown', label: '', control: null }])), { kind: 'clear' });
    assert.equal(decide(items([], [{ key: 'k', state: 'off', label: '', control: null }])).state, 'already-off');
  });

  it("what a plan's end means for the banner", () => {
    assert.deepEqual(
      ['already-off', 'prefilled', 'manual', 'turned-off', undefined].map((outcome) =>
        q.doneState({ kind: 'done', outcome }),
      ),
      ['already-off', 'prefilled', 'manual', 'done', 'done'],
    );
    assert.deepEqual(
      ['done', 'already-off', 'failed', 'prefilled'].map((state) => q.holds({ state })),
      [true, true, false, false],
    );
  });
});
