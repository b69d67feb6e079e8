// The re-check decisions (extension/shared/recheck.js) with a controlled clock: which platforms
// are due, which reminders still stand, the badge, and the "was off, now on" mark. The e2e suite
// (tests/e2e/recheck.test.mjs) shows the alarm, the notice and the badge in browsers.
//
//   node --test tests/unit/

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  annotateReenabled,
  badgeText as badge,
  dueForRecheck,
  pendingRechecks,
} from '../../extension/shared/recheck.js';

const DAY = 24 * 60 * 60 * 1000;

describe('re-check decisions (Node, controlled clock)', () => {
  const platforms = [
    { id: 'a', name: 'A', version: 1, settings: [{ automation: 'automatic' }] },
    { id: 'b', name: 'B', version: 2, settings: [{ automation: 'automatic' }] },
    { id: 'c', name: 'C', version: 1, settings: [{ automation: 'automatic' }] },
    { id: 'g', name: 'G', version: 1, settings: [{ automation: 'guided' }] },
  ];
  const t0 = Date.UTC(2026, 4, 3, 12);

  it('old checks and changed rules are due; recent, never-checked and guided ones are not', () => {
    const status = {
      a: { state: 'off', checked_at: t0, rule_version: 1 },
      b: { state: 'off', checked_at: t0, rule_version: 1 },
      g: { state: 'off', checked_at: t0 - 30 * DAY, rule_version: 1 },
    };
    assert.deepEqual(
      dueForRecheck(status, platforms, t0 + 6 * DAY).map((d) => [d.platform, d.reason]),
      [['b', 'rules-changed']],
    );
    const due = dueForRecheck(status, platforms, t0 + 8 * DAY + 1000);
    assert.deepEqual(
      due.map((d) => [d.platform, d.reason, d.days]),
      [
        ['a', 'old', 8],
        ['b', 'rules-changed', 8],
      ],
    );
    assert.equal(
      dueForRecheck(status, platforms, t0 + 7 * DAY).filter((d) => d.reason === 'old').length,
      0,
      'exactly 7 days is not yet old',
    );
  });

  it('a reminder ends for a platform checked since; the badge says "!" only when nothing is on', () => {
    const status = {
      a: { state: 'off', checked_at: t0, rule_version: 1 },
      c: { state: 'off', checked_at: t0, rule_version: 1 },
    };
    const reminder = { at: t0 + 8 * DAY, due: dueForRecheck(status, platforms, t0 + 8 * DAY + 1) };
    assert.equal(pendingRechecks(reminder, status).length, 2);
    assert.equal(badge(status, reminder), '!');
    const later = { ...status, a: { ...status.a, checked_at: t0 + 8 * DAY + 5 } };
    assert.deepEqual(
      pendingRechecks(reminder, later).map((d) => d.platform),
      ['c'],
    );
    assert.equal(badge({ ...later, c: { state: 'on', checked_at: 1 } }, reminder), '1', 'the on count wins');
    assert.equal(badge({}, null), '');
  });

  it('was_off_at: set when off turns on, kept while on, dropped when off again', () => {
    const off = { p: { state: 'off', setting: 's', checked_at: t0 } };
    const on = annotateReenabled(off, { p: { state: 'on', setting: 's', checked_at: t0 + DAY } });
    assert.equal(on.p.was_off_at, t0);
    const still = annotateReenabled(on, { p: { state: 'on', setting: 's', checked_at: t0 + 2 * DAY } });
    assert.equal(still.p.was_off_at, t0);
    const again = annotateReenabled(still, { p: { state: 'off', setting: 's', checked_at: t0 + 3 * DAY } });
    assert.equal(again.p.was_off_at, undefined);
    const fresh = annotateReenabled({}, { p: { state: 'on', setting: 's', checked_at: t0 } });
    assert.equal(fresh.p.was_off_at, undefined, 'first sight of "on" is not a re-enable');
  });
});
