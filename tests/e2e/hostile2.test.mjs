// Hostile pages, part 2 (hostile.test.mjs covers the closed banner and synthetic clicks on it):
//
// - a page's own scripts cannot talk to the extension: no `chrome.runtime`/`browser` in the page
//   world (no externally_connectable), no way to load the extension's files (no
//   web_accessible_resources), and postMessage / DOM events are not an API;
// - the extension's pages cannot use content-script messages (the background checks the sender);
// - a mutation storm and an endless re-render on a settings page do not make the content script
//   spin: its evaluations stay bounded (counted by a listener in an extension page, which
//   receives every runtime message the content script sends) and the page stays responsive;
// - a page that ignores scripted clicks, or flips the setting back, ends as `failed` with a
//   reason, after exactly one click: not a loop.
//
// Fixtures: tests/fixtures/hostile/*.html (served at LinkedIn's settings URL with ?fx=) and
// tests/fixtures/hostile/hostile.js.

import assert from 'node:assert/strict';

import { forEachBrowser, test } from './lib/harness.mjs';
import { banner, bannerStates, fixtureState, open, poll, sleep, waitForBannerState } from './lib/page.mjs';
import { fixture, fixtureUrl } from './lib/rules.mjs';

const SETTINGS = fixture('linkedin', 'on.en'); // the settings URL the hostile pages are served at
const hostileUrl = (name) => fixtureUrl({ url: SETTINGS.url, file: `hostile/${name}.html` });
const KEY = 'genai'; // the LinkedIn fixtures' training switch (tests/fixtures/README.md)

// Installed in an extension page: counts the runtime messages content scripts send.
const COUNTER = `
  if (!window.__untrainCounter) {
    window.__untrainCounter = [];
    const api = globalThis.browser ?? globalThis.chrome;
    api.runtime.onMessage.addListener((m, sender) => {
      window.__untrainCounter.push({ type: m && m.type, t: Date.now(), tab: sender.tab ? sender.tab.id : null,
        url: sender.url || '' });
      // no reply: the background answers
    });
  }
  return true;
`;

/** Opens the counter page in a window of its own; returns { count(type), back() } helpers. */
async function messageCounter(ctx) {
  const { driver, b } = ctx;
  const main = await driver.getWindowHandle();
  await driver.switchTo().newWindow('window');
  const counterWindow = await driver.getWindowHandle();
  await driver.get(b.popupUrl);
  await driver.executeScript(COUNTER);
  await driver.switchTo().window(main);
  return {
    async read(since = 0) {
      const here = await driver.getWindowHandle();
      await driver.switchTo().window(counterWindow);
      const all = await driver.executeScript('return window.__untrainCounter.slice()');
      await driver.switchTo().window(here);
      return all.filter((m) => m.t >= since);
    },
    async close() {
      const here = await driver.getWindowHandle();
      await driver.switchTo().window(counterWindow);
      await driver.close();
      await driver.switchTo().window(here === counterWindow ? main : here);
    },
  };
}

const count = (msgs, type) => msgs.filter((m) => m.type === type).length;

forEachBrowser('hostile page (2)', (ctx) => {
  test(ctx, 'page scripts cannot reach the extension: no runtime API, no files, no message bus', async () => {
    const { driver, b } = ctx;
    const counter = await messageCounter(ctx);
    try {
      await open(driver, fixtureUrl(SETTINGS));
      await waitForBannerState(driver, 'offer');
      const t0 = Date.now();
      const before = await fixtureState(driver);
      const id = new URL(b.extensionBase).host;
      const out = await driver.executeAsyncScript(`
        const done = arguments[arguments.length - 1];
        const id = arguments[1];
        const out = { errors: [] };
        out.chromeRuntime = typeof chrome !== 'undefined' && !!chrome.runtime && typeof chrome.runtime.sendMessage === 'function';
        out.browserGlobal = typeof browser !== 'undefined';
        const tries = [];
        // 1. the extension API by id (works only with externally_connectable)
        if (typeof chrome !== 'undefined' && chrome.runtime && chrome.runtime.sendMessage) {
          tries.push(new Promise((resolve) => {
            try {
              chrome.runtime.sendMessage(id, { type: 'open-and-opt-out', platform: 'linkedin' }, (r) => resolve('reply:' + JSON.stringify(r)));
              setTimeout(() => resolve('no reply'), 1000);
            } catch (e) { resolve('threw:' + e.message); }
          }).then((r) => { out.sendMessage = r; }));
        } else {
          out.sendMessage = 'no api';
        }
        // 3. things a page might hope the content script listens to
        window.postMessage({ type: 'evaluate', snapshot: { url: location.href, controls: [] } }, '*');
        window.postMessage({ type: 'step', plan: { setting: 'linkedin.genai-data' } }, '*');
        document.dispatchEvent(new CustomEvent('untrain', { detail: { type: 'open-and-opt-out' } }));
        document.documentElement.setAttribute('data-untrain', 'opt-out');
        Promise.all(tries).then(() => done(out), (e) => { out.errors.push(String(e)); done(out); });
      `, b.extensionBase, id);
      assert.equal(out.chromeRuntime, false, 'no chrome.runtime.sendMessage in the page world');
      assert.equal(out.browserGlobal, false, 'no browser.* in the page world');
      assert.ok(/^(no api|threw|no reply|reply:undefined)/.test(out.sendMessage), `sendMessage from the page: ${out.sendMessage}`);
      await sleep(1500);
      const msgs = await counter.read(t0);
      assert.deepEqual(msgs.filter((m) => m.type !== 'classify'), [],
        `the page's postMessage/events caused no message to the background: ${JSON.stringify(msgs)}`);
      const after = await fixtureState(driver);
      assert.deepEqual(after.clicks, before.clicks, 'nothing clicked');
      assert.equal(after.state[KEY], true, 'the setting is still on');
      const history = await bannerStates(driver);
      assert.ok(!history.includes('working'), `no opt-out started: ${JSON.stringify(history)}`);
      const handles = await driver.getAllWindowHandles();
      assert.equal(handles.length, 2, 'no tab was opened (open-and-opt-out did not run)');

      // The extension's files are not web-accessible. Probed from a page without a CSP (the
      // fixture pages' own CSP would block the loads anyway): an image load is not subject to
      // CORS, so only the missing web_accessible_resources can stop it.
      await driver.get('data:text/html,<title>probe</title>');
      const files = await driver.executeAsyncScript(`
        const done = arguments[arguments.length - 1];
        const base = arguments[0];
        const out = {};
        const img = (p) => new Promise((resolve) => {
          const i = new Image();
          i.onload = () => resolve('loaded');
          i.onerror = () => resolve('blocked');
          i.src = base + '/' + p;
          setTimeout(() => resolve('timeout'), 3000);
        });
        const get = (p) => fetch(base + '/' + p).then((r) => 'fetched:' + r.status, () => 'blocked');
        Promise.all([
          img('icons/icon-16.png').then((r) => { out['icons/icon-16.png'] = r; }),
          get('manifest.json').then((r) => { out['manifest.json'] = r; }),
          get('pkg/untrain_bg.wasm').then((r) => { out['pkg/untrain_bg.wasm'] = r; }),
          get('rules.json').then((r) => { out['rules.json'] = r; }),
        ]).then(() => done(out));
      `, b.extensionBase);
      for (const [p, r] of Object.entries(files)) {
        assert.equal(r, 'blocked', `a web page cannot load the extension's ${p} (${r})`);
      }
    } finally {
      await counter.close();
    }
  });

  test(ctx, "extension pages cannot send content-script messages; unknown types are refused", async () => {
    const { driver, b } = ctx;
    const main = await driver.getWindowHandle();
    await driver.switchTo().newWindow('tab');
    try {
      await driver.get(b.popupUrl);
      const replies = await driver.executeAsyncScript(`
        const done = arguments[arguments.length - 1];
        const api = globalThis.browser ?? globalThis.chrome;
        const url = arguments[0];
        const send = (m) => new Promise((resolve) => {
          try {
            api.runtime.sendMessage(m).then(resolve, (e) => resolve({ threw: e.message }));
          } catch (e) { resolve({ threw: e.message }); }
        });
        Promise.all([
          send({ type: 'evaluate', snapshot: { url, controls: [] } }),
          send({ type: 'step', snapshot: { url, controls: [] }, plan: { setting: 'linkedin.genai-data' } }),
          send({ type: 'classify', url }),
          send({ type: 'set-status', status: {} }),
          send({ type: 'status', pad: 'x'.repeat(3 * 1024 * 1024) }),
          send({ type: 'status' }),
        ]).then(done);
      `, SETTINGS.url);
      assert.deepEqual(replies.slice(0, 3).map((r) => r && r.error), Array(3).fill('not allowed from this sender'));
      assert.equal(replies[3]?.error, 'unknown message type');
      assert.equal(replies[4]?.error, 'message too large');
      assert.equal(replies[5]?.ok, true, 'the popup itself still works');
    } finally {
      await driver.close();
      await driver.switchTo().window(main);
    }
  });

  test(ctx, 'mutation storm with the setting on: one evaluation, responsive page, opt-out still works', async () => {
    const { driver } = ctx;
    const counter = await messageCounter(ctx);
    try {
      const t0 = Date.now();
      await open(driver, hostileUrl('storm.en'));
      await waitForBannerState(driver, 'offer');
      await sleep(5000);
      const hx = await driver.executeScript('return window.__hostile');
      assert.ok(hx.mutations > 1000, `the storm ran (${hx.mutations} mutations)`);
      assert.ok(hx.maxLag < 2500, `the page stayed responsive (worst timer lag ${hx.maxLag} ms)`);
      const msgs = await counter.read(t0);
      assert.equal(count(msgs, 'evaluate'), 1, `one evaluation, not one per mutation: ${count(msgs, 'evaluate')}`);
      assert.ok(count(msgs, 'classify') <= 2, `classify ${count(msgs, 'classify')}`);
      // a person's click still turns it off in the storm
      await (await banner(driver)).click('opt-out');
      assert.equal(await waitForBannerState(driver, ['done', 'failed'], 20000), 'done');
      const s = await fixtureState(driver);
      assert.equal(s.state[KEY], false);
      assert.deepEqual(s.clicks, [KEY]);
      // after done the watcher (throttled) keeps looking in the storm: bounded anyway
      await sleep(3000);
      const later = await counter.read(t0);
      assert.ok(count(later, 'evaluate') <= 1 + 40, `evaluations after done: ${count(later, 'evaluate')}`);
      assert.ok(count(later, 'step') <= 40, `steps: ${count(later, 'step')}`);
    } finally {
      await counter.close();
    }
  });

  test(ctx, 'mutation storm without the setting: evaluations bounded, page responsive', async () => {
    const { driver } = ctx;
    const counter = await messageCounter(ctx);
    try {
      const t0 = Date.now();
      await open(driver, hostileUrl('storm-absent.en'));
      await sleep(8000);
      const msgs = await counter.read(t0);
      const hx = await driver.executeScript('return window.__hostile');
      assert.ok(hx.mutations > 1000, `the storm ran (${hx.mutations})`);
      assert.ok(hx.maxLag < 2500, `responsive (worst timer lag ${hx.maxLag} ms)`);
      // The watcher is throttled, not debounced: the storm cannot starve it (a debounce would
      // never see a quiet DOM and stop at the first evaluation), nor make it evaluate per
      // mutation. content.js: first look 30 ms after a mutation, then at least 60, 120, 240, 480,
      // 960, 1000, 1000... ms between starts: about 13 evaluations in 8 s (+ the first one).
      const evals = msgs.filter((m) => m.type === 'evaluate').map((m) => m.t);
      assert.ok(evals.length >= 5, `the storm did not starve the watcher: ${evals.length} evaluations`);
      assert.ok(evals.length <= 18, `evaluations bounded by the throttle: ${evals.length}`);
      const gaps = evals.slice(1).map((t, i) => t - evals[i]);
      assert.ok(gaps.slice(-3).every((g) => g >= 800), `the throttle backed off to ~1 s: gaps ${JSON.stringify(gaps)}`);
      assert.equal(await driver.executeScript("return document.getElementById('untrain-banner')"), null, 'no banner');
    } finally {
      await counter.close();
    }
  });

  test(ctx, 'endless re-render without the setting: the watcher stops (count and time bounded)', async () => {
    const { driver } = ctx;
    const counter = await messageCounter(ctx);
    try {
      const t0 = Date.now();
      await open(driver, hostileUrl('rerender.en'));
      // content.js: WATCH_MAX_EVALUATIONS 40, WATCH_MAX_MS 20000, throttle backing off to 1 s
      await sleep(22000);
      const first = await counter.read(t0);
      await sleep(3000);
      const second = await counter.read(t0);
      const hx = await driver.executeScript('return window.__hostile');
      assert.ok(hx.rerenders > 50, `the page kept re-rendering (${hx.rerenders})`);
      const n = count(first, 'evaluate');
      assert.ok(n >= 2, `the watcher did re-evaluate on quiet moments (${n})`);
      assert.ok(n <= 41, `at most 1 + 40 evaluations, got ${n}`);
      assert.equal(count(second, 'evaluate'), n, 'no evaluation after the watcher gave up');
      assert.ok(hx.maxLag < 2500, `responsive (worst timer lag ${hx.maxLag} ms)`);
    } finally {
      await counter.close();
    }
  }, { timeout: 90000 });

  test(ctx, 'a page that ignores scripted clicks: failed with a reason, one click, not a loop', async () => {
    const { driver } = ctx;
    await open(driver, hostileUrl('untrusted.en'));
    await waitForBannerState(driver, 'offer');
    await (await banner(driver)).click('opt-out');
    const end = await waitForBannerState(driver, ['done', 'failed'], 20000);
    await sleep(1500);
    const history = await bannerStates(driver);
    assert.equal(end, 'failed', `history ${JSON.stringify(history)}`);
    assert.ok(!history.includes('done'), `never done: ${JSON.stringify(history)}`);
    const bn = await banner(driver);
    assert.match(bn.text, /did not accept/i, `the banner gives the reason: ${JSON.stringify(bn.text)}`);
    const hx = await driver.executeScript('return window.__hostile');
    assert.equal(hx.untrusted, 1, `exactly one scripted click, not a loop (${hx.untrusted})`);
    const s = await fixtureState(driver);
    assert.equal(s.state[KEY], true, 'the page still has it on (and says so)');
    assert.equal(s.destroyed, false);
  });

  test(ctx, 'a page that flips the setting back: failed with a reason, one click, not a loop', async () => {
    const { driver } = ctx;
    await open(driver, fixtureUrl(fixture('linkedin', 'revert.en')));
    await waitForBannerState(driver, 'offer');
    await (await banner(driver)).click('opt-out');
    const end = await waitForBannerState(driver, ['done', 'failed'], 20000);
    await sleep(1500);
    assert.equal(end, 'failed');
    const bn = await banner(driver);
    assert.match(bn.text, /back on/i, `the banner gives the reason: ${JSON.stringify(bn.text)}`);
    const s = await fixtureState(driver);
    assert.deepEqual(s.clicks, [KEY], 'exactly one click on the switch');
    assert.ok(s.log.some((l) => l.startsWith('reverted:')));
    await poll(async () => (await fixtureState(driver)).state[KEY] === true, { what: 'the page has it on again' });
  });
});
