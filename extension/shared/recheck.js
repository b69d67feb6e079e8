// @ts-check
// Untrain re-checks: pure decisions, no browser API (the background's reminders.js and the popup
// use them; tests drive them with a controlled clock).
//
// A platform is due for a re-check when it was checked (status.checked_at) more than
// RECHECK_AFTER_MS ago, or when its rule's version changed since that check. Platforms never
// checked are not nagged about (the popup already says "not checked yet").

export const DAY_MS = 24 * 60 * 60 * 1000;
export const RECHECK_AFTER_MS = 7 * DAY_MS;
export const RECHECK_ALARM = "untrain-recheck";
export const RECHECK_PERIOD_MINUTES = 7 * 24 * 60;

/**
 * Platforms due for a re-check.
 * status: { <platform>: Status } (storage.local "status"); platforms: the `platforms` reply
 * ([{ id, name, version, settings }]); now: epoch ms.
 * Returns [{ platform, name, reason: "old" | "rules-changed", checked_at, days, rule_version,
 * current_version }] in the platforms' order.
 */
export function dueForRecheck(status, platforms, now, { maxAgeMs = RECHECK_AFTER_MS } = {}) {
  const due = [];
  for (const p of platforms || []) {
    const s = status && status[p.id];
    if (!s || typeof s.checked_at !== "number") continue;
    const automatic = (p.settings || []).some((x) => x.automation === "automatic");
    if (!automatic) continue;
    const age = now - s.checked_at;
    const changed = typeof p.version === "number" && typeof s.rule_version === "number" && s.rule_version !== p.version;
    if (!changed && age <= maxAgeMs) continue;
    due.push({
      platform: p.id,
      name: p.name,
      reason: changed ? "rules-changed" : "old",
      checked_at: s.checked_at,
      days: Math.max(0, Math.floor(age / DAY_MS)),
      rule_version: typeof s.rule_version === "number" ? s.rule_version : null,
      current_version: typeof p.version === "number" ? p.version : null,
    });
  }
  return due;
}

/**
 * The stored reminder (storage.local "recheck": { at, due }) minus the platforms checked since:
 * an entry stays only while the platform's checked_at is the one the reminder saw.
 */
export function pendingRechecks(reminder, status) {
  if (!reminder || !Array.isArray(reminder.due)) return [];
  return reminder.due.filter((d) => {
    if (!d || typeof d !== "object") return false; // unreadable entry (repair.js drops it on write)
    const s = status && status[d.platform];
    return Boolean(s) && s.checked_at === d.checked_at;
  });
}

/** Toolbar badge text: the number of platforms that are on, else "!" when a re-check is due. */
export function badgeText(status, reminder) {
  const on = Object.values(status || {}).filter((s) => s && s.state === "on").length;
  if (on > 0) return String(on);
  return pendingRechecks(reminder, status).length > 0 ? "!" : "";
}

/**
 * Re-enabled settings: called with the status before and after a write; sets
 * `was_off_at` (epoch ms of the last check that saw the setting off) on a platform whose state is
 * on and was off before (same setting), keeps it while the state stays on, and drops it
 * otherwise. Mutates and returns `after`.
 */
export function annotateReenabled(before, after) {
  for (const [id, s] of Object.entries(after || {})) {
    if (!s || typeof s !== "object") continue;
    const b = before && before[id];
    if (s.state !== "on") {
      delete s.was_off_at;
      continue;
    }
    if (!b || b.setting !== s.setting) {
      delete s.was_off_at;
    } else if (b.state === "off" && typeof b.checked_at === "number") {
      s.was_off_at = b.checked_at;
    } else if (b.state === "on" && typeof b.was_off_at === "number") {
      s.was_off_at = b.was_off_at;
    }
  }
  return after;
}
