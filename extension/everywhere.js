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
//
// A worker that restarts mid-run resumes from storage: `opening` and `closing` are written
// before the tab is created or closed, so a restart between the two neither skips a platform nor
// leaves a blank tab behind (security review L2).
import { record } from "./audit.js";
import { forgetTab, markTab } from "./auto-tabs.js";
import { serialQueue } from "./queue.js";

const api = globalThis.browser ?? globalThis.chrome;

export const RUN_KEY = "everywhere";
export const ALARM = "untrain-everywhere";
export const DEFAULT_LIMIT_MS = 30000;
const MIN_LIMIT_MS = 2000;
const MAX_LIMIT_MS = 5 * 60 * 1000;

let engineOf = null; // () => Promise<Engine>
let timer = 0;
const serial = serialQueue();

async function readRun() {
  const { [RUN_KEY]: run = null } = await api.storage.session.get(RUN_KEY);
  if (!run || typeof run !== "object" || !Array.isArray(run.queue) || !Array.isArray(run.results)) return null;
  return run;
}

function writeRun(run) {
  return api.storage.session.set({ [RUN_KEY]: run });
}

/** Called once, synchronously, at the background's top level: registers the listeners. */
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

async function timeOut(run) {
  const seconds = Math.round(run.limit_ms / 1000);
  const seenOn = Object.keys(run.current.seen || {}).length > 0;
  let what = seenOn ? "the opt-out did not finish" : "the setting did not show";
  if (!seenOn && typeof run.current.tab === "number") {
    // Where did the tab end up? A sign-in redirect is the usual reason (tab.url is readable only
    // on the platforms' hosts: elsewhere it is empty).
    try {
      const tab = await api.tabs.get(run.current.tab);
      const page = tab.url ? (await engineOf()).classify(tab.url) : null;
      if (!tab.url || tab.url === "about:blank") {
        if (tab.url !== "about:blank") what = "the page left the platform's site (signed out?)";
      } else if (!page) {
        what = "the page left the platform's site (signed out?)";
      } else if (!page.settings_page) {
        const u = new URL(tab.url);
        what = `the page went to ${u.pathname} instead of the settings page (signed out?)`;
      }
    } catch {
      /* the tab is gone: keep the plain message */
    }
  }
  return finishCurrent(run, { outcome: "timed-out", reason: "timed-out", message: `${what} within ${seconds} s` });
}

function clampLimit(value) {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return null;
  return Math.min(Math.max(Math.round(n), MIN_LIMIT_MS), MAX_LIMIT_MS);
}

function firstText(texts, lang) {
  if (!texts) return [];
  if (Array.isArray(texts)) return texts.map(String);
  if (typeof texts === "string") return [texts];
  const list = texts[lang] || texts.en || Object.values(texts)[0] || [];
  return Array.isArray(list) ? list.map(String) : [String(list)];
}

/** Starts a run (or returns the running one). options: { platforms?: [id], limit_ms? }. */
export function start(options = {}) {
  return serial(async () => {
    const existing = await readRun();
    if (existing && existing.status === "running") return existing;
    const e = await engineOf();
    const only = Array.isArray(options.platforms) ? new Set(options.platforms.map(String)) : null;
    const stored = await api.storage.local.get(["everywhere_limit_ms", "everywhere_keep_tabs"]);
    const limit = clampLimit(options.limit_ms) ?? clampLimit(stored.everywhere_limit_ms) ?? DEFAULT_LIMIT_MS;
    const lang = (api.i18n.getMessage("locale") || "en").slice(0, 2);
    const queueList = [];
    const guided = [];
    for (const p of e.platforms()) {
      if (only && !only.has(p.id)) continue;
      const automatic = p.settings.filter((s) => s.automation === "automatic");
      if (automatic.length) {
        queueList.push({
          platform: p.id, name: p.name, settings_url: automatic[0].settings_url,
          settings: automatic.map((s) => ({ id: s.id, title: s.title })),
        });
      } else if (p.settings.some((s) => s.automation === "guided")) {
        guided.push({
          platform: p.id,
          name: p.name,
          settings: p.settings.filter((s) => s.automation === "guided").map((s) => ({
            id: s.id, title: s.title, settings_url: s.settings_url, form_url: s.form_url ?? null,
            email: s.email ?? null, instructions: firstText(s.instructions, lang),
          })),
        });
      }
    }
    const run = {
      id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      status: "running",
      started_at: Date.now(),
      finished_at: null,
      limit_ms: limit,
      keep_tabs: stored.everywhere_keep_tabs === true,
      queue: queueList,
      index: 0,
      current: null,
      opening: null,
      closing: [],
      results: [],
      guided,
    };
    await advance(run);
    return run;
  });
}

/** Opens the next platform's page, or ends the run. Call inside serial(). */
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
      platform: item.platform, tab: tab.id, started_at: now, deadline: now + run.limit_ms, seen: {}, ended: {},
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

function resultOf(item, setting, result) {
  return {
    platform: item.platform, name: item.name ?? "", setting: setting.id, title: setting.title ?? "",
    outcome: result.outcome, reason: result.reason ?? null, message: result.message ?? null,
    label: result.label ?? null, url: item.settings_url ?? null, at: Date.now(),
  };
}

// Outcomes the status hook never sees: into the audit log here.
function logged(result) {
  return result.outcome === "timed-out" || result.reason === "tab-closed" || result.reason === "no-tab";
}

/** Ends one setting of the current platform; when all have ended, the platform. */
async function endSetting(run, settingId, result) {
  const cur = run.current;
  const item = run.queue[run.index];
  const setting = item && item.settings.find((s) => s.id === settingId);
  if (!cur || !setting || cur.ended[settingId]) return;
  cur.ended[settingId] = true;
  run.results.push(resultOf(item, setting, result));
  if (item.settings.every((s) => cur.ended[s.id])) await finishCurrent(run, null);
  else await writeRun(run);
}

/**
 * Ends the current platform: every setting not ended yet gets `result` (a time-out, a closed
 * tab, a sign-in page); then its tab is closed and the run goes on. Call inside serial().
 */
async function finishCurrent(run, result, closeTab = true) {
  const cur = run.current;
  const item = run.queue[run.index] || { settings: [] };
  if (result) {
    const open = item.settings.filter((s) => !cur?.ended?.[s.id]);
    for (const s of open) run.results.push(resultOf(item, s, result));
    if (logged(result) && open.length) {
      await record(open.map((s) => ({
        time: Date.now(), event: "failed", platform: item.platform, site: null, setting: s.id,
        label: s.title ?? "", before: null, after: null, url: item.settings_url ?? null,
        rule_version: null, outcome: result.outcome, message: result.message ?? null,
      }))).catch(() => {});
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

async function closeTab(tabId) {
  await api.tabs.remove(tabId).catch(() => {});
}

async function closePending(run) {
  const tabs = run.closing || [];
  if (!tabs.length) return;
  for (const tab of tabs) await closeTab(tab);
  run.closing = [];
  await writeRun(run);
}

const present = (evaluation) =>
  (evaluation.findings || []).filter((f) => !(f.state === "unknown" && f.reason === "absent"));

/** Hook (background.js evaluate): what the content script saw in tab `tabId`. */
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
    const item = run.queue[run.index];
    const cur = run.current;
    const findings = present(evaluation);
    let changed = false;
    for (const s of item.settings) {
      const f = findings.find((x) => x.setting === s.id);
      if (!f || cur.ended[s.id] || cur.seen[s.id] === "on") continue;
      if (f.state === "off") {
        await endSetting(run, s.id, { outcome: "already-off", label: f.label });
      } else if (f.state === "unknown") {
        await endSetting(run, s.id, {
          outcome: "failed", reason: f.reason || "unreadable",
          message: `could not read the setting (${f.reason || "unreadable"})`, label: f.label,
        });
      } else if (f.state === "on" && f.matched_by === "keywords") {
        // Found by its wording only: never acted on without the person.
        await endSetting(run, s.id, {
          outcome: "not-sure", reason: "keywords",
          message: "Untrain is not sure this is the setting; check it yourself", label: f.label,
        });
      } else if (f.state === "on") {
        cur.seen[s.id] = "on"; // the content script runs the opt-out; its `step` ends it
        changed = true;
      }
      if (run.current !== cur) return; // the platform ended (and the run moved on)
    }
    if (changed) await writeRun(run);
  }).catch(() => {});
}

/** Hook (background.js step): the end of one setting's opt-out in tab `tabId`. */
export function onStep(tabId, settingId, action) {
  if (typeof tabId !== "number" || !action || (action.kind !== "done" && action.kind !== "failed")) {
    return Promise.resolve();
  }
  return serial(async () => {
    const run = await readRun();
    if (!run || run.status !== "running" || !run.current || run.current.tab !== tabId) return;
    if (action.kind === "done") {
      await endSetting(run, settingId, {
        outcome: action.outcome === "already-off" ? "already-off" : "turned-off", label: action.label,
      });
    } else {
      await endSetting(run, settingId, { outcome: "failed", reason: action.reason || null, message: action.message || null });
    }
  }).catch(() => {});
}

/** Cancels a running run: the current tab is closed, the rest is marked cancelled. */
export function cancel() {
  return serial(async () => {
    const run = await readRun();
    if (!run || run.status !== "running") return run;
    const cur = run.current;
    const cancelled = { outcome: "cancelled", reason: "cancelled", message: null };
    for (let i = run.index; i < run.queue.length; i++) {
      const item = run.queue[i];
      for (const s of item.settings) {
        if (i === run.index && cur?.ended?.[s.id]) continue;
        run.results.push(resultOf(item, s, cancelled));
      }
    }
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
  "everywhere-start": async (message) => ({
    ok: true,
    run: await start({ platforms: message.platforms, limit_ms: message.limit_ms }),
  }),
  "everywhere-cancel": async () => ({ ok: true, run: await cancel() }),
  "everywhere-status": async () => {
    await checkDeadline();
    return { ok: true, run: await readRun() };
  },
};
