// The status model (extension/background/status.js): what an evaluation and the end of an
// opt-out write for a platform, in Node without a browser. tests/unit/safety.test.mjs drives the
// same through the background's messages.
//
//   node --test tests/unit/

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  afterEvaluation,
  afterOutcome,
  emptyStatus,
  isRecentRepeat,
  pageUrl,
  putRecord,
  recordOf,
  sameButTimes,
  showsNoKnownSetting,
  STATUS_REFRESH_MS,
  summarise,
} from '../../extension/background/status.js';
import { NOW, evaluation, finding, setting } from './lib/fake-extension.mjs';

const at = (url = 'https://p.example/settings', now = NOW) => ({ url, now, firstSetting: null });

describe('status model: evaluations', () => {
  it("the most urgent setting is the platform's state (on > unknown > off > manual)", () => {
    const next = afterEvaluation(
      null,
      evaluation([finding('a', 'off'), finding('b', 'on'), finding('c', 'unknown')]),
      at(),
    );
    assert.deepEqual([next.state, next.setting, next.label, next.checked_at], ['on', 'b', 'b label', NOW]);
    assert.deepEqual(Object.keys(next.settings).sort(), ['a', 'b', 'c']);
    const manual = afterEvaluation(null, evaluation([finding('g', 'manual'), finding('a', 'off')]), at());
    assert.equal(manual.state, 'off');
  });

  it('settings not on this page keep their stored state, and still count', () => {
    const first = afterEvaluation(null, evaluation([finding('a', 'on')]), at());
    const second = afterEvaluation(first, evaluation([finding('b', 'off')]), at(undefined, NOW + 1));
    assert.equal(second.state, 'on', 'a stays on although this page only showed b');
    assert.equal(second.setting, 'a');
    assert.equal(second.settings.b.state, 'off');
  });

  it('absent settings say nothing; an evaluation that read nothing writes nothing', () => {
    assert.equal(afterEvaluation(null, evaluation([finding('a', 'unknown', { reason: 'absent' })]), at()), null);
    assert.equal(afterEvaluation(null, evaluation([]), at()), null);
  });

  it("a setting's last outcome stays while its state holds, and goes when it changes", () => {
    const done = afterOutcome(
      null,
      { setting: 'a' },
      { kind: 'done', outcome: 'turned-off', label: 'A' },
      { info: setting('a'), url: null, now: NOW },
    );
    assert.deepEqual([done.state, done.outcome], ['off', 'turned-off']);
    const still = afterEvaluation(done, evaluation([finding('a', 'off')]), at());
    assert.equal(still.outcome, 'turned-off');
    const back = afterEvaluation(still, evaluation([finding('a', 'on')]), at());
    assert.deepEqual([back.state, back.outcome], ['on', null]);
  });

  it('signed out: names the stored setting, else the first automatic one, and keeps the settings', () => {
    const out = afterEvaluation(null, evaluation([], { signed_out: true }), {
      ...at(),
      firstSetting: { id: 'x', title: 'X' },
    });
    assert.deepEqual([out.state, out.setting, out.title, out.checked_at], ['signed-out', 'x', 'X', NOW]);
    const known = afterEvaluation(null, evaluation([finding('a', 'on')]), at());
    const later = afterEvaluation(known, evaluation([], { signed_out: true }), {
      ...at(),
      firstSetting: { id: 'x', title: 'X' },
    });
    assert.deepEqual([later.setting, Object.keys(later.settings)], ['a', ['a']]);
  });
});

describe('status model: outcomes', () => {
  it('a failure keeps the state it could not change and says why', () => {
    const on = afterEvaluation(null, evaluation([finding('a', 'on')]), at());
    const failed = afterOutcome(
      on,
      { setting: 'a' },
      { kind: 'failed', reason: 'verify-failed', message: 'still on' },
      { info: setting('a'), url: null, now: NOW + 1 },
    );
    assert.deepEqual([failed.state, failed.outcome, failed.message], ['on', 'failed', 'still on']);
    const noMessage = afterOutcome(
      on,
      { setting: 'a' },
      { kind: 'failed', reason: 'r' },
      { info: null, url: null, now: NOW },
    );
    assert.equal(noMessage.message, 'r');
  });

  it('a guided setting is manual whatever its plan ended with', () => {
    const next = afterOutcome(
      null,
      { setting: 'g' },
      { kind: 'done', outcome: 'prefilled' },
      { info: setting('g', { automation: 'guided' }), url: null, now: NOW },
    );
    assert.deepEqual([next.state, next.settings.g.automation, next.outcome], ['manual', 'guided', 'prefilled']);
  });

  it("a suspect's result is kept beside the platform's state, never instead of it", () => {
    const on = afterEvaluation(null, evaluation([finding('a', 'on')]), at());
    const next = afterOutcome(
      on,
      { setting: 'suspected', suspect: 'k' },
      { kind: 'done', outcome: 'turned-off', label: 'S' },
      { info: null, url: null, now: NOW },
    );
    assert.equal(next.state, 'on');
    assert.deepEqual(next.suspects['suspected:k'], {
      outcome: 'turned-off',
      message: null,
      checked_at: NOW,
      proof: 're-read',
      proof_note: null,
      proved_at: null,
      state: 'off',
      label: 'S',
    });
    const failed = afterOutcome(
      next,
      { setting: 'suspected', suspect: 'k' },
      { kind: 'failed', message: 'm' },
      { info: null, url: null, now: NOW },
    );
    assert.deepEqual([failed.suspects['suspected:k'].state, failed.suspects['suspected:k'].label], ['off', 'S']);
  });
});

describe('status model: records, sites and repeats', () => {
  it("a site's record sits under the platform and never replaces the platform's own", () => {
    const status = {};
    const own = summarise(
      null,
      { a: { state: 'on', title: 'A', label: 'A' } },
      [{ setting: 'a', rule_version: 2 }],
      'u',
      NOW,
    );
    putRecord(status, 'p', null, own);
    putRecord(status, 'p', 'shop.example.com', { ...emptyStatus(null), state: 'off' });
    assert.equal(recordOf(status, 'p', null).state, 'on');
    assert.equal(recordOf(status, 'p', 'shop.example.com').state, 'off');
    assert.equal(recordOf(status, 'p', 'other.example.com'), null);
    putRecord(status, 'p', null, { ...own, state: 'off' });
    assert.ok(status.p.sites['shop.example.com'], 'a new platform record keeps the sites');
    assert.equal(own.rule_version, 2);
  });

  it('stored addresses keep origin and path only', () => {
    assert.equal(pageUrl('https://chatgpt.com/c/123?token=x#settings'), 'https://chatgpt.com/c/123');
    assert.equal(pageUrl('not a url'), null);
  });

  it('the same tab saying the same within a minute is a repeat; another tab or a change is not', () => {
    const a = afterEvaluation(null, evaluation([finding('a', 'on')]), at());
    const b = afterEvaluation(a, evaluation([finding('a', 'on')]), at(undefined, NOW + 1000));
    assert.ok(sameButTimes(a, b));
    const last = { tab: 7, at: NOW };
    assert.equal(isRecentRepeat(last, 7, NOW + 1000, a, b), true);
    assert.equal(isRecentRepeat(last, 8, NOW + 1000, a, b), false, 'another tab');
    assert.equal(isRecentRepeat(last, 7, NOW + STATUS_REFRESH_MS, a, b), false, 'a minute later');
    assert.equal(isRecentRepeat(undefined, 7, NOW, a, b), false, 'never written');
    const c = afterEvaluation(b, evaluation([finding('a', 'off')]), at(undefined, NOW + 2000));
    assert.equal(isRecentRepeat(last, 7, NOW + 2000, b, c), false, 'a change');
  });

  it('says a settings page shows no known setting only when every finding is absent and the page is signed in', () => {
    const page = { platform: 'linkedin', name: 'LinkedIn', settings_page: true };
    const absent = { setting: 'linkedin.genai-data', state: 'unknown', reason: 'absent' };
    const ev = (findings, signedOut = false) => ({
      platform: 'linkedin',
      name: 'LinkedIn',
      signed_out: signedOut,
      findings,
    });
    assert.equal(showsNoKnownSetting(page, ev([absent])), true);
    assert.equal(showsNoKnownSetting(page, ev([])), true);
    assert.equal(showsNoKnownSetting(page, ev([absent], true)), false, 'signed out says so instead');
    assert.equal(showsNoKnownSetting(page, ev([absent, { ...absent, state: 'on', reason: null }])), false);
    assert.equal(
      showsNoKnownSetting(page, ev([{ ...absent, reason: 'unreadable' }])),
      false,
      'unreadable has its own offer',
    );
    assert.equal(showsNoKnownSetting({ ...page, settings_page: false }, ev([absent])), false, 'not a settings page');
    assert.equal(showsNoKnownSetting(null, ev([absent])), false);
  });
});
