// Untrain popup: the status of every platform, from the background's `platforms` and
// `status` messages; refreshes when storage changes. No inline scripts (extension CSP).
// >>> popup hooks: opt out everywhere, re-check notice, audit log, row order, re-enabled line
import { initAudit } from "./popup-audit.js";
import { initEverywhere, renderRecheck } from "./popup-everywhere.js";
import { orderPlatforms, reenabledLine } from "./popup-status.js";
// <<< popup hooks

const api = globalThis.browser ?? globalThis.chrome;

const t = (key, subs) => api.i18n.getMessage(key, subs) || key;
// The language of the messages in use (getUILanguage() can disagree with the chosen messages).
const LOCALE = api.i18n.getMessage("locale") || api.i18n.getUILanguage();
const $ = (id) => document.getElementById(id);

let platforms = [];
let status = {};

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value == null) continue;
    if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

async function send(message) {
  const reply = await api.runtime.sendMessage(message);
  if (!reply || !reply.ok) throw new Error((reply && reply.error) || "no reply");
  return reply;
}

function relativeTime(ms) {
  const seconds = Math.round((ms - Date.now()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(LOCALE, { numeric: "auto" });
  const units = [["day", 86400], ["hour", 3600], ["minute", 60]];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(0, "second");
}

// The state shown for a platform: its stored status, or "unknown" (never checked).
function stateOf(platform) {
  const automatic = platform.settings.find((s) => s.automation === "automatic");
  const s = status[platform.id];
  if (!automatic && !s) return "manual";
  if (!s) return "unknown";
  return ["on", "off", "unknown", "signed-out"].includes(s.state) ? s.state : "unknown";
}

const STATE_WORDS = {
  on: "stateOn",
  off: "stateOff",
  "signed-out": "stateSignedOut",
  manual: "stateManual",
};

function renderPlatform(platform) {
  const s = status[platform.id] || null;
  const state = stateOf(platform);
  const setting =
    platform.settings.find((x) => s && x.id === s.setting) ||
    platform.settings.find((x) => x.automation === "automatic") ||
    platform.settings[0];
  const headingId = `p-${platform.id}`;
  const word = STATE_WORDS[state] || (s ? "stateUnreadable" : "stateNotChecked");

  const stateLine = el("p", { class: "state" }, [el("span", { class: "word", text: t(word) })]);
  if (s && s.checked_at) {
    stateLine.append(el("span", { class: "when", text: t("checkedAt", [relativeTime(s.checked_at)]) }));
  }
  const children = [
    el("h3", { id: headingId, text: platform.name }),
    el("p", { class: "setting", text: (s && s.title) || (setting && setting.title) || "" }),
    stateLine,
  ];
  const reenabled = reenabledLine(s, state, { t, el, locale: LOCALE }); // popup hook
  if (reenabled) children.push(reenabled);
  if (s && s.outcome === "failed" && s.message) {
    children.push(el("p", { class: "message", text: t("lastFailed", [s.message]) }));
  } else if (s && s.outcome === "turned-off" && state === "off") {
    children.push(el("p", { class: "outcome", text: t("lastTurnedOff") }));
  }
  const actions = el("div", { class: "actions" });
  if (setting) {
    actions.append(el("a", {
      href: setting.settings_url, target: "_blank", rel: "noopener noreferrer",
      "aria-describedby": headingId, text: t("openSettings"),
    }));
  }
  if (state !== "manual") {
    const button = el("button", {
      type: "button", "aria-describedby": headingId,
      dataset: { action: "open-and-opt-out", platform: platform.id },
      text: t(state === "off" ? "buttonOpenCheck" : "buttonOpenTurnOff"),
    });
    button.addEventListener("click", () => openAndOptOut(platform.id, button));
    actions.append(button);
  }
  children.push(actions);
  return el("li", {
    dataset: { platform: platform.id, state, ...(reenabled ? { reenabled: "true" } : {}) }, // popup hook
    "aria-labelledby": headingId,
  }, children);
}

function render() {
  const on = platforms.filter((p) => stateOf(p) === "on").length;
  $("summary").textContent =
    on === 0 ? t("summaryNone") : on === 1 ? t("summaryOne") : t("summaryMany", [String(on)]);
  $("summary").dataset.on = String(on);

  // Keep keyboard focus across re-renders.
  const focused = document.activeElement;
  const focusKey = focused && focused.closest && focused.closest("li[data-platform]")
    ? [focused.closest("li").dataset.platform, focused.tagName, focused.dataset.action || ""]
    : null;
  const list = $("platforms");
  list.replaceChildren(...orderPlatforms(platforms, stateOf).map(renderPlatform)); // popup hook: order
  renderRecheck(); // popup hook
  if (focusKey) {
    const li = list.querySelector(`li[data-platform="${CSS.escape(focusKey[0])}"]`);
    const again = li && [...li.querySelectorAll("a, button")].find(
      (n) => n.tagName === focusKey[1] && (n.dataset.action || "") === focusKey[2],
    );
    if (again) again.focus();
  }
}

function showError(error) {
  const node = $("error");
  node.textContent = t("popupError", [String((error && error.message) || error)]);
  node.hidden = false;
}

async function openAndOptOut(platform, button) {
  button.disabled = true;
  try {
    await send({ type: "open-and-opt-out", platform });
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
}

async function refreshStatus() {
  status = (await send({ type: "status" })).status || {};
  render();
}

// Firefox may leave host permissions ungranted after install: ask for them here.
async function checkPermissions() {
  const origins = api.runtime.getManifest().host_permissions || [];
  const granted = await api.permissions.contains({ origins });
  $("permission").hidden = granted;
}

function localise() {
  document.documentElement.lang = LOCALE;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
}

async function start() {
  localise();
  $("grant").addEventListener("click", () => {
    const origins = api.runtime.getManifest().host_permissions || [];
    // Called directly in the click handler: permissions.request needs the user gesture.
    api.permissions.request({ origins }).then(checkPermissions, showError);
  });
  api.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && changes.status) refreshStatus().catch(showError);
  });
  setInterval(render, 30000);
  // popup hook: the sections of popup-everywhere.js and popup-audit.js
  const extra = { t, el, send, showError, locale: LOCALE, getStatus: () => status };
  initEverywhere(extra);
  initAudit(extra);
  checkPermissions().catch(() => {});
  try {
    platforms = (await send({ type: "platforms" })).platforms || [];
    await refreshStatus();
  } catch (error) {
    showError(error);
  }
}

start();
