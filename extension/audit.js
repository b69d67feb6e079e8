// Untrain audit log: every observed state and every change, kept in storage.local (key "audit")
// and never sent anywhere. Written by the background (background.js calls statusWritten() where
// it writes the status; everywhere.js records time-outs); read and exported by the popup
// (popup-audit.js), cleared through the background so a clear cannot race an append.
//
// Entry: { time, event, platform, setting, label, before, after, url, rule_version, outcome,
//          message }
// event: "observed"    a page showed the setting's state (same as the last known state)
//        "changed"     a page showed a state other than the last known one
//        "re-enabled"  a setting that was off is seen on again
//        "signed-out"  the settings page showed a sign-in form
//        "turned-off"  Untrain turned it off (verified)
//        "already-off" an opt-out found it already off
//        "failed"      an opt-out failed (message says why), or an "opt out everywhere" step timed out
// The log keeps at most MAX_ENTRIES entries and about MAX_CHARS characters; the oldest go first.

const api = globalThis.browser ?? globalThis.chrome;

export const AUDIT_KEY = "audit";
export const MAX_ENTRIES = 2000;
export const MAX_CHARS = 1000000;
// A repeated "observed" entry (same platform, setting, state and page) within this time is not
// written again: a page re-evaluates on every change of its DOM.
export const REPEAT_MS = 10 * 60 * 1000;

export const COLUMNS = [
  "time", "event", "platform", "setting", "label", "before", "after", "url", "rule_version",
  "outcome", "message",
];

// ------------------------------------------------------------------ pure parts

/** Audit events for one status write (before/after: the whole status objects). */
export function eventsFor(before, after, kind, time = Date.now()) {
  const events = [];
  for (const [platform, s] of Object.entries(after || {})) {
    const b = (before && before[platform]) || null;
    if (!s || typeof s !== "object") continue;
    if (b && JSON.stringify(b) === JSON.stringify(s)) continue; // untouched by this write
    const entry = {
      time,
      event: "observed",
      platform,
      setting: s.setting ?? null,
      label: s.label || s.title || "",
      before: b ? b.state ?? null : null,
      after: s.state ?? null,
      url: s.url ?? null,
      rule_version: s.rule_version ?? null,
      outcome: null,
      message: null,
    };
    if (kind === "step") {
      if (s.outcome === "turned-off") entry.event = "turned-off";
      else if (s.outcome === "already-off") entry.event = "already-off";
      else if (s.outcome === "failed") entry.event = "failed";
      entry.outcome = s.outcome ?? null;
      entry.message = s.message ?? null;
    } else if (s.state === "signed-out") {
      entry.event = "signed-out";
    } else if (b && b.state === "off" && s.state === "on") {
      entry.event = "re-enabled";
    } else if (b && b.state && b.state !== s.state && b.state !== "signed-out") {
      entry.event = "changed";
    }
    events.push(entry);
  }
  return events;
}

/** Appends `events` to `log` dropping repeats and the oldest entries beyond the bounds. */
export function appendBounded(log, events, { maxEntries = MAX_ENTRIES, maxChars = MAX_CHARS } = {}) {
  const out = Array.isArray(log) ? log.slice() : [];
  for (const e of events) {
    if (e.event === "observed" || e.event === "signed-out") {
      const last = findLast(out, (x) => x.platform === e.platform);
      if (last && last.event === e.event && last.setting === e.setting && last.after === e.after &&
          last.url === e.url && e.time - last.time < REPEAT_MS) continue;
    }
    out.push(e);
  }
  while (out.length > maxEntries) out.shift();
  let chars = JSON.stringify(out).length;
  while (out.length > 1 && chars > maxChars) chars -= JSON.stringify(out.shift()).length + 1;
  return out;
}

function findLast(list, fn) {
  for (let i = list.length - 1; i >= 0; i--) if (fn(list[i])) return list[i];
  return null;
}

function csvCell(value) {
  if (value == null) return "";
  let text = String(value);
  // Spreadsheets run cells that start with = + - @ as formulas: a page's label must not.
  if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV (RFC 4180, CRLF) with a header row; time as ISO 8601 UTC. */
export function toCsv(entries) {
  const rows = [COLUMNS.join(",")];
  for (const e of entries || []) {
    rows.push(COLUMNS.map((c) => csvCell(c === "time" && typeof e.time === "number"
      ? new Date(e.time).toISOString() : e[c])).join(","));
  }
  return rows.join("\r\n") + "\r\n";
}

/** JSON export: { format, exported_at, entries } with ISO times next to the epoch ones. */
export function toJson(entries, now = Date.now()) {
  return JSON.stringify({
    format: "untrain-audit-1",
    exported_at: new Date(now).toISOString(),
    entries: (entries || []).map((e) => ({
      ...e,
      time_iso: typeof e.time === "number" ? new Date(e.time).toISOString() : null,
    })),
  }, null, 2);
}

// ------------------------------------------------------------------ storage (background)

let queue = Promise.resolve();

function serial(fn) {
  const run = queue.then(fn);
  queue = run.catch(() => {});
  return run;
}

export async function readLog() {
  const { [AUDIT_KEY]: log = [] } = await api.storage.local.get(AUDIT_KEY);
  return Array.isArray(log) ? log : [];
}

/** Appends entries (serialised with every other write of the log). */
export function record(events) {
  if (!events || events.length === 0) return Promise.resolve();
  return serial(async () => {
    const log = appendBounded(await readLog(), events);
    await api.storage.local.set({ [AUDIT_KEY]: log });
  });
}

/** Hook for background.js: called after every status write. kind: "evaluate" | "step". */
export function statusWritten(before, after, kind) {
  return record(eventsFor(before, after, kind)).catch(() => {});
}

export function clear() {
  return serial(() => api.storage.local.set({ [AUDIT_KEY]: [] }));
}

/** Popup messages handled by the background. */
export const messages = {
  "audit-clear": async () => {
    await clear();
    return { ok: true };
  },
};
