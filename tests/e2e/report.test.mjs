// Page reports (issue #13, item 3): where Untrain cannot read a supported settings page, the
// banner offers "Save a page report"; it opens the report page, which shows the report (masked:
// nothing personal from the page) before anything is saved, and the report shown replays
// natively (`untrain scan --report`) to the answer the page gave. Where a settings page shows no
// known setting, no banner says so; the popup opened on that tab offers the report.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { By } from 'selenium-webdriver';

import { closeOthers, inExtension, openPopupTab } from './lib/extension.mjs';
import { forEachBrowser, test } from './lib/harness.mjs';
import { banner, bannerStates, fixtureState, open, openRow, poll, sleep, waitForBannerState } from './lib/page.mjs';
import { fixtureUrl } from './lib/rules.mjs';
import { REPO } from './lib/server.mjs';

const CLI = path.join(REPO, 'target/debug/untrain');

/**
 * The report page that `opener` opened, loaded in the tab the test drives (WebDriver does not
 * list tabs an extension opens at its own pages, chromedriver): the report's JSON text it shows.
 */
async function reportShown(driver, opener) {
  const reportUrl = await poll(
    async () => {
      const urls = await inExtension(driver, 'return (await api.tabs.query({})).map((t) => t.url);');
      return urls.find((u) => /\/report\/report\.html\?tab=\d+$/.test(u)) ?? null;
    },
    { what: `the report page ${opener} opened` },
  );
  await driver.get(reportUrl);
  return poll(async () => (await driver.findElement(By.css('#json')).getAttribute('value')) || null, {
    what: 'the report shown',
  });
}

/** The saved report `text` replays natively (`untrain scan --report`) to `pattern`, when the CLI is built. */
function replaysAs(text, pattern) {
  if (!fs.existsSync(CLI)) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'untrain-e2e-report-'));
  try {
    fs.writeFileSync(path.join(dir, 'r.json'), text);
    const r = spawnSync(CLI, ['scan', '--report', path.join(dir, 'r.json')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, pattern);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
const PAGE = fixtureUrl({
  url: 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement#top',
  file: 'report/personal-data.en.html',
});
// A LinkedIn settings URL whose page shows none of the known settings.
const NO_SETTING = fixtureUrl({
  url: 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement',
  file: 'report/no-setting.en.html',
});
const PERSONAL = ['Jane', 'Doe', 'Ramón', 'Núñez', 'Brien', 'example', '4711', '8675309', '555', '0137', '192.168', 'Amphitheatre', 'fx='];

forEachBrowser('page report', (ctx) => {
  test(ctx, 'an unreadable page offers a report; it is shown masked, and it replays natively', async () => {
    const { driver } = ctx;
    const main = await driver.getWindowHandle();
    await open(driver, PAGE);
    await waitForBannerState(driver, 'unknown');
    const bn = await banner(driver);
    assert.ok(bn.actions.includes('report'), `a report button (${bn.actions})`);
    assert.ok(!bn.actions.includes('opt-out'), 'no opt-out button');
    await bn.click('report');
    // The background opened the report page in a tab of its own: the test finds it through the
    // extension (reportShown).
    await ctx.b.openPopup();
    try {
      const text = await reportShown(driver, 'the banner');
      const report = JSON.parse(text);
      for (const p of PERSONAL) assert.ok(!text.includes(p), `${p} is in the report`);
      assert.equal(report.platform, 'linkedin');
      assert.equal(report.snapshot.url, 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement');
      assert.match(report.browser, ctx.name === 'firefox' ? /^Firefox \d+$/ : /^Chrome \d+$/);
      assert.match(report.extension_version, /^\d+\.\d+/);
      assert.deepEqual(report.seen.map((s) => [s.setting, s.state, s.reason]), [['linkedin.genai-data', 'unknown', 'unreadable']]);
      const summary = await driver.findElement(By.css('#summary')).getText();
      assert.match(summary, /linkedin\.genai-data: unknown \(unreadable\)/);
      assert.equal(await driver.findElement(By.css('#save')).isEnabled(), true);
      replaysAs(text, /linkedin\.genai-data: unknown \(unreadable\) \(as on the page\)/);
    } finally {
      await closeOthers(driver, main);
    }
    const s = await fixtureState(driver);
    assert.deepEqual(s.clicks, [], 'nothing clicked on the page');
  });

  test(ctx, "the popup's row of a platform Untrain could not read offers the same report", async () => {
    const { driver, b } = ctx;
    const main = await driver.getWindowHandle();
    await open(driver, PAGE);
    await waitForBannerState(driver, 'unknown');
    await openPopupTab(driver, b);
    try {
      await poll(() => driver.executeScript('return document.querySelector(\'li[data-platform="linkedin"][data-state="unknown"] [data-action="page-report"]\') !== null'), {
        what: "the LinkedIn row's page-report button",
      });
      await openRow(driver, 'linkedin');
      const button = await driver.findElement(By.css('li[data-platform="linkedin"] [data-action="page-report"]'));
      assert.equal(await button.getText(), 'Save a page report');
      // rows of platforms that were read fine offer none
      assert.deepEqual(await driver.findElements(By.css('li[data-platform="x"] [data-action="page-report"]')), []);
      await button.click();
      const reportUrl = await poll(
        async () => {
          const urls = await inExtension(driver, 'return (await api.tabs.query({})).map((t) => t.url);');
          return urls.find((u) => /\/report\/report\.html\?platform=linkedin$/.test(u)) ?? null;
        },
        { what: 'the report page the popup opened' },
      );
      await driver.get(reportUrl);
      const text = await poll(async () => (await driver.findElement(By.css('#json')).getAttribute('value')) || null, {
        what: 'the report shown',
      });
      const report = JSON.parse(text);
      assert.equal(report.platform, 'linkedin');
      for (const p of PERSONAL) assert.ok(!text.includes(p), `${p} is in the report`);
    } finally {
      await closeOthers(driver, main);
    }
  });

  test(ctx, 'a settings page with no known setting: no banner, and the popup opened on that tab offers the report', async () => {
    const { driver, b } = ctx;
    const main = await driver.getWindowHandle();
    await open(driver, NO_SETTING);
    const tab = await driver.getWindowHandle();
    await openPopupTab(driver, b);
    try {
      // The content script evaluates the page shortly after it loads: reopen the popup until the
      // background has seen it (bounded by poll's time limit).
      const notice = await poll(
        async () => {
          const shown = await driver.executeScript(
            "const n = document.getElementById('tab-page'); return n && !n.hidden ? { platform: n.dataset.platform, text: n.innerText } : null;",
          );
          if (!shown) {
            await driver.navigate().refresh();
            await sleep(300);
          }
          return shown;
        },
        { what: 'the popup notice of the tab with no known setting' },
      );
      assert.equal(notice.platform, 'linkedin');
      assert.match(notice.text, /no known setting on this LinkedIn page/, notice.text);
      const button = await driver.findElement(By.css('#tab-page [data-action="page-report"]'));
      assert.equal(await button.getText(), 'Save a page report');
      await button.click();
      const text = await reportShown(driver, 'the popup');
      const report = JSON.parse(text);
      assert.equal(report.platform, 'linkedin');
      assert.equal(report.snapshot.url, 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement');
      assert.deepEqual(report.seen.map((s) => [s.setting, s.state, s.reason]), [['linkedin.genai-data', 'unknown', 'absent']]);
      replaysAs(text, /linkedin\.genai-data: unknown \(absent\) \(as on the page\)/);
    } finally {
      await closeOthers(driver, main);
    }
    // The page itself: no banner at any time, nothing clicked.
    await driver.switchTo().window(tab);
    assert.deepEqual((await bannerStates(driver)).filter((x) => x !== null), [], 'no banner on the page');
    assert.deepEqual((await fixtureState(driver)).clicks, [], 'nothing clicked on the page');
  });
});
