// A hostile page cannot press the banner's button: the shadow root is closed (invisible from the
// page world) and every synthetic click a page can make leaves the setting on.

import assert from 'node:assert/strict';

import { forEachBrowser, test } from './lib/harness.mjs';
import { banner, bannerStates, fixtureState, open, sleep, waitForBannerState } from './lib/page.mjs';
import { fixture, fixtureUrl } from './lib/rules.mjs';

const PLATFORMS = ['linkedin', 'x', 'chatgpt'];

// Runs in the page world (WebDriver executeScript): everything a page script could try.
const ATTACK = `
  const host = document.getElementById('untrain-banner');
  const out = { host: !!host, shadowRoot: host ? host.shadowRoot === null : null, found: [] };
  if (!host) return out;
  // 1. the root is closed: no way in through the host
  out.childCount = host.childElementCount;
  out.querySelector = host.querySelector('[data-action]') !== null;
  // 2. synthetic clicks on the host, and events that would bubble into it
  host.click();
  host.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true }));
  host.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
  host.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
  // 3. whatever sits at the banner's position (retargeted to the host at most)
  const r = host.getBoundingClientRect();
  const points = [[innerWidth - 40, innerHeight - 40], [innerWidth - 60, innerHeight - 30],
    [r.left + 10, r.top + 10], [innerWidth - 40, 40], [40, innerHeight - 40], [40, 40]];
  for (const [x, y] of points) {
    for (const el of document.elementsFromPoint(x, y)) {
      if (el === host || host.contains(el)) {
        out.found.push(el.tagName);
        el.click();
        el.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: x, clientY: y }));
      }
    }
  }
  // 4. every element the page can see that claims to be the opt-out button
  for (const el of document.querySelectorAll('[data-action="opt-out"]')) {
    out.found.push('light:' + el.tagName);
    el.click();
  }
  // 5. form submission / focus tricks
  host.focus();
  document.activeElement && document.activeElement.click && document.activeElement.click();
  return out;
`;

forEachBrowser('hostile page', (ctx) => {
  for (const platform of PLATFORMS) {
    test(ctx, `${platform}: page scripts cannot reach or press the banner button`, async () => {
      const { driver } = ctx;
      const fx = fixture(platform, 'on.en');
      await open(driver, fixtureUrl(fx));
      await waitForBannerState(driver, 'offer');
      const initial = await fixtureState(driver);
      const out = await driver.executeScript(ATTACK);
      assert.equal(out.host, true);
      assert.equal(out.shadowRoot, true, 'host.shadowRoot is null from the page world (closed root)');
      assert.equal(out.childCount, 0, 'the host has no light-DOM children');
      assert.equal(out.querySelector, false, 'no [data-action] reachable through the host');
      assert.ok(!out.found.some((f) => f.startsWith('light:')), `no opt-out button in the light DOM: ${out.found}`);
      // Give any wrongly accepted click time to run the whole opt-out.
      await sleep(1500);
      const after = await fixtureState(driver);
      assert.deepEqual(after.state, initial.state, 'the page state is unchanged');
      assert.deepEqual(after.clicks, [], 'the extension clicked nothing');
      const history = await bannerStates(driver);
      assert.ok(!history.includes('working') && !history.includes('done'), `banner never started: ${JSON.stringify(history)}`);
      // The banner still offers, and a person's (trusted) click still works afterwards.
      const bn = await banner(driver);
      assert.equal(bn.state, 'offer');
      await bn.click('opt-out');
      assert.equal(await waitForBannerState(driver, ['done', 'failed']), 'done');
    });
  }
});
