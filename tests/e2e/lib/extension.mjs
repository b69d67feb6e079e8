// Helpers for tests that talk to the extension from one of its own pages (the popup opened in a
// tab): storage, messages to the background, the badge, dark mode, screenshots of the popup.

import { By } from 'selenium-webdriver';

import { elementScreenshot, poll } from './page.mjs';

/** Runs `body` (an async function's source, given `api` and `arg`) in the current extension page. */
export async function inExtension(driver, body, arg = null) {
  const reply = await driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    const api = globalThis.browser ?? globalThis.chrome;
    const arg = arguments[0];
    (async () => { ${body} })().then((value) => done({ ok: true, value: value === undefined ? null : value }),
      (e) => done({ ok: false, error: String((e && e.message) || e) }));
  `, arg);
  if (!reply || !reply.ok) throw new Error(`in extension page: ${reply && reply.error}`);
  return reply.value;
}

/** runtime.sendMessage from the extension page; throws unless the reply is ok. */
export async function sendMessage(driver, message) {
  const reply = await inExtension(driver, 'return await api.runtime.sendMessage(arg);', message);
  if (!reply || !reply.ok) throw new Error(`message ${message.type}: ${JSON.stringify(reply)}`);
  return reply;
}

export const storageGet = (driver, area, keys) =>
  inExtension(driver, `return await api.storage[arg.area].get(arg.keys);`, { area, keys });
export const storageSet = (driver, area, items) =>
  inExtension(driver, `await api.storage[arg.area].set(arg.items);`, { area, items });

export const badgeText = (driver) => inExtension(driver, 'return await api.action.getBadgeText({});');

/** Screenshot of the popup's <main>. */
export async function popupShot(driver, browser, name) {
  const main = await driver.findElement(By.css('main'));
  return elementScreenshot(driver, main, browser, name);
}

/** Opens the popup page in a new tab (kept open); returns { popup, back } window handles. */
export async function openPopupTab(driver, b) {
  const back = await driver.getWindowHandle();
  const popup = await b.openPopup();
  await poll(() => driver.executeScript("return document.querySelectorAll('li[data-platform]').length > 0 && !!document.querySelector('#everywhere button')"), { what: 'popup rendered' });
  return { popup, back };
}

/** Closes every window but `keep` and switches to it. */
export async function closeOthers(driver, keep) {
  for (const h of await driver.getAllWindowHandles()) {
    if (h === keep) continue;
    await driver.switchTo().window(h);
    await driver.close();
  }
  await driver.switchTo().window(keep);
}

/**
 * prefers-color-scheme: dark for the current page (Chromium: DevTools emulation; Firefox: the
 * content override pref set from the chrome context, which geckodriver allows with
 * --allow-system-access). Returns false when the browser refused.
 */
export async function darkMode(driver, browser, on = true) {
  try {
    if (browser === 'chromium') {
      await driver.sendDevToolsCommand('Emulation.setEmulatedMedia', {
        features: [{ name: 'prefers-color-scheme', value: on ? 'dark' : 'light' }],
      });
    } else {
      await driver.setContext('chrome');
      try {
        await driver.executeScript(
          `if (arguments[0]) Services.prefs.setIntPref('layout.css.prefers-color-scheme.content-override', 0);
           else Services.prefs.clearUserPref('layout.css.prefers-color-scheme.content-override');`,
          on,
        );
      } finally {
        await driver.setContext('content');
      }
    }
    return await driver.executeScript("return matchMedia('(prefers-color-scheme: dark)').matches") === on;
  } catch {
    return false;
  }
}

/** Elements of the page that stick out of a `width` px wide body (layout breakage). */
export async function overflowAt(driver, width) {
  return driver.executeScript(`
    const width = arguments[0];
    document.body.style.width = width + 'px';
    document.body.style.minWidth = '0';
    const bad = [];
    for (const el of document.querySelectorAll('main *')) {
      if (el.closest('[hidden]') || el.classList.contains('visually-hidden')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.right > width + 0.5 || r.left < -0.5) bad.push(el.tagName + (el.id ? '#' + el.id : '') + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    }
    const scroll = document.documentElement.scrollWidth;
    document.body.style.width = '';
    document.body.style.minWidth = '';
    return { bad, scroll };
  `, width);
}
