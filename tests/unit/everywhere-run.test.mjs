// "Opt out everywhere", its decisions (extension/background/everywhere-run.js): what a run
// takes, what an evaluation or a step means for a setting, the results of a time-out and of a
// cancel. tests/unit/safety.test.mjs and tests/e2e/everywhere.test.mjs run whole runs.
//
//   node --test tests/unit/

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import * as run from '../../extension/background/everywhere-run.js';
import { finding, setting } from './lib/fake-extension.mjs';

const platform = (id, settings) => ({ id, name: id.toUpperCase(), hosts: [`${id}.example`], settings });

describe('everywhere run: planning', () => {
  const platforms = [
    platform('a', [setting('a.1'), setting('a.2', { settings_url: 'https://example.invalid/other' })]),
    platform('g', [
      setting('g.1', {
        automation: 'guided',
        instructions: { en: ['one', 'two'], de: ['eins'] },
        form_url: 'https://f',
      }),
    ]),
    platform('s', [setting('s.1', { automation: 'safe-by-default' })]),
    platform('b', [setting('b.1'), setting('b.g', { automation: 'guided' })]),
  ];

  it("queues every platform with an automatic setting, all its automatic settings at the first one's page", () => {
    const { queue, guided } = run.planRun(platforms, null, 'de');
    assert.deepEqual(
      queue.map((q) => [q.platform, q.settings.map((s) => s.id), q.settings_url]),
      [
        ['a', ['a.1', 'a.2'], 'https://example.invalid/a.1'],
        ['b', ['b.1'], 'https://example.invalid/b.1'],
      ],
    );
    assert.deepEqual(
      guided.map((g) => [g.platform, g.settings[0].instructions, g.settings[0].form_url]),
      [['g', ['eins'], 'https://f']],
    );
  });

  it('takes only the platforms asked for', () => {
    const { queue, guided } = run.planRun(platforms, new Set(['b']), 'en');
    assert.deepEqual([queue.map((q) => q.platform), guided], [['b'], []]);
  });

  it('bounds the time limit, and ignores nonsense', () => {
    assert.deepEqual([run.clampLimit(1), run.clampLimit(45000.4), run.clampLimit(1e9)], [2000, 45000, 300000]);
    for (const v of [0, -5, 'x', null, undefined, Infinity]) assert.equal(run.clampLimit(v), null, String(v));
  });

  it('reads instructions in the language, else en, else the first', () => {
    assert.deepEqual(run.firstText({ fr: ['un'], en: ['one'] }, 'de'), ['one']);
    assert.deepEqual(run.firstText({ fr: 'un' }, 'de'), ['un']);
    assert.deepEqual(run.firstText('x', 'en'), ['x']);
    assert.deepEqual(run.firstText(null, 'en'), []);
  });
});

describe('everywhere run: results', () => {
  const item = {
    platform: 'a',
    name: 'A',
    settings_url: 'https://a/s',
    settings: [
      { id: 'a.1', title: 'One' },
      { id: 'a.2', title: 'Two' },
    ],
  };

  it('each finding ends its setting, or waits for the opt-out the content script runs', () => {
    assert.deepEqual(run.findingResult(finding('a.1', 'off')), { outcome: 'already-off', label: 'a.1 label' });
    assert.equal(run.findingResult(finding('a.1', 'on')), 'on');
    assert.equal(run.findingResult(finding('a.1', 'on', { matched_by: 'keywords' })).outcome, 'not-sure');
    assert.deepEqual(run.findingResult(finding('a.1', 'unknown')), {
      outcome: 'failed',
      reason: 'unreadable',
      message: 'could not read the setting (unreadable)',
      label: 'a.1 label',
    });
    assert.equal(run.findingResult(undefined), null);
  });

  it("an evaluation decides only the settings still open, in the queue's order", () => {
    const current = { platform: 'a', tab: 1, seen: {}, ended: {} };
    const ev = { platform: 'a', signed_out: false, findings: [finding('a.2', 'off'), finding('a.1', 'on')] };
    assert.deepEqual(
      run.evaluationResults(item, current, ev).map((r) => [r.setting, r.result.outcome ?? r.result]),
      [
        ['a.1', 'on'],
        ['a.2', 'already-off'],
      ],
    );
    assert.deepEqual(
      run.evaluationResults(item, { ...current, seen: { 'a.1': 'on' }, ended: { 'a.2': true } }, ev),
      [],
    );
    const absent = { ...ev, findings: [finding('a.1', 'unknown', { reason: 'absent' })] };
    assert.deepEqual(run.evaluationResults(item, current, absent), [], 'an absent setting is not a failure yet');
  });

  it("a step's end is turned off, already off, or failed", () => {
    assert.deepEqual(run.stepResult({ kind: 'done', outcome: 'turned-off', label: 'L' }), {
      outcome: 'turned-off',
      label: 'L',
    });
    assert.equal(run.stepResult({ kind: 'done', outcome: 'already-off' }).outcome, 'already-off');
    assert.deepEqual(run.stepResult({ kind: 'failed', reason: 'r' }), {
      outcome: 'failed',
      reason: 'r',
      message: null,
    });
  });

  it('a time-out says where the tab ended up', () => {
    const page = (settings_page) => ({ platform: 'a', name: 'A', settings_page });
    assert.equal(run.timeOutMessage(true, null, 30000), 'the opt-out did not finish within 30 s');
    assert.equal(run.timeOutMessage(false, null, 30000), 'the setting did not show within 30 s');
    assert.equal(
      run.timeOutMessage(false, { url: 'about:blank', page: null }, 5000),
      'the setting did not show within 5 s',
    );
    assert.match(run.timeOutMessage(false, { url: '', page: null }, 5000), /left the platform's site/);
    assert.match(run.timeOutMessage(false, { url: 'https://evil/', page: null }, 5000), /left the platform's site/);
    assert.equal(
      run.timeOutMessage(false, { url: 'https://a/login?x=1', page: page(false) }, 5000),
      'the page went to /login instead of the settings page (signed out?) within 5 s',
    );
    assert.equal(
      run.timeOutMessage(false, { url: 'https://a/s', page: page(true) }, 5000),
      'the setting did not show within 5 s',
    );
  });

  it('a cancel ends the open settings of the current platform and every later one', () => {
    const r = run.newRun({
      id: 'r',
      now: 1,
      limitMs: 1000,
      keepTabs: false,
      queue: [item, { ...item, platform: 'b' }],
      guided: [],
    });
    r.current = { platform: 'a', tab: 3, seen: {}, ended: { 'a.1': true } };
    const out = run.cancelledResults(r, 9);
    assert.deepEqual(
      out.map((x) => [x.platform, x.setting, x.outcome, x.at]),
      [
        ['a', 'a.2', 'cancelled', 9],
        ['b', 'a.1', 'cancelled', 9],
        ['b', 'a.2', 'cancelled', 9],
      ],
    );
    assert.deepEqual(
      run.openSettings(item, r.current).map((s) => s.id),
      ['a.2'],
    );
  });

  it('time-outs, closed tabs and tabs that never opened go to the audit log as failures', () => {
    assert.deepEqual(
      ['timed-out', 'failed', 'signed-out'].map((outcome) => run.logged({ outcome })),
      [true, false, false],
    );
    assert.equal(run.logged({ outcome: 'failed', reason: 'tab-closed' }), true);
    assert.equal(run.logged({ outcome: 'failed', reason: 'no-tab' }), true);
    const [entry] = run.failureEntries(item, [item.settings[0]], { outcome: 'timed-out', message: 'm' }, 4);
    assert.deepEqual(entry, {
      time: 4,
      event: 'failed',
      platform: 'a',
      site: null,
      setting: 'a.1',
      label: 'One',
      before: null,
      after: null,
      url: 'https://a/s',
      rule_version: null,
      outcome: 'timed-out',
      message: 'm',
    });
  });
});
