// @ts-check
// Untrain popup: the audit log's section: how many entries, export as JSON or CSV (a Blob, an
// object URL and <a download>: no "downloads" permission, nothing leaves the browser) and
// "Clear" with an in-popup confirmation.
import { AUDIT_KEY, toCsv, toJson } from "../shared/audit-format.js";
import "../shared/messages.js";

/** @typedef {import("./popup.js").PopupContext} PopupContext */

const api = globalThis.browser ?? globalThis.chrome;

/** @type {PopupContext} */
let ctx;
/** @type {unknown[]} */
let entries = [];

/** @param {PopupContext} context */
export function initAudit(context) {
  ctx = context;
  const { t, el } = ctx;
  const section = /** @type {HTMLElement} */ (document.getElementById("audit"));
  /**
   * One of the section's buttons.
   * @param {string} action its data-action
   * @param {string} key its text's message
   * @param {string} [kind] its class
   */
  const button = (action, key, kind = "secondary") =>
    el("button", { type: "button", class: kind, dataset: { action }, text: t(key) });
  const json = button("audit-export-json", "auditExportJson");
  const csv = button("audit-export-csv", "auditExportCsv");
  const clear = button("audit-clear", "auditClear");
  json.addEventListener("click", () => download("json"));
  csv.addEventListener("click", () => download("csv"));
  clear.addEventListener("click", () => confirmClear(true));

  const yes = button("audit-clear-confirm", "auditConfirmYes", "danger");
  const no = button("audit-clear-cancel", "auditConfirmNo");
  yes.addEventListener("click", doClear);
  no.addEventListener("click", () => confirmClear(false));
  const confirm = el(
    "div",
    {
      id: "audit-confirm",
      class: "confirm",
      role: "group",
      "aria-labelledby": "audit-confirm-text",
      hidden: "",
    },
    [el("p", { id: "audit-confirm-text" }), el("div", { class: "row" }, [yes, no])],
  );
  confirm.addEventListener("keydown", (event) => {
    if (event.key === "Escape") confirmClear(false);
  });

  section.append(
    el("h2", { id: "audit-title", text: t("auditHeading") }),
    el("p", { id: "audit-count", class: "intro", role: "status", "aria-live": "polite" }),
    el("div", { class: "row" }, [json, csv, clear]),
    confirm,
  );
  api.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && changes[AUDIT_KEY]) {
      entries = Array.isArray(changes[AUDIT_KEY].newValue) ? changes[AUDIT_KEY].newValue : [];
      renderCount();
    }
  });
  api.storage.local.get(AUDIT_KEY).then((r) => {
    entries = Array.isArray(r[AUDIT_KEY]) ? r[AUDIT_KEY] : [];
    renderCount();
  }, ctx.showError);
}

function renderCount() {
  const { t } = ctx;
  const node = /** @type {HTMLElement} */ (document.getElementById("audit-count"));
  node.dataset.count = String(entries.length);
  node.textContent =
    entries.length === 0
      ? t("auditEmpty")
      : entries.length === 1
        ? t("auditCountOne")
        : t("auditCount", [String(entries.length)]);
  for (const b of document.querySelectorAll(
    /** @type {"button"} */ ('#audit [data-action^="audit-export"], #audit [data-action="audit-clear"]'),
  )) {
    b.disabled = entries.length === 0;
  }
}

/** @param {"json" | "csv"} format */
async function download(format) {
  const { [AUDIT_KEY]: log = [] } = await api.storage.local.get(AUDIT_KEY);
  const list = Array.isArray(log) ? log : [];
  const text = format === "csv" ? toCsv(list) : toJson(list);
  const type = format === "csv" ? "text/csv;charset=utf-8" : "application/json";
  const blob = new Blob([text], { type });
  const url = URL.createObjectURL(blob);
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  const a = document.createElement("a");
  a.href = url;
  a.download = `untrain-audit-${stamp}.${format}`;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/** @param {boolean} open */
function confirmClear(open) {
  const { t } = ctx;
  const confirm = /** @type {HTMLElement} */ (document.getElementById("audit-confirm"));
  const clear = /** @type {HTMLElement} */ (document.querySelector('#audit [data-action="audit-clear"]'));
  if (open) {
    const text = /** @type {HTMLElement} */ (document.getElementById("audit-confirm-text"));
    text.textContent = t("auditConfirm", [String(entries.length)]);
    confirm.hidden = false;
    clear.setAttribute("aria-expanded", "true");
    confirm.querySelector(/** @type {"button"} */ ('[data-action="audit-clear-cancel"]'))?.focus();
  } else {
    confirm.hidden = true;
    clear.setAttribute("aria-expanded", "false");
    clear.focus();
  }
}

async function doClear() {
  try {
    await ctx.send({ type: UntrainMessages.MSG.AUDIT_CLEAR });
    entries = [];
    renderCount();
    const byId = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
    byId("audit-confirm").hidden = true;
    document.querySelector('#audit [data-action="audit-clear"]')?.setAttribute("aria-expanded", "false");
    byId("audit-count").textContent = ctx.t("auditCleared");
    byId("audit-title").setAttribute("tabindex", "-1");
    byId("audit-title").focus();
  } catch (error) {
    ctx.showError(error);
  }
}
