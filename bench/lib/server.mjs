// HTTPS server of the benchmark pages, on loopback, under the platforms' real hostnames
// (Chromium maps every host to it with --host-resolver-rules; Firefox reaches it through the
// CONNECT proxy on proxyPort). Same strict CSP as tests/e2e/lib/server.mjs (no 'wasm-unsafe-eval').
//
//   https://www.linkedin.com/feed/                                          feedPage(40000)
//   https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement?n=10000&mode=static|late
//   https://example.com/page?n=10000                                        the settings page on a host no rule knows
//   /__bench/bench.js                                                       pages/bench.js
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { feedPage, settingsPage } from '../pages/generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const PAGES = path.resolve(here, '../pages');

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; connect-src 'self'";

function certificate() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'untrain-bench-cert-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-subj', '/CN=untrain-bench', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const out = { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

export async function startServer({ feedElements = 40000 } = {}) {
  const cache = new Map();
  const page = (key, make) => {
    if (!cache.has(key)) cache.set(key, Buffer.from(make()));
    return cache.get(key);
  };
  const hosts = new Map(); // host -> requests (the "no network" check)
  const sockets = new Set();

  const server = https.createServer(certificate(), (req, res) => {
    const host = String(req.headers.host || '').replace(/:\d+$/, '').toLowerCase();
    hosts.set(host, (hosts.get(host) ?? 0) + 1);
    const url = new URL(req.url, 'https://bench.invalid');
    let body = null;
    let type = 'text/html; charset=utf-8';
    const n = Math.min(Math.max(Number(url.searchParams.get('n')) || 10000, 100), 200000);
    const mode = url.searchParams.get('mode') === 'late' ? 'late' : 'static';
    if (url.pathname === '/__bench/bench.js') {
      body = fs.readFileSync(path.join(PAGES, 'bench.js'));
      type = 'text/javascript; charset=utf-8';
    } else if (host === 'www.linkedin.com' && url.pathname === '/feed/') {
      body = page(`feed-${feedElements}`, () => feedPage(feedElements));
    } else if (host === 'www.linkedin.com' && url.pathname.startsWith('/mypreferences/d/settings/data-for-ai-improvement')) {
      body = page(`settings-${n}-${mode}`, () => settingsPage(n, mode));
    } else if (host === 'example.com' && url.pathname === '/page') {
      body = page(`settings-${n}-${mode}`, () => settingsPage(n, mode));
    }
    if (!body) {
      res.writeHead(404, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' });
      res.end('not found\n');
      return;
    }
    const headers = { 'Content-Type': type, 'Cache-Control': 'no-store', 'Content-Length': body.length };
    if (type.startsWith('text/html')) headers['Content-Security-Policy'] = CSP;
    res.writeHead(200, headers);
    res.end(body);
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  const port = await listen(server);

  // Firefox: an HTTP proxy whose CONNECT host:443 goes to the TLS server; nothing else.
  const proxy = http.createServer((req, res) => { res.writeHead(404); res.end(); });
  proxy.on('connect', (req, client, head) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    if (!String(req.url).endsWith(':443')) { client.end('HTTP/1.1 403 Forbidden\r\n\r\n'); return; }
    const up = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head?.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    sockets.add(up);
    up.on('close', () => sockets.delete(up));
    up.on('error', () => client.destroy());
  });
  const proxyPort = await listen(proxy);

  return {
    port,
    proxyPort,
    hosts,
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all([server, proxy].map((s) => new Promise((r) => s.close(() => r()))));
    },
  };
}
