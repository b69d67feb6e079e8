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
import { markTab, takeMark } from "./auto-tabs.js";
import { serialQueue } from "./queue.js";
import { repairEvents, repairStatus } from "./repair.js";

const api = globalThis.browser ?? globalThis.chrome;

const MAX_MESSAGE_CHARS = 2 * 1024 * 1024;
// A tab whose page says the same as the status it wrote less than a minute ago (only the check
// time would change) writes nothing: a page that re-evaluates constantly (DOM churn, URL floods)
// costs reads, not writes, audit entries and badge updates (security review M4). Another tab
// (a re-check, "opt out everywhere", a new visit) always writes: its check counts.
const STATUS_REFRESH_MS = 60 * 1000;
const lastWrite = new Map(); // "<platform>|<site>" -> { tab, at } (memory only: at worst one more write)
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

// Content scripts never read or write extension storage (they ask the background), so where the
// browser can (Chromium), storage.local is closed to them: a compromised page process cannot
// rewrite the status behind the background's checks (security review L11). Firefox supports
// access levels only for storage.session, which is trusted-only by default.
try {
  const p = api.storage.local.setAccessLevel?.({ accessLevel: "TRUSTED_CONTEXTS" });
  if (p && typeof p.catch === "function") p.catch(() => {});
} catch {
  /* not supported here */
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

// What a stored page address keeps: origin and path. A query or a fragment can hold a
// conversation id or a token, and status and audit entries end up in exports (review L10).
function pageUrl(url) {
  try {
    const u = new URL(url);
    return u.origin + u.pathname;
  } catch {
    return null;
  }
}

// The page's site when its host is one that a customer of the platform controls: a host that
// only a wildcard of the rules matches ("*.squarespace.com" serves every Squarespace site, whose
// owners run their own scripts there). Such a page speaks for its own site only: its results go
// to status[platform].sites[host], never to the platform's own state, its re-check or the
// badge, and it is never run without the person (no auto, not part of "opt out everywhere").
// null for the platform's own hosts. (docs/security.md, "Hosts that others control".)
function siteOf(e, platformId, url) {
  const host = hostOf(url);
  const p = platformInfo(e, platformId);
  if (!p || !host) return null;
  return p.hosts.includes(host) ? null : host;
}

function platformInfo(e, platformId) {
  return e.platforms().find((x) => x.id === platformId) ?? null;
}

// The stored record a page of `site` (or of the platform itself) reads and writes.
function recordOf(status, platform, site) {
  const p = status[platform] ?? null;
  return site ? p?.sites?.[site] ?? null : p;
}

function putRecord(status, platform, site, record) {
  const p = status[platform] ?? null;
  if (site) {
    status[platform] = { ...(p ?? emptyStatus(null)), sites: { ...(p?.sites ?? {}), [site]: record } };
  } else {
    status[platform] = p?.sites ? { ...record, sites: p.sites } : record;
  }
}

// Equal but for when they were checked (top level and per setting)? (`was_off_at` is derived
// from the stored history, `sites` kept beside the platform's own record.)
const TIME_KEYS = new Set(["checked_at", "was_off_at", "sites"]);
function sameButTimes(a, b) {
  const strip = (x) => JSON.stringify(x, (key, value) => (TIME_KEYS.has(key) ? undefined : value));
  return strip(a) === strip(b);
}

async function evaluate(e, snapshot, tabId) {
  const evaluation = e.evaluate(snapshot);
  const platform = evaluation.platform;
  const site = siteOf(e, platform, snapshot.url);
  const url = pageUrl(snapshot.url);
  const present = (evaluation.findings || []).filter(
    (f) => !(f.state === "unknown" && f.reason === "absent"),
  );
  let previous = null;
  await updateStatus((status) => {
    previous = recordOf(status, platform, site);
    const now = Date.now();
    let next;
    if (evaluation.signed_out) {
      const setting = firstAutomaticSetting(e, platform);
      next = {
        ...emptyStatus(previous),
        state: "signed-out",
        setting: previous?.setting ?? setting?.id ?? null,
        title: previous?.title ?? setting?.title ?? "",
        checked_at: now,
        url,
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
      next = summarise(previous, settings, present, url, now);
    } else {
      return false; // nothing readable yet (late rendering): keep what we knew
    }
    const key = `${platform}|${site ?? ""}`;
    const last = lastWrite.get(key);
    const recent = last && last.tab === tabId && now - last.at < STATUS_REFRESH_MS;
    if (recent && previous && sameButTimes(previous, next)) {
      return false; // this tab said the same a moment ago: nothing to write
    }
    putRecord(status, platform, site, next);
    lastWrite.set(key, { tab: tabId, at: now });
    return true;
  }, "evaluate");
  const conclusive = evaluation.signed_out || present.length > 0;
  // A site that a customer controls never gets an automatic opt-out, nor a part in the run.
  const auto = site ? false : await takeMark(tabId, platform, conclusive);
  if (!site) await everywhere.onEvaluation(tabId, evaluation); // popup hook
  return { ok: true, evaluation, auto, previous, settings: settingInfos(e, platform), site };
}

// The platform's settings as platforms() describes them, by id (instructions, links and
// prepared texts for the banner's guided and safe-by-default findings).
function settingInfos(e, platformId) {
  const p = platformInfo(e, platformId);
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
    const site = siteOf(e, platform, snapshot.url);
    const url = pageUrl(snapshot.url);
    await updateStatus((status) => {
      const previous = recordOf(status, platform, site);
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
        putRecord(status, platform, site, { ...emptyStatus(previous), ...(previous ?? {}), suspects });
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
      putRecord(status, platform, site, summarise(previous, settings, present, url, now));
      return true;
    }, "step");
    if (!site) await everywhere.onStep(tabId, plan.setting, action); // popup hook
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
  const p = platformInfo(e, platformId);
  return p ? p.settings.find((s) => s.id === settingId) ?? null : null;
}

function firstAutomaticSetting(e, platformId) {
  const p = platformInfo(e, platformId);
  if (!p) return null;
  return p.settings.find((s) => s.automation === "automatic") ?? null;
}

// ------------------------------------------------------------------ popup: open and opt out

async function openAndOptOut(e, message) {
  const setting = firstAutomaticSetting(e, message.platform);
  if (!setting) {
    // Guided (and safe-by-default only) platforms: open the form or the page, never `auto`.
    const p = platformInfo(e, message.platform);
    const guided = p ? p.settings.find((s) => s.automation === "guided") : null;
    const target = guided ? guided.form_url || guided.settings_url : p?.settings[0]?.settings_url;
    if (!target) return fail("no setting for this platform");
    const tab = await api.tabs.create({ url: target, active: true });
    return { ok: true, tab: tab.id, auto: false };
  }
  // Marked before it loads (about:blank first), so the page's first evaluation finds the mark.
  const tab = await api.tabs.create({ url: "about:blank", active: true });
  await markTab(tab.id, message.platform, setting.id);
  await api.tabs.update(tab.id, { url: setting.settings_url });
  return { ok: true, tab: tab.id, auto: true };
}

// ------------------------------------------------------------------ status + badge

/** The stored status, repaired where unreadable (the next write records the repair). */
async function readStatus() {
  const { status } = await api.storage.local.get("status");
  return repairStatus(status).status;
}

// Read-modify-write of the status object, serialised so two tabs cannot lose an update.
const statusQueue = serialQueue();

function updateStatus(change, kind) {
  return statusQueue(async () => {
    const { status: stored } = await api.storage.local.get("status");
    const { status, notes } = repairStatus(stored);
    const before = structuredClone(status); // popup hook
    const changed = change(status) !== false;
    if (!changed && notes.length === 0) return;
    annotateReenabled(before, status); // popup hook: was_off_at
    await api.storage.local.set({ status });
    if (notes.length) await audit.record(repairEvents(notes)).catch(() => {});
    // The badge is cosmetic: its failure never fails the reply, nor skips the audit (review L3).
    await setBadge(status).catch(() => {});
    if (changed) await audit.statusWritten(before, status, kind); // popup hook
  });
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
