// Least privilege, checked on manifest.json (and the built dist/ manifests when present):
// host permissions and content-script matches are exactly the rules' hosts; only documented
// permissions (docs/permissions.md justifies each one and each host); no externally_connectable,
// no web_accessible_resources; the extension pages' CSP allows no remote script or connection;
// and the shipped scripts hold no network API.
//
//   node --test tests/unit/

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { loadRules } from '../e2e/lib/rules.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (p) => fs.readFileSync(path.join(REPO, p), 'utf8');

// Every permission the extension may ask for, and why (the long form is docs/permissions.md).
const ALLOWED_PERMISSIONS = new Map([
  ['storage', 'status of each platform (storage.local) and tabs opened for opt-out (storage.session)'],
  ['alarms', 'the weekly re-check reminder and the per-platform time limit of "opt out everywhere"'],
]);

function csp(policy) {
  const out = new Map();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/).filter(Boolean);
    if (name) out.set(name.toLowerCase(), values);
  }
  return out;
}

function checkManifest(m, where) {
  const hosts = [...new Set(loadRules().flatMap((r) => r.hosts))].sort();
  const want = hosts.map((h) => `https://${h}/*`);
  assert.deepEqual([...(m.host_permissions ?? [])].sort(), want, `${where}: host_permissions are the rules' hosts`);
  assert.equal(m.content_scripts?.length, 1, `${where}: one content script entry`);
  const cs = m.content_scripts[0];
  assert.deepEqual([...cs.matches].sort(), want, `${where}: content scripts run on the rules' hosts only`);
  assert.equal(cs.all_frames ?? false, false, `${where}: top frames only`);
  assert.equal(cs.match_about_blank ?? false, false);
  assert.equal(cs.world ?? 'ISOLATED', 'ISOLATED', `${where}: the isolated world, never the page's`);
  for (const key of ['exclude_matches', 'include_globs']) assert.equal(cs[key], undefined);

  for (const key of [
    'externally_connectable',
    'web_accessible_resources',
    'optional_host_permissions',
    'optional_permissions',
    'content_security_policy.sandbox',
    'sandbox',
    'update_url',
    'oauth2',
    'key',
    'chrome_url_overrides',
    'devtools_page',
    'options_page',
    'declarative_net_request',
  ]) {
    const [a, b] = key.split('.');
    const v = b ? m[a]?.[b] : m[a];
    assert.equal(v, undefined, `${where}: no ${key}`);
  }
  for (const p of m.permissions ?? []) {
    assert.ok(
      ALLOWED_PERMISSIONS.has(p),
      `${where}: permission ${p} is not on the allow-list (tests/unit/manifest.test.mjs, docs/permissions.md)`,
    );
  }

  const policy = csp(m.content_security_policy?.extension_pages ?? '');
  const script = policy.get('script-src') ?? policy.get('default-src');
  assert.ok(script, `${where}: script-src is set`);
  assert.deepEqual(
    script.filter((v) => v !== "'self'" && v !== "'wasm-unsafe-eval'"),
    [],
    `${where}: scripts only from the package (and wasm compilation)`,
  );
  const connect = policy.get('connect-src') ?? policy.get('default-src');
  assert.ok(connect, `${where}: connect-src (or default-src) is set, or connections are unrestricted`);
  assert.deepEqual(connect, ["'none'"], `${where}: connect-src 'none': no fetch, XHR, WebSocket or EventSource at all`);
  for (const [name, values] of policy) {
    for (const v of values) {
      assert.ok(!/^(https?:|wss?:|\*|data:|blob:|'unsafe-eval'|'unsafe-inline')/.test(v), `${where}: ${name} ${v}`);
    }
  }
  const object = policy.get('object-src') ?? policy.get('default-src');
  assert.ok(object && object.every((v) => v === "'self'" || v === "'none'"), `${where}: object-src`);
}

describe('manifest: least privilege', () => {
  it('manifest.json', () => checkManifest(JSON.parse(read('manifest.json')), 'manifest.json'));

  for (const b of ['chrome', 'firefox']) {
    const p = path.join(REPO, 'dist', b, 'manifest.json');
    it(`dist/${b}/manifest.json`, { skip: !fs.existsSync(p) && 'not built' }, () => {
      checkManifest(JSON.parse(fs.readFileSync(p, 'utf8')), `dist/${b}`);
    });
  }

  it('docs/permissions.md justifies every permission and every host', () => {
    const m = JSON.parse(read('manifest.json'));
    const doc = read('docs/permissions.md');
    for (const p of m.permissions ?? []) assert.ok(doc.includes(`\`${p}\``), `docs/permissions.md mentions \`${p}\``);
    for (const h of m.host_permissions ?? [])
      assert.ok(doc.includes(h.replace(/^https:\/\/|\/\*$/g, '')), `docs/permissions.md mentions ${h}`);
    for (const k of ['externally_connectable', 'web_accessible_resources', 'connect-src']) {
      assert.ok(doc.includes(k), `docs/permissions.md explains ${k}`);
    }
  });
});

describe('shipped scripts make no network request of their own', () => {
  // pkg/ (wasm-bindgen glue) fetches only the packaged .wasm, and background/engine.js only the
  // packaged rules.json, by the URLs background/background.js gives them (runtime.getURL).
  const ALLOWED = { 'background/engine.js': /^\s*fetch\(rulesUrl\)\.then\(/ };
  const files = fs
    .readdirSync(path.join(REPO, 'extension'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.js') && !f.startsWith('pkg'));
  const NETWORK =
    /\b(fetch|XMLHttpRequest|WebSocket|EventSource|sendBeacon|importScripts|RTCPeerConnection|WebTransport)\b|new\s+(Image|Worker|SharedWorker)\s*\(|\.src\s*=|navigator\.connection|https?:\/\/(?!www\.w3\.org)[a-z0-9]/i;
  for (const f of files) {
    it(`extension/${f}`, () => {
      const lines = read(`extension/${f}`).split('\n');
      const hits = lines
        .map((l, i) => [i + 1, l])
        .filter(([, l]) => !/^\s*(\/\/|\*)/.test(l) && NETWORK.test(l) && !ALLOWED[f]?.test(l));
      assert.deepEqual(hits, [], `network API in extension/${f}`);
    });
  }
  it('the engine and the rules are loaded from the package', () => {
    const bg = read('extension/background/background.js');
    assert.match(
      bg,
      /loadEngine\(api\.runtime\.getURL\("pkg\/untrain_bg\.wasm"\), api\.runtime\.getURL\("rules\.json"\)\)/,
    );
  });
});
