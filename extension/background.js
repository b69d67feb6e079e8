// Untrain background (ES module): the service worker in Chrome, the event page in Firefox.
//
// Loads the Rust engine (WebAssembly) lazily once per wake, answers the messages of
// docs/architecture.md ("Messages") after checking who sent them, and keeps the status of
// every platform in storage.local (key "status") plus the toolbar badge.
// Nothing lives only in memory: a service worker sleeps after ~30 s idle.
import { loadEngine } from "./engine.js";
// >>> popup hooks: opt out everywhere, audit log, re-checks (see those modules)
import * as audit from "./audit.js";
import * as everywhere from "./everywhere.js";
import * as reminders from "./reminders.js";
import { annotateReenabled, badgeText } from "./recheck.js";
// <<< popup hooks

const api = globalThis.browser ?? globalThis.chrome;

const MAX_MESSAGE_CHARS = 2 * 1024 * 1024;
const AUTO_TTL_MS = 10 * 60 * 1000;
const CONTENT_TYPES = new Set(["classify", "evaluate", "step"]);
// >>> popup hooks: message types of everywhere.js, audit.js, reminders.js (extension pages only)
const EXTRA_POPUP = { ...everywhere.messages, ...audit.messages, ...reminders.messages };
// <<< popup hooks
const POPUP_TYPES = new Set(["platforms", "status", "open-and-opt-out", ...Object.keys(EXTRA_POPUP)]);

// ------------------------------------------------------------------ engine

let enginePromise = null;

function engine() {
  if (!enginePromise) {
    enginePromise = loadEngine(api.runtime.getURL("pkg/untrain_bg.wasm"));
    // A failed load is retried on the next message instead of failing forever.
    enginePromise.catch(() => {
      enginePromise = null;
    });
  }
  return enginePromise;
}

// ------------------------------------------------------------------ messages

// Registered synchronously at the top level so a message can wake the worker.
api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  handle(message, sender).then(sendResponse, (error) => {
    sendResponse({ ok: false, error: errorText(error) });
  });
  return true;
});

api.runtime.onInstalled.addListener(() => {
  refreshBadge().catch(() => {});
  reminders.ensureAlarm().catch(() => {}); // popup hook
});
api.runtime.onStartup.addListener(() => {
  refreshBadge().catch(() => {});
  reminders.ensureAlarm().catch(() => {}); // popup hook
});
// >>> popup hooks: listeners of the run and the reminder, registered at the top level
everywhere.setup({ engine });
reminders.setup({ engine, refreshBadge });
// <<< popup hooks

function errorText(error) {
  if (error && typeof error === "object" && "message" in error) return String(error.message);
  return String(error);
}

function fail(error) {
  return { ok: false, error };
}

function hostOf(url) {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

function isExtensionPage(sender) {
  const base = api.runtime.getURL("");
  return typeof sender.url === "string" && sender.url.startsWith(base);
}

async function handle(message, sender) {
  if (!message || typeof message !== "object" || Array.isArray(message)) return fail("bad message");
  const type = message.type;
  if (!CONTENT_TYPES.has(type) && !POPUP_TYPES.has(type)) return fail("unknown message type");
  if (!sender || sender.id !== api.runtime.id) return fail("unknown sender");
  let size;
  try {
    size = JSON.stringify(message).length;
  } catch {
    return fail("message is not JSON");
  }
  if (size > MAX_MESSAGE_CHARS) return fail("message too large");

  if (POPUP_TYPES.has(type)) {
    // Extension pages only: the popup, or the popup page opened in a tab (tests). A content
    // script's sender.url is the web page's, so it never passes.
    if (!isExtensionPage(sender)) return fail("not allowed from this sender");
    const e = await engine();
    if (type === "platforms") return { ok: true, platforms: e.platforms() };
    if (type === "status") return { ok: true, status: await readStatus() };
    if (Object.hasOwn(EXTRA_POPUP, type)) return EXTRA_POPUP[type](message); // popup hook
    return openAndOptOut(e, message);
  }

  // Content-script types: the top frame of a tab on one of the rules' hosts.
  if (!sender.tab || sender.frameId !== 0 || typeof sender.url !== "string") {
    return fail("not allowed from this sender");
  }
  if (!sender.url.startsWith("https://")) return fail("not allowed from this sender");
  const e = await engine();
  const senderPage = e.classify(sender.url);
  if (!senderPage) return fail("not allowed from this sender");

  if (type === "classify") {
    if (typeof message.url !== "string") return fail("bad url");
    if (hostOf(message.url) !== hostOf(sender.url)) return fail("url is not the sender's");
    return { ok: true, page: e.classify(message.url) };
  }

  const snapshot = message.snapshot;
  if (!snapshot || typeof snapshot !== "object" || typeof snapshot.url !== "string") {
    return fail("bad snapshot");
  }
  // A page may only speak about its own platform.
  const snapPage = e.classify(snapshot.url);
  if (!snapPage || snapPage.platform !== senderPage.platform) return fail("snapshot is not the sender's");

  if (type === "evaluate") return evaluate(e, snapshot, sender.tab.id);
  return step(e, snapshot, message.plan, sender.tab.id);
}

// ------------------------------------------------------------------ evaluate / step

async function evaluate(e, snapshot, tabId) {
  const evaluation = e.evaluate(snapshot);
  const platform = evaluation.platform;
  const present = (evaluation.findings || []).filter(
    (f) => !(f.state === "unknown" && f.reason === "absent"),
  );
  let previous = null;
  await updateStatus((status) => {
    previous = status[platform] ?? null;
    const now = Date.now();
    if (evaluation.signed_out) {
      const setting = firstAutomaticSetting(e, platform);
      status[platform] = {
        ...emptyStatus(previous),
        state: "signed-out",
        setting: previous?.setting ?? setting?.id ?? null,
        title: previous?.title ?? setting?.title ?? "",
        checked_at: now,
        url: snapshot.url,
        settings: previous?.settings ?? {},
      };
    } else if (present.length > 0) {
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
          // Keep the last result while the state it explains still holds.
          outcome: same ? old.outcome ?? null : null,
          message: same ? old.message ?? null : null,
        };
      }
      status[platform] = summarise(previous, settings, present, snapshot.url, now);
    } else {
      return false; // nothing readable yet (late rendering): keep what we knew
    }
    return true;
  }, "evaluate");
  const conclusive = evaluation.signed_out || present.length > 0;
  const auto = await takeAuto(tabId, platform, conclusive);
  await everywhere.onEvaluation(tabId, evaluation); // popup hook
  return { ok: true, evaluation, auto, previous, settings: settingInfos(e, platform) };
}

// The platform's settings as platforms() describes them, by id (instructions, links and
// prepared texts for the banner's guided and safe-by-default findings).
function settingInfos(e, platformId) {
  const p = e.platforms().find((x) => x.id === platformId);
  const out = {};
  for (const s of p ? p.settings : []) out[s.id] = s;
  return out;
}

// Worst state first: a setting that is on is what the person must see.
const STATE_ORDER = ["on", "unknown", "off", "manual"];

// The platform's status from its per-setting entries: the state and setting shown are those
// of the most urgent setting seen (on > unknown > off > manual); this evaluation's findings
// win ties.
function summarise(previous, settings, present, url, now) {
  const ids = [...present.map((f) => f.setting), ...Object.keys(settings)];
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
    outcome: best ? best.s.outcome ?? null : null,
    message: best ? best.s.message ?? null : null,
    rule_version: f ? f.rule_version : previous?.rule_version ?? null,
    settings,
    suspects: previous?.suspects ?? {},
  };
}

async function step(e, snapshot, plan, tabId) {
  if (!plan || typeof plan !== "object" || typeof plan.setting !== "string") return fail("bad plan");
  const { plan: next, action } = e.next_step(snapshot, plan);
  if (action && (action.kind === "done" || action.kind === "failed")) {
    const platform = e.classify(snapshot.url).platform;
    await updateStatus((status) => {
      const previous = status[platform] ?? null;
      const now = Date.now();
      const result = {
        outcome: action.kind === "done" ? action.outcome : "failed",
        message: action.kind === "failed" ? action.message || action.reason || null : null,
        checked_at: now,
      };
      if (plan.setting === "suspected") {
        // A suspect's result is kept next to the platform's state, never instead of it.
        const key = `suspected:${String(plan.suspect ?? "")}`;
        const suspects = { ...(previous?.suspects ?? {}) };
        suspects[key] = {
          ...result,
          state: action.kind === "done" ? "off" : suspects[key]?.state ?? "unknown",
          label: action.label || suspects[key]?.label || "",
        };
        status[platform] = { ...emptyStatus(previous), ...(previous ?? {}), suspects };
        return true;
      }
      const info = findSetting(e, platform, plan.setting);
      const settings = { ...(previous?.settings ?? {}) };
      const old = settings[plan.setting] ?? null;
      const guided = info?.automation === "guided";
      settings[plan.setting] = {
        state: guided ? "manual" : action.kind === "done" ? "off" : old?.state ?? "unknown",
        title: info?.title ?? old?.title ?? "",
        label: action.label || old?.label || "",
        automation: info?.automation ?? old?.automation ?? "automatic",
        ...result,
      };
      const present = [{ setting: plan.setting, rule_version: previous?.rule_version ?? null }];
      status[platform] = summarise(previous, settings, present, snapshot.url, now);
      return true;
    }, "step");
    await everywhere.onStep(tabId, action); // popup hook
  }
  return { ok: true, plan: next, action };
}

function emptyStatus(previous) {
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

function findSetting(e, platformId, settingId) {
  const p = e.platforms().find((x) => x.id === platformId);
  return p ? p.settings.find((s) => s.id === settingId) ?? null : null;
}

function firstAutomaticSetting(e, platformId) {
  const p = e.platforms().find((x) => x.id === platformId);
  if (!p) return null;
  return p.settings.find((s) => s.automation === "automatic") ?? null;
}

// ------------------------------------------------------------------ popup: open and opt out

async function openAndOptOut(e, message) {
  const setting = firstAutomaticSetting(e, message.platform);
  if (!setting) {
    // Guided (and safe-by-default only) platforms: open the form or the page, never `auto`.
    const p = e.platforms().find((x) => x.id === message.platform);
    const guided = p ? p.settings.find((s) => s.automation === "guided") : null;
    const target = guided ? guided.form_url || guided.settings_url : p?.settings[0]?.settings_url;
    if (!target) return fail("no setting for this platform");
    const tab = await api.tabs.create({ url: target, active: true });
    return { ok: true, tab: tab.id, auto: false };
  }
  const tab = await api.tabs.create({ url: setting.settings_url, active: true });
  const { auto_tabs: autoTabs = {} } = await api.storage.session.get("auto_tabs");
  const now = Date.now();
  for (const [id, entry] of Object.entries(autoTabs)) {
    if (!entry || now - entry.at > AUTO_TTL_MS) delete autoTabs[id];
  }
  autoTabs[String(tab.id)] = { platform: message.platform, setting: setting.id, at: now };
  await api.storage.session.set({ auto_tabs: autoTabs });
  return { ok: true, tab: tab.id, auto: true };
}

// True once for a tab the popup opened for this platform. Consumed only by an evaluation that
// could read something (a late-rendering page asks again).
async function takeAuto(tabId, platform, consume) {
  if (typeof tabId !== "number") return false;
  const { auto_tabs: autoTabs = {} } = await api.storage.session.get("auto_tabs");
  const entry = autoTabs[String(tabId)];
  if (!entry) return false;
  const fresh = entry.platform === platform && Date.now() - entry.at <= AUTO_TTL_MS;
  if (consume || !fresh) {
    delete autoTabs[String(tabId)];
    await api.storage.session.set({ auto_tabs: autoTabs });
  }
  return fresh;
}

// ------------------------------------------------------------------ status + badge

async function readStatus() {
  const { status = {} } = await api.storage.local.get("status");
  return status && typeof status === "object" ? status : {};
}

// Read-modify-write of the status object, serialised so two tabs cannot lose an update.
let statusQueue = Promise.resolve();

function updateStatus(change, kind) {
  const run = statusQueue.then(async () => {
    const status = await readStatus();
    const before = structuredClone(status); // popup hook
    if (change(status) === false) return;
    annotateReenabled(before, status); // popup hook: was_off_at
    await api.storage.local.set({ status });
    await setBadge(status);
    await audit.statusWritten(before, status, kind); // popup hook
  });
  statusQueue = run.catch(() => {});
  return run;
}

async function refreshBadge() {
  await setBadge(await readStatus());
}

async function setBadge(status) {
  // popup hook: the count of platforms that are on, else "!" while a re-check is due
  const text = badgeText(status, await reminders.readReminder());
  await api.action.setBadgeText({ text });
  if (text) await api.action.setBadgeBackgroundColor({ color: text === "!" ? "#a4461b" : "#5b2bb5" });
}
