// @ts-check
// Untrain background (ES module): the service worker in Chrome, the event page in Firefox.
//
// Loads the Rust engine (WebAssembly) lazily once per wake, answers the messages of
// shared/messages.js (docs/architecture.md, "Messages") after checking who sent them, and keeps
// the status of every platform in storage.local (key "status", background/status.js) plus the
// toolbar badge. Nothing lives only in memory: a service worker sleeps after ~30 s idle.
import "../shared/messages.js";
import { serialQueue } from "../shared/queue.js";
import { annotateReenabled, badgeText } from "../shared/recheck.js";
import { repairEvents, repairStatus } from "../shared/repair.js";
import * as audit from "./audit.js";
import { markTab, takeMark } from "./auto-tabs.js";
import { loadEngine } from "./engine.js";
import * as everywhere from "./everywhere.js";
import * as proofTabs from "./proof-tabs.js";
import { proofItems } from "./proof.js";
import * as reminders from "./reminders.js";
import { browserName } from "./report.js";
import {
  afterEvaluation,
  afterOutcome,
  afterProof,
  isRecentRepeat,
  pageUrl,
  presentFindings,
  putRecord,
  recordOf,
  showsNoKnownSetting,
} from "./status.js";

/** @typedef {import("./engine.js").Engine} Engine */
/** @typedef {import("./status.js").Status} Status */
/** @typedef {import("./status.js").StatusMap} StatusMap */

const api = globalThis.browser ?? globalThis.chrome;
const { MSG, CONTENT_TYPES, POPUP_TYPES, MAX_MESSAGE_CHARS, payloadError, fail } = UntrainMessages;

/** "<platform>|<site>" -> { tab, at } of the last status write (memory only: at worst one more write) */
const lastWrite = new Map();
// The last snapshot of each tab's settings page (memory only, never stored): what a page report
// (docs/rules.md) is made of when the person asks for one. At most LAST_PAGES tabs, the most
// recently evaluated (a snapshot is at most MAX_MESSAGE_CHARS; usually tens of KB).
/** @type {Map<number, Snapshot>} */
const lastPages = new Map();
const LAST_PAGES = 8;

/**
 * @param {number} tabId
 * @param {Snapshot} snapshot
 */
function keepPage(tabId, snapshot) {
  lastPages.delete(tabId);
  lastPages.set(tabId, snapshot);
  if (lastPages.size > LAST_PAGES) lastPages.delete(lastPages.keys().next().value);
}

// ------------------------------------------------------------------ engine

/** @type {Promise<Engine> | null} */
let enginePromise = null;

/** @returns {Promise<Engine>} */
function engine() {
  if (!enginePromise) {
    const loading = loadEngine(api.runtime.getURL("pkg/untrain_bg.wasm"), api.runtime.getURL("rules.json"));
    enginePromise = loading;
    // A failed load is retried on the next message instead of failing forever.
    loading.catch(() => {
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
    sendResponse(fail(errorText(error)));
  });
  return true;
});

api.runtime.onInstalled.addListener(() => {
  refreshBadge().catch(() => {});
  reminders.ensureAlarm().catch(() => {});
});
api.runtime.onStartup.addListener(() => {
  refreshBadge().catch(() => {});
  reminders.ensureAlarm().catch(() => {});
});
// The listeners of the run and of the reminder, registered at the top level too.
everywhere.setup({ engine });
reminders.setup({ engine, refreshBadge });
proofTabs.setup({ classify: async (url) => (await engine()).classify(url), onResults: proofEnded });

/**
 * The handler of each popup message type (extension pages only).
 * @type {Record<string, (e: Engine, message: any) => Promise<object> | object>}
 */
const POPUP_HANDLERS = {
  [MSG.PLATFORMS]: (e) => ({ ok: true, platforms: e.platforms() }),
  [MSG.STATUS]: async () => ({ ok: true, status: await readStatus() }),
  [MSG.OPEN_AND_OPT_OUT]: (e, message) => openAndOptOut(e, message),
  [MSG.EVERYWHERE_START]: (e, message) => everywhere.messages[MSG.EVERYWHERE_START](message),
  [MSG.EVERYWHERE_CANCEL]: () => everywhere.messages[MSG.EVERYWHERE_CANCEL](),
  [MSG.EVERYWHERE_STATUS]: () => everywhere.messages[MSG.EVERYWHERE_STATUS](),
  [MSG.AUDIT_CLEAR]: () => audit.messages[MSG.AUDIT_CLEAR](),
  [MSG.RECHECK_NOW]: (e, message) => reminders.messages[MSG.RECHECK_NOW](message),
  [MSG.RECHECK_DISMISS]: () => reminders.messages[MSG.RECHECK_DISMISS](),
  [MSG.PAGE_REPORT]: (e, message) => pageReport(e, message),
  [MSG.TAB_PAGE]: (e, message) => tabPage(e, message),
};

/**
 * What Untrain last saw in a tab (memory only: nothing after the worker slept): its platform,
 * and whether the settings page showed none of the known settings.
 * @param {Engine} e
 * @param {{ tab?: unknown }} message
 */
function tabPage(e, message) {
  const snapshot = typeof message.tab === "number" ? lastPages.get(message.tab) : undefined;
  const page = snapshot ? e.classify(snapshot.url) : null;
  if (!snapshot || !page) return { ok: true, page: null };
  const noKnown = showsNoKnownSetting(page, e.evaluate(snapshot));
  return { ok: true, page: { platform: page.platform, name: page.name, no_known_setting: noKnown } };
}

/**
 * The page report of a tab's settings page (its last snapshot), or of the platform's most
 * recently read settings page (the popup's row), for the report page to show.
 * @param {Engine} e
 * @param {{ tab?: unknown, platform?: unknown }} message
 */
function pageReport(e, message) {
  const snapshot =
    typeof message.tab === "number"
      ? lastPages.get(message.tab)
      : typeof message.platform === "string"
        ? [...lastPages.values()].reverse().find((x) => e.classify(x.url)?.platform === message.platform)
        : undefined;
  if (!snapshot) return fail("no settings page to report: reload it, then try again");
  const report = e.report(snapshot, e.evaluate(snapshot), {
    browser: browserName(globalThis.navigator?.userAgent ?? ""),
    version: api.runtime.getManifest().version,
  });
  return { ok: true, report };
}

/** @param {unknown} error */
function errorText(error) {
  if (error && typeof error === "object" && "message" in error) return String(error.message);
  return String(error);
}

/** @param {string} url */
function hostOf(url) {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

/** @param {chrome.runtime.MessageSender} sender */
function isExtensionPage(sender) {
  const base = api.runtime.getURL("");
  return typeof sender.url === "string" && sender.url.startsWith(base);
}

/**
 * Checks who sent what, then answers: the type is on the allow-list, the sender is this
 * extension, the message is at most MAX_MESSAGE_CHARS of JSON; popup types only from extension
 * pages; content-script types only from the top frame of a tab on a rules host, about that page.
 * @param {any} message
 * @param {chrome.runtime.MessageSender} sender
 * @returns {Promise<object>}
 */
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
    return POPUP_HANDLERS[type](e, message);
  }

  // Content-script types: the top frame of a tab on one of the rules' hosts.
  if (!sender.tab || sender.frameId !== 0 || typeof sender.url !== "string") {
    return fail("not allowed from this sender");
  }
  if (!sender.url.startsWith("https://")) return fail("not allowed from this sender");
  const e = await engine();
  const senderPage = e.classify(sender.url);
  if (!senderPage) return fail("not allowed from this sender");
  const bad = payloadError(message);
  if (bad) return fail(bad);

  if (type === MSG.CLASSIFY) {
    if (hostOf(message.url) !== hostOf(sender.url)) return fail("url is not the sender's");
    return { ok: true, page: e.classify(message.url) };
  }
  if (type === MSG.PROVE) return prove(e, message, sender.url, sender.tab.id, senderPage);
  if (type === MSG.OPEN_REPORT) {
    // the report page of the sender's own tab, in a new tab; it shows the report before saving
    if (!lastPages.has(sender.tab.id)) return fail("no settings page to report");
    const url = api.runtime.getURL(`report/report.html?tab=${sender.tab.id}`);
    await api.tabs.create({ url });
    return { ok: true };
  }

  // A page may only speak about its own platform.
  const snapshot = message.snapshot;
  const snapPage = e.classify(snapshot.url);
  if (!snapPage || snapPage.platform !== senderPage.platform) return fail("snapshot is not the sender's");

  keepPage(sender.tab.id, snapshot);
  if (type === MSG.EVALUATE) return evaluate(e, snapshot, sender.tab.id);
  return step(e, snapshot, message.plan, sender.tab.id);
}

// ------------------------------------------------------------------ evaluate / step

/**
 * The page's site when its host is one that a customer of the platform controls: a host that
 * only a wildcard of the rules matches ("*.squarespace.com" serves every Squarespace site, whose
 * owners run their own scripts there). Such a page speaks for its own site only: its results go
 * to status[platform].sites[host], never to the platform's own state, its re-check or the
 * badge, and it is never run without the person (no auto, not part of "opt out everywhere").
 * null for the platform's own hosts. (docs/security.md, "Hosts that others control".)
 * @param {Engine} e
 * @param {string} platformId
 * @param {string} url
 */
function siteOf(e, platformId, url) {
  const host = hostOf(url);
  const p = platformInfo(e, platformId);
  if (!p || !host) return null;
  return p.hosts.includes(host) ? null : host;
}

/**
 * @param {Engine} e
 * @param {string} platformId
 */
function platformInfo(e, platformId) {
  return e.platforms().find((x) => x.id === platformId) ?? null;
}

/**
 * @param {Engine} e
 * @param {Snapshot} snapshot
 * @param {number} tabId
 * @returns {Promise<EvaluateReply>}
 */
async function evaluate(e, snapshot, tabId) {
  const evaluation = e.evaluate(snapshot);
  const platform = evaluation.platform;
  const site = siteOf(e, platform, snapshot.url);
  const url = pageUrl(snapshot.url);
  // A proof by reload pending in this tab (the reloaded page, or the background tab of a "tab"
  // proof) ends with this evaluation when it shows the settings (or a sign-in page).
  const proven = await proofTabs.onEvaluation(tabId, evaluation, Date.now());
  /** @type {Status | null} */
  let previous = null;
  await updateStatus(
    (status) => {
      previous = recordOf(status, platform, site);
      const now = Date.now();
      const firstSetting = evaluation.signed_out ? firstAutomaticSetting(e, platform) : null;
      let next = afterEvaluation(previous, evaluation, { url, now, firstSetting });
      if (proven) {
        putRecord(status, platform, site, afterProof(next ?? previous, proven.results, { url, now }));
        return true;
      }
      if (!next) return false; // nothing readable yet (late rendering): keep what we knew
      const key = `${platform}|${site ?? ""}`;
      if (isRecentRepeat(lastWrite.get(key), tabId, now, previous, next)) {
        return false; // this tab said the same a moment ago: nothing to write
      }
      putRecord(status, platform, site, next);
      lastWrite.set(key, { tab: tabId, at: now });
      return true;
    },
    proven ? "proof" : "evaluate",
  );
  if (proven) await proofReported(proven.proof, proven.results, tabId);
  // The reloaded page shows what its reload proved (a "tab" proof's page is told by message).
  const proof = proven && proven.proof.origin === tabId ? { results: proven.results, name: evaluation.name } : null;
  const conclusive = evaluation.signed_out || presentFindings(evaluation).length > 0;
  // A site that a customer controls never gets an automatic opt-out, nor a part in the run.
  const auto = site ? false : await takeMark(tabId, platform, conclusive);
  if (!site) await everywhere.onEvaluation(tabId, evaluation);
  return { ok: true, evaluation, auto, previous, settings: settingInfos(e, platform), site, proof };
}

// ------------------------------------------------------------------ proof by reload

/**
 * A `prove` message: the page's content script turned these settings off and re-read them off.
 * @param {Engine} e
 * @param {ProveMessage} message
 * @param {string} senderUrl
 * @param {number} tabId
 * @param {PageInfo} page
 */
async function prove(e, message, senderUrl, tabId, page) {
  const items = proofItems(message.items);
  if (!items) return fail("bad items");
  // The page's address now (after an in-app navigation), on the sender's own host and platform.
  if (hostOf(message.url) !== hostOf(senderUrl) || !message.url.startsWith("https://")) {
    return fail("url is not the sender's");
  }
  const now = e.classify(message.url);
  if (!now || now.platform !== page.platform) return fail("url is not the sender's");
  const site = siteOf(e, page.platform, message.url);
  return proofTabs.request({ origin: tabId, url: message.url, platform: page.platform, site, items, now: Date.now() });
}

/**
 * A proof that ended without a fresh read (its tab closed, the page gone, time ran out): record
 * it, and tell the page the person looks at.
 * @param {import("./proof-tabs.js").StoredProof} proof
 * @param {import("./proof.js").ProofResult[]} results
 */
async function proofEnded(proof, results) {
  const url = pageUrl(proof.url);
  await updateStatus((status) => {
    const previous = recordOf(status, proof.platform, proof.site);
    putRecord(status, proof.platform, proof.site, afterProof(previous, results, { url, now: Date.now() }));
    return true;
  }, "proof");
  await proofReported(proof, results, null);
}

/**
 * After a proof's results were recorded: the run of "opt out everywhere" hears of them, a
 * "tab" proof's background tab is closed, and the page the person looks at is told (unless it is
 * `answered`, the tab whose evaluate reply carries them).
 * @param {import("./proof-tabs.js").StoredProof} proof
 * @param {import("./proof.js").ProofResult[]} results
 * @param {number | null} answered
 */
async function proofReported(proof, results, answered) {
  if (!proof.site) await everywhere.onProof(proof.origin, results);
  if (proof.method === "tab" && typeof proof.tab === "number" && proof.tab !== proof.origin) {
    await api.tabs.remove(proof.tab).catch(() => {});
  }
  if (proof.origin === answered) return;
  const e = await engine();
  const name = platformInfo(e, proof.platform)?.name ?? proof.platform;
  try {
    await api.tabs.sendMessage(proof.origin, { type: MSG.PROOF_RESULT, platform: proof.platform, name, results });
  } catch {
    /* the page is gone or has no content script: the popup shows the result */
  }
}

/**
 * The platform's settings as platforms() describes them, by id (instructions, links and
 * prepared texts for the banner's guided and safe-by-default findings).
 * @param {Engine} e
 * @param {string} platformId
 */
function settingInfos(e, platformId) {
  const p = platformInfo(e, platformId);
  /** @type {Record<string, SettingInfo>} */
  const out = {};
  for (const s of p ? p.settings : []) out[s.id] = s;
  return out;
}

/**
 * @param {Engine} e
 * @param {Snapshot} snapshot
 * @param {Plan} plan
 * @param {number} tabId
 * @returns {Promise<StepReply>}
 */
async function step(e, snapshot, plan, tabId) {
  const { plan: next, action } = e.next_step(snapshot, plan);
  if (action && (action.kind === "done" || action.kind === "failed")) {
    const platform = e.classify(snapshot.url).platform;
    const site = siteOf(e, platform, snapshot.url);
    const url = pageUrl(snapshot.url);
    await updateStatus((status) => {
      const previous = recordOf(status, platform, site);
      const info = plan.setting === "suspected" ? null : findSetting(e, platform, plan.setting);
      putRecord(status, platform, site, afterOutcome(previous, plan, action, { info, url, now: Date.now() }));
      return true;
    }, "step");
    if (!site) await everywhere.onStep(tabId, plan.setting, action);
  }
  return { ok: true, plan: next, action };
}

/**
 * @param {Engine} e
 * @param {string} platformId
 * @param {string} settingId
 */
function findSetting(e, platformId, settingId) {
  const p = platformInfo(e, platformId);
  return p ? (p.settings.find((s) => s.id === settingId) ?? null) : null;
}

/**
 * @param {Engine} e
 * @param {string} platformId
 */
function firstAutomaticSetting(e, platformId) {
  const p = platformInfo(e, platformId);
  if (!p) return null;
  return p.settings.find((s) => s.automation === "automatic") ?? null;
}

// ------------------------------------------------------------------ popup: open and opt out

/**
 * @param {Engine} e
 * @param {OpenAndOptOutMessage} message
 */
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

/**
 * Changes the stored status through `change` (false: nothing to write), then records the write
 * in the audit log (re-enabled settings marked first) and updates the badge.
 * @param {(status: StatusMap) => boolean} change
 * @param {"evaluate" | "step" | "proof"} kind
 */
function updateStatus(change, kind) {
  return statusQueue(async () => {
    const { status: stored } = await api.storage.local.get("status");
    const { status, notes } = repairStatus(stored);
    const before = structuredClone(status);
    const changed = change(status) !== false;
    if (!changed && notes.length === 0) return;
    annotateReenabled(before, status); // was_off_at
    await api.storage.local.set({ status });
    if (notes.length) await audit.record(repairEvents(notes)).catch(() => {});
    // The badge is cosmetic: its failure never fails the reply, nor skips the audit (review L3).
    await setBadge(status).catch(() => {});
    if (changed) await audit.statusWritten(before, status, kind);
  });
}

async function refreshBadge() {
  await setBadge(await readStatus());
}

/**
 * The count of platforms that are on, else "!" while a re-check is due.
 * @param {StatusMap} status
 */
async function setBadge(status) {
  const text = badgeText(status, await reminders.readReminder());
  await api.action.setBadgeText({ text });
  if (text) await api.action.setBadgeBackgroundColor({ color: text === "!" ? "#a4461b" : "#5b2bb5" });
}
