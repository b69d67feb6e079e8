// Starts headless Chromium with one extension (or none), every hostname mapped to the bench
// server, and a browser-level CDP connection (no chromedriver: the benchmark needs the service
// worker and isolated-world targets, which CDP reaches directly).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { CDP } from './cdp.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function launchChromium({ extensionDir = null, port, label }) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `untrain-bench-${label}-`));
  const args = [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
    '--no-first-run', '--no-default-browser-check', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-default-apps',
    '--disable-features=DisableLoadExtensionCommandLineSwitch,Translate,OptimizationHints,MediaRouter',
    '--disable-renderer-backgrounding', '--disable-background-timer-throttling',
    '--disable-backgrounding-occluded-windows',
    `--host-resolver-rules=MAP * 127.0.0.1:${port}, EXCLUDE localhost`,
    '--ignore-certificate-errors', `--user-data-dir=${profile}`, '--window-size=1280,900',
    '--lang=en-US', '--remote-debugging-port=0', '--enable-precise-memory-info',
  ];
  if (extensionDir) args.push(`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`);
  else args.push('--disable-extensions');
  const binary = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p)) ?? 'chromium';
  const proc = spawn(binary, [...args, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });

  const portFile = path.join(profile, 'DevToolsActivePort');
  const end = Date.now() + 30000;
  while (!fs.existsSync(portFile) || fs.readFileSync(portFile, 'utf8').split('\n').length < 2) {
    if (Date.now() > end || proc.exitCode !== null) throw new Error(`chromium did not start: ${stderr}`);
    await sleep(50);
  }
  const [devPort, wsPath] = fs.readFileSync(portFile, 'utf8').trim().split('\n');
  const cdp = await CDP.connect(`ws://127.0.0.1:${devPort}${wsPath}`);
  const version = await cdp.send('Browser.getVersion');

  let extensionId = null;
  let swTargetId = null;
  if (extensionDir) {
    while (!swTargetId) {
      const { targetInfos } = await cdp.send('Target.getTargets');
      const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
      if (sw) {
        extensionId = new URL(sw.url).host;
        swTargetId = sw.targetId;
      } else {
        if (Date.now() > end) throw new Error(`${label}: no extension service worker`);
        await sleep(100);
      }
    }
  }

  // a freshly installed extension's worker may still be starting: let it settle
  if (extensionDir) await sleep(2000);

  const b = {
    label, cdp, proc, profile, extensionId, version: version.product,
    /** A CDP session on the extension's service worker (re-attached if the worker restarted). */
    async sw() {
      const { targetInfos } = await cdp.send('Target.getTargets');
      const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${extensionId}/`));
      if (!sw) throw new Error(`${label}: service worker not running`);
      if (b._swSession && b._swTarget === sw.targetId) return b._swSession;
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: sw.targetId, flatten: true });
      await cdp.send('Runtime.runIfWaitingForDebugger', {}, sessionId).catch(() => {});
      await cdp.send('Runtime.enable', {}, sessionId);
      b._swSession = sessionId;
      b._swTarget = sw.targetId;
      return sessionId;
    },
    /** Opens `url` in a new tab; returns { targetId, sessionId, contexts } with Page/Runtime/Performance on. */
    async open(url, { waitLoad = true, timeout = 60000 } = {}) {
      const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
      const contexts = [];
      const off = cdp.on('Runtime.executionContextCreated', (p, sid) => { if (sid === sessionId) contexts.push(p.context); });
      const offClear = cdp.on('Runtime.executionContextsCleared', (p, sid) => { if (sid === sessionId) contexts.length = 0; });
      await cdp.send('Page.enable', {}, sessionId);
      await cdp.send('Runtime.enable', {}, sessionId);
      await cdp.send('Performance.enable', { timeDomain: 'threadTicks' }, sessionId).catch(() =>
        cdp.send('Performance.enable', {}, sessionId));
      const tab = { targetId, sessionId, contexts, t0: Date.now() };
      tab.close = async () => {
        off(); offClear();
        await cdp.send('Target.closeTarget', { targetId }).catch(() => {});
      };
      if (url) {
        const loaded = waitLoad ? cdp.once('Page.loadEventFired', { sessionId, timeout }) : null;
        tab.t0 = Date.now();
        await cdp.send('Page.navigate', { url }, sessionId);
        if (loaded) await loaded;
        tab.loadedAt = Date.now();
      }
      return tab;
    },
    /** Evaluates in the service worker; re-attaches once if the worker restarted or hung. */
    async swEval(expression, timeout = 20000) {
      let last;
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          return await cdp.eval(await b.sw(), expression, { timeout });
        } catch (e) {
          last = e;
          if (b._swSession) await cdp.send('Target.detachFromTarget', { sessionId: b._swSession }).catch(() => {});
          b._swSession = null;
          await sleep(500);
        }
      }
      throw last;
    },
    async close() {
      try { await cdp.send('Browser.close', {}, undefined, 5000); } catch { /* gone */ }
      cdp.close();
      await new Promise((r) => {
        if (proc.exitCode !== null) return r();
        const t = setTimeout(() => { try { proc.kill('SIGKILL'); } catch { /* gone */ } r(); }, 5000);
        proc.once('exit', () => { clearTimeout(t); r(); });
      });
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
  return b;
}

export async function metrics(cdp, sessionId) {
  const { metrics: list } = await cdp.send('Performance.getMetrics', {}, sessionId);
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}
