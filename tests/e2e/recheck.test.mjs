// Re-checks: the weekly alarm, the reminder's decision with a controlled clock (the background's
// `recheck-now` message runs the alarm's logic at a given time), the popup notice and the badge,
// "check these now", rules that changed since a check, and a setting that was off seen on again
// (banner and popup: "was off on <date>, now on"). (shared/recheck.js's pure functions: tests/unit/recheck.test.mjs.)

import assert from 'node:assert/strict';

import { By } from 'selenium-webdriver';

import {
  badgeText,
  closeOthers,
  openPopupTab,
  popupShot,
  sendMessage,
  storageGet,
  storageSet,
} from './lib/extension.mjs';
import { forEachBrowser, test } from './lib/harness.mjs';
import { banner, elementScreenshot, open, poll, readPopup, waitForBannerState } from './lib/page.mjs';
import { fixture, fixtureUrl, loadRules } from './lib/rules.mjs';

const DAY = 24 * 60 * 60 * 1000;

function settingOf(p) {
  return loadRules().find((r) => r.platform === p).settings.find((s) => s.automation === 'automatic');
}

async function notice(driver) {
  return driver.executeScript(`
    const s = document.getElementById('recheck');
    return { hidden: s.hidden, items: [...s.querySelectorAll('li')].map((li) => ({
      platform: li.dataset.duePlatform, reason: li.dataset.reason, text: li.textContent })) };
  `);
}

forEachBrowser('re-checks', (ctx) => {
  test(ctx, 'the weekly alarm is set at install', async () => {
    const { driver } = ctx;
    const { back } = await openPopupTab(driver, ctx.b);
    const alarm = await poll(() => driver.executeAsyncScript(`
      const done = arguments[arguments.length - 1];
      const api = globalThis.browser ?? globalThis.chrome;
      Promise.resolve(api.alarms.get('untrain-recheck')).then((a) => done(a || null), () => done(null));
    `), { what: 'alarm untrain-recheck' });
    assert.equal(alarm.periodInMinutes, 7 * 24 * 60);
    await closeOthers(driver, back);
  });

  test(ctx, 'reminder with a controlled clock: notice, badge, "check these now" clears it', async () => {
    const { driver, server } = ctx;
    for (const p of ['linkedin', 'x']) {
      await open(driver, fixtureUrl(fixture(p, 'off.en')));
      await waitForBannerState(driver, 'already-off');
    }
    const { back } = await openPopupTab(driver, ctx.b);
    const now = Date.now();
    let reply = await sendMessage(driver, { type: 'recheck-now', now: now + 3 * DAY });
    assert.deepEqual(reply.reminder.due, [], 'nothing due after 3 days');
    assert.equal((await notice(driver)).hidden, true);
    assert.equal(await badgeText(driver), '');

    reply = await sendMessage(driver, { type: 'recheck-now', now: now + 8 * DAY });
    assert.deepEqual(reply.reminder.due.map((d) => [d.platform, d.reason, d.days]).sort(), [['linkedin', 'old', 8], ['x', 'old', 8]]);
    const shown = await poll(async () => {
      const n = await notice(driver);
      return !n.hidden && n.items.length === 2 ? n : null;
    }, { what: 're-check notice' });
    assert.match(shown.items.find((i) => i.platform === 'linkedin').text, /LinkedIn: not checked for 8 days/);
    assert.equal(await badgeText(driver), '!', 'the badge reminds');
    await popupShot(driver, ctx.name, 'popup-recheck');

    // "Check these now" runs opt out everywhere over the due platforms only.
    server.clearRoutes();
    for (const p of ['linkedin', 'x']) {
      const u = new URL(settingOf(p).settings_url);
      server.route(u.hostname, u.pathname, fixture(p, 'off.en').file);
    }
    await driver.findElement(By.css('[data-action="recheck-run"]')).click();
    await poll(async () => (await notice(driver)).hidden, { timeout: 40000, what: 'notice gone after the re-check' });
    const { everywhere } = await storageGet(driver, 'session', 'everywhere');
    assert.deepEqual(everywhere.queue.map((q) => q.platform).sort(), ['linkedin', 'x'], 'only the due platforms');
    await poll(async () => (await storageGet(driver, 'session', 'everywhere')).everywhere.status === 'finished', { timeout: 40000, what: 'run finished' });
    assert.equal(await badgeText(driver), '');
    await closeOthers(driver, back);
    server.clearRoutes();
  }, { timeout: 90000 });

  test(ctx, 'rules changed since the last check: due at once; "Later" dismisses', async () => {
    const { driver } = ctx;
    const { back } = await openPopupTab(driver, ctx.b);
    const { status } = await storageGet(driver, 'local', 'status');
    status.linkedin.rule_version = 0; // checked with an older rule
    await storageSet(driver, 'local', { status });
    const reply = await sendMessage(driver, { type: 'recheck-now', now: Date.now() });
    assert.deepEqual(reply.reminder.due.map((d) => [d.platform, d.reason]), [['linkedin', 'rules-changed']]);
    const n = await poll(async () => {
      const x = await notice(driver);
      return !x.hidden && x.items.length === 1 ? x : null;
    }, { what: 'notice' });
    assert.match(n.items[0].text, /rules changed/);
    await driver.findElement(By.css('[data-action="recheck-dismiss"]')).click();
    await poll(async () => (await notice(driver)).hidden, { what: 'notice dismissed' });
    assert.equal((await storageGet(driver, 'local', 'recheck')).recheck ?? null, null);
    await closeOthers(driver, back);
  });

  test(ctx, 'a setting that was off is on again: banner and popup say "was off on <date>, now on"', async () => {
    const { driver } = ctx;
    await open(driver, fixtureUrl(fixture('linkedin', 'off.en')));
    await waitForBannerState(driver, 'already-off');
    // That check was on 3 May (controlled clock: the stored time is moved back).
    const { back } = await openPopupTab(driver, ctx.b);
    const may3 = new Date(2026, 4, 3, 12).getTime();
    const { status } = await storageGet(driver, 'local', 'status');
    assert.equal(status.linkedin.state, 'off');
    status.linkedin.checked_at = may3;
    await storageSet(driver, 'local', { status });
    await closeOthers(driver, back);

    await open(driver, fixtureUrl(fixture('linkedin', 'on.en')));
    await waitForBannerState(driver, 'offer');
    const b = await banner(driver);
    assert.equal(b.reenabled, 'true');
    assert.match(b.text, /was off on (May 3|3 May), now it is on/);
    assert.match(b.text, /Use my data for training content creation AI models/);
    assert.ok(b.actions.includes('opt-out'), 'the banner still offers to turn it off');
    await elementScreenshot(driver, b.host, ctx.name, 'banner-reenabled');

    const again = await openPopupTab(driver, ctx.b);
    const row = await poll(async () => (await readPopup(driver)).rows.find((r) => r.platform === 'linkedin' && r.state === 'on'), { what: 'linkedin on' });
    assert.match(row.text, /Was off on (May 3|3 May), now on/);
    assert.equal(await driver.executeScript(
      "return document.querySelector('li[data-platform=\"linkedin\"]').dataset.reenabled"), 'true');
    const first = (await readPopup(driver)).rows[0];
    assert.equal(first.state, 'on', 'platforms with training on come first');
    const { audit } = await storageGet(driver, 'local', 'audit');
    const e = audit.findLast((x) => x.platform === 'linkedin' && x.event === 're-enabled');
    assert.ok(e, 're-enabled in the audit log');
    assert.equal(e.before, 'off');
    assert.equal(e.after, 'on');
    await popupShot(driver, ctx.name, 'popup-reenabled');
    await closeOthers(driver, again.back);
  });
});
