// @ts-check
// Untrain "Opt out everywhere": the background runs every automatic platform in turn.
//
// For each platform: open its settings page in a background tab (about:blank first, marked as an
// opt-out tab, then navigated, so the content script's first evaluation finds the mark), follow
// what the content script reports through `evaluate` / `step` (background.js calls
// onEvaluation / onStep) for EACH of the platform's automatic settings (Copilot: text and voice;
// Alexa: two on one page), and when every one of them has ended, close the tab and go on. Each
// platform has a time limit. The run's state lives in storage.session (key "everywhere"), never
// only in memory: the popup may close and the service worker may sleep or restart between two
// steps; an alarm is the time limit's backstop.
//
// The run's state and its decisions: background/everywhere-run.js.
//
// A worker that restarts mid-run resumes from storage: `opening` and `closing` are written
// before the tab is created or closed, so a restart between the two neither skips a platform nor
// leaves a blank tab behind (security review L2).
import "../shared/messages.js";
import { serialQueue } from "../shared/queue.js";
import { record } from "./audit.js";
import { forgetTab, markTab } from "./auto-tabs.js";
import {
  DEFAULT_LIMIT_MS,
  cancelledResults,
  clampLimit,
  evaluationResults,
  failureEntries,
  logged,
  newRun,
  openSettings,
  planRun,
  proofResult,
  resultOf,
  stepResult,
  timeOutMessage,
} from "./everywhere-run.js";

/** @typedef {import("./everywhere-run.js").Run} Run */
/** @typedef {import("./everywhere-run.js").Result} Result */
/** @typedef {import("./engine.js").Engine} Engine */

const api = globalThis.browser ?? globalThis.chrome;

export const RUN_KEY = "everywhere";
export const ALARM = "untrain-everywhere";
/** @type {(() => Promise<Engine>) | null} */
let engineOf = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;
const serial = serialQueue();

/** @returns {Promise<Run | null>} */
async function readRun() {
  /** @type {any} */
  const { [RUN_KEY]: run = null } = await api.storage.session.get(RUN_KEY);
  if (!run || typeof run !== "object" || !Array.isArray(run.queue) || !Array.isArray(run.results)) return null;
  return run;
}

/** @param {Run} run */
function writeRun(run) {
  return api.storage.session.set({ [RUN_KEY]: run });
}

/** Called once, synchronously, at the background's top level: registers the listeners. */
/** @param {{ engine: () => Promise<Engine> }} hooks */
export function setup({ engine }) {
  engineOf = engine;
  api.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === ALARM) checkDeadline().catch(() => {});
  });
  api.tabs.onRemoved.addListener((tabId) => {
    serial(async () => {
      const run = await readRun();
      if (!run || run.status !== "running" || !run.current || run.current.tab !== tabId) return;
      await finishCurrent(run, { outcome: "failed", reason: "tab-closed", message: "the tab was closed" }, false);
    }).catch(() => {});
  });
  // A worker that slept through a deadline or between two platforms picks the run up again.
  resume().catch(() => {});
}

export function resume() {
  return serial(async () => {
    const run = await readRun();
    if (!run || run.status !== "running") return;
    await closePending(run);
    if (run.opening) {
      // The worker stopped while opening a tab (before it was sent to the platform's page):
      // close it, when it got that far, and open the platform again.
      const tab = run.opening.tab;
      run.opening = null;
      run.current = null;
      await writeRun(run);
      if (typeof tab === "number") {
        await forgetTab(tab).catch(() => {});
        await closeTab(tab);
      }
      await advance(run);
    } else if (!run.current) await advance(run);
    else if (Date.now() >= run.current.deadline) await timeOut(run);
    else armTimer(run.current.deadline);
  });
}

/** @param {number} deadline */
function armTimer(deadline) {
  clearTimeout(timer);
  timer = setTimeout(() => checkDeadline().catch(() => {}), Math.max(0, deadline - Date.now()) + 20);
  // The alarm wakes a worker that went to sleep (setTimeout dies with it).
  api.alarms.create(ALARM, { when: deadline + 50 });
}

function checkDeadline() {
  return serial(async () => {
    const run = await readRun();
    if (!run || run.status !== "running" || !run.current) return;
    if (Date.now() >= run.current.deadline) await timeOut(run);
    else armTimer(run.current.deadline);
  });
}

/** @param {Run} run */
async function timeOut(run) {
  const cur = /** @type {import("./everywhere-run.js").Current} */ (run.current);
  const seenOn = Object.keys(cur.seen || {}).length > 0;
  /** @type {{ url: string, page: PageInfo | null } | null} */
  let where = null;
  if (!seenOn && typeof cur.tab === "number") {
    try {
      const tab = await api.tabs.get(cur.tab);
      const url = tab.url ?? "";
      where = { url, page: url && engineOf ? (await engineOf()).classify(url) : null };
    } catch {
      /* the tab is gone: keep the plain message */
    }
  }
  const message = timeOutMessage(seenOn, where, run.limit_ms);
  return finishCurrent(run, { outcome: "timed-out", reason: "timed-out", message });
}

/**
 * Starts a run (or returns the running one). options: { platforms?: [id], limit_ms? }.
 * @param {{ platforms?: unknown, limit_ms?: unknown }} options
 * @returns {Promise<Run>}
 */
export function start(options = {}) {
  return serial(async () => {
    const existing = await readRun();
    if (existing && existing.status === "running") return existing;
    const e = await /** @type {() => Promise<Engine>} */ (engineOf)();
    const only = Array.isArray(options.platforms) ? new Set(options.platforms.map(String)) : null;
    const stored = await api.storage.local.get(["everywhere_limit_ms", "everywhere_keep_tabs"]);
    const limitMs = clampLimit(options.limit_ms) ?? clampLimit(stored.everywhere_limit_ms) ?? DEFAULT_LIMIT_MS;
    const lang = (api.i18n.getMessage("locale") || "en").slice(0, 2);
    const { queue, guided } = planRun(e.platforms(), only, lang);
    const run = newRun({
      id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      now: Date.now(),
      limitMs,
      keepTabs: stored.everywhere_keep_tabs === true,
      queue,
      guided,
    });
    await advance(run);
    return run;
  });
}

/**
 * Opens the next platform's page, or ends the run. Call inside serial().
 * @param {Run} run
 */
async function advance(run) {
  run.current = null;
  if (run.index >= run.queue.length) {
    run.status = "finished";
    run.finished_at = Date.now();
    clearTimeout(timer);
    await api.alarms.clear(ALARM);
    await writeRun(run);
    return;
  }
  const item = run.queue[run.index];
  // Written before the tab exists: a restart from here on re-opens this platform.
  run.opening = { index: run.index, tab: null };
  await writeRun(run);
  let tab;
  try {
    tab = await api.tabs.create({ url: "about:blank", active: false });
    run.opening.tab = tab.id;
    await writeRun(run);
    await markTab(tab.id, item.platform, item.settings[0]?.id ?? null);
    const now = Date.now();
    run.current = {
      platform: item.platform,
      tab: tab.id,
      started_at: now,
      deadline: now + run.limit_ms,
      seen: {},
      ended: {},
    };
    await writeRun(run);
    armTimer(run.current.deadline);
    await api.tabs.update(tab.id, { url: item.settings_url });
    // Only now is the platform's page on its way: a restart from here on waits for it.
    run.opening = null;
    await writeRun(run);
  } catch (error) {
    const message = String((error && error.message) || error);
    run.opening = null;
    run.current = { platform: item.platform, tab: tab ? tab.id : null, seen: {}, ended: {} };
    await finishCurrent(run, { outcome: "failed", reason: "no-tab", message });
  }
}

/**
 * Ends one setting of the current platform; when all have ended, the platform.
 * @param {Run} run
 * @param {string} settingId
 * @param {Result} result
 */
async function endSetting(run, settingId, result) {
  const cur = run.current;
  const item = run.queue[run.index];
  const setting = item && item.settings.find((s) => s.id === settingId);
  if (!cur || !setting || cur.ended[settingId]) return;
  cur.ended[settingId] = true;
  run.results.push(resultOf(item, setting, result, Date.now()));
  if (item.settings.every((s) => cur.ended[s.id])) await finishCurrent(run, null);
  else await writeRun(run);
}

/**
 * Ends the current platform: every setting not ended yet gets `result` (a time-out, a closed
 * tab, a sign-in page); then its tab is closed and the run goes on. Call inside serial().
 * @param {Run} run
 * @param {Result | null} result
 * @param {boolean} [closeTab]
 */
async function finishCurrent(run, result, closeTab = true) {
  const cur = run.current;
  const item = run.queue[run.index] || { settings: [] };
  if (result) {
    const open = openSettings(item, cur);
    for (const s of open) run.results.push(resultOf(item, s, result, Date.now()));
    if (logged(result) && open.length) {
      await record(failureEntries(item, open, result, Date.now())).catch(() => {});
    }
  }
  run.index += 1;
  run.current = null;
  run.opening = null;
  if (cur && typeof cur.tab === "number") {
    await forgetTab(cur.tab).catch(() => {});
    if (closeTab && !run.keep_tabs) run.closing = [...(run.closing || []), cur.tab];
  }
  // The tab to close is written down first: a restart closes it (closePending) instead of
  // leaving it open.
  await writeRun(run);
  await closePending(run);
  await advance(run);
}

/** @param {number} tabId */
async function closeTab(tabId) {
  await api.tabs.remove(tabId).catch(() => {});
}

/** @param {Run} run */
async function closePending(run) {
  const tabs = run.closing || [];
  if (!tabs.length) return;
  for (const tab of tabs) await closeTab(tab);
  run.closing = [];
  await writeRun(run);
}

/**
 * Hook (background.js evaluate): what the content script saw in tab `tabId`.
 * @param {number} tabId
 * @param {Evaluation} evaluation
 */
export function onEvaluation(tabId, evaluation) {
  if (typeof tabId !== "number" || !evaluation) return Promise.resolve();
  return serial(async () => {
    const run = await readRun();
    if (!run || run.status !== "running" || !run.current || run.current.tab !== tabId) return;
    if (evaluation.platform !== run.current.platform) return;
    if (evaluation.signed_out) {
      await finishCurrent(run, { outcome: "signed-out", reason: "signed-out", message: null });
      return;
    }
    const cur = run.current;
    let changed = false;
    for (const { setting, result } of evaluationResults(run.queue[run.index], cur, evaluation)) {
      if (result === "on") {
        cur.seen[setting] = "on"; // the content script runs the opt-out; its `step` ends it
        changed = true;
      } else {
        await endSetting(run, setting, result);
      }
      if (run.current !== cur) return; // the platform ended (and the run moved on)
    }
    if (changed) await writeRun(run);
  }).catch(() => {});
}

/**
 * Hook (background.js step): the end of one setting's opt-out in tab `tabId`.
 * @param {number} tabId
 * @param {string} settingId
 * @param {Action} action
 */
export function onStep(tabId, settingId, action) {
  if (typeof tabId !== "number" || !action || (action.kind !== "done" && action.kind !== "failed")) {
    return Promise.resolve();
  }
  return serial(async () => {
    const run = await readRun();
    if (!run || run.status !== "running" || !run.current || run.current.tab !== tabId) return;
    const result = stepResult(action);
    if (result.outcome === "turned-off") {
      // Not over until the reload proved that the platform kept it (onProof).
      run.current.proving = { ...(run.current.proving || {}), [settingId]: true };
      run.current.proving_labels = { ...(run.current.proving_labels || {}), [settingId]: result.label ?? "" };
      await writeRun(run);
      return;
    }
    await endSetting(run, settingId, result);
  }).catch(() => {});
}

/**
 * Hook (background.js, a proof by reload ended): what the fresh read after an opt-out in tab
 * `tabId` proved. The run's settings that onStep left waiting for it end now.
 * @param {number} tabId
 * @param {import("./proof.js").ProofResult[]} results
 */
export function onProof(tabId, results) {
  if (typeof tabId !== "number" || !Array.isArray(results)) return Promise.resolve();
  return serial(async () => {
    const run = await readRun();
    if (!run || run.status !== "running" || !run.current || run.current.tab !== tabId) return;
    const cur = run.current;
    for (const r of results) {
      if (!cur.proving || !cur.proving[r.setting]) continue;
      delete cur.proving[r.setting];
      await endSetting(run, r.setting, proofResult(r, cur.proving_labels?.[r.setting] ?? r.label));
      if (run.current !== cur) return;
    }
  }).catch(() => {});
}

/** Cancels a running run: the current tab is closed, the rest is marked cancelled. */
export function cancel() {
  return serial(async () => {
    const run = await readRun();
    if (!run || run.status !== "running") return run;
    const cur = run.current;
    run.results.push(...cancelledResults(run, Date.now()));
    run.index = run.queue.length;
    run.current = null;
    run.opening = null;
    run.status = "cancelled";
    run.finished_at = Date.now();
    if (cur && typeof cur.tab === "number") {
      await forgetTab(cur.tab).catch(() => {});
      if (!run.keep_tabs) run.closing = [...(run.closing || []), cur.tab];
    }
    clearTimeout(timer);
    await api.alarms.clear(ALARM);
    await writeRun(run);
    await closePending(run);
    return run;
  });
}

/** Popup messages handled by the background (extension pages only; background.js checks). */
export const messages = {
  [UntrainMessages.MSG.EVERYWHERE_START]: async (/** @type {EverywhereStartMessage} */ message) => ({
    ok: true,
    run: await start({ platforms: message.platforms, limit_ms: message.limit_ms }),
  }),
  [UntrainMessages.MSG.EVERYWHERE_CANCEL]: async () => ({ ok: true, run: await cancel() }),
  [UntrainMessages.MSG.EVERYWHERE_STATUS]: async () => {
    await checkDeadline();
    return { ok: true, run: await readRun() };
  },
};
