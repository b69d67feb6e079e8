// Launches headless Chromium or Firefox ESR with the built extension (dist/) loaded and every
// hostname pointed at the fixture server (see server.mjs).
//
//   const b = await launch('chromium', server);
//   b.driver, b.name, b.extensionBase ('chrome-extension://ID' | 'moz-extension://UUID'),
//   await b.openPopup(), await b.close()

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Builder } from 'selenium-webdriver';
import chrome from 'selenium-webdriver/chrome.js';
import firefox from 'selenium-webdriver/firefox.js';

import { REPO } from './server.mjs';

// selenium-manager must never try to download drivers or browsers.
process.env.SE_OFFLINE ??= 'true';

// UNTRAIN_DIST points the suite at another build (default: the repo's dist/).
const DIST = path.resolve(process.env.UNTRAIN_DIST || path.join(REPO, 'dist'));
export const CHROME_DIR = path.join(DIST, 'chrome');
export const FIREFOX_ZIP = path.join(DIST, 'untrain-firefox.zip');
export const FIREFOX_UUID = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

const WIDTH = 1280;
const HEIGHT = 900;

/** Browsers selected by env BROWSERS ("chromium firefox" by default). */
export function selectedBrowsers() {
  const list = (process.env.BROWSERS || 'chromium firefox').split(/[\s,]+/).filter(Boolean);
  for (const b of list) {
    if (b !== 'chromium' && b !== 'firefox') throw new Error(`BROWSERS: unknown browser ${b}`);
  }
  return list;
}

function which(names) {
  for (const n of names) {
    for (const dir of (process.env.PATH || '').split(':').concat(['/usr/bin', `${os.homedir()}/.cargo/bin`])) {
      const p = path.join(dir, n);
      try {
        fs.accessSync(p, fs.constants.X_OK);
        return p;
      } catch {
        /* next */
      }
    }
  }
  return null;
}

/** Id Chromium gives an unpacked extension: sha256 of its absolute path, hex 0-f mapped to a-p. */
export function unpackedExtensionId(dir) {
  const hex = crypto.createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

async function poll(fn, timeout, what, interval = 100) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

function geckoId() {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'manifest.json'), 'utf8'));
  const id = manifest.browser_specific_settings?.gecko?.id;
  if (!id) throw new Error('manifest.json has no browser_specific_settings.gecko.id');
  return id;
}

async function launchChromium(server) {
  if (!fs.existsSync(path.join(CHROME_DIR, 'manifest.json'))) {
    throw new Error(`${CHROME_DIR} is missing: run ./build.sh first`);
  }
  const binary = which(['chromium']) ?? '/usr/bin/chromium';
  const driverPath = which(['chromedriver']) ?? '/usr/bin/chromedriver';
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'untrain-chromium-'));
  const options = new chrome.Options();
  options.setChromeBinaryPath(binary);
  options.addArguments(
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-quic',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-features=DisableLoadExtensionCommandLineSwitch,Translate,OptimizationHints,MediaRouter',
    `--disable-extensions-except=${CHROME_DIR}`,
    `--load-extension=${CHROME_DIR}`,
    `--host-resolver-rules=MAP * 127.0.0.1:${server.port}, EXCLUDE localhost`,
    '--ignore-certificate-errors',
    `--user-data-dir=${profile}`,
    `--window-size=${WIDTH},${HEIGHT}`,
    '--lang=en-US',
  );
  options.setAcceptInsecureCerts(true);
  // Selenium's default adds --enable-automation and disables extensions; keep extensions on.
  options.excludeSwitches('disable-extensions');
  const service = new chrome.ServiceBuilder(driverPath);
  const driver = await new Builder().forBrowser('chrome').setChromeOptions(options)
    .setChromeService(service).build();

  const expectedId = unpackedExtensionId(CHROME_DIR);
  // The extension is loaded when its service worker target exists; its URL host is the id.
  const id = await poll(async () => {
    const { targetInfos } = await driver.sendAndGetDevToolsCommand('Target.getTargets', {});
    const sw = targetInfos.find(
      (t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'),
    );
    return sw ? new URL(sw.url).host : null;
  }, 15000, 'the extension service worker (did --load-extension work?)');
  if (id !== expectedId) {
    // Not fatal: the worker tells the truth; the computed id is only a cross-check.
    console.error(`# note: extension id ${id} differs from the path-derived ${expectedId}`);
  }
  const extensionBase = `chrome-extension://${id}`;
  return {
    driver,
    name: 'chromium',
    extensionBase,
    popupUrl: `${extensionBase}/${popupPath()}`,
    async close() {
      try {
        await driver.quit();
      } finally {
        fs.rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}

async function launchFirefox(server, extraPrefs = {}) {
  if (!fs.existsSync(FIREFOX_ZIP)) throw new Error(`${FIREFOX_ZIP} is missing: run ./build.sh first`);
  const binary = which(['firefox-esr', 'firefox']) ?? '/usr/bin/firefox-esr';
  const driverPath = which(['geckodriver']);
  if (!driverPath) throw new Error('geckodriver not found (./build.sh test installs it)');
  const gecko = geckoId();
  const options = new firefox.Options();
  options.setBinary(binary);
  options.addArguments('-headless', `--width=${WIDTH}`, `--height=${HEIGHT}`);
  options.setAcceptInsecureCerts(true);
  const prefs = {
    // every connection goes through our proxy, which sends CONNECT host:443 to the fixture server
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': server.proxyPort,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': server.proxyPort,
    'network.proxy.share_proxy_settings': false,
    'network.proxy.allow_hijacking_localhost': true,
    'network.proxy.no_proxies_on': '',
    'network.proxy.socks_remote_dns': false,
    'network.dns.disablePrefetch': true,
    'network.prefetch-next': false,
    'network.http.speculative-parallel-limit': 0,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'network.trr.mode': 5,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'browser.safebrowsing.downloads.enabled': false,
    'browser.safebrowsing.downloads.remote.enabled': false,
    'browser.safebrowsing.blockedURIs.enabled': false,
    'browser.safebrowsing.provider.google4.updateURL': '',
    'browser.safebrowsing.provider.google.updateURL': '',
    'browser.safebrowsing.provider.mozilla.updateURL': '',
    'app.update.enabled': false,
    'app.update.auto': false,
    'app.normandy.enabled': false,
    'app.shield.optoutstudies.enabled': false,
    'datareporting.healthreport.uploadEnabled': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'toolkit.telemetry.enabled': false,
    'toolkit.telemetry.unified': false,
    'toolkit.telemetry.archive.enabled': false,
    'browser.ping-centre.telemetry': false,
    'browser.newtabpage.activity-stream.feeds.telemetry': false,
    'browser.newtabpage.activity-stream.telemetry': false,
    'browser.newtabpage.enabled': false,
    'browser.startup.homepage': 'about:blank',
    'browser.startup.page': 0,
    'browser.aboutwelcome.enabled': false,
    'browser.region.update.enabled': false,
    'browser.region.network.url': '',
    'browser.search.update': false,
    'browser.search.geoip.url': '',
    'services.settings.server': 'https://remote-settings.invalid/v1',
    'extensions.update.enabled': false,
    'extensions.getAddons.cache.enabled': false,
    'extensions.blocklist.enabled': false,
    'extensions.systemAddon.update.enabled': false,
    'media.gmp-manager.updateEnabled': false,
    'media.gmp-gmpopenh264.enabled': false,
    'identity.fxaccounts.enabled': false,
    'messaging-system.rsexperimentloader.enabled': false,
    'network.cookie.cookieBehavior': 0,
    // pin the add-on's internal UUID so moz-extension:// URLs are known in advance
    'extensions.webextensions.uuids': JSON.stringify({ [gecko]: FIREFOX_UUID }),
    // MV3 host permissions are optional in Firefox; grant them on install like Chrome does
    'extensions.originControls.grantByDefault': true,
    'browser.tabs.warnOnClose': false,
    'dom.disable_open_during_load': false,
  };
  for (const [k, v] of Object.entries({ ...prefs, ...extraPrefs })) options.setPreference(k, v);
  const service = new firefox.ServiceBuilder(driverPath).addArguments('--allow-system-access');
  const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options)
    .setFirefoxService(service).build();
  await driver.installAddon(FIREFOX_ZIP, true);
  const extensionBase = `moz-extension://${FIREFOX_UUID}`;
  return {
    driver,
    name: 'firefox',
    extensionBase,
    popupUrl: `${extensionBase}/${popupPath()}`,
    async close() {
      await driver.quit();
    },
  };
}

function popupPath() {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'manifest.json'), 'utf8'));
  return manifest.action?.default_popup ?? 'popup.html';
}

/**
 * Starts `name` ('chromium' | 'firefox') with the extension, pointed at `server`.
 * openPopup() opens the popup page in a new tab and switches to it (returns its handle).
 * firefoxPrefs: extra Firefox preferences (they win over the defaults above).
 */
export async function launch(name, server, { firefoxPrefs = {} } = {}) {
  const b = name === 'chromium' ? await launchChromium(server) : await launchFirefox(server, firefoxPrefs);
  await b.driver.manage().setTimeouts({ script: 15000, pageLoad: 30000 });
  b.openPopup = async () => {
    await b.driver.switchTo().newWindow('tab');
    await b.driver.get(b.popupUrl);
    return b.driver.getWindowHandle();
  };
  return b;
}
