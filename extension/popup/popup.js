// @ts-check
// Untrain popup: the status of every platform, from the background's `platforms` and
// `status` messages; refreshes when storage changes. No inline scripts (extension CSP).
// Its sections: "opt out everywhere" (everywhere.js), the re-check notice (recheck.js), the
// audit log (audit.js); a row's re-enabled line (reenabled-line.js).
import "../shared/lang.js";
import "../shared/messages.js";
import { initAudit } from "./audit.js";
import { initEverywhere, startRun } from "./everywhere.js";
import { initRecheck, renderRecheck } from "./recheck.js";
import { reenabledLine } from "./reenabled-line.js";
import { lineProof, opensByDefault, pageTabOf, proofOf } from "./rows.js";

/**
 * What the popup's sections get from popup.js.
 * @typedef {{ t: (key: string, subs?: string | string[]) => string, el: typeof el,
 *   send: typeof send, showError: (error: unknown) => void, locale: string,
 *   getStatus: () => Record<string, any>, visiblePlatforms: () => string[] | null }} PopupContext
 */

const api = globalThis.browser ?? globalThis.chrome;
const { MSG } = UntrainMessages;

const t = UntrainLang.translator(api);
// The language of the messages in use (getUILanguage() can disagree with the chosen messages).
const LOCALE = UntrainLang.localeOf(api);
const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @type {PlatformInfo[]} */
let platforms = [];
/** @type {Record<string, any>} */
let status = {};
// Platforms the person does not use (storage.local "hidden_platforms"): folded away at the end of
// the list, left out of the summary's "not checked" count and of "Opt out everywhere". A hidden
// platform that reads on is shown with the others all the same: Untrain never hides a known "on".
let hidden = new Set();
const HIDDEN_KEY = "hidden_platforms";
const isHidden = (/** @type {PlatformInfo} */ platform) => hidden.has(platform.id) && stateOf(platform) !== "on";

/**
 * An element with attributes (`text`: its text, `dataset`: data-*) and children.
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {(Node | string)[]} [children]
 * @returns {HTMLElement}
 */
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

/**
 * Sends a popup message; resolves with its reply, rejects with its error.
 * @param {PopupMessage} message
 * @returns {Promise<any>}
 */
async function send(message) {
  const reply = await api.runtime.sendMessage(message);
  if (!reply || !reply.ok) throw new Error((reply && reply.error) || "no reply");
  return reply;
}

/** @param {number} ms */
function relativeTime(ms) {
  const seconds = Math.round((ms - Date.now()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(LOCALE, { numeric: "auto" });
  /** @type {[Intl.RelativeTimeFormatUnit, number][]} */
  const units = [
    ["day", 86400],
    ["hour", 3600],
    ["minute", 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(0, "second");
}

// The platform's level: automatic when any setting is, else safe-by-default, else guided.
/** @param {PlatformInfo} platform */
function automationOf(platform) {
  const levels = platform.settings.map((s) => s.automation);
  if (levels.includes("automatic")) return "automatic";
  if (levels.includes("safe-by-default")) return "safe-by-default";
  return "guided";
}

// The state shown for a platform: its stored status; "manual" for guided-only platforms;
// "unknown" when never checked.
/** @param {PlatformInfo} platform */
function stateOf(platform) {
  const s = status[platform.id];
  if (automationOf(platform) === "guided") return "manual";
  if (!s) return "unknown";
  return ["on", "off", "unknown", "signed-out", "manual"].includes(s.state) ? s.state : "unknown";
}

/** @type {Record<string, string>} */
const STATE_WORDS = {
  on: "stateOn",
  off: "stateOff",
  "signed-out": "stateSignedOut",
  manual: "stateManual",
};

/**
 * The UI language's entry of a per-language map, else en, else the first.
 * @param {unknown} map
 * @returns {any}
 */
const pickLang = (map) => UntrainLang.pickLang(/** @type {Record<string, any>} */ (map), LOCALE);

// Puts `text` on the clipboard; in any case shows it selected in the row's text area, so
// Ctrl+C works where the clipboard is refused.
/**
 * @param {HTMLElement} button
 * @param {HTMLTextAreaElement} area
 * @param {HTMLElement} note
 */
async function copyPrepared(button, area, note) {
  area.hidden = false;
  area.focus();
  area.select();
  let how = "selected";
  try {
    await navigator.clipboard.writeText(area.value);
    how = "clipboard";
  } catch {
    try {
      if (document.execCommand("copy")) how = "clipboard";
    } catch {
      /* selected only */
    }
  }
  area.select();
  button.dataset.copied = how;
  note.textContent = t(how === "clipboard" ? "copied" : "copySelected");
}

// Steps, links and prepared text of one guided setting.
/**
 * @param {SettingInfo} setting
 * @param {string} headingId
 * @param {boolean} open
 */
function guidedBlock(setting, headingId, open) {
  const children = [];
  const steps = pickLang(setting.instructions) || [];
  if (steps.length) {
    const ol = el(
      "ol",
      { class: "steps" },
      steps.map((step) => el("li", { text: step })),
    );
    if (open) {
      children.push(ol);
    } else {
      children.push(el("details", {}, [el("summary", { text: t("showSteps") }), ol]));
    }
  }
  const actions = el("div", { class: "actions" });
  if (setting.form_url) {
    actions.append(
      el("a", {
        href: setting.form_url,
        target: "_blank",
        rel: "noopener noreferrer",
        "aria-describedby": headingId,
        dataset: { action: "open-form" },
        text: t("linkOpenForm"),
      }),
    );
  }
  const text = pickLang(setting.prepared_text) || "";
  if (setting.email) {
    actions.append(
      el("a", {
        href: UntrainLang.mailto(setting.email, setting.email_subject, text),
        "aria-describedby": headingId,
        dataset: { action: "email" },
        text: t("linkEmail"),
      }),
    );
  }
  if (text) {
    const area = /** @type {HTMLTextAreaElement} */ (
      el("textarea", {
        class: "prepared",
        readonly: "",
        rows: "4",
        "aria-label": t("preparedText"),
        hidden: "",
        dataset: { role: "prepared-text" },
      })
    );
    area.value = text;
    const note = el("span", { class: "copied", role: "status" });
    const button = el("button", {
      type: "button",
      class: "secondary",
      "aria-describedby": headingId,
      dataset: { action: "copy", setting: setting.id },
      text: t("buttonCopy"),
    });
    button.addEventListener("click", () => copyPrepared(button, area, note));
    actions.append(button, note);
    children.push(actions, area);
  } else if (actions.childElementCount) {
    children.push(actions);
  }
  return el("div", { class: "guided", dataset: { setting: setting.id } }, children);
}

/**
 * "Save a page report": opens the report page for `query` (`tab=<id>` or `platform=<id>`), which
 * shows the masked report before anything is saved (docs/rules.md, "Page reports").
 * @param {string} query
 * @param {Record<string, any>} props the button's other attributes
 */
function reportButton(query, props) {
  const button = el("button", { type: "button", ...props, text: t("bannerReport") });
  button.addEventListener("click", () => {
    api.tabs.create({ url: api.runtime.getURL(`report/report.html?${query}`) }).catch(showError);
  });
  return button;
}

/** @param {PlatformInfo} platform */
function renderPlatform(platform) {
  const s = status[platform.id] || null;
  const state = stateOf(platform);
  const automation = automationOf(platform);
  const primary =
    platform.settings.find((x) => s && x.id === s.setting) ||
    platform.settings.find((x) => x.automation === automation) ||
    platform.settings[0];
  const headingId = `p-${platform.id}`;
  // A record with no check of its own (only its sites were seen) counts as not checked.
  let word = STATE_WORDS[state] || (s && s.checked_at ? "stateUnreadable" : "stateNotChecked");
  if (automation === "safe-by-default" && !s) word = "stateOffByDefault";

  // The row's one line: name, state, last proof (rows.js); the rest opens on demand.
  const last = lineProof(s, state);
  const line = el("summary", { class: "line", dataset: { action: "row-details", platform: platform.id } }, [
    el("span", { class: "name", id: headingId, text: platform.name }),
    el("span", { class: "word", text: t(word) }),
  ]);
  if (last) line.append(el("span", { class: "when", text: t(last.key, [relativeTime(last.at)]) }));
  const children = [el("p", { class: "setting", text: (s && s.title) || (primary && primary.title) || "" })];
  const reenabled = reenabledLine(s, state, { t, el, locale: LOCALE });
  if (reenabled) children.push(reenabled);
  const proof = proofOf(s);
  if (s && s.proof_note === "not-kept") {
    children.push(el("p", { class: "message", dataset: { proof }, text: t("proofLineNotKept", [platform.name]) }));
  } else if (s && s.outcome === "failed" && s.message) {
    children.push(el("p", { class: "message", text: t("lastFailed", [s.message]) }));
  } else if (s && s.outcome === "turned-off" && state === "off") {
    // Never more than the proof says (background/status.js, `proof`).
    const text =
      proof === "reloaded"
        ? t("proofLineReloaded")
        : s.proof_note
          ? t("proofLineNone", [t(UntrainLang.proofReasonKey(s.proof_note))])
          : t("proofLineReRead");
    children.push(el("p", { class: "outcome", dataset: { proof }, text }));
  } else if (s && s.outcome === "prefilled") {
    children.push(el("p", { class: "outcome", text: t("lastPrefilled") }));
  }
  const suspectsOff =
    s && s.suspects ? Object.values(s.suspects).filter((x) => x && x.outcome === "turned-off").length : 0;
  if (suspectsOff) children.push(el("p", { class: "outcome", text: t("suspectsTurnedOff", [String(suspectsOff)]) }));
  // Sites on hosts the platform's customers control ("*.squarespace.com"): each speaks only for
  // itself, never for the platform's row (docs/security.md, "Hosts that others control").
  const sites = s && s.sites && typeof s.sites === "object" ? Object.entries(s.sites) : [];
  if (sites.length) {
    children.push(
      el(
        "ul",
        { class: "sites", "aria-label": t("sitesHeading") },
        sites.map(([host, site]) =>
          el("li", {
            dataset: { site: host, state: site && STATE_WORDS[site.state] ? site.state : "unknown" },
            text: t("siteLine", [host, t(STATE_WORDS[site && site.state] || "stateUnreadable")]),
          }),
        ),
      ),
    );
  }
  const regions = primary && primary.regions && primary.regions.length ? primary.regions.join("; ") : "";
  if (regions) children.push(el("p", { class: "meta", text: t("regions", [regions]) }));
  if (primary && primary.confidence === "low") children.push(el("p", { class: "meta", text: t("lowConfidence") }));

  const actions = el("div", { class: "actions" });
  const main = platform.settings.find((x) => x.automation !== "guided") || null;
  if (main) {
    actions.append(
      el("a", {
        href: main.settings_url,
        target: "_blank",
        rel: "noopener noreferrer",
        "aria-describedby": headingId,
        text: t("openSettings"),
      }),
    );
  }
  if (automation === "automatic") {
    const button = /** @type {HTMLButtonElement} */ (
      el("button", {
        type: "button",
        "aria-describedby": headingId,
        dataset: { action: "open-and-opt-out", platform: platform.id },
        text: t(state === "off" ? "buttonOpenCheck" : "buttonOpenTurnOff"),
      })
    );
    button.addEventListener("click", () => openAndOptOut(platform.id, button));
    actions.append(button);
  }
  // A page Untrain could not read, or an opt-out that failed: a page report of the platform's
  // settings page, shown in full before anything is saved (docs/rules.md)
  if (automation !== "guided" && s && s.checked_at && (state === "unknown" || s.outcome === "failed")) {
    actions.append(
      reportButton(`platform=${encodeURIComponent(platform.id)}`, {
        class: "link",
        "aria-describedby": headingId,
        dataset: { action: "page-report", platform: platform.id },
      }),
    );
  }
  const hide = el("button", {
    type: "button",
    class: "link",
    "aria-describedby": headingId,
    dataset: { action: hidden.has(platform.id) ? "show-platform" : "hide-platform", platform: platform.id },
    text: t(hidden.has(platform.id) ? "buttonShowPlatform" : "buttonHidePlatform"),
  });
  hide.addEventListener("click", () => setHidden(platform.id, !hidden.has(platform.id)));
  actions.append(hide);
  if (actions.childElementCount) children.push(actions);
  const guided = platform.settings.filter((x) => x.automation === "guided");
  const seenSteps = new Set();
  for (const g of guided) {
    // Meta's two forms share their steps: show them once.
    const key = JSON.stringify(pickLang(g.instructions) || []);
    const open = automation === "guided" && !seenSteps.has(key);
    seenSteps.add(key);
    const block = guidedBlock(g, headingId, open);
    if (guided.length > 1 || automation !== "guided") block.prepend(el("p", { class: "setting", text: g.title }));
    else if (g.email && !g.form_url) {
      block.append(
        el("a", {
          href: g.settings_url,
          target: "_blank",
          rel: "noopener noreferrer",
          "aria-describedby": headingId,
          text: t("openSettings"),
        }),
      );
    }
    children.push(block);
  }
  const row = /** @type {HTMLDetailsElement} */ (
    el("details", { class: "row" }, [line, el("div", { class: "body" }, children)])
  );
  const byDefault = opensByDefault(state);
  row.open = openRows.get(platform.id) ?? byDefault;
  // Remember the person's choice only where it differs from the default (the row that opened
  // by itself fires a toggle too).
  row.addEventListener("toggle", () => {
    if (row.open === byDefault) openRows.delete(platform.id);
    else openRows.set(platform.id, row.open);
  });
  return el(
    "li",
    {
      dataset: { platform: platform.id, state, automation, proof, ...(reenabled ? { reenabled: "true" } : {}) },
      "aria-labelledby": headingId,
    },
    [row],
  );
}

// Rows the person opened or closed against their default (platform id -> open), for this popup.
/** @type {Map<string, boolean>} */
const openRows = new Map();

// Groups, most urgent first: training on, unknown/not checked, off (and signed out), guided.
/** @type {[string, string, (state: string) => boolean][]} */
const GROUPS = [
  ["on", "groupOn", (st) => st === "on"],
  ["unknown", "groupUnknown", (st) => st === "unknown" || st === "signed-out"],
  ["off", "groupOff", (st) => st === "off"],
  ["manual", "groupGuided", (st) => st === "manual"],
];

// The summary line says what is known, never more: "no platform trains on your data" only once
// every platform that can be checked has been; before that, how many are still unchecked.
/**
 * @param {number} on
 * @param {number} checked
 * @param {number} checkable
 */
function summaryText(on, checked, checkable) {
  if (on === 1) return t("summaryOne");
  if (on > 1) return t("summaryMany", [String(on)]);
  if (checked === 0) return t("summaryNothingChecked");
  if (checked < checkable) return t("summaryNoneSoFar", [String(checked), String(checkable - checked)]);
  return t("summaryNone");
}

function render() {
  const on = platforms.filter((p) => stateOf(p) === "on").length;
  const checkable = platforms.filter((p) => automationOf(p) !== "guided" && !isHidden(p));
  const checked = checkable.filter((p) => status[p.id] && typeof status[p.id].checked_at === "number").length;
  $("summary").textContent = summaryText(on, checked, checkable.length);
  $("summary").dataset.on = String(on);
  $("summary").dataset.checked = String(checked);

  // Keep keyboard focus across re-renders.
  const focused = /** @type {HTMLElement | null} */ (document.activeElement);
  const focusedRow = /** @type {HTMLElement | null} */ (
    focused && focused.closest ? focused.closest("li[data-platform]") : null
  );
  const focusKey = focusedRow ? [focusedRow.dataset.platform, focused.tagName, focused.dataset.action || ""] : null;
  const focusOnHiddenGroup = Boolean(focused && focused.matches && focused.matches(".hidden-platforms > summary"));
  // A row whose prepared text is open or whose <details> is expanded keeps that across renders.
  const list = $("platforms");
  /** @param {Element} d */
  const settingOf = (d) => /** @type {HTMLElement | null} */ (d.closest("[data-setting]"))?.dataset.setting;
  const openDetails = new Set([...list.querySelectorAll(".guided details[open]")].map(settingOf));
  const sections = [];
  for (const [id, heading, test] of GROUPS) {
    const rows = platforms.filter((p) => test(stateOf(p)) && !isHidden(p));
    if (!rows.length) continue;
    sections.push(
      el("section", { class: "group", dataset: { group: id }, "aria-label": t(heading) }, [
        el("h2", { class: "group-title", text: `${t(heading)} (${rows.length})` }),
        el("ul", {}, rows.map(renderPlatform)),
      ]),
    );
  }
  const folded = platforms.filter(isHidden);
  if (folded.length) {
    const details = /** @type {HTMLDetailsElement} */ (
      el("details", { class: "hidden-platforms" }, [
        el("summary", { text: t("groupHidden", [String(folded.length)]) }),
        el("ul", {}, folded.map(renderPlatform)),
      ])
    );
    if (hiddenOpen) details.open = true;
    details.addEventListener("toggle", () => {
      hiddenOpen = details.open;
    });
    sections.push(
      el(
        "section",
        { class: "group", dataset: { group: "hidden" }, "aria-label": t("groupHidden", [String(folded.length)]) },
        [details],
      ),
    );
  }
  list.replaceChildren(...sections);
  for (const d of list.querySelectorAll(".guided details")) {
    if (openDetails.has(settingOf(d))) /** @type {HTMLDetailsElement} */ (d).open = true;
  }
  renderRecheck();
  if (focusKey) {
    const li = list.querySelector(`li[data-platform="${CSS.escape(focusKey[0])}"]`);
    const again =
      li &&
      [...li.querySelectorAll(/** @type {"button"} */ ("a, button, summary"))].find(
        (n) => n.tagName === focusKey[1] && (n.dataset.action || "") === focusKey[2],
      );
    if (again) again.focus();
    // "Hide" and "Show" move the row: the focus goes to its line, or to the folded group's line,
    // never back to the top of the page.
    else if (li) {
      const group = /** @type {HTMLDetailsElement | null} */ (li.closest("details.hidden-platforms"));
      const line = /** @type {HTMLElement | null} */ ((group && !group.open ? group : li).querySelector("summary"));
      if (line) line.focus();
    }
  }
  if (focusOnHiddenGroup)
    /** @type {HTMLElement | null} */ (list.querySelector(".hidden-platforms > summary"))?.focus();
}

/** @param {unknown} error */
function showError(error) {
  const node = $("error");
  node.textContent = t("popupError", [String((error && /** @type {Error} */ (error).message) || error)]);
  node.hidden = false;
}

/**
 * @param {string} platform
 * @param {HTMLButtonElement} button
 */
async function openAndOptOut(platform, button) {
  button.disabled = true;
  try {
    await send({ type: MSG.OPEN_AND_OPT_OUT, platform });
  } catch (error) {
    showError(error);
  } finally {
    button.disabled = false;
  }
}

let hiddenOpen = false;

/**
 * @param {string} id
 * @param {boolean} hide
 */
async function setHidden(id, hide) {
  const next = new Set(hidden);
  if (hide) next.add(id);
  else next.delete(id);
  await api.storage.local.set({ [HIDDEN_KEY]: [...next] });
  hidden = next;
  render();
}

async function readHidden() {
  const { [HIDDEN_KEY]: list } = await api.storage.local.get(HIDDEN_KEY);
  hidden = new Set(Array.isArray(list) ? list.filter((x) => typeof x === "string") : []);
}

// The tab the popup was opened on: a settings page of a supported platform that shows none of
// its known settings gets the offer of a page report (docs/rules.md, "Page reports"). No banner
// says so on the page: the popup is the place.
async function checkTabPage() {
  const self = api.tabs.getCurrent ? await api.tabs.getCurrent() : undefined;
  const tab = pageTabOf(await api.tabs.query({ currentWindow: true }), self);
  if (tab === null) return;
  const { page } = await send({ type: MSG.TAB_PAGE, tab });
  const notice = $("tab-page");
  if (!page || !page.no_known_setting) {
    notice.hidden = true;
    return;
  }
  const name = platforms.find((p) => p.id === page.platform)?.name || page.name;
  const button = reportButton(`tab=${tab}`, {
    class: "secondary",
    dataset: { action: "page-report", tab: String(tab), platform: page.platform },
  });
  notice.dataset.platform = page.platform;
  notice.replaceChildren(el("p", { id: "tab-page-text", text: t("tabNoKnownSetting", [name]) }), button);
  notice.hidden = false;
}

async function refreshStatus() {
  status = (await send({ type: MSG.STATUS })).status || {};
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
  for (const node of document.querySelectorAll(/** @type {"span"} */ ("[data-i18n]"))) {
    node.textContent = t(node.dataset.i18n ?? "");
  }
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
    if (area === "local" && changes[HIDDEN_KEY]) readHidden().then(render, showError);
  });
  setInterval(render, 30000);
  /** @type {PopupContext} */
  const context = {
    t,
    el,
    send,
    showError,
    locale: LOCALE,
    getStatus: () => status,
    // "Opt out everywhere" leaves out the platforms the person hid (null: none hidden, all run)
    visiblePlatforms: () => (platforms.some(isHidden) ? platforms.filter((p) => !isHidden(p)).map((p) => p.id) : null),
  };
  initEverywhere(context);
  initRecheck(context, startRun);
  initAudit(context);
  checkPermissions().catch(() => {});
  try {
    platforms = (await send({ type: MSG.PLATFORMS })).platforms || [];
    await readHidden();
    await refreshStatus();
    checkTabPage().catch(() => {});
  } catch (error) {
    showError(error);
  }
}

start();
