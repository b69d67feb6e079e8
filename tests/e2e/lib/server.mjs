// Fixture server for the end-to-end tests.
//
// One TCP port speaks HTTPS (a self-signed certificate made at start with openssl) and, for
// anything that is not a TLS handshake, plain HTTP (answered 404 and recorded). Chromium maps
// every hostname to it with --host-resolver-rules; Firefox reaches it through a small HTTP
// proxy on a second port that pipes every `CONNECT host:443` to the same port.
//
// What it serves, on every host:
//   /__fixture/app.js            -> tests/fixtures/app.js
//   /__fixture/file/<path>       -> tests/fixtures/<path>
//   any URL with ?fx=<path>.html -> tests/fixtures/<path>.html
//   server.route(host, prefix, fixture) -> that fixture for URLs without ?fx=
//   anything else                -> 404
// Every HTML response carries a strict CSP like the real sites (no 'wasm-unsafe-eval').
// Every request is recorded in server.requests ({ via, host, path, query, method, time, headers }).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '../../..');
export const FIXTURES = path.join(REPO, 'tests/fixtures');

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; connect-src 'self'";

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

function makeCertificate() {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    throw new Error('openssl is not installed (./build.sh test installs it)');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'untrain-cert-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=untrain-test',
      '-keyout', key, '-out', cert],
    { stdio: 'ignore' },
  );
  const out = { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

/** Resolves `rel` under tests/fixtures, refusing anything that escapes it. */
function fixturePath(rel) {
  const p = path.resolve(FIXTURES, rel.replace(/^\/+/, ''));
  if (p !== FIXTURES && !p.startsWith(FIXTURES + path.sep)) return null;
  return p;
}

function hostOf(req) {
  const h = String(req.headers.host || '').toLowerCase();
  // strip the port (IPv6 literals are not used here)
  return h.replace(/:\d+$/, '');
}

function listen(server, port = 0) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

/**
 * Starts the fixture server and the proxy.
 * @returns {Promise<FixtureServer>}
 */
export async function startServer() {
  const { key, cert } = makeCertificate();
  const requests = [];
  const routes = []; // { host, prefix, fixture, hx, gen }
  let generation = 0; // of the routes: each route() serves its page fresh
  const sockets = new Set();

  function record(via, req, extra = {}) {
    const url = new URL(req.url.startsWith('/') ? `https://x${req.url}` : req.url);
    const entry = {
      via,
      host: extra.host ?? hostOf(req),
      path: url.pathname,
      query: url.search,
      method: req.method,
      time: Date.now(),
      headers: {
        origin: req.headers.origin ?? null,
        referer: req.headers.referer ?? null,
        'sec-fetch-site': req.headers['sec-fetch-site'] ?? null,
        'sec-fetch-mode': req.headers['sec-fetch-mode'] ?? null,
        'sec-fetch-dest': req.headers['sec-fetch-dest'] ?? null,
        'user-agent': req.headers['user-agent'] ?? null,
      },
      status: null,
    };
    requests.push(entry);
    return entry;
  }

  function send(res, entry, status, body, type, html = false, gen = 'fx') {
    entry.status = status;
    const headers = {
      'Content-Type': type,
      'Cache-Control': 'no-store',
      'Content-Length': Buffer.byteLength(body),
    };
    if (html) {
      headers['Content-Security-Policy'] = CSP;
      // The fixture app keeps a page's state per route (tests/fixtures/app.js, "Kept across
      // reloads"): a page served by a route registered later starts from its markup again.
      headers['Set-Cookie'] = `fxgen=${gen}; Path=/; Secure; SameSite=Lax`;
    }
    res.writeHead(status, headers);
    res.end(body);
  }

  function sendFile(res, entry, file, gen = 'fx') {
    let body;
    try {
      body = fs.readFileSync(file);
    } catch {
      return send(res, entry, 404, 'not found\n', 'text/plain; charset=utf-8');
    }
    const ext = path.extname(file).toLowerCase();
    const type = TYPES[ext] ?? 'application/octet-stream';
    return send(res, entry, 200, body, type, ext === '.html', gen);
  }

  // A fixture page with hostile behaviours switched on (tests/fixtures/hostile/hostile.js):
  // `hx` is a list of [attribute, value] put on <body> ("data-hx-..."), and the script is loaded
  // after the fixture app. So a hostile variant of any fixture needs no copy of its page.
  function sendHostile(res, entry, file, hx, gen = 'fx') {
    let html;
    try {
      html = fs.readFileSync(file, 'utf8');
    } catch {
      return send(res, entry, 404, 'not found\n', 'text/plain; charset=utf-8');
    }
    const esc = (v) => String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    const attrs = hx.filter(([name]) => /^data-hx-[a-z-]+$/.test(name)).map(([name, value]) => ` ${name}="${esc(value)}"`).join('');
    html = html.replace(/<body([^>]*)>/, `<body$1${attrs}>`)
      .replace('</body>', '<script src="/__fixture/file/hostile/hostile.js"></script>\n</body>');
    return send(res, entry, 200, html, TYPES['.html'], true, gen);
  }

  function handle(req, res) {
    const entry = record('https', req);
    const url = new URL(req.url, 'https://fixture.invalid');
    const host = entry.host;
    if (url.pathname === '/__fixture/app.js') {
      return sendFile(res, entry, path.join(FIXTURES, 'app.js'));
    }
    if (url.pathname.startsWith('/__fixture/file/')) {
      const p = fixturePath(decodeURIComponent(url.pathname.slice('/__fixture/file/'.length)));
      if (p) return sendFile(res, entry, p);
      return send(res, entry, 404, 'not found\n', 'text/plain; charset=utf-8');
    }
    const fx = url.searchParams.get('fx');
    const hx = url.searchParams.getAll('hx').map((x) => [x.split('=')[0], x.slice(x.indexOf('=') + 1)]);
    if (fx) {
      const p = fixturePath(fx);
      if (p) return hx.length ? sendHostile(res, entry, p, hx) : sendFile(res, entry, p);
      return send(res, entry, 404, 'not found\n', 'text/plain; charset=utf-8');
    }
    // Longest matching prefix wins.
    let best = null;
    for (const r of routes) {
      if (r.host === host && url.pathname.startsWith(r.prefix)) {
        if (!best || r.prefix.length > best.prefix.length) best = r;
      }
    }
    if (best) {
      const p = fixturePath(best.fixture);
      const gen = `r${best.gen}`;
      if (p) return best.hx.length ? sendHostile(res, entry, p, best.hx, gen) : sendFile(res, entry, p, gen);
    }
    return send(res, entry, 404, 'not found\n', 'text/plain; charset=utf-8');
  }

  const tlsServer = https.createServer({ key, cert }, handle);
  // Plain HTTP on the same port: record and refuse.
  const plainServer = http.createServer((req, res) => {
    const entry = record('http', req);
    send(res, entry, 404, 'not found (plain http)\n', 'text/plain; charset=utf-8');
  });
  // Both listen on internal ports; the front port sniffs the first byte and pipes to one of them.
  const tlsPort = await listen(tlsServer);
  const plainPort = await listen(plainServer);
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.once('data', (buf) => {
      // 0x16: TLS handshake record
      const upstream = net.connect(buf[0] === 0x16 ? tlsPort : plainPort, '127.0.0.1');
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
      upstream.write(buf);
      socket.pipe(upstream);
      upstream.pipe(socket);
    });
  });
  const port = await listen(front);

  // Firefox proxy: CONNECT host:443 -> our TLS port; plain proxied HTTP -> 404.
  const proxy = http.createServer((req, res) => {
    let host = hostOf(req);
    try {
      host = new URL(req.url).hostname.toLowerCase();
    } catch {
      /* origin-form */
    }
    const entry = record('proxy-http', req, { host });
    send(res, entry, 404, 'not found (proxy, plain http)\n', 'text/plain; charset=utf-8');
  });
  proxy.on('connect', (req, client, head) => {
    const [host, portStr] = String(req.url).split(':');
    const entry = {
      via: 'connect',
      host: host.toLowerCase(),
      path: null,
      query: '',
      method: 'CONNECT',
      time: Date.now(),
      headers: { 'user-agent': req.headers['user-agent'] ?? null },
      status: null,
      port: Number(portStr),
    };
    requests.push(entry);
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    if (Number(portStr) !== 443) {
      entry.status = 403;
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(port, '127.0.0.1', () => {
      entry.status = 200;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head && head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
  });
  const proxyPort = await listen(proxy);

  return {
    port,
    proxyPort,
    requests,
    /**
     * Serve `fixture` (relative to tests/fixtures) for https://host/prefix... without ?fx=;
     * `hx`: hostile behaviours, [[attribute, value]] (see sendHostile).
     */
    route(host, prefix, fixture, { hx = [] } = {}) {
      routes.push({ host: host.toLowerCase(), prefix, fixture, hx, gen: ++generation });
    },
    clearRoutes() {
      routes.length = 0;
    },
    /** Requests recorded since `t` (epoch ms). */
    since(t) {
      return requests.filter((r) => r.time >= t);
    },
    async close() {
      for (const s of sockets) s.destroy();
      for (const s of [tlsServer, plainServer, proxy]) s.closeAllConnections?.();
      await Promise.all(
        [front, proxy, tlsServer, plainServer].map((s) => new Promise((resolve) => s.close(() => resolve()))),
      );
    },
  };
}
