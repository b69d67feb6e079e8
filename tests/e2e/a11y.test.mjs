// Accessibility (issue #13, item 4): axe-core (npm, pinned in package.json) injected into the
// popup page and the page report, in both browsers, light and dark; the run fails on any
// violation of any impact (no rule disabled). And the keyboard: Tab reaches "Opt out everywhere"
// and each row's line (its <summary>) in document order, every stop shows its focus, Enter and
// Space open and close a row, Tab then reaches the row's actions, and "Opt out everywhere" and
// "Hide" work from the keyboard.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';

import { By, Key } from 'selenium-webdriver';

import { closeOthers, darkMode, inExtension, openPopupTab, sendMessage, storageGet, storageSet } from './lib/extension.mjs';
import { forEachBrowser, test } from './lib/harness.mjs';
import { open, poll, readPopup, waitForBannerState } from './lib/page.mjs';
import { fixture, fixtureUrl } from './lib/rules.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// A LinkedIn settings page whose switch Untrain cannot read: the popup row and the report page
// then offer and show a page report (tests/e2e/report.test.mjs).
const UNREADABLE = fixtureUrl({
  url: 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement',
  file: 'report/personal-data.en.html',
});

/**
 * Runs axe on the page shown (injected through WebDriver: extension pages' CSP does not apply
 * to it); resolves with its violations, shortened for an assertion message.
 */
async function axe(driver) {
  await driver.executeScript(AXE);
  const result = await driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    window.axe.run(document, { resultTypes: ['violations'] }).then(
      (r) => done({ ok: true, rules: r.passes.length + r.violations.length + r.incomplete.length,
        violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' + n.failureSummary) })) }),
      (e) => done({ ok: false, error: String(e && e.message || e) }));
  `);
  assert.ok(result && result.ok, `axe ran: ${JSON.stringify(result)}`);
  return result;
}

async function assertNoViolations(driver, what) {
  const r = await axe(driver);
  assert.ok(r.rules > 20, `axe checked ${r.rules} rules on the ${what}`);
  assert.deepEqual(r.violations, [], `${what}: axe violations ${JSON.stringify(r.violations, null, 1)}`);
}

/** What has the keyboard focus: its data-action (and platform) or tag, and how its focus shows. */
const FOCUSED = `
  const a = document.activeElement;
  if (!a || a === document.body) return null;
  const cs = getComputedStyle(a);
  return {
    what: a.dataset.action || a.tagName.toLowerCase() + (a.id ? '#' + a.id : ''),
    platform: a.dataset.platform || null,
    focusVisible: a.matches(':focus-visible'),
    outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2 ? cs.outlineStyle + ' ' + cs.outlineWidth : null,
  };`;

/** Presses Tab until `stop(focused)`, at most `bound` times; returns the stops. */
async function tabUntil(driver, stop, bound) {
  const seen = [];
  for (let i = 0; i < bound; i++) {
    await driver.actions().sendKeys(Key.TAB).perform();
    const f = await driver.executeScript(FOCUSED);
    seen.push(f);
    if (f && stop(f)) break;
  }
  return seen;
}

/** Starts the keyboard from the top: a click on the page's heading, as a person would. */
async function fromTop(driver) {
  await driver.executeScript('document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);');
  await driver.findElement(By.css('h1')).click();
}

const rowOpen = (driver, p) =>
  driver.executeScript(
    "const d = document.querySelector('li[data-platform=\"' + arguments[0] + '\"] details.row'); return d ? d.open : null;",
    p,
  );

forEachBrowser('accessibility', (ctx) => {
  test(ctx, 'axe finds nothing on the popup, first run, light and dark', async () => {
    const { driver } = ctx;
    const { back } = await openPopupTab(driver, ctx.b);
    try {
      await assertNoViolations(driver, 'popup, first run');
      if (await darkMode(driver, ctx.name, true)) {
        await assertNoViolations(driver, 'popup, first run, dark');
      }
    } finally {
      await darkMode(driver, ctx.name, false);
      await closeOthers(driver, back);
    }
  });

  test(ctx, 'keyboard: Tab reaches "Opt out everywhere" and every row; Enter and Space open a row; its actions follow; focus is visible', async () => {
    const { driver } = ctx;
    const { back } = await openPopupTab(driver, ctx.b);
    try {
      const rows = (await readPopup(driver)).rows.map((r) => r.platform);
      const total = await driver.executeScript("return document.querySelectorAll('a[href], button, summary, textarea, input').length;");
      await fromTop(driver);
      const last = rows.at(-1);
      const seen = await tabUntil(driver, (f) => f.what === 'row-details' && f.platform === last, total + 5);
      const stops = seen.filter(Boolean);
      assert.ok(stops.some((f) => f.what === 'opt-out-everywhere'), `Tab reaches "Opt out everywhere": ${JSON.stringify(stops)}`);
      // every row's line, in the order of the list, and nothing of a folded row in between
      const lines = stops.filter((f) => f.what === 'row-details').map((f) => f.platform);
      assert.deepEqual(lines, rows, 'Tab reaches each row in order');
      for (const f of stops) {
        assert.ok(f.focusVisible && f.outline, `focus shows on ${JSON.stringify(f)}`);
      }
      assert.ok(!stops.some((f) => ['open-and-opt-out', 'hide-platform'].includes(f.what)), 'folded rows hide their actions from Tab');

      // Enter opens a row; Tab then reaches its actions; Space on its line closes it.
      const first = 'linkedin';
      await fromTop(driver);
      await tabUntil(driver, (f) => f.what === 'row-details' && f.platform === first, total + 5);
      assert.equal(await rowOpen(driver, first), false);
      await driver.actions().sendKeys(Key.ENTER).perform();
      await poll(() => rowOpen(driver, first), { what: `${first} open by Enter` });
      const inside = await tabUntil(driver, (f) => f.what === 'hide-platform', 8);
      const actions = inside.filter(Boolean).map((f) => f.what);
      assert.ok(actions.includes('a'), `Tab reaches the row's settings link: ${actions}`);
      assert.ok(actions.includes('open-and-opt-out'), `Tab reaches the row's "open and opt out": ${actions}`);
      assert.equal(actions.at(-1), 'hide-platform', `Tab reaches the row's "Hide": ${actions}`);
      for (const f of inside.filter(Boolean)) assert.ok(f.focusVisible && f.outline, `focus shows on ${JSON.stringify(f)}`);
      // back to the line, Space closes it and Space opens it again
      for (let i = 0; i < actions.length; i++) await driver.actions().keyDown(Key.SHIFT).sendKeys(Key.TAB).keyUp(Key.SHIFT).perform();
      assert.deepEqual(await driver.executeScript(FOCUSED).then((f) => [f.what, f.platform]), ['row-details', first]);
      await driver.actions().sendKeys(Key.SPACE).perform();
      await poll(async () => (await rowOpen(driver, first)) === false, { what: `${first} closed by Space` });
      await driver.actions().sendKeys(Key.SPACE).perform();
      await poll(() => rowOpen(driver, first), { what: `${first} open again by Space` });

      // "Hide" by keyboard: the row folds away and the focus stays on a line, not lost.
      await tabUntil(driver, (f) => f.what === 'hide-platform', 8);
      await driver.actions().sendKeys(Key.ENTER).perform();
      await poll(
        () => driver.executeScript("const li = document.querySelector('li[data-platform=\"' + arguments[0] + '\"]'); return li && li.closest('section').dataset.group === 'hidden';", first),
        { what: `${first} hidden` },
      );
      const after = await driver.executeScript(FOCUSED);
      assert.ok(after && after.what !== 'body', `the focus is kept after hiding: ${JSON.stringify(after)}`);
      await storageSet(driver, 'local', { hidden_platforms: [] });
    } finally {
      await closeOthers(driver, back);
    }
  });

  test(ctx, 'keyboard: "Opt out everywhere" starts from Enter', async () => {
    const { driver } = ctx;
    const { back } = await openPopupTab(driver, ctx.b);
    try {
      const old = (await storageGet(driver, 'session', 'everywhere')).everywhere?.id ?? null;
      await fromTop(driver);
      const seen = await tabUntil(driver, (f) => f.what === 'opt-out-everywhere', 20);
      assert.equal(seen.at(-1)?.what, 'opt-out-everywhere', JSON.stringify(seen));
      await driver.actions().sendKeys(Key.ENTER).perform();
      const run = await poll(async () => {
        const { everywhere } = await storageGet(driver, 'session', 'everywhere');
        return everywhere && everywhere.id !== old ? everywhere : null;
      }, { what: 'the run started by Enter' });
      assert.ok(run.queue.length > 0);
      await sendMessage(driver, { type: 'everywhere-cancel' });
    } finally {
      await closeOthers(driver, back);
    }
  });

  test(ctx, 'axe finds nothing on the popup with rows open (on, unreadable, guided, hidden), light and dark', async () => {
    const { driver } = ctx;
    const main = await driver.getWindowHandle();
    await open(driver, fixtureUrl(fixture('linkedin', 'on.en')));
    await waitForBannerState(driver, 'offer');
    await open(driver, UNREADABLE);
    await waitForBannerState(driver, 'unknown');
    await open(driver, fixtureUrl(fixture('x', 'on.en')));
    await waitForBannerState(driver, 'offer');
    await openPopupTab(driver, ctx.b);
    try {
      await storageSet(driver, 'local', { hidden_platforms: ['udemy'] });
      await poll(() => driver.executeScript("return !!document.querySelector('section[data-group=\"hidden\"]');"), { what: 'the hidden group' });
      // open a row of each kind: on (open by itself), unreadable, guided, and the hidden group
      await driver.executeScript(`
        for (const p of ['linkedin', 'slack', 'meta', 'udemy']) {
          const d = document.querySelector('li[data-platform="' + p + '"] details.row');
          if (d) d.open = true;
        }
        document.querySelector('details.hidden-platforms').open = true;`);
      await poll(() => driver.executeScript("return document.querySelectorAll('details.row[open]').length >= 4;"), { what: 'rows open' });
      await assertNoViolations(driver, 'popup, rows open');
      if (await darkMode(driver, ctx.name, true)) {
        await assertNoViolations(driver, 'popup, rows open, dark');
      }
    } finally {
      await darkMode(driver, ctx.name, false);
      await inExtension(driver, "await api.storage.local.set({ hidden_platforms: [] });").catch(() => {});
      await closeOthers(driver, main);
    }
  });

  test(ctx, 'axe finds nothing on the page report, light and dark', async () => {
    const { driver } = ctx;
    const main = await driver.getWindowHandle();
    await open(driver, UNREADABLE);
    await waitForBannerState(driver, 'unknown');
    const { popup } = await openPopupTab(driver, ctx.b);
    try {
      const url = (await driver.getCurrentUrl()).replace(/popup\/popup\.html.*$/, 'report/report.html?platform=linkedin');
      await driver.switchTo().window(popup);
      await driver.get(url);
      await poll(async () => (await driver.findElement(By.css('#json')).getAttribute('value')) || null, { what: 'the report shown' });
      await assertNoViolations(driver, 'page report');
      if (await darkMode(driver, ctx.name, true)) {
        await assertNoViolations(driver, 'page report, dark');
      }
    } finally {
      await darkMode(driver, ctx.name, false);
      await closeOthers(driver, main);
    }
  });
});
