// Untrain "Opt out everywhere": the background runs every automatic platform in turn.
//
// For each platform: open its settings page in a background tab (about:blank first, marked as an
// opt-out tab, then navigated, so the content script's first evaluation finds the mark), wait for
// what the content script reports through `evaluate` / `step` (background.js calls
// onEvaluation / onStep), close the tab, go on. Each platform has a time limit. The run's state
// lives in storage.session (key "everywhere"), never only in memory: the popup may close and the
// service worker may sleep between two steps; an alarm is the time limit's backstop.
//
// Run state: { id, status: "running"|"finished"|"cancelled", started_at, finished_at, limit_ms,
//   keep_tabs, queue: [{ platform, name, setting, title, settings_url }], index,
//   current: { platform, setting, tab, started_at, deadline, seen } | null,
//   results: [{ platform, name, setting, title, outcome, reason, message, label, url, at }],
//   guided: [{ platform, name, settings: [{ id, title, settings_url, form_url, email,
//              instructions }] }] }
// outcome: "turned-off" | "already-off" | "signed-out" | "failed" | "timed-out" | "cancelled"
import { record } from "./audit.js";

const api = globalThis.browser ?? globalThis.chrome;

export const RUN_KEY = "everywhere";
export const ALARM = "untrain-everywhere";
export const DEFAULT_LIMIT_MS = 30000;
const MIN_LIMIT_MS = 2000;
const MAX_LIMIT_MS = 5 * 60 * 1000;
const AUTO_TTL_MS = 10 * 60 * 1000;

let engineOf = null; // () => Promise<Engine>
let timer = 0;
let queue = Promise.resolve();

function serial(fn) {
  const run = queue.then(fn);
  queue = run.catch(() => {});
  return run;
}

async function readRun() {
  const { [RUN_KEY]: run = null } = await api.storage.session.get(RUN_KEY);
  return run && typeof run === "object" ? run : null;
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
      if (run.current.closing) return;
      await finishCurrent(run, { outcome: "failed", reason: "tab-closed", message: "the tab was closed" }, false);
    }).catch(() => {});
  });
  // A worker that slept through a deadline or between two platforms picks the run up again.
  resume().catch(() => {});
}

function resume() {
  return serial(async () => {
    const run = await readRun();
    if (!run || run.status !== "running") return;
    if (!run.current) await advance(run);
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
  let what = run.current.seen === "on" ? "the opt-out did not finish" : "the setting did not show";
  if (run.current.seen !== "on" && typeof run.current.tab === "number") {
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
      const setting = p.settings.find((s) => s.automation === "automatic");
      if (setting) {
        queueList.push({
          platform: p.id, name: p.name, setting: setting.id, title: setting.title,
          settings_url: setting.settings_url,
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
  let tab;
  try {
    tab = await api.tabs.create({ url: "about:blank", active: false });
    await markAuto(tab.id, item);
    const now = Date.now();
    run.current = {
      platform: item.platform, setting: item.setting, tab: tab.id, started_at: now,
      deadline: now + run.limit_ms, seen: null, closing: false,
    };
    await writeRun(run);
    armTimer(run.current.deadline);
    await api.tabs.update(tab.id, { url: item.settings_url });
  } catch (error) {
    const message = String((error && error.message) || error);
    if (tab && !run.current) run.current = { platform: item.platform, setting: item.setting, tab: tab.id };
    if (!run.current) run.current = { platform: item.platform, setting: item.setting, tab: null };
    await finishCurrent(run, { outcome: "failed", reason: "no-tab", message });
  }
}

async function markAuto(tabId, item) {
  const { auto_tabs: autoTabs = {} } = await api.storage.session.get("auto_tabs");
  const now = Date.now();
  for (const [id, entry] of Object.entries(autoTabs)) {
    if (!entry || now - entry.at > AUTO_TTL_MS) delete autoTabs[id];
  }
  autoTabs[String(tabId)] = { platform: item.platform, setting: item.setting, at: now };
  await api.storage.session.set({ auto_tabs: autoTabs });
}

/** Records the current platform's result, closes its tab and goes on. Call inside serial(). */
async function finishCurrent(run, result, closeTab = true) {
  const cur = run.current;
  const item = run.queue[run.index] || {};
  run.results.push({
    platform: item.platform ?? cur?.platform, name: item.name ?? "", setting: item.setting ?? null,
    title: item.title ?? "", outcome: result.outcome, reason: result.reason ?? null,
    message: result.message ?? null, label: result.label ?? null, url: result.url ?? item.settings_url ?? null,
    at: Date.now(),
  });
  if (result.outcome === "timed-out" || (result.outcome === "failed" && result.reason === "tab-closed") ||
      result.reason === "no-tab") {
    // Outcomes the status hook never sees: into the audit log here.
    await record([{
      time: Date.now(), event: "failed", platform: item.platform, setting: item.setting ?? null,
      label: item.title ?? "", before: null, after: null, url: item.settings_url ?? null,
      rule_version: null, outcome: result.outcome, message: result.message ?? null,
    }]).catch(() => {});
  }
  run.index += 1;
  if (cur && typeof cur.tab === "number" && closeTab && !run.keep_tabs) {
    cur.closing = true;
    await writeRun(run);
    await api.tabs.remove(cur.tab).catch(() => {});
  }
  await advance(run);
}

function pick(evaluation, setting) {
  const present = (evaluation.findings || []).filter((f) => !(f.state === "unknown" && f.reason === "absent"));
  return present.find((f) => f.setting === setting) || present[0] || null;
}

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
    const f = pick(evaluation, run.current.setting);
    if (!f) return; // nothing rendered yet: keep waiting until the time limit
    if (f.state === "off" && run.current.seen !== "on") {
      await finishCurrent(run, { outcome: "already-off", label: f.label });
    } else if (f.state === "unknown" && run.current.seen !== "on") {
      await finishCurrent(run, {
        outcome: "failed", reason: f.reason || "unreadable",
        message: `could not read the setting (${f.reason || "unreadable"})`, label: f.label,
      });
    } else if (f.state === "on" && run.current.seen !== "on") {
      run.current.seen = "on"; // the content script runs the opt-out; its `step` ends it
      await writeRun(run);
    }
  }).catch(() => {});
}

/** Hook (background.js step): the end of an opt-out in tab `tabId`. */
export function onStep(tabId, action) {
  if (typeof tabId !== "number" || !action || (action.kind !== "done" && action.kind !== "failed")) {
    return Promise.resolve();
  }
  return serial(async () => {
    const run = await readRun();
    if (!run || run.status !== "running" || !run.current || run.current.tab !== tabId) return;
    if (action.kind === "done") {
      await finishCurrent(run, { outcome: action.outcome === "already-off" ? "already-off" : "turned-off", label: action.label });
    } else {
      await finishCurrent(run, { outcome: "failed", reason: action.reason || null, message: action.message || null });
    }
  }).catch(() => {});
}

/** Cancels a running run: the current tab is closed, the rest is marked cancelled. */
export function cancel() {
  return serial(async () => {
    const run = await readRun();
    if (!run || run.status !== "running") return run;
    const cur = run.current;
    for (let i = run.index; i < run.queue.length; i++) {
      const item = run.queue[i];
      run.results.push({
        platform: item.platform, name: item.name, setting: item.setting, title: item.title,
        outcome: "cancelled", reason: "cancelled", message: null, label: null, url: item.settings_url, at: Date.now(),
      });
    }
    run.index = run.queue.length;
    run.current = null;
    run.status = "cancelled";
    run.finished_at = Date.now();
    clearTimeout(timer);
    await api.alarms.clear(ALARM);
    await writeRun(run);
    if (cur && typeof cur.tab === "number" && !run.keep_tabs) await api.tabs.remove(cur.tab).catch(() => {});
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
