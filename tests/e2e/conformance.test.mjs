// Conformance: the JS harvester (extension/content/harvest.js, run in the browser on the live fixture)
// and the native one (crate/src/harvest.rs, `untrain snapshot` on the saved HTML) must produce
// the same snapshot on every static fixture, on all fields except `visible` and `url`.
//
// Light harvest: on every fixture, `untrainHarvest(document, window, { roles })` with the roles
// the shipped engine's classify() names for the fixture's URL (dist/'s wasm, run in Node) equals
// the full harvest with every control of another role taken out of `controls` and its name put
// in `other_names` (each non-empty name once, in order of first appearance), with the same
// element list. The one-pass selection equals the spec's CONTROLS/HEADINGS/DIALOGS selectors
// on every fixture and on a page of edge cases (attribute case, namespaces, truncation, nesting).

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before } from 'node:test';

import { forEachBrowser, test } from './lib/harness.mjs';
import { open } from './lib/page.mjs';
import { shippedEngine } from './lib/shipped-engine.mjs';
import { allFixtures, fixtureUrl } from './lib/rules.mjs';
import { FIXTURES, REPO } from './lib/server.mjs';

const BIN = path.join(REPO, 'target/debug/untrain');
const HARVEST_JS = path.join(REPO, 'extension/content/harvest.js');
// late/nav pages change after load (a template, an in-app navigation): not static
const NEUTRAL_HOST = 'conformance.untrain.test';
const ALL = allFixtures();
const STATIC = ALL.filter((fx) => !/\/(late|nav)\.[a-z]+\.html$/.test(fx.file));

function nativeSnapshot(fx) {
  const out = execFileSync(BIN, ['snapshot', '--url', fx.url, path.join(FIXTURES, fx.file)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out);
}

/** What the light harvest must be: the full one, of other roles' controls only their names. */
function reduced(snapshot, roles) {
  const copy = structuredClone(snapshot);
  copy.controls = snapshot.controls.filter((c) => roles.includes(c.role));
  const names = [];
  for (const c of snapshot.controls) if (!roles.includes(c.role) && c.name && !names.includes(c.name)) names.push(c.name);
  copy.other_names = names;
  return copy;
}

// In the page, after harvest.js: full and light harvests of the same DOM, and the spec's
// selectors' element list (CONTROLS minus input[type=hidden] and #untrain-banner, first 2000).
const LIGHT_AND_FULL = `
  const H = untrainHarvest;
  const full = H(document, window);
  const light = H(document, window, { roles: arguments[0] });
  const ref = [...document.querySelectorAll(H.CONTROLS)]
    .filter((el) => !el.matches('input[type=hidden]') && !el.closest('#untrain-banner'));
  const same = (a, b) => a.length === b.length && a.every((el, i) => b[i] === el);
  const heads = [...document.querySelectorAll(H.HEADINGS)].slice(0, 50).length;
  return JSON.parse(JSON.stringify({
    full: full.snapshot, light: light.snapshot,
    selection: same(full.elements, ref.slice(0, 2000)) && full.snapshot.truncated === ref.length > 2000,
    lightElements: same(light.elements, full.elements),
    headings: full.snapshot.headings.length === heads,
    dialogs: full.snapshot.dialogs.length === document.querySelectorAll(H.DIALOGS).length,
  }));
`;

// A page of edge cases for the one-pass selection: input type case (ASCII only: KELVIN SIGN is not
// K), empty/unknown/hidden types, role case and whole value, namespaced attributes, SVG elements,
// heading and dialog roles (and a tag as well: listed once), the banner host, nested controls for the row rule, 2100 more buttons
// (truncation) and a heading and dialog after them. Returns the differences with the selectors.
const EDGE_CASES = `
  document.body.innerHTML = \`
<div><input type="CHECKBOX" id="i1"><label for="i1">first label</label><label for="i1">second label</label><input type="Text"><input type=""><input type="foo"><input><input type="hidden"><input type="HIDDEN"><input type="cHeC\u212Abox"><input type=" checkbox"><input type="email"><input type="password"><input type="radio"><input type="hidden" role="switch"><input type="submit" value="Go"></div>
<div><div role="switch">s</div><div role="Switch">S</div><div role="switch button">sb</div><div role="">e</div><div role="textbox">tb</div><span role="menuitemradio">mr</span><span role="presentation">p</span></div>
<div><a>no href</a><a href="">empty</a><a href="/x">x</a><a role="presentation">role, no href</a><a role="presentation" href="/p">role and href</a><svg><a href="/s"><text>svg link</text></a><input type="CHECKBOX"/><input type="checkbox"/><a xlink:href="/t"><text>xlink</text></a></svg></div>
<div><h1>a</h1><h2>b</h2><h3>c</h3><h4>d</h4><div role="heading">rh</div><button role="heading">bh</button><H2>upper</H2><div role="Heading">no</div><h3 role="heading">tag and role</h3></div>
<dialog open><p>dlg</p><button>in dialog</button></dialog><dialog><button>closed dialog</button></dialog><div role="dialog" aria-label="rd"></div><div role="alertdialog" aria-label="ad"></div><div role="Dialog" aria-label="no"></div><dialog open role="dialog" aria-label="tag and role"></dialog>
<div><div><button>outer<input type="checkbox" aria-label="inner"></button></div><div><a href="/o"><span role="button">in link</span></a></div><div><div><div><label><input type="checkbox"> lone</label></div></div></div><p><span><b><a href="/deep">deep</a></b></span></p><div><a href="/w">wrap <span><input type="checkbox" aria-label="wrapped"></span></a></div></div>
<select><option>o</option></select><textarea></textarea>
<div id="untrain-banner"><button>in banner</button><div><input type="checkbox"></div></div>\`;
  const made = [document.createElementNS('http://www.w3.org/1999/xhtml', 'INPUT')];
  const el = (text) => { const d = document.createElement('div'); d.textContent = text; made.push(d); return d; };
  el('ns prefixed role').setAttributeNS('urn:x', 'x:role', 'switch');
  el('ns role').setAttributeNS('urn:x', 'role', 'switch');
  el('upper ROLE').setAttributeNS(null, 'ROLE', 'switch');
  const foo = document.createElement('input');
  foo.type = 'foo';
  foo.setAttributeNS('urn:x', 'role', 'switch');
  made.push(foo);
  const a = document.createElement('a');
  a.setAttributeNS('urn:x', 'href', '/ns');
  a.textContent = 'ns href';
  made.push(a);
  const box = document.createElement('div');
  box.append(...made);
  for (let i = 0; i < 2100; i++) {
    const b = document.createElement('button');
    b.textContent = 'b' + i;
    box.append(b);
  }
  document.body.append(box);
  const tail = document.createElement('div');
  tail.innerHTML = '<h2>after truncation</h2><div role="dialog" aria-label="late dialog"></div>';
  document.body.append(tail);

  const H = untrainHarvest;
  const collapse = (s) => String(s ?? '').replace(/\\s+/g, ' ').trim();
  const ref = [...document.querySelectorAll(H.CONTROLS)]
    .filter((e) => !e.matches('input[type=hidden]') && !e.closest('#untrain-banner'));
  const full = H(document, window);
  const problems = [];
  const want = ref.slice(0, 2000);
  if (full.elements.length !== want.length) problems.push('elements ' + full.elements.length + ' != ' + want.length);
  want.forEach((e, i) => {
    if (full.elements[i] !== e) problems.push('element ' + i + ': ' + (full.elements[i] ? full.elements[i].outerHTML.slice(0, 60) : 'none') + ' != ' + e.outerHTML.slice(0, 60));
  });
  if (full.snapshot.truncated !== ref.length > 2000) problems.push('truncated ' + full.snapshot.truncated);
  const heads = [...document.querySelectorAll(H.HEADINGS)].slice(0, 50).map((h) => collapse(h.textContent).slice(0, 200));
  if (JSON.stringify(heads) !== JSON.stringify(full.snapshot.headings)) problems.push('headings ' + JSON.stringify(full.snapshot.headings) + ' != ' + JSON.stringify(heads));
  const dialogs = document.querySelectorAll(H.DIALOGS).length;
  if (dialogs !== full.snapshot.dialogs.length) problems.push('dialogs ' + full.snapshot.dialogs.length + ' != ' + dialogs);
  // the row rule by its definition: count the harvested controls under every ancestor
  const counts = new Map();
  for (const e of full.elements) for (let n = e.parentElement; n; n = n.parentElement) counts.set(n, (counts.get(n) || 0) + 1);
  full.elements.forEach((e, i) => {
    let row = e.parentElement;
    for (let l = 0; row && l < 4; l++) {
      const next = row.parentElement;
      if (!next || (counts.get(next) || 0) > 1) break;
      row = next;
    }
    const text = collapse(row ? row.textContent : '').slice(0, 400);
    if (full.snapshot.controls[i].text !== text) problems.push('row ' + i + ': ' + JSON.stringify(full.snapshot.controls[i].text) + ' != ' + JSON.stringify(text));
  });
  const light = H(document, window, { roles: ['checkbox'] });
  if (light.elements.length !== full.elements.length || light.elements.some((e, i) => full.elements[i] !== e)) problems.push('light elements differ');
  return { problems: problems.slice(0, 20), controls: full.elements.length, selected: ref.length };
`;

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

  let engine = null;
  const tally = { reduced: 0, kept: 0, native: 0 };
  test(ctx, 'the shipped engine names the roles it reads (classify)', async () => {
    engine = await shippedEngine();
    const page = engine.classify(ALL[0].url);
    assert.ok(page && Array.isArray(page.roles) && page.roles.length > 0, `classify: ${JSON.stringify(page)}`);
  });

  // One page load a fixture: its full harvest is compared with the native one (static fixtures),
  // and its light harvest with the full one reduced to the engine's roles (every fixture).
  for (const fx of ALL) {
    const isStatic = STATIC.includes(fx);
    const what = `${isStatic ? 'harvest.js == harvest.rs; ' : ''}light harvest == full harvest reduced to the engine's roles`;
    test(ctx, `${fx.file}: ${what}`, async () => {
      assert.ok(engine, 'engine loaded');
      const page = engine.classify(fx.url);
      assert.ok(page && Array.isArray(page.roles) && page.roles.length > 0, `classify(${fx.url}): ${JSON.stringify(page)}`);
      const { driver } = ctx;
      const u = new URL(fixtureUrl(fx));
      u.hostname = NEUTRAL_HOST;
      await open(driver, u.toString().replace(encodeURIComponent(fx.file), fx.file));
      const source = fs.readFileSync(HARVEST_JS, 'utf8');
      const r = await driver.executeScript(`${source}\n;${LIGHT_AND_FULL}`, page.roles);
      assert.ok(r.full.controls.length > 0, `JS harvester found controls: ${JSON.stringify(r.full).slice(0, 300)}`);
      if (isStatic) {
        const a = comparable(r.full);
        const b = comparable(nativeSnapshot(fx));
        const d = diff(a, b);
        assert.deepEqual(a, b, `${fx.file}: JS and native snapshots differ:\n  ${d.join('\n  ')}`);
        tally.native++;
      }
      assert.ok(r.selection, 'the one-pass selection is the CONTROLS selector\'s element list');
      assert.ok(r.headings && r.dialogs, 'headings and dialogs as their selectors');
      assert.ok(r.lightElements, 'the light harvest has the same element list');
      const want = reduced(r.full, page.roles);
      const d = diff(r.light, want);
      assert.deepEqual(r.light, want, `${fx.file} (roles ${page.roles.join(', ')}): light != reduced full:\n  ${d.join('\n  ')}`);
      for (const c of r.full.controls) tally[page.roles.includes(c.role) ? 'kept' : 'reduced']++;
    });
  }

  test(ctx, 'every static fixture was compared with the native harvest', () => {
    assert.equal(tally.native, STATIC.length, JSON.stringify(tally));
  });

  test(ctx, 'the light harvests reduced some controls and kept others in full', () => {
    assert.ok(tally.reduced > 0 && tally.kept > 0, JSON.stringify(tally));
  });

  test(ctx, 'one-pass selection, truncation and rows == the spec selectors on edge cases', async () => {
    const { driver } = ctx;
    const fx = STATIC[0];
    const u = new URL(fixtureUrl(fx));
    u.hostname = NEUTRAL_HOST;
    await open(driver, u.toString().replace(encodeURIComponent(fx.file), fx.file));
    const source = fs.readFileSync(HARVEST_JS, 'utf8');
    const r = await driver.executeScript(`${source}\n;${EDGE_CASES}`);
    assert.deepEqual(r.problems, [], JSON.stringify(r.problems, null, 1));
    assert.equal(r.controls, 2000, 'truncated at 2000');
    assert.ok(r.selected > 2100, `the selectors found the edge cases and the buttons: ${r.selected}`);
  });
});
