// The extension sends nothing anywhere: during visits, opt-outs and the popup, the fixture
// server and the proxy see only the pages' own requests (document, /__fixture/app.js, fixture
// files) and the browser's own background traffic, never a request from the extension.

import assert from 'node:assert/strict';

import { forEachBrowser, test } from './lib/harness.mjs';
import { banner, open, popup, waitForBannerState } from './lib/page.mjs';
import { fixture, fixtureUrl, loadRules } from './lib/rules.mjs';

const PLATFORMS = ['linkedin', 'x', 'chatgpt'];

// The browsers' own services (updates, safe browsing, remote settings, sign-in, the default
// search engine's start page). Requests to them are tolerated only without an extension origin.
const BROWSER_HOSTS = [
  'google.com', 'googleapis.com', 'gstatic.com', 'gvt1.com', 'googleusercontent.com',
  'duckduckgo.com', 'mozilla.com', 'mozilla.net', 'mozilla.org', 'firefox.com', 'mozaws.net',
];
const isBrowserHost = (h) => BROWSER_HOSTS.some((d) => h === d || h.endsWith(`.${d}`));
const fromExtension = (r) =>
  ['origin', 'referer'].some((k) => /^(chrome|moz)-extension:/.test(r.headers?.[k] ?? ''));

forEachBrowser('network', (ctx) => {
  test(ctx, 'visits, opt-outs and the popup cause no request by the extension', async (t) => {
    const { driver, server, b } = ctx;
    const pages = []; // { host, path } of the documents the test itself opened
    for (const p of PLATFORMS) {
      for (const variant of ['on.en', 'off.en', 'unreadable.en']) {
        const fx = fixture(p, variant);
        const u = new URL(fixtureUrl(fx));
        pages.push({ host: u.hostname, path: u.pathname });
        await open(driver, u.toString());
        const state = await waitForBannerState(driver, ['offer', 'already-off', 'unknown']);
        if (variant === 'on.en') {
          assert.equal(state, 'offer');
          await (await banner(driver)).click('opt-out');
          await waitForBannerState(driver, ['done', 'failed']);
        }
      }
    }
    const shown = await popup(driver, b, { keepOpen: true });
    assert.ok(shown.rows.length >= PLATFORMS.length);
    // Everything the popup page loaded came from the extension itself.
    const resources = await driver.executeScript(
      "return performance.getEntriesByType('resource').map((e) => e.name)",
    );
    const foreign = resources.filter((n) => !n.startsWith(b.extensionBase));
    assert.deepEqual(foreign, [], `popup loaded only its own files: ${JSON.stringify(resources)}`);
    await driver.close();
    await driver.switchTo().window((await driver.getAllWindowHandles())[0]);

    const hosts = new Set(loadRules().flatMap((r) => r.hosts));
    // everything since the browser started (this file has its own server and session)
    const seen = server.requests.slice();
    const bad = [];
    const tolerated = [];
    for (const r of seen) {
      if (fromExtension(r)) {
        bad.push(r);
        continue;
      }
      if (r.via === 'connect') {
        if (!hosts.has(r.host) && !isBrowserHost(r.host)) bad.push(r);
        else if (isBrowserHost(r.host)) tolerated.push(r);
        continue;
      }
      if (hosts.has(r.host)) {
        const ok =
          r.method === 'GET' &&
          (r.path === '/__fixture/app.js' ||
            r.path.startsWith('/__fixture/file/') ||
            pages.some((p) => p.host === r.host && p.path === r.path && r.query.includes('fx=')));
        if (!ok) bad.push(r);
        continue;
      }
      if (isBrowserHost(r.host)) tolerated.push(r);
      else bad.push(r);
    }
    if (tolerated.length) {
      const byHost = [...new Set(tolerated.map((r) => r.host))].join(', ');
      t.diagnostic(`${ctx.name}: browser background traffic tolerated (${tolerated.length}): ${byHost}`);
    }
    const show = (r) => `${r.via} ${r.method} ${r.host}${r.path ?? ''}${r.query ?? ''} origin=${r.headers?.origin} referer=${r.headers?.referer}`;
    assert.deepEqual(bad.map(show), [], 'requests not made by the pages themselves');
    // The pages' own requests are all there (the test would be blind otherwise).
    for (const p of pages) {
      assert.ok(seen.some((r) => r.host === p.host && r.path === p.path), `saw the page ${p.host}${p.path}`);
    }
    assert.ok(seen.some((r) => r.path === '/__fixture/app.js'), 'saw app.js');
  });
});
