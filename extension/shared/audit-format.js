// @ts-check
// The audit log's format (pure, no browser API; ES module): the entries a status write makes,
// the folding of repeated observations, the bounds, and the JSON and CSV exports. The
// background appends through it (background/audit.js), the popup exports through it
// (popup/audit.js); tests/unit/audit-format.test.mjs drives it directly.
//
// Entry: { time, event, platform, site, setting, label, before, after, url, rule_version,
//          outcome, message, proof }
// event: "observed"    a page showed the setting's state (same as the last known state)
//        "changed"     a page showed a state other than the last known one
//        "re-enabled"  a setting that was off is seen on again
//        "signed-out"  the settings page showed a sign-in form
//        "turned-off"  Untrain turned it off (verified)
//        "already-off" an opt-out found it already off
//        "failed"      an opt-out failed (message says why), or an "opt out everywhere" step timed out
//        "confirmed"   the settings page, read afresh after a reload, shows the setting off: the
//                      platform kept Untrain's change
//        "not-kept"    read afresh after a reload, the setting is on again: the platform did not
//                      keep the change (the opt-out failed)
//        "unconfirmed" no fresh read after the change was possible (message says why: signed
//                      out, page gone, tab closed, unreadable, timed out); only Untrain's re-read
//                      proves it
// proof: how the entry's state is proven: "reloaded" (read afresh after a reload), "re-read"
// (Untrain's own re-read after its click only), or null (an observation; nothing of Untrain's).
// Entries written before proof existed have no proof field.
//        "repaired"    stored data was unreadable (corrupt, or from an older version) and was
//                      repaired; message says what was dropped or reset
// site: null for the platform's own pages; the host for a page on a host that a customer of the
// platform controls (a "*.squarespace.com" site): such pages only ever speak for that site.
// url: origin and path only (no query, no fragment: they can hold conversation ids and tokens).
// The log keeps at most MAX_ENTRIES entries and about MAX_CHARS characters. When it is full the
// oldest entry of the platform with the most entries goes first, so a page that floods the log
// with its own platform's entries can never push another platform's history out (security
// review M4); an observation equal to the platform's last one (same event, setting, site and
// state) within REPEAT_MS is not written again, whatever its URL.
import { repairLog } from "./repair.js";

export const AUDIT_KEY = "audit";
export const MAX_ENTRIES = 2000;
export const MAX_CHARS = 1000000;
// A repeated "observed" entry (same platform, site, setting and state) within this time is not
// written again: a page re-evaluates on every change of its DOM and of its URL.
export const REPEAT_MS = 10 * 60 * 1000;

export const COLUMNS = [
  "time",
  "event",
  "platform",
  "site",
  "setting",
  "label",
  "before",
  "after",
  "url",
  "rule_version",
  "outcome",
  "message",
  "proof",
];

const withoutSites = (s) => {
  if (!s || typeof s !== "object") return s;
  const { sites: _sites, ...rest } = s;
  return rest;
};

function entryFor(platform, site, b, s, kind, time) {
  const entry = {
    time,
    event: "observed",
    platform,
    site,
    setting: s.setting ?? null,
    label: s.label || s.title || "",
    before: b ? (b.state ?? null) : null,
    after: s.state ?? null,
    url: s.url ?? null,
    rule_version: s.rule_version ?? null,
    outcome: null,
    message: null,
    proof: s.proof ?? null,
  };
  if (kind === "proof") {
    entry.event = s.proof === "reloaded" ? (s.proof_note === "not-kept" ? "not-kept" : "confirmed") : "unconfirmed";
    entry.outcome = s.outcome ?? null;
    entry.message = s.proof_note ?? null;
  } else if (kind === "step") {
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
  return entry;
}

/** Audit events for one status write (before/after: the whole status objects). */
export function eventsFor(before, after, kind, time = Date.now()) {
  const events = [];
  const same = (x, y) => JSON.stringify(x) === JSON.stringify(y);
  for (const [platform, s] of Object.entries(after || {})) {
    if (!s || typeof s !== "object") continue;
    const b = (before && before[platform]) || null;
    if (b && same(b, s)) continue; // untouched by this write
    // The platform's own state (its pages on its own hosts).
    if (!b || !same(withoutSites(b), withoutSites(s))) {
      if (s.checked_at != null || s.outcome != null) events.push(entryFor(platform, null, b, s, kind, time));
    }
    // Sites on hosts its customers control: one entry per site that changed.
    const sites = s.sites && typeof s.sites === "object" ? s.sites : {};
    const oldSites = b && b.sites && typeof b.sites === "object" ? b.sites : {};
    for (const [host, site] of Object.entries(sites)) {
      if (!site || typeof site !== "object" || same(oldSites[host], site)) continue;
      events.push(entryFor(platform, host, oldSites[host] || null, site, kind, time));
    }
  }
  return events;
}

/**
 * The entries of `events` worth appending to `log`: all but observations (and sign-outs) equal
 * to the platform's last one, for the same site, within REPEAT_MS.
 */
export function newEntries(log, events) {
  const seen = Array.isArray(log) ? log.slice() : [];
  const fresh = [];
  for (const e of events) {
    if (e.event === "observed" || e.event === "signed-out") {
      const last = findLast(seen, (x) => x.platform === e.platform && (x.site ?? null) === (e.site ?? null));
      if (
        last &&
        last.event === e.event &&
        last.setting === e.setting &&
        last.after === e.after &&
        e.time - last.time < REPEAT_MS
      )
        continue;
    }
    seen.push(e);
    fresh.push(e);
  }
  return fresh;
}

/**
 * Appends `events` to `log` (a copy), dropping repeated observations and, beyond the bounds, the
 * oldest entry of whichever platform has the most.
 */
export function appendBounded(log, events, { maxEntries = MAX_ENTRIES, maxChars = MAX_CHARS } = {}) {
  const out = [...(Array.isArray(log) ? log : []), ...newEntries(log, events)];
  let chars = JSON.stringify(out).length;
  while (out.length > 1 && (out.length > maxEntries || chars > maxChars)) {
    chars -= JSON.stringify(out.splice(oldestOfLargest(out), 1)[0]).length + 1;
  }
  return out;
}

// Index of the oldest entry of the platform with the most entries (ties: the one whose oldest
// entry is older). Entries without a platform ("repaired" notes) count as one group.
function oldestOfLargest(list) {
  const count = new Map();
  const first = new Map();
  list.forEach((e, i) => {
    const k = e.platform ?? "";
    count.set(k, (count.get(k) || 0) + 1);
    if (!first.has(k)) first.set(k, i);
  });
  let best = null;
  for (const [k, n] of count) {
    if (best === null || n > count.get(best) || (n === count.get(best) && first.get(k) < first.get(best))) best = k;
  }
  return first.get(best);
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
  for (const e of repairLog(entries ?? []).log) {
    rows.push(
      COLUMNS.map((c) =>
        csvCell(c === "time" && typeof e.time === "number" ? new Date(e.time).toISOString() : e[c]),
      ).join(","),
    );
  }
  return rows.join("\r\n") + "\r\n";
}

/** JSON export: { format, exported_at, entries } with ISO times next to the epoch ones. */
export function toJson(entries, now = Date.now()) {
  return JSON.stringify(
    {
      format: "untrain-audit-1",
      exported_at: new Date(now).toISOString(),
      entries: repairLog(entries ?? []).log.map((e) => ({
        ...e,
        time_iso: typeof e.time === "number" ? new Date(e.time).toISOString() : null,
      })),
    },
    null,
    2,
  );
}
