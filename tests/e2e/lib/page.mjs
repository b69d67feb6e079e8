// Page helpers for the end-to-end tests: open a fixture, read the banner through its closed
// shadow root (WebDriver "get shadow root"), click it as a person would (WebDriver element
// click is trusted), read the page's own truth (window.__fixture) and the popup.

import fs from 'node:fs';
import path from 'node:path';

import { By } from 'selenium-webdriver';

import { REPO } from './server.mjs';

export const BANNER_TIMEOUT = 10000;
export const SCREENSHOTS = path.join(REPO, 'tests/e2e/screenshots');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; throws with `what` (and the last value) on timeout. */
export async function poll(fn, { timeout = BANNER_TIMEOUT, interval = 100, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > end) {
      const detail = lastError ? ` (last error: ${lastError.message})` : ` (last value: ${JSON.stringify(last)})`;
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${detail}`);
    }
    await sleep(interval);
  }
}

// Records every state the banner host goes through, from the page world (the host element and
// its attributes are in the light DOM; only its contents are closed). window.__bannerStates.
const WATCH_BANNER = `
  if (!window.__bannerWatch) {
    const states = (window.__bannerStates = []);
    let last;
    const note = () => {
      const host = document.getElementById('untrain-banner');
      const s = host ? host.getAttribute('data-state') : null;
      if (s !== last) { states.push(s); last = s; }
    };
    note();
    window.__bannerWatch = new MutationObserver(note);
    window.__bannerWatch.observe(document.documentElement, {
      subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'],
    });
  }
`;

let sessions = 0;

/**
 * `url` with a fresh fixture session (?fxs=) when it opens a fixture page by ?fx= and names none:
 * the fixture app keeps a page's state across reloads per session (tests/fixtures/app.js), so
 * every open() starts from the page's markup, and a reload (or the same URL in another tab)
 * shows what the page kept.
 */
export function withSession(url) {
  const u = new URL(url);
  if (!u.searchParams.has('fx') || u.searchParams.has('fxs')) return url;
  const [base, hash = null] = url.split('#');
  const id = `${process.pid.toString(36)}-${Date.now().toString(36)}-${(++sessions).toString(36)}`;
  return `${base}&fxs=${id}${hash === null ? '' : `#${hash}`}`;
}

/**
 * Opens `url` and waits for the new document's fixture app (window.__fixture) to be up; starts
 * the banner log. The old document is marked first, so a driver.get() that returns before the
 * new document has replaced it is not mistaken for done. A ?fx= page opens in a fresh fixture
 * session (withSession); pass a URL that names its ?fxs= to open a kept page again.
 */
export async function open(driver, url) {
  url = withSession(url);
  // Same URL up to the #hash would be a same-document navigation (no load): leave first.
  const current = await driver.getCurrentUrl().catch(() => '');
  if (current.split('#')[0] === url.split('#')[0]) await driver.get('about:blank');
  await driver.executeScript('window.__untrainOldDocument = true;').catch(() => {});
  await driver.get(url);
  await poll(
    () => driver.executeScript(
      "return !window.__untrainOldDocument && document.readyState === 'complete' && !!window.__fixture",
    ),
    { what: `fixture app on ${url}` },
  );
  await driver.executeScript(WATCH_BANNER);
}

/** States the banner went through since open() (null = no banner). */
export async function bannerStates(driver) {
  await driver.executeScript(WATCH_BANNER);
  return driver.executeScript('return window.__bannerStates.slice()');
}

/** The banner host's data-state, or null when there is no banner. */
export async function bannerState(driver) {
  return driver.executeScript(
    "const h = document.getElementById('untrain-banner'); return h ? h.getAttribute('data-state') : null;",
  );
}

/** Waits until the banner's data-state is one of `states`; returns that state. */
export async function waitForBannerState(driver, states, timeout = BANNER_TIMEOUT) {
  const want = Array.isArray(states) ? states : [states];
  let seen = null;
  return poll(
    async () => {
      seen = await bannerState(driver);
      return want.includes(seen) ? seen : null;
    },
    { timeout, what: `banner state ${want.join('|')} (last: ${seen})` },
  ).catch(async (e) => {
    const history = await bannerStates(driver).catch(() => []);
    throw new Error(`${e.message}; banner history: ${JSON.stringify(history)}`);
  });
}

/**
 * Waits for #untrain-banner and reads it through its (closed) shadow root:
 * { state, kind, platform, setting, text, actions: ['opt-out', 'dismiss', ...], click(action) }.
 */
export async function banner(driver, timeout = BANNER_TIMEOUT) {
  const host = await poll(
    async () => {
      const found = await driver.findElements(By.css('#untrain-banner'));
      return found[0] ?? null;
    },
    { timeout, what: '#untrain-banner' },
  );
  const root = await host.getShadowRoot();
  const buttons = await root.findElements(By.css('[data-action]'));
  const actions = [];
  for (const b of buttons) {
    if (await b.isDisplayed()) actions.push(await b.getAttribute('data-action'));
  }
  const texts = [];
  for (const el of await root.findElements(By.css('p, .msg, .hint, [role=status]'))) {
    const t = (await el.getText()).trim();
    if (t && !texts.includes(t)) texts.push(t);
  }
  // What the banner is about sits on the box inside the closed root (the page sees only the
  // host's data-kind and data-state).
  const box = await root.findElement(By.css('.box'));
  return {
    state: await host.getAttribute('data-state'),
    kind: await host.getAttribute('data-kind'),
    platform: await box.getAttribute('data-platform'),
    setting: await box.getAttribute('data-setting'),
    suspect: await box.getAttribute('data-suspect'),
    reenabled: await box.getAttribute('data-reenabled'),
    unsure: await box.getAttribute('data-unsure'),
    proof: await box.getAttribute('data-proof'),
    proofNote: await box.getAttribute('data-proof-note'),
    text: texts.join('\n'),
    actions,
    host,
    root,
    /** A real (trusted) WebDriver click on the banner's [data-action=ACTION] button. */
    async click(action) {
      const el = await root.findElement(By.css(`[data-action="${action}"]`));
      await el.click();
    },
  };
}

/** The page's own truth: window.__fixture ({ state, clicks, log, destroyed }). */
export async function fixtureState(driver) {
  return driver.executeScript('return JSON.parse(JSON.stringify(window.__fixture))');
}

/**
 * Opens the popup in a new tab, waits for its rows, reads them, closes the tab and switches back.
 * Returns { rows: [{ platform, state, text }], summary: { text, on } }.
 * `until(rows)` (optional) is polled until true before returning (e.g. a row's state).
 */
export async function popup(driver, b, { until = null, timeout = BANNER_TIMEOUT, keepOpen = false } = {}) {
  const back = await driver.getWindowHandle();
  await b.openPopup();
  let result;
  try {
    result = await poll(
      async () => {
        const r = await readPopup(driver);
        if (!r.rows.length) return null;
        if (until && !until(r.rows, r)) return null;
        return r;
      },
      { timeout, what: 'popup rows' + (until ? ` matching ${until}` : '') },
    ).catch(async (e) => {
      const r = await readPopup(driver).catch(() => null);
      throw new Error(`${e.message}; popup: ${JSON.stringify(r)}`);
    });
  } finally {
    if (!keepOpen) {
      await driver.close();
      await driver.switchTo().window(back);
    }
  }
  return result;
}

/**
 * Rows of the popup page currently shown: { platform, state, proof, line, open, text }. A row is
 * one line (its <summary>: name, state, last proof) with the rest on demand: `line` is what the
 * line shows, `open` whether the row is open, `text` everything the row says once opened (text
 * nodes outside hidden elements and text areas, folded or not).
 */
export async function readPopup(driver) {
  return driver.executeScript(`
    const said = (root) => {
      const out = [];
      const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        if (n.parentElement.closest('[hidden], textarea')) continue;
        out.push(n.data);
      }
      return out.join(' ').replace(/\\s+/g, ' ').trim();
    };
    const rows = [...document.querySelectorAll('li[data-platform]')].map((li) => {
      const row = li.querySelector('details.row');
      const line = row && row.querySelector('summary');
      return {
        platform: li.getAttribute('data-platform'),
        state: li.getAttribute('data-state'),
        proof: li.getAttribute('data-proof'),
        line: line ? line.innerText.replace(/\\s+/g, ' ').trim() : null,
        open: row ? row.open : null,
        text: said(li),
      };
    });
    const s = document.getElementById('summary');
    const err = document.getElementById('error');
    return {
      rows,
      summary: s ? { text: s.textContent.trim(), on: s.getAttribute('data-on') } : null,
      error: err && !err.hidden ? err.textContent : null,
    };
  `);
}

/**
 * Opens a platform's row in the popup page shown, as a person does: a (trusted) click on its
 * line, unless it is open already. Returns the row's <li>.
 */
export async function openRow(driver, platform) {
  const isOpen = () => driver.executeScript(
    "const d = document.querySelector('li[data-platform=\"' + arguments[0] + '\"] details.row'); return !!(d && d.open);",
    platform,
  );
  if (!(await isOpen())) {
    await driver.findElement(By.css(`li[data-platform="${platform}"] details.row > summary`)).click();
    await poll(isOpen, { what: `the ${platform} row open` });
  }
  return driver.findElement(By.css(`li[data-platform="${platform}"]`));
}

/** [{platform, state, text}] from the popup (opened in a tab and closed again). */
export async function popupRows(driver, b, opts = {}) {
  return (await popup(driver, b, opts)).rows;
}

/** Saves a PNG screenshot to tests/e2e/screenshots/<browser>-<name>.png. */
export async function screenshot(driver, browser, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${browser}-${name}.png`);
  fs.writeFileSync(file, await driver.takeScreenshot(), 'base64');
  return file;
}

/** Screenshot of one element (e.g. the banner host) when the driver supports it, else the page. */
export async function elementScreenshot(driver, el, browser, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${browser}-${name}.png`);
  let data;
  try {
    data = await el.takeScreenshot(true);
  } catch {
    data = await driver.takeScreenshot();
  }
  fs.writeFileSync(file, data, 'base64');
  return file;
}

/**
 * The training setting's data-fx-key of `platform`, learnt from the pages themselves: the one key
 * that is on in on.en and off in off.en. Opens both (off.en first, so on.en stays loaded).
 * Returns { key, initial } (initial: on.en's state).
 */
export async function trainingKey(driver, platform, fixtureUrlOf) {
  await open(driver, fixtureUrlOf('off.en'));
  const off = (await fixtureState(driver)).state;
  await open(driver, fixtureUrlOf('on.en'));
  const initial = (await fixtureState(driver)).state;
  const keys = Object.keys(initial).filter((k) => initial[k] === true && off[k] === false);
  if (keys.length !== 1) {
    throw new Error(`${platform}: expected one key on in on.en and off in off.en: ${JSON.stringify({ initial, off })}`);
  }
  return { key: keys[0], initial };
}
