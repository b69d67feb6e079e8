// Minimal Chrome DevTools Protocol client over the browser's WebSocket endpoint (flat sessions).
//
//   const cdp = await CDP.connect(wsUrl);
//   const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
//   await cdp.send('Runtime.evaluate', { expression: '1+1' }, sessionId);
//   cdp.on('Page.loadEventFired', (params, sessionId) => ...);
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const WebSocket = globalThis.WebSocket ?? require('ws');

export class CDP {
  static connect(url) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 512 * 1024 * 1024 });
      ws.onopen = () => resolve(new CDP(ws));
      ws.onerror = (e) => reject(new Error(`CDP connect ${url}: ${e.message ?? e}`));
    });
  }

  constructor(ws) {
    this.ws = ws;
    this.id = 0;
    this.pending = new Map();
    this.listeners = new Map();
    ws.onmessage = (event) => {
      const msg = JSON.parse(typeof event.data === 'string' ? event.data : event.data.toString());
      if (msg.id !== undefined) {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message} ${msg.error.data ?? ''}`));
        else p.resolve(msg.result);
      } else if (msg.method) {
        for (const fn of this.listeners.get(msg.method) ?? []) fn(msg.params, msg.sessionId);
      }
    };
    ws.onclose = () => {
      for (const p of this.pending.values()) p.reject(new Error(`CDP closed during ${p.method}`));
      this.pending.clear();
    };
  }

  send(method, params = {}, sessionId = undefined, timeout = 60000) {
    const id = ++this.id;
    const msg = { id, method, params };
    if (sessionId) msg.sessionId = sessionId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`CDP timeout: ${method}`));
      }, timeout);
      this.pending.set(id, {
        method,
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      this.ws.send(JSON.stringify(msg));
    });
  }

  on(method, fn) {
    if (!this.listeners.has(method)) this.listeners.set(method, new Set());
    this.listeners.get(method).add(fn);
    return () => this.listeners.get(method).delete(fn);
  }

  /** Resolves with the first `method` event (optionally of `sessionId`) matching `pred`. */
  once(method, { sessionId = null, pred = () => true, timeout = 60000 } = {}) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { off(); reject(new Error(`timeout waiting for ${method}`)); }, timeout);
      const off = this.on(method, (params, sid) => {
        if (sessionId && sid !== sessionId) return;
        if (!pred(params)) return;
        clearTimeout(timer);
        off();
        resolve(params);
      });
    });
  }

  /** Runtime.evaluate with awaitPromise + returnByValue; throws on exceptions. */
  async eval(sessionId, expression, { contextId = undefined, timeout = 60000 } = {}) {
    const params = { expression, awaitPromise: true, returnByValue: true, userGesture: false };
    if (contextId !== undefined) params.contextId = contextId;
    const r = await this.send('Runtime.evaluate', params, sessionId, timeout);
    if (r.exceptionDetails) {
      const d = r.exceptionDetails;
      throw new Error(`evaluate: ${d.exception?.description ?? d.text}`);
    }
    return r.result.value;
  }

  close() {
    try { this.ws.close(); } catch { /* gone */ }
  }
}
