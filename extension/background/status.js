// @ts-check
// The status model (pure, no browser API; ES module): what the background writes to
// storage.local "status" after an evaluation or the end of an opt-out. background.js reads and
// writes storage and calls these inside its one write queue; tests/unit/status.test.mjs drives
// them directly.
//
// status: { <platform>: Status }. A Status is the platform's own record (its pages on its own
// hosts); `sites` holds one record per host that a customer of the platform controls
// ("*.squarespace.com"), which speaks for that site only.
// Rules: the state and setting shown are those of the most urgent setting seen
// (on > unknown > off > manual), this evaluation's findings winning ties; a setting's last
// outcome is kept while the state it explains still holds; a suspect's result is kept next to
// the platform's state, never instead of it.

/**
 * `proof`: how Untrain's last change of the setting was proven: "reloaded" (read afresh after a
 * reload, background/proof.js), "re-read" (only Untrain's own re-read after the click: a reload
 * is pending, or was not possible, `proof_note` says why), null (none: no change of Untrain's).
 * `proof_note`: null, "not-kept" (the platform served it on again after a reload), or why no
 * reload could prove it ("signed-out", "page-gone", "tab-closed", "unreadable", "timed-out",
 * "reload-failed"). `proved_at`: when the reload proved it.
 * @typedef {{ state: string, title: string, label: string, automation: string,
 *   checked_at: number | null, outcome: string | null, message: string | null,
 *   proof?: string | null, proof_note?: string | null, proved_at?: number | null }} SettingStatus
 */
/**
 * `proof`, `proof_note`, `proved_at`: those of the setting shown (SettingStatus).
 * @typedef {{ state: string, setting: string | null, title: string, label: string,
 *   checked_at: number | null, url: string | null, outcome: string | null,
 *   message: string | null, proof?: string | null, proof_note?: string | null,
 *   proved_at?: number | null, rule_version: number | null, settings: Record<string, SettingStatus>,
 *   suspects: Record<string, object>, sites?: Record<string, Status>, was_off_at?: number }} Status
 */
/** @typedef {Record<string, Status>} StatusMap */

// A tab whose page says the same as the status it wrote less than a minute ago (only the check
// time would change) writes nothing: a page that re-evaluates constantly (DOM churn, URL floods)
// costs reads, not writes, audit entries and badge updates (security review M4). Another tab
// (a re-check, "opt out everywhere", a new visit) always writes: its check counts.
export const STATUS_REFRESH_MS = 60 * 1000;

// Worst state first: a setting that is on is what the person must see.
const STATE_ORDER = ["on", "unknown", "off", "manual"];

// Equal but for when they were checked (top level and per setting)? (`was_off_at` is derived
// from the stored history, `sites` kept beside the platform's own record.)
const TIME_KEYS = new Set(["checked_at", "was_off_at", "sites"]);

/**
 * What a stored page address keeps: origin and path. A query or a fragment can hold a
 * conversation id or a token, and status and audit entries end up in exports (review L10).
 * @param {string} url
 * @returns {string | null}
 */
export function pageUrl(url) {
  try {
    const u = new URL(url);
    return u.origin + u.pathname;
  } catch {
    return null;
  }
}

/**
 * The findings that say something: all but the settings the page does not show.
 * @param {Evaluation} evaluation
 */
export function presentFindings(evaluation) {
  return (evaluation.findings || []).filter((f) => !(f.state === "unknown" && f.reason === "absent"));
}

/**
 * Whether a settings page shows none of its platform's known settings (every finding "absent",
 * not signed out): the popup, opened on that tab, offers a page report (docs/rules.md, "Page
 * reports"). No banner says so: a page without the setting is common (a neighbouring tab of the
 * settings, a page still loading) and a banner there would be noise.
 * @param {PageInfo | null} page classify() of the page's address
 * @param {Evaluation} evaluation
 */
export function showsNoKnownSetting(page, evaluation) {
  return Boolean(page && page.settings_page) && !evaluation.signed_out && presentFindings(evaluation).length === 0;
}

/**
 * The stored record a page of `site` (or of the platform itself, site null) reads and writes.
 * @param {StatusMap} status
 * @param {string} platform
 * @param {string | null} site
 * @returns {Status | null}
 */
export function recordOf(status, platform, site) {
  const p = status[platform] ?? null;
  return site ? (p?.sites?.[site] ?? null) : p;
}

/**
 * Puts `record` where recordOf() reads it (mutates `status`); the platform's sites stay.
 * @param {StatusMap} status
 * @param {string} platform
 * @param {string | null} site
 * @param {Status} record
 */
export function putRecord(status, platform, site, record) {
  const p = status[platform] ?? null;
  if (site) {
    status[platform] = { ...(p ?? emptyStatus(null)), sites: { ...(p?.sites ?? {}), [site]: record } };
  } else {
    status[platform] = p?.sites ? { ...record, sites: p.sites } : record;
  }
}

/**
 * Equal but for check times?
 * @param {unknown} a
 * @param {unknown} b
 */
export function sameButTimes(a, b) {
  /** @param {unknown} x */
  const strip = (x) => JSON.stringify(x, (key, value) => (TIME_KEYS.has(key) ? undefined : value));
  return strip(a) === strip(b);
}

/**
 * A record that knows nothing yet, keeping what `previous` knew of its settings and suspects.
 * @param {Status | null} previous
 * @returns {Status}
 */
export function emptyStatus(previous) {
  return {
    state: "unknown",
    setting: null,
    title: "",
    label: previous?.label ?? "",
    checked_at: null,
    url: null,
    outcome: null,
    message: null,
    rule_version: previous?.rule_version ?? null,
    settings: previous?.settings ?? {},
    suspects: previous?.suspects ?? {},
  };
}

/**
 * The platform's record from its per-setting entries: the state and setting shown are those of
 * the most urgent setting seen (on > unknown > off > manual); `present`'s settings win ties.
 * @param {Status | null} previous
 * @param {Record<string, SettingStatus>} settings
 * @param {{ setting: string, rule_version: number | null }[]} present
 * @param {string | null} url
 * @param {number} now
 * @returns {Status}
 */
export function summarise(previous, settings, present, url, now) {
  const ids = [...present.map((f) => f.setting), ...Object.keys(settings)];
  /** @type {{ id: string, s: SettingStatus, rank: number } | null} */
  let best = null;
  for (const id of ids) {
    const s = settings[id];
    if (!s) continue;
    const rank = STATE_ORDER.indexOf(s.state);
    if (rank < 0) continue;
    if (!best || rank < best.rank) best = { id, s, rank };
  }
  const f = present.find((x) => x.setting === best?.id);
  return {
    state: best ? best.s.state : "unknown",
    setting: best ? best.id : null,
    title: best ? best.s.title : "",
    label: best ? best.s.label : "",
    checked_at: now,
    url,
    outcome: best ? (best.s.outcome ?? null) : null,
    message: best ? (best.s.message ?? null) : null,
    proof: best ? (best.s.proof ?? null) : null,
    proof_note: best ? (best.s.proof_note ?? null) : null,
    proved_at: best ? (best.s.proved_at ?? null) : null,
    rule_version: f ? f.rule_version : (previous?.rule_version ?? null),
    settings,
    suspects: previous?.suspects ?? {},
  };
}

/**
 * The record after an evaluation, or null when it read nothing (late rendering: keep what was
 * known). `firstSetting`: the platform's first automatic setting (named while signed out).
 * @param {Status | null} previous
 * @param {Evaluation} evaluation
 * @param {{ url: string | null, now: number, firstSetting: { id: string, title: string } | null }} context
 * @returns {Status | null}
 */
export function afterEvaluation(previous, evaluation, { url, now, firstSetting }) {
  if (evaluation.signed_out) {
    return {
      ...emptyStatus(previous),
      state: "signed-out",
      setting: previous?.setting ?? firstSetting?.id ?? null,
      title: previous?.title ?? firstSetting?.title ?? "",
      checked_at: now,
      url,
      settings: previous?.settings ?? {},
    };
  }
  const present = presentFindings(evaluation);
  if (present.length === 0) return null;
  const settings = { ...(previous?.settings ?? {}) };
  for (const f of present) {
    const old = settings[f.setting];
    const same = old && old.state === f.state;
    settings[f.setting] = {
      state: f.state,
      title: f.title,
      label: f.label || "",
      automation: f.automation,
      checked_at: now,
      // Keep the last result (and its proof) while the state it explains still holds.
      outcome: same ? (old.outcome ?? null) : null,
      message: same ? (old.message ?? null) : null,
      proof: same ? (old.proof ?? null) : null,
      proof_note: same ? (old.proof_note ?? null) : null,
      proved_at: same ? (old.proved_at ?? null) : null,
    };
  }
  return summarise(previous, settings, present, url, now);
}

/**
 * The record after a plan ended (`action.kind` "done" or "failed"). `info`: the plan's setting
 * as platforms() lists it (null for a suspect, or a setting the rules no longer have).
 * @param {Status | null} previous
 * @param {Plan} plan
 * @param {Action} action
 * @param {{ info: SettingInfo | null, url: string | null, now: number }} context
 * @returns {Status}
 */
export function afterOutcome(previous, plan, action, { info, url, now }) {
  const done = action.kind === "done";
  const result = {
    outcome: done ? action.outcome : "failed",
    message: action.kind === "failed" ? action.message || action.reason || null : null,
    checked_at: now,
    // Untrain's own re-read after the click (a reload proves it next: afterProof); an opt-out
    // that found the setting already off changed nothing, so its read is all the proof there is.
    proof: done && (action.outcome === "turned-off" || action.outcome === "already-off") ? "re-read" : null,
    proof_note: null,
    proved_at: null,
  };
  if (plan.setting === "suspected") {
    // A suspect's result is kept next to the platform's state, never instead of it.
    const key = `suspected:${String(plan.suspect ?? "")}`;
    /** @type {Record<string, any>} */
    const suspects = { ...(previous?.suspects ?? {}) };
    suspects[key] = {
      ...result,
      state: action.kind === "done" ? "off" : (suspects[key]?.state ?? "unknown"),
      label: action.label || suspects[key]?.label || "",
    };
    return { ...emptyStatus(previous), ...(previous ?? {}), suspects };
  }
  const settings = { ...(previous?.settings ?? {}) };
  const old = settings[plan.setting] ?? null;
  const guided = info?.automation === "guided";
  settings[plan.setting] = {
    state: guided ? "manual" : action.kind === "done" ? "off" : (old?.state ?? "unknown"),
    title: info?.title ?? old?.title ?? "",
    label: action.label || old?.label || "",
    automation: info?.automation ?? old?.automation ?? "automatic",
    ...result,
  };
  const present = [{ setting: plan.setting, rule_version: previous?.rule_version ?? null }];
  return summarise(previous, settings, present, url, now);
}

/**
 * Whether writing `next` would only refresh check times that this tab wrote a moment ago.
 * @param {{ tab: number, at: number } | undefined} last the last write for this record
 * @param {number} tabId
 * @param {number} now
 * @param {Status | null} previous
 * @param {Status} next
 */
export function isRecentRepeat(last, tabId, now, previous, next) {
  const recent = Boolean(last) && last.tab === tabId && now - last.at < STATUS_REFRESH_MS;
  return recent && Boolean(previous) && sameButTimes(previous, next);
}

/**
 * The record after a proof by reload ended (background/proof.js ProofResult per item).
 * Kept: the setting is off, proven by the reload. Not kept: the setting is on again, and the
 * opt-out failed ("not-kept"). No fresh read possible: the re-read stays the only proof, and
 * `proof_note` says why. Never makes a setting "off" that the fresh read did not show off.
 * @param {Status | null} previous
 * @param {{ key: string, setting: string, suspect: string | null, label: string, proof: string,
 *   note: string }[]} results
 * @param {{ url: string | null, now: number }} context
 * @returns {Status}
 */
export function afterProof(previous, results, { url, now }) {
  const settings = { ...(previous?.settings ?? {}) };
  /** @type {Record<string, any>} */
  const suspects = { ...(previous?.suspects ?? {}) };
  const present = [];
  for (const r of results) {
    const kept = r.proof === "reloaded" && r.note === "kept";
    const notKept = r.proof === "reloaded" && r.note === "not-kept";
    const proof = {
      proof: kept || notKept ? "reloaded" : "re-read",
      proof_note: kept ? null : r.note,
      proved_at: kept || notKept ? now : null,
    };
    if (r.suspect !== null) {
      const old = suspects[r.key] ?? {};
      suspects[r.key] = {
        ...old,
        ...proof,
        state: kept ? "off" : notKept ? "on" : (old.state ?? "unknown"),
        outcome: notKept ? "failed" : (old.outcome ?? null),
        message: notKept ? "not kept after reloading" : (old.message ?? null),
        label: old.label || r.label || "",
        checked_at: now,
      };
      continue;
    }
    const old = settings[r.setting] ?? null;
    settings[r.setting] = {
      state: kept ? "off" : notKept ? "on" : (old?.state ?? "unknown"),
      title: old?.title ?? "",
      label: old?.label || r.label || "",
      automation: old?.automation ?? "automatic",
      checked_at: now,
      outcome: notKept ? "failed" : (old?.outcome ?? null),
      message: notKept ? "not kept after reloading" : (old?.message ?? null),
      ...proof,
    };
    present.push({ setting: r.setting, rule_version: previous?.rule_version ?? null });
  }
  if (present.length === 0) return { ...emptyStatus(previous), ...(previous ?? {}), suspects };
  return { ...summarise(previous, settings, present, url, now), suspects };
}
