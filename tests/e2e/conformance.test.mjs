// Conformance: the JS harvester (extension/harvest.js, run in the browser on the live fixture)
// and the native one (crate/src/harvest.rs, `untrain snapshot` on the saved HTML) must produce
// the same snapshot on every static fixture, on all fields except `visible` and `url`.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before } from 'node:test';

import { forEachBrowser, test } from './lib/harness.mjs';
import { open } from './lib/page.mjs';
import { allFixtures, fixtureUrl } from './lib/rules.mjs';
import { FIXTURES, REPO } from './lib/server.mjs';

const BIN = path.join(REPO, 'target/debug/untrain');
const HARVEST_JS = path.join(REPO, 'extension/harvest.js');
// late/nav pages change after load (a template, an in-app navigation): not static
const NEUTRAL_HOST = 'conformance.untrain.test';
const STATIC = allFixtures().filter((fx) => !/\/(late|nav)\.[a-z]+\.html$/.test(fx.file));

function nativeSnapshot(fx) {
  const out = execFileSync(BIN, ['snapshot', '--url', fx.url, path.join(FIXTURES, fx.file)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out);
}

function comparable(snapshot) {
  const copy = structuredClone(snapshot);
  delete copy.url;
  for (const c of copy.controls ?? []) delete c.visible;
  return copy;
}

/** A short, readable list of differences (first 20). */
function diff(a, b, at = '', out = []) {
  if (out.length >= 20) return out;
  if (a === b) return out;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    out.push(`${at || '.'}: js ${JSON.stringify(a)} != native ${JSON.stringify(b)}`);
    return out;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) diff(a[k], b[k], `${at}${Array.isArray(a) ? `[${k}]` : `.${k}`}`, out);
  return out;
}

forEachBrowser('harvester conformance', (ctx) => {
  before(() => {
    // one native build, then the binary is run directly for every fixture
    execFileSync('cargo', ['build', '-q', '-p', 'untrain', '--bin', 'untrain'], { cwd: REPO, stdio: 'inherit' });
  }, { timeout: 600000 });

  test(ctx, 'the rules list static fixtures to compare', () => {
    assert.ok(STATIC.length >= 3, `static fixtures: ${STATIC.length}`);
  });

  for (const fx of STATIC) {
    test(ctx, `${fx.file}: harvest.js == harvest.rs`, async () => {
      const { driver } = ctx;
      const u = new URL(fixtureUrl(fx));
      u.hostname = NEUTRAL_HOST;
      await open(driver, u.toString().replace(encodeURIComponent(fx.file), fx.file));
      const source = fs.readFileSync(HARVEST_JS, 'utf8');
      const js = await driver.executeScript(
        `${source}\n;return JSON.parse(JSON.stringify(untrainHarvest(document, window).snapshot));`,
      );
      const native = nativeSnapshot(fx);
      assert.ok(js && Array.isArray(js.controls) && js.controls.length > 0, `JS harvester found controls: ${JSON.stringify(js).slice(0, 300)}`);
      const a = comparable(js);
      const b = comparable(native);
      const d = diff(a, b);
      assert.deepEqual(a, b, `${fx.file}: JS and native snapshots differ:\n  ${d.join('\n  ')}`);
    });
  }
});
