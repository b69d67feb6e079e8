// The popup's compact rows (extension/popup/rows.js): the last-proof part of a row's line never
// says more than the status, only rows that are on open by themselves, and the tab the popup
// speaks about. The e2e suite (tests/e2e/popup.test.mjs, a11y.test.mjs) shows the rows in browsers.
//
//   node --test tests/unit/

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { lineProof, opensByDefault, pageTabOf, proofOf } from '../../extension/popup/rows.js';

describe('popup rows (Node)', () => {
  it('says nothing of proof before any check', () => {
    assert.equal(lineProof(null, 'unknown'), null);
    assert.equal(lineProof({ state: 'unknown', checked_at: null }, 'unknown'), null);
  });

  it('says "confirmed by reload" only for an off setting a reload proved, with the time of the proof', () => {
    const s = { state: 'off', checked_at: 2000, proof: 'reloaded', proof_note: null, proved_at: 1500 };
    assert.deepEqual(lineProof(s, 'off'), { key: 'lineReloaded', at: 1500 });
    assert.deepEqual(lineProof({ ...s, proved_at: null }, 'off'), { key: 'lineReloaded', at: 2000 });
    // the same record shown as on (another setting of the platform is on) says when it was checked
    assert.deepEqual(lineProof(s, 'on'), { key: 'checkedAt', at: 2000 });
  });

  it('says "re-read only" when only Untrain\'s re-read saw it off', () => {
    const s = { state: 'off', checked_at: 3000, proof: 're-read', proof_note: 'signed-out' };
    assert.deepEqual(lineProof(s, 'off'), { key: 'lineReRead', at: 3000 });
  });

  it('says "not kept" when the platform served the setting on again after a reload', () => {
    const s = { state: 'on', checked_at: 4000, proof: 'reloaded', proof_note: 'not-kept', proved_at: 3900 };
    assert.deepEqual(lineProof(s, 'on'), { key: 'lineNotKept', at: 3900 });
  });

  it("says when it was checked for a setting read off on a visit (no change of Untrain's)", () => {
    assert.deepEqual(lineProof({ state: 'off', checked_at: 5000, proof: null }, 'off'), { key: 'checkedAt', at: 5000 });
    assert.deepEqual(lineProof({ state: 'signed-out', checked_at: 6000 }, 'signed-out'), {
      key: 'checkedAt',
      at: 6000,
    });
  });

  it('reads the proof level, never more than the status holds', () => {
    assert.equal(proofOf(null), 'none');
    assert.equal(proofOf({ proof: 'reloaded' }), 'reloaded');
    assert.equal(proofOf({ proof: 're-read' }), 're-read');
    assert.equal(proofOf({ proof: 'confirmed' }), 'none');
  });

  it('opens only the rows that are on by themselves', () => {
    assert.equal(opensByDefault('on'), true);
    for (const state of ['off', 'unknown', 'signed-out', 'manual']) assert.equal(opensByDefault(state), false, state);
  });

  it('picks the tab the popup speaks about', () => {
    const tabs = [
      { id: 1, active: false, lastAccessed: 300 },
      { id: 2, active: true, lastAccessed: 500 },
      { id: 3, active: false, lastAccessed: 400 },
    ];
    // the toolbar popup: the active tab
    assert.equal(pageTabOf(tabs, undefined), 2);
    // the popup page open in tab 2: the tab used last before it
    assert.equal(pageTabOf(tabs, { id: 2 }), 3);
    assert.equal(pageTabOf([{ id: 2, active: true }], { id: 2 }), null);
    assert.equal(pageTabOf([], null), null);
    assert.equal(pageTabOf(/** @type {any} */ (null), null), null);
  });
});
