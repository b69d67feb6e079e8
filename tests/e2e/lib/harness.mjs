// One describe per browser (env BROWSERS, default "chromium firefox"), one fixture server and
// one browser session per describe, reused by its tests.

import { after, before, describe, it } from 'node:test';

import { launch, selectedBrowsers } from './browsers.mjs';
import { screenshot } from './page.mjs';
import { startServer } from './server.mjs';

export const TEST_TIMEOUT = 60000;

/**
 * forEachBrowser('opt-out', (ctx) => { it(...) }, { only: ['chromium'] })
 * ctx: { name, server, b, driver } (filled in by the describe's before hook).
 */
export function forEachBrowser(title, body, { only = null } = {}) {
  for (const name of selectedBrowsers()) {
    if (only && !only.includes(name)) continue;
    describe(`${title} [${name}]`, () => {
      const ctx = { name };
      before(async () => {
        ctx.server = await startServer();
        ctx.b = await launch(name, ctx.server);
        ctx.driver = ctx.b.driver;
      }, { timeout: 120000 });
      after(async () => {
        try {
          await ctx.b?.close();
        } finally {
          await ctx.server?.close();
        }
      }, { timeout: 60000 });
      body(ctx);
    });
  }
}

/** it() with a timeout and a screenshot tests/e2e/screenshots/<browser>-fail-<title>.png on failure. */
export function test(ctx, title, fn, { timeout = TEST_TIMEOUT } = {}) {
  it(title, { timeout }, async (t) => {
    try {
      await fn(t);
    } catch (e) {
      if (ctx.driver) {
        const slug = title.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
        await screenshot(ctx.driver, ctx.name, `fail-${slug}`).catch(() => {});
      }
      throw e;
    }
  });
}
