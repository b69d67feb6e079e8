// The audit log: visits and an opt-out leave entries (time, platform, setting, label, before,
// after, page URL, rule version) in storage.local; the popup exports them as JSON and CSV (the
// generated files are caught in the page: URL.createObjectURL and the <a download> click are
// wrapped, nothing is downloaded) and clears them after an in-popup confirmation. The pure parts
// (bounds, CSV quoting): tests/unit/audit-format.test.mjs.

import assert from 'node:assert/strict';

import { By, Key } from 'selenium-webdriver';

import { closeOthers, openPopupTab, popupShot, sendMessage, storageGet } from './lib/extension.mjs';
import { forEachBrowser, test } from './lib/harness.mjs';
import { banner, open, poll, waitForBannerState } from './lib/page.mjs';
import { fixture, fixtureUrl, loadRules } from './lib/rules.mjs';
import { parseCsv } from '../unit/lib/csv.mjs';

/** Clicks an export button and returns { name, type, text } of the file the popup made. */
async function exportFile(driver, action) {
  await driver.executeScript(`
    window.__exports = [];
    if (!window.__exportHooked) {
      window.__exportHooked = true;
      const create = URL.createObjectURL;
      URL.createObjectURL = (blob) => { window.__lastBlob = blob; return create.call(URL, blob); };
      HTMLAnchorElement.prototype.click = function () {
        if (this.hasAttribute('download')) {
          const blob = window.__lastBlob;
          blob.text().then((text) => window.__exports.push({ name: this.download, href: this.href, type: blob.type, text }));
        }
      };
    }
  `);
  await driver.findElement(By.css(`[data-action="${action}"]`)).click();
  return poll(() => driver.executeScript('return window.__exports[0] || null'), { what: `export ${action}` });
}

forEachBrowser('audit log', (ctx) => {

  test(ctx, 'visits and an opt-out are logged; JSON and CSV exports hold them; clear asks first', async () => {
    const { driver } = ctx;
    const start = Date.now();
    // linkedin: seen on, then turned off with the banner; x: signed out; chatgpt: seen on.
    await open(driver, fixtureUrl(fixture('linkedin', 'on.en')));
    const offer = await banner(driver);
    await offer.click('opt-out');
    await waitForBannerState(driver, 'done', 20000);
    await open(driver, fixtureUrl(fixture('x', 'signedout.en')));
    await open(driver, fixtureUrl(fixture('chatgpt', 'on.en')));
    await waitForBannerState(driver, 'offer');

    const { back } = await openPopupTab(driver, ctx.b);
    const logged = await poll(async () => {
      const log = (await storageGet(driver, 'local', 'audit')).audit || [];
      const has = (p, ev) => log.some((e) => e.platform === p && e.event === ev);
      return has('linkedin', 'turned-off') && has('linkedin', 'confirmed') && has('x', 'signed-out') && has('chatgpt', 'observed') ? log : null;
    }, { what: 'the visits in the audit log' });
    const count = await driver.findElement(By.id('audit-count'));
    await poll(async () => Number(await count.getAttribute('data-count')) >= logged.length, {
      what: `audit count shown (${logged.length} entries: ${JSON.stringify(logged.map((e) => [e.platform, e.event]))})`,
    });

    const json = await exportFile(driver, 'audit-export-json');
    assert.match(json.name, /^untrain-audit-.*\.json$/);
    assert.match(json.href, /^blob:/, 'a blob URL, made in the browser');
    const doc = JSON.parse(json.text);
    assert.equal(doc.format, 'untrain-audit-1');
    const entries = doc.entries;
    const rules = Object.fromEntries(loadRules().map((r) => [r.platform, r]));
    const find = (fn, what) => {
      const e = entries.find(fn);
      assert.ok(e, `${what} in ${JSON.stringify(entries, null, 1)}`);
      return e;
    };
    const seenOn = find((e) => e.platform === 'linkedin' && e.event === 'observed' && e.after === 'on', 'linkedin observed on');
    assert.equal(seenOn.setting, 'linkedin.genai-data');
    assert.equal(seenOn.label, 'Use my data for training content creation AI models');
    // The page's origin and path: no query or fragment is stored (they can hold ids and tokens).
    const page = new URL(fixtureUrl(fixture('linkedin', 'on.en')));
    assert.equal(seenOn.url, page.origin + page.pathname, 'the page URL without query');
    assert.equal(seenOn.rule_version, rules.linkedin.version, 'the rule version of crate/rules/linkedin.toml');
    assert.ok(Number.isInteger(rules.linkedin.version) && rules.linkedin.version >= 1);
    assert.ok(seenOn.time >= start && seenOn.time <= Date.now(), 'time of the visit');
    assert.equal(seenOn.time_iso, new Date(seenOn.time).toISOString());
    const off = find((e) => e.platform === 'linkedin' && e.event === 'turned-off', 'linkedin turned off');
    assert.equal(off.before, 'on');
    assert.equal(off.after, 'off');
    assert.equal(off.outcome, 'turned-off');
    assert.equal(off.proof, 're-read', "Untrain's own re-read after the click");
    assert.ok(off.time >= seenOn.time);
    // Then the reload proved that LinkedIn kept it.
    const confirmed = find((e) => e.platform === 'linkedin' && e.event === 'confirmed', 'linkedin confirmed after reloading');
    assert.equal(confirmed.proof, 'reloaded');
    assert.equal(confirmed.after, 'off');
    assert.ok(confirmed.time >= off.time);
    find((e) => e.platform === 'x' && e.event === 'signed-out' && e.after === 'signed-out', 'x signed out');
    find((e) => e.platform === 'chatgpt' && e.event === 'observed' && e.after === 'on' && e.setting === 'chatgpt.improve-model', 'chatgpt on');

    const csv = await exportFile(driver, 'audit-export-csv');
    assert.match(csv.name, /\.csv$/);
    assert.match(csv.type, /^text\/csv/);
    const rows = parseCsv(csv.text);
    assert.deepEqual(rows[0], ['time', 'event', 'platform', 'site', 'setting', 'label', 'before', 'after', 'url', 'rule_version', 'outcome', 'message', 'proof']);
    assert.equal(rows.length - 1, entries.length, 'one CSV row per entry');
    assert.ok(rows.some((r) => r[1] === 'turned-off' && r[2] === 'linkedin' && r[6] === 'on' && r[7] === 'off'), 'turned-off row');

    // Clear: asks in the popup first; "Keep" keeps everything.
    await driver.findElement(By.css('[data-action="audit-clear"]')).click();
    const confirm = await driver.findElement(By.id('audit-confirm'));
    assert.ok(await confirm.isDisplayed(), 'a confirmation is shown');
    assert.match(await confirm.getText(), new RegExp(`${entries.length}`));
    assert.equal(await driver.executeScript('return document.activeElement.dataset.action'), 'audit-clear-cancel', 'focus on "Keep"');
    await popupShot(driver, ctx.name, 'popup-audit');
    await driver.findElement(By.css('[data-action="audit-clear-cancel"]')).click();
    assert.equal((await storageGet(driver, 'local', 'audit')).audit.length, entries.length, 'kept');
    assert.equal(await driver.executeScript('return document.activeElement.dataset.action'), 'audit-clear', 'focus back on "Clear"');
    await driver.findElement(By.css('[data-action="audit-clear"]')).click();
    await driver.findElement(By.css('[data-action="audit-clear-confirm"]')).click();
    await poll(async () => ((await storageGet(driver, 'local', 'audit')).audit || []).length === 0, { what: 'log cleared' });
    assert.equal(await count.getAttribute('data-count'), '0');
    assert.ok(!(await confirm.isDisplayed()));
    // Only from extension pages: a web page's content script cannot clear it (checked by the
    // background's sender rules, like every popup message); here the popup can.
    const reply = await sendMessage(driver, { type: 'audit-clear' });
    assert.equal(reply.ok, true);
    await closeOthers(driver, back);
  }, { timeout: 90000 });

  test(ctx, 'keyboard: Tab reaches every control of the popup; Enter and Escape work the confirmation', async () => {
    const { driver } = ctx;
    await open(driver, fixtureUrl(fixture('linkedin', 'on.en')));
    await waitForBannerState(driver, 'offer');
    const { back } = await openPopupTab(driver, ctx.b);
    await poll(async () => Number(await driver.findElement(By.id('audit-count')).getAttribute('data-count')) > 0, { what: 'an entry' });
    await driver.executeScript('document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);');
    // The controls a person can reach, from the DOM (document order = tab order: the popup sets
    // no positive tabindex): every rendered link, button, form field and summary, but what a
    // closed <details> folds away (a folded platform row shows only its line). Each gets a
    // number so the Tab walk below can say which one has the focus.
    const controls = await driver.executeScript(`
      const sel = 'a[href], button, input, select, textarea, summary, [tabindex]';
      const all = [...document.querySelectorAll(sel)];
      const folded = (el) => {
        for (let d = el.parentElement && el.parentElement.closest('details'); d; d = d.parentElement && d.parentElement.closest('details')) {
          if (!d.open && !(el.tagName === 'SUMMARY' && el.parentElement === d)) return true;
        }
        return false;
      };
      const list = all.filter((el) => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0 && !folded(el));
      list.forEach((el, i) => { el.dataset.tabIndexSeen = String(i); });
      if ([...document.querySelectorAll('[tabindex]')].some((el) => el.tabIndex > 0)) return null;
      return { total: all.length, list: list.map((el) => el.dataset.action || el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')) };
    `);
    assert.ok(controls, 'no positive tabindex (tab order is document order)');
    const clearAt = controls.list.indexOf('audit-clear');
    assert.ok(clearAt > 0, `audit-clear is a control: ${JSON.stringify(controls.list)}`);
    const seen = [];
    const reached = new Set();
    const body = await driver.findElement(By.css('body'));
    await body.sendKeys(''); // focus the document
    // However many platform rows come first: at most one Tab per focusable element of the page
    // (plus a few stops a browser may add, e.g. a scrollable container), never an open-ended loop.
    const bound = controls.total + 5;
    for (let i = 0; i < bound; i++) {
      await driver.actions().sendKeys(Key.TAB).perform();
      const [what, index] = await driver.executeScript(`
        const a = document.activeElement;
        return a ? [a.dataset.action || a.tagName.toLowerCase() + (a.id ? '#' + a.id : ''), a.dataset.tabIndexSeen ?? null] : [null, null];
      `);
      seen.push(what);
      if (index !== null) reached.add(Number(index));
      if (what === 'audit-clear') break;
    }
    assert.equal(seen.at(-1), 'audit-clear', `Tab reaches audit-clear within ${bound} presses: ${JSON.stringify(seen)}`);
    // Every control before "Clear" was passed on the way (none skipped, none unreachable).
    const missed = controls.list.slice(0, clearAt + 1).map((what, i) => [i, what]).filter(([i]) => !reached.has(i));
    assert.deepEqual(missed, [], `controls Tab skipped: ${JSON.stringify(seen)}`);
    for (const action of ['opt-out-everywhere', 'open-and-opt-out', 'audit-export-json', 'audit-export-csv', 'audit-clear']) {
      assert.ok(seen.includes(action), `Tab reaches ${action}: ${JSON.stringify(seen)}`);
    }
    assert.ok(seen.includes('a'), 'Tab reaches the settings links');
    await driver.actions().sendKeys(Key.ENTER).perform();
    const confirm = await driver.findElement(By.id('audit-confirm'));
    await poll(() => confirm.isDisplayed(), { what: 'confirmation' });
    assert.equal(await driver.executeScript('return document.activeElement.dataset.action'), 'audit-clear-cancel');
    await driver.actions().sendKeys(Key.ESCAPE).perform();
    await poll(async () => !(await confirm.isDisplayed()), { what: 'confirmation closed by Escape' });
    assert.equal(await driver.executeScript('return document.activeElement.dataset.action'), 'audit-clear');
    assert.ok(((await storageGet(driver, 'local', 'audit')).audit || []).length > 0, 'nothing cleared');
    await closeOthers(driver, back);
  });
});
