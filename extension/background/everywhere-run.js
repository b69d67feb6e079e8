// @ts-check
// "Opt out everywhere", its decisions (pure, no browser API; ES module): which platforms the run
// takes and in what form, what each evaluation or step means for a setting, the results of a
// time-out or a cancel, and the audit entries of outcomes the status never sees.
// background/everywhere.js keeps the run in storage.session and drives tabs and alarms with
// them; tests/unit/everywhere-run.test.mjs drives them directly.
//
// Run state: { id, status: "running"|"finished"|"cancelled", started_at, finished_at, limit_ms,
//   keep_tabs,
//   queue: [{ platform, name, settings: [{ id, title }], settings_url }], index,
//   current: { platform, tab, started_at, deadline, seen: { <setting>: "on" },
//              ended: { <setting>: true } } | null,
//   opening: { index, tab } | null     a tab being opened for queue[index] (tab: null until known)
//   closing: [tab ids]                  tabs of finished platforms still to close
//   results: [{ platform, name, setting, title, outcome, reason, message, label, url, at }],
//   guided: [{ platform, name, settings: [{ id, title, settings_url, form_url, email,
//              instructions }] }] }
// One result per automatic setting. outcome: "turned-off" | "already-off" | "not-sure" |
// "signed-out" | "failed" | "timed-out" | "cancelled". "not-sure": the control was found by its
// wording only (the keyword fallback) and reads on: Untrain never acts on that without the
// person, so the run leaves it to them.
import { presentFindings } from "./status.js";

/** @typedef {{ platform: string, name: string, settings: { id: string, title: string }[], settings_url: string }} QueueItem */
/**
 * `proving`: settings turned off whose proof by reload is pending (their labels in
 * `proving_labels`); they end when it ends.
 * @typedef {{ platform: string, tab: number | null, started_at?: number, deadline?: number,
 *   seen: Record<string, string>, ended: Record<string, boolean>,
 *   proving?: Record<string, boolean>, proving_labels?: Record<string, string> }} Current
 */
/** @typedef {{ outcome: string, reason?: string | null, message?: string | null, label?: string | null }} Result */
/**
 * @typedef {{ platform: string, name: string, setting: string, title: string, outcome: string,
 *   reason: string | null, message: string | null, label: string | null, url: string | null,
 *   at: number }} RunResult
 */
/**
 * @typedef {{ platform: string, name: string, settings: { id: string, title: string,
 *   settings_url: string, form_url: string | null, email: string | null,
 *   instructions: string[] }[] }} GuidedItem
 */
/**
 * @typedef {{ id: string, status: string, started_at: number, finished_at: number | null,
 *   limit_ms: number, keep_tabs: boolean, queue: QueueItem[], index: number,
 *   current: Current | null, opening: { index: number, tab: number | null } | null,
 *   closing: number[], results: RunResult[], guided: GuidedItem[] }} Run
 */

export const DEFAULT_LIMIT_MS = 30000;
const MIN_LIMIT_MS = 2000;
const MAX_LIMIT_MS = 5 * 60 * 1000;

/**
 * A time limit per platform within bounds, or null for none given (or nonsense).
 * @param {unknown} value
 */
export function clampLimit(value) {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return null;
  return Math.min(Math.max(Math.round(n), MIN_LIMIT_MS), MAX_LIMIT_MS);
}

/**
 * A guided setting's instructions as lines, in `lang`, else en, else the first language.
 * @param {unknown} texts
 * @param {string} lang
 * @returns {string[]}
 */
export function firstText(texts, lang) {
  if (!texts) return [];
  if (Array.isArray(texts)) return texts.map(String);
  if (typeof texts === "string") return [texts];
  const map = /** @type {Record<string, unknown>} */ (texts);
  const list = map[lang] || map.en || Object.values(map)[0] || [];
  return Array.isArray(list) ? list.map(String) : [String(list)];
}

/**
 * What a run takes: each platform with an automatic setting, in the rules' order, as one queue
 * item (all its automatic settings, opened at the first one's page); platforms with guided
 * settings only are listed for the summary. `only`: the platforms asked for (null: all).
 * @param {PlatformInfo[]} platforms
 * @param {Set<string> | null} only
 * @param {string} lang
 * @returns {{ queue: QueueItem[], guided: GuidedItem[] }}
 */
export function planRun(platforms, only, lang) {
  const queue = [];
  const guided = [];
  for (const p of platforms) {
    if (only && !only.has(p.id)) continue;
    const automatic = p.settings.filter((s) => s.automation === "automatic");
    if (automatic.length) {
      queue.push({
        platform: p.id,
        name: p.name,
        settings_url: automatic[0].settings_url,
        settings: automatic.map((s) => ({ id: s.id, title: s.title })),
      });
    } else if (p.settings.some((s) => s.automation === "guided")) {
      guided.push({
        platform: p.id,
        name: p.name,
        settings: p.settings
          .filter((s) => s.automation === "guided")
          .map((s) => ({
            id: s.id,
            title: s.title,
            settings_url: s.settings_url,
            form_url: s.form_url ?? null,
            email: s.email ?? null,
            instructions: firstText(s.instructions, lang),
          })),
      });
    }
  }
  return { queue, guided };
}

/**
 * A new run, not started yet (index 0, nothing open).
 * @param {{ id: string, now: number, limitMs: number, keepTabs: boolean, queue: QueueItem[], guided: GuidedItem[] }} options
 * @returns {Run}
 */
export function newRun({ id, now, limitMs, keepTabs, queue, guided }) {
  return {
    id,
    status: "running",
    started_at: now,
    finished_at: null,
    limit_ms: limitMs,
    keep_tabs: keepTabs,
    queue,
    index: 0,
    current: null,
    opening: null,
    closing: [],
    results: [],
    guided,
  };
}

/**
 * The result line of one setting.
 * @param {Partial<QueueItem>} item
 * @param {{ id: string, title?: string }} setting
 * @param {Result} result
 * @param {number} now
 * @returns {RunResult}
 */
export function resultOf(item, setting, result, now) {
  return {
    platform: item.platform ?? "",
    name: item.name ?? "",
    setting: setting.id,
    title: setting.title ?? "",
    outcome: result.outcome,
    reason: result.reason ?? null,
    message: result.message ?? null,
    label: result.label ?? null,
    url: item.settings_url ?? null,
    at: now,
  };
}

/**
 * What an evaluation in the platform's tab says about one of its settings: a result that ends
 * it, "on" (the content script runs the opt-out; its step ends it), or null (nothing yet).
 * @param {Finding | undefined} finding
 * @returns {Result | "on" | null}
 */
export function findingResult(finding) {
  if (!finding) return null;
  if (finding.state === "off") return { outcome: "already-off", label: finding.label };
  if (finding.state === "unknown") {
    return {
      outcome: "failed",
      reason: finding.reason || "unreadable",
      message: `could not read the setting (${finding.reason || "unreadable"})`,
      label: finding.label,
    };
  }
  if (finding.state === "on" && finding.matched_by === "keywords") {
    // Found by its wording only: never acted on without the person.
    return {
      outcome: "not-sure",
      reason: "keywords",
      message: "Untrain is not sure this is the setting; check it yourself",
      label: finding.label,
    };
  }
  if (finding.state === "on") return "on";
  return null;
}

/**
 * For each of the current platform's settings still open, what `evaluation` decides
 * (findingResult), in the queue item's order; settings already ended or already seen on are
 * left out.
 * @param {QueueItem} item
 * @param {Current} current
 * @param {Evaluation} evaluation
 * @returns {{ setting: string, result: Result | "on" }[]}
 */
export function evaluationResults(item, current, evaluation) {
  const findings = presentFindings(evaluation);
  const out = [];
  for (const s of item.settings) {
    const f = findings.find((x) => x.setting === s.id);
    if (!f || current.ended[s.id] || current.seen[s.id] === "on") continue;
    const result = findingResult(f);
    if (result) out.push({ setting: s.id, result });
  }
  return out;
}

/**
 * The result of a plan that ended (`action.kind` "done" or "failed").
 * @param {Action} action
 * @returns {Result}
 */
export function stepResult(action) {
  if (action.kind === "done") {
    return { outcome: action.outcome === "already-off" ? "already-off" : "turned-off", label: action.label };
  }
  return { outcome: "failed", reason: action.reason || null, message: action.message || null };
}

/**
 * The result of a setting that was turned off, once its proof by reload ended
 * (background/proof.js ProofResult): kept is "turned-off"; not kept is a failure; no fresh read
 * possible is "turned-off" with reason "unconfirmed" and the note why as its message.
 * @param {{ proof: string, note: string }} proof
 * @param {string | null | undefined} label
 * @returns {Result}
 */
export function proofResult(proof, label) {
  if (proof.proof === "reloaded" && proof.note === "kept") return { outcome: "turned-off", label };
  if (proof.proof === "reloaded") {
    return { outcome: "failed", reason: "not-kept", message: "the platform did not keep the change", label };
  }
  // `message`: why (background/proof.js notes), which the popup words.
  return { outcome: "turned-off", reason: "unconfirmed", message: proof.note, label };
}

/**
 * The settings of `item` not ended yet.
 * @param {{ settings: { id: string, title: string }[] }} item
 * @param {Current | null} current
 */
export function openSettings(item, current) {
  return item.settings.filter((s) => !current?.ended?.[s.id]);
}

/**
 * Outcomes the status never sees (no step reported them), which go into the audit log here.
 * @param {Result} result
 */
export function logged(result) {
  return result.outcome === "timed-out" || result.reason === "tab-closed" || result.reason === "no-tab";
}

/**
 * Audit entries (event "failed") of settings that ended with `result` (see logged()).
 * @param {Partial<QueueItem>} item
 * @param {{ id: string, title?: string }[]} settings
 * @param {Result} result
 * @param {number} time
 */
export function failureEntries(item, settings, result, time) {
  return settings.map((s) => ({
    time,
    event: "failed",
    platform: item.platform,
    site: null,
    setting: s.id,
    label: s.title ?? "",
    before: null,
    after: null,
    url: item.settings_url ?? null,
    rule_version: null,
    outcome: result.outcome,
    message: result.message ?? null,
  }));
}

/**
 * The message of a time-out. `seenOn`: a setting read on (its opt-out did not finish); `where`:
 * the tab's URL and classify() of it, when known (null: the tab is gone, or not asked).
 * @param {boolean} seenOn
 * @param {{ url: string, page: PageInfo | null } | null} where
 * @param {number} limitMs
 */
export function timeOutMessage(seenOn, where, limitMs) {
  let what = seenOn ? "the opt-out did not finish" : "the setting did not show";
  if (!seenOn && where) {
    // Where did the tab end up? A sign-in redirect is the usual reason (tab.url is readable only
    // on the platforms' hosts: elsewhere it is empty).
    if (!where.url || where.url === "about:blank") {
      if (where.url !== "about:blank") what = "the page left the platform's site (signed out?)";
    } else if (!where.page) {
      what = "the page left the platform's site (signed out?)";
    } else if (!where.page.settings_page) {
      try {
        what = `the page went to ${new URL(where.url).pathname} instead of the settings page (signed out?)`;
      } catch {
        /* keep the plain message */
      }
    }
  }
  return `${what} within ${Math.round(limitMs / 1000)} s`;
}

/**
 * The results of a cancel: every setting of the current platform not ended yet and every
 * setting of the platforms after it.
 * @param {Run} run
 * @param {number} now
 */
export function cancelledResults(run, now) {
  const cancelled = { outcome: "cancelled", reason: "cancelled", message: null };
  const out = [];
  for (let i = run.index; i < run.queue.length; i++) {
    const item = run.queue[i];
    for (const s of item.settings) {
      if (i === run.index && run.current?.ended?.[s.id]) continue;
      out.push(resultOf(item, s, cancelled, now));
    }
  }
  return out;
}
