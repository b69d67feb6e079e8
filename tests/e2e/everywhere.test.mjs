// "Opt out everywhere": the background runs every automatic platform in turn in background tabs,
// with progress, a per-platform time limit, cancel and a summary. Each platform's settings URL is
// served (server.route) by a chosen fixture, so one run covers: turned off, signed out, failed
// (the page reverts), already off, unreadable, timed out, cancelled.

import assert from 'node:assert/strict';

import { By } from 'selenium-webdriver';

import {
  closeOthers,
  darkMode,
  openPopupTab,
  overflowAt,
  popupShot,
  storageGet,
  storageSet,
} from './lib/extension.mjs';
import { forEachBrowser, test } from './lib/harness.mjs';
import { fixtureState, open, poll, readPopup, trainingKey } from './lib/page.mjs';
import { fixture, fixtureUrl, loadRules } from './lib/rules.mjs';

const PLATFORMS = ['linkedin', 'x', 'chatgpt'];

function settingOf(p) {
  return loadRules().find((r) => r.platform === p).settings.find((s) => s.automation === 'automatic');
}

/** Serves each platform's settings URL with the given fixture variant. */
function routeAll(server, variants) {
  server.clearRoutes();
  for (const [p, variant] of Object.entries(variants)) {
    const target = new URL(settingOf(p).settings_url);
    server.route(target.hostname, target.pathname, fixture(p, variant).file);
  }
}

async function runState(driver) {
  return driver.executeScript(`
    const s = document.getElementById('everywhere');
    const results = [...document.querySelectorAll('#everywhere-summary ul.results > li')].map((li) => ({
      platform: li.dataset.resultPlatform, outcome: li.dataset.outcome, reason: li.dataset.reason,
      text: li.textContent.replace(/\\s+/g, ' ').trim(),
    }));
    const now = document.getElementById('everywhere-now');
    const cancel = document.getElementById('everywhere-cancel');
    return { run: s.dataset.run, id: s.dataset.runId, results, now: now.textContent, cancelVisible: !cancel.hidden,
      summaryTitle: (document.querySelector('#everywhere-summary h2') || {}).textContent || null };
  `);
}

/** Waits for the popup to show a run in one of `states` (and not the run `notId`, an older one). */
async function waitRun(driver, states, { timeout = 60000, notId = null } = {}) {
  return poll(async () => {
    const r = await runState(driver);
    return states.includes(r.run) && r.id && r.id !== notId ? r : null;
  }, { timeout, interval: 200, what: `run ${states.join('|')}` }).catch(async (e) => {
    throw new Error(`${e.message}: ${JSON.stringify(await runState(driver).catch(() => null))}`);
  });
}

const byPlatform = (results) => Object.fromEntries(results.map((r) => [r.platform, r]));

forEachBrowser('opt out everywhere', (ctx) => {
  const keys = {};

  test(ctx, 'learn the training keys of the fixtures', async () => {
    for (const p of PLATFORMS) {
      keys[p] = await trainingKey(ctx.driver, p, (v) => fixtureUrl(fixture(p, v)));
    }
    await ctx.driver.get('about:blank');
  });

  test(ctx, 'turned off, signed out and failed (the page reverts), with progress and a summary', async () => {
    const { driver, server } = ctx;
    routeAll(server, { linkedin: 'on.en', x: 'signedout.en', chatgpt: 'revert.en' });
    const { popup, back } = await openPopupTab(driver, ctx.b);
    // Leave the tabs open so the pages' own state can be read afterwards (a debugging option).
    await storageSet(driver, 'local', { everywhere_keep_tabs: true, everywhere_limit_ms: 20000 });
    const start = Date.now();
    const old = (await storageGet(driver, 'session', 'everywhere')).everywhere?.id ?? null;
    await driver.findElement(By.css('[data-action="opt-out-everywhere"]')).click();

    const during = await waitRun(driver, ['running', 'finished'], { notId: old });
    if (during.run === 'running') {
      assert.ok(during.cancelVisible, 'a cancel button while running');
      assert.match(during.now, /\((1|2|3) of 3\)/, `progress text: ${during.now}`);
      await popupShot(driver, ctx.name, 'popup-everywhere-running');
    }
    const done = await waitRun(driver, ['finished'], { notId: old });
    const elapsed = Date.now() - start;
    await popupShot(driver, ctx.name, 'popup-everywhere-done');

    const r = byPlatform(done.results);
    assert.deepEqual(Object.keys(r).sort(), [...PLATFORMS].sort(), JSON.stringify(done.results));
    assert.equal(r.linkedin.outcome, 'turned-off', JSON.stringify(r.linkedin));
    assert.equal(r.x.outcome, 'signed-out', JSON.stringify(r.x));
    assert.equal(r.chatgpt.outcome, 'failed', JSON.stringify(r.chatgpt));
    assert.equal(r.chatgpt.reason, 'reverted', JSON.stringify(r.chatgpt));
    assert.match(r.x.text, /signed out/i);
    assert.match(done.summaryTitle, /finished/i);
    assert.ok(!done.cancelVisible, 'no cancel button after the run');
    assert.ok(elapsed < 60000, `the run took ${elapsed} ms`);

    // The popup's rows follow.
    const rows = Object.fromEntries((await readPopup(driver)).rows.map((x) => [x.platform, x.state]));
    assert.equal(rows.linkedin, 'off');
    assert.equal(rows.x, 'signed-out');

    // The pages' own truth, in the tabs the run opened (kept open by the option above).
    const handles = (await driver.getAllWindowHandles()).filter((h) => h !== popup && h !== back);
    const pages = {};
    for (const h of handles) {
      await driver.switchTo().window(h);
      const url = await driver.getCurrentUrl();
      const p = PLATFORMS.find((x) => url === settingOf(x).settings_url);
      if (p) pages[p] = await fixtureState(driver);
    }
    assert.deepEqual(Object.keys(pages).sort(), [...PLATFORMS].sort(), 'one background tab per platform at its settings URL');
    assert.deepEqual(pages.linkedin.clicks, [keys.linkedin.key], 'linkedin: one click, on the training control');
    assert.equal(pages.linkedin.state[keys.linkedin.key], false, 'linkedin: the page has it off');
    assert.deepEqual(pages.x.clicks, [], 'x (signed out): nothing clicked');
    assert.ok(pages.chatgpt.log.some((l) => l.startsWith('reverted:')), 'chatgpt: the page did turn it back on');
    for (const p of PLATFORMS) assert.equal(pages[p].destroyed, false, `${p}: nothing destructive`);
    const served = server.since(start).filter((x) => x.query === '' && x.status === 200 && x.path !== '/__fixture/app.js');
    for (const p of PLATFORMS) {
      const u = new URL(settingOf(p).settings_url);
      assert.ok(served.some((x) => x.host === u.hostname && x.path === u.pathname), `${p}: its settings URL was opened`);
    }

    await driver.switchTo().window(popup);
    await storageSet(driver, 'local', { everywhere_keep_tabs: false });
    // Keyboard and narrow-width checks on the summary view.
    const overflow = await overflowAt(driver, 320);
    assert.deepEqual(overflow.bad, [], 'nothing sticks out at 320 px');
    if (await darkMode(driver, ctx.name, true)) {
      await popupShot(driver, ctx.name, 'popup-everywhere-dark');
      await darkMode(driver, ctx.name, false);
    }
    await closeOthers(driver, back);
  }, { timeout: 120000 });

  test(ctx, 'already off, unreadable and timed out; the tabs are closed', async () => {
    const { driver, server } = ctx;
    // chatgpt: the app shell without the settings dialog: the setting never shows up.
    routeAll(server, { linkedin: 'off.en', x: 'unreadable.en', chatgpt: 'nav.en' });
    const { popup, back } = await openPopupTab(driver, ctx.b);
    await storageSet(driver, 'local', { everywhere_limit_ms: 4000 });
    const before = new Set(await driver.getAllWindowHandles());
    const old = (await storageGet(driver, 'session', 'everywhere')).everywhere?.id ?? null;
    await driver.findElement(By.css('[data-action="opt-out-everywhere"]')).click();
    const done = await waitRun(driver, ['finished'], { notId: old });
    const r = byPlatform(done.results);
    assert.equal(r.linkedin.outcome, 'already-off', JSON.stringify(r.linkedin));
    assert.equal(r.x.outcome, 'failed', JSON.stringify(r.x));
    assert.equal(r.x.reason, 'unreadable', JSON.stringify(r.x));
    assert.equal(r.chatgpt.outcome, 'timed-out', JSON.stringify(r.chatgpt));
    assert.match(r.chatgpt.text, /4 s/);
    const after = await poll(async () => {
      const now = await driver.getAllWindowHandles();
      return now.length === before.size ? now : null;
    }, { what: 'every tab of the run closed' });
    assert.deepEqual(new Set(after), before);
    // The time-out is in the audit log too.
    const { audit = [] } = await storageGet(driver, 'local', 'audit');
    assert.ok(audit.some((e) => e.platform === 'chatgpt' && e.outcome === 'timed-out'), 'timed-out in the audit log');
    await driver.switchTo().window(popup);
    await closeOthers(driver, back);
  }, { timeout: 120000 });

  test(ctx, 'cancel stops the run, closes its tab and says so; reopening the popup shows the run', async () => {
    const { driver, server } = ctx;
    routeAll(server, { linkedin: 'on.en', x: 'on.en', chatgpt: 'nav.en' });
    const { popup, back } = await openPopupTab(driver, ctx.b);
    await storageSet(driver, 'local', { everywhere_limit_ms: 60000 });
    const before = new Set(await driver.getAllWindowHandles());
    const old = (await storageGet(driver, 'session', 'everywhere')).everywhere?.id ?? null;
    await driver.findElement(By.css('[data-action="opt-out-everywhere"]')).click();
    await poll(async () => {
      const r = await runState(driver);
      return r.run === 'running' && /ChatGPT/.test(r.now);
    }, { what: 'running on ChatGPT' });
    // The popup closes and opens again (as a person would): the progress is still there.
    await driver.close();
    await driver.switchTo().window(back);
    const again = await openPopupTab(driver, ctx.b);
    const state = await waitRun(driver, ['running'], { notId: old });
    assert.match(state.now, /ChatGPT/);
    const cancel = await driver.findElement(By.css('[data-action="cancel-everywhere"]'));
    await cancel.click();
    const done = await waitRun(driver, ['cancelled'], { notId: old });
    assert.match(done.summaryTitle, /cancelled/i);
    assert.deepEqual(done.results.map((x) => x.outcome), ['cancelled', 'cancelled', 'cancelled']);
    const focused = await driver.executeScript('return document.activeElement && document.activeElement.id');
    assert.equal(focused, 'everywhere-summary', 'focus moves to the summary after cancel');
    await poll(async () => (await driver.getAllWindowHandles()).length === before.size,
      { what: 'the run tab closed' });
    const { everywhere } = await storageGet(driver, 'session', 'everywhere');
    assert.equal(everywhere.status, 'cancelled');
    void popup;
    await closeOthers(driver, again.back);
  }, { timeout: 120000 });
});
