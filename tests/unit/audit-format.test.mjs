// The audit log's format (extension/shared/audit-format.js): the events a status write makes,
// the folding of repeated observations, the bounds, and the exports. The e2e suite
// (tests/e2e/audit.test.mjs) shows the log and its exports in browsers.
//
//   node --test tests/unit/

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import * as audit from '../../extension/shared/audit-format.js';
import { parseCsv } from './lib/csv.mjs';

/** A platform's stored status record. */
const st = (state, extra = {}) => ({
  state,
  setting: 's',
  title: 'T',
  label: 'L',
  checked_at: 1,
  url: 'u',
  rule_version: 1,
  outcome: null,
  message: null,
  ...extra,
});

describe('audit log: pure parts (Node)', () => {
  it('keeps at most the bound, dropping the oldest, and skips repeated observations', () => {
    const e = (i, extra = {}) => ({
      time: i * 1000,
      event: 'changed',
      platform: 'p',
      setting: 's',
      after: i % 2 ? 'on' : 'off',
      url: 'u',
      ...extra,
    });
    let log = [];
    for (let i = 0; i < 30; i++) log = audit.appendBounded(log, [e(i)], { maxEntries: 10 });
    assert.equal(log.length, 10);
    assert.equal(log[0].time, 20000, 'the oldest went first');
    log = audit.appendBounded(
      [],
      Array.from({ length: 50 }, (_, i) => e(i, { label: 'x'.repeat(100) })),
      { maxChars: 2000 },
    );
    assert.ok(JSON.stringify(log).length <= 2000 && log.length > 0, 'bounded by size');
    const obs = { time: 0, event: 'observed', platform: 'p', setting: 's', after: 'on', url: 'u' };
    log = audit.appendBounded([], [obs, { ...obs, time: 1000 }, { ...obs, time: audit.REPEAT_MS + 1 }]);
    assert.equal(log.length, 2, 'a repeated observation within REPEAT_MS is written once');
  });

  it('derives events from status writes and quotes CSV safely', () => {
    assert.equal(audit.eventsFor({}, { p: st('on') }, 'evaluate')[0].event, 'observed');
    assert.equal(
      audit.eventsFor({ p: st('off') }, { p: st('on', { checked_at: 2 }) }, 'evaluate')[0].event,
      're-enabled',
    );
    assert.equal(audit.eventsFor({ p: st('on') }, { p: st('off', { checked_at: 2 }) }, 'evaluate')[0].event, 'changed');
    assert.equal(
      audit.eventsFor({ p: st('on') }, { p: st('off', { outcome: 'turned-off', checked_at: 2 }) }, 'step')[0].event,
      'turned-off',
    );
    assert.equal(
      audit.eventsFor({ p: st('on') }, { p: st('on') }, 'evaluate').length,
      0,
      'untouched platforms: nothing',
    );
    const csv = audit.toCsv([{ time: 0, event: 'observed', platform: 'p', label: '=HYPERLINK("x"), "q"\nz' }]);
    const rows = parseCsv(csv);
    assert.deepEqual(rows[0], audit.COLUMNS);
    assert.equal(rows[1][0], '1970-01-01T00:00:00.000Z');
    assert.equal(
      rows[1][audit.COLUMNS.indexOf('label')],
      `'=HYPERLINK("x"), "q"\nz`,
      'formula-like cells are defused, quotes and newlines kept',
    );
  });
});

describe('audit log: events, sites and exports', () => {
  it("a page on a customer's host gets its own entry, never the platform's", () => {
    const before = { p: st('on') };
    const after = {
      p: { ...st('on'), sites: { 'shop.example.com': st('off', { url: 'https://shop.example.com/' }) } },
    };
    const events = audit.eventsFor(before, after, 'evaluate', 5);
    assert.equal(events.length, 1, JSON.stringify(events));
    assert.deepEqual([events[0].site, events[0].after, events[0].time], ['shop.example.com', 'off', 5]);
  });

  it('signed-out and failed steps have their own events; a record never checked has none', () => {
    assert.equal(audit.eventsFor({}, { p: st('signed-out') }, 'evaluate')[0].event, 'signed-out');
    const failed = audit.eventsFor(
      { p: st('on') },
      { p: st('on', { outcome: 'failed', message: 'no', checked_at: 2 }) },
      'step',
    )[0];
    assert.deepEqual([failed.event, failed.outcome, failed.message], ['failed', 'failed', 'no']);
    assert.deepEqual(audit.eventsFor({}, { p: st('unknown', { checked_at: null }) }, 'evaluate'), []);
    // after sign-out, a state is not a "change"
    assert.equal(
      audit.eventsFor({ p: st('signed-out') }, { p: st('on', { checked_at: 2 }) }, 'evaluate')[0].event,
      'observed',
    );
  });

  it('a repeated observation is folded per site; a changed one is kept', () => {
    const obs = { time: 0, event: 'observed', platform: 'p', site: null, setting: 's', after: 'on' };
    assert.equal(audit.newEntries([obs], [{ ...obs, time: 10 }]).length, 0, 'same platform, site, setting, state');
    assert.equal(audit.newEntries([obs], [{ ...obs, time: 10, site: 'a.example' }]).length, 1, 'another site');
    assert.equal(audit.newEntries([obs], [{ ...obs, time: 10, after: 'off' }]).length, 1, 'another state');
    assert.equal(
      audit.newEntries([obs], [{ ...obs, event: 'turned-off', time: 10 }]).length,
      1,
      'an action is never folded',
    );
    assert.equal(audit.newEntries(null, [obs, { ...obs, time: 1 }]).length, 1, 'within one batch too');
  });

  it('the JSON export names its format and adds ISO times; both exports skip unreadable entries', () => {
    const entries = [{ time: 0, event: 'observed', platform: 'p' }, null, { event: 3 }];
    const json = JSON.parse(audit.toJson(entries, Date.UTC(2026, 0, 2)));
    assert.equal(json.format, 'untrain-audit-1');
    assert.equal(json.exported_at, '2026-01-02T00:00:00.000Z');
    assert.deepEqual(json.entries, [
      { time: 0, event: 'observed', platform: 'p', time_iso: '1970-01-01T00:00:00.000Z' },
    ]);
    const rows = parseCsv(audit.toCsv(entries));
    assert.equal(rows.length, 2, 'header and one entry');
    assert.ok(audit.toCsv([]).endsWith('\r\n'), 'CRLF line ends');
    for (const lead of ['+', '-', '@', '\t']) {
      const cell = parseCsv(audit.toCsv([{ time: 0, event: 'observed', label: `${lead}x` }]))[1][
        audit.COLUMNS.indexOf('label')
      ];
      assert.equal(cell, `'${lead}x`, `a cell starting with ${JSON.stringify(lead)} is defused`);
    }
  });
});
