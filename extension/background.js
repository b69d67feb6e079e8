// Untrain background (ES module): the service worker in Chrome, the event page in Firefox.
//
// Loads the Rust engine (WebAssembly) lazily once per wake, answers the messages of
// docs/architecture.md ("Messages") after checking who sent them, and keeps the status of
// every platform in storage.local (key "status") plus the toolbar badge.
// Nothing lives only in memory: a service worker sleeps after ~30 s idle.
import init, { Engine } from "./pkg/untrain.js";
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
    enginePromise = (async () => {
      await init({ module_or_path: api.runtime.getURL("pkg/untrain_bg.wasm") });
      return new Engine();
    })();
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
      };
    } else if (present.length > 0) {
      const f = present[0];
      const same = previous && previous.setting === f.setting && previous.state === f.state;
      status[platform] = {
        state: f.state,
        setting: f.setting,
        title: f.title,
        label: f.label || "",
        checked_at: now,
        url: snapshot.url,
        // Keep the last opt-out result while the state it explains still holds.
        outcome: same ? previous.outcome ?? null : null,
        message: same ? previous.message ?? null : null,
        rule_version: f.rule_version,
      };
    } else {
      return false; // nothing readable yet (late rendering): keep what we knew
    }
    return true;
  }, "evaluate");
  const conclusive = evaluation.signed_out || present.length > 0;
  const auto = await takeAuto(tabId, platform, conclusive);
  await everywhere.onEvaluation(tabId, evaluation); // popup hook
  return { ok: true, evaluation, auto, previous };
}

async function step(e, snapshot, plan, tabId) {
  if (!plan || typeof plan !== "object" || typeof plan.setting !== "string") return fail("bad plan");
  const { plan: next, action } = e.next_step(snapshot, plan);
  if (action && (action.kind === "done" || action.kind === "failed")) {
    const platform = e.classify(snapshot.url).platform;
    const setting = findSetting(e, platform, plan.setting);
    await updateStatus((status) => {
      const previous = status[platform] ?? null;
      const base = {
        ...emptyStatus(previous),
        setting: plan.setting,
        title: setting?.title ?? previous?.title ?? "",
        checked_at: Date.now(),
        url: snapshot.url,
      };
      if (action.kind === "done") {
        status[platform] = {
          ...base,
          state: "off",
          label: action.label || previous?.label || "",
          outcome: action.outcome,
          message: null,
        };
      } else {
        status[platform] = {
          ...base,
          state: previous && previous.setting === plan.setting ? previous.state : "unknown",
          outcome: "failed",
          message: action.message || action.reason || null,
        };
      }
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
  if (!setting) return fail("no automatic setting for this platform");
  const tab = await api.tabs.create({ url: setting.settings_url, active: true });
  const { auto_tabs: autoTabs = {} } = await api.storage.session.get("auto_tabs");
  const now = Date.now();
  for (const [id, entry] of Object.entries(autoTabs)) {
    if (!entry || now - entry.at > AUTO_TTL_MS) delete autoTabs[id];
  }
  autoTabs[String(tab.id)] = { platform: message.platform, setting: setting.id, at: now };
  await api.storage.session.set({ auto_tabs: autoTabs });
  return { ok: true, tab: tab.id };
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
