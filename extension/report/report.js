// @ts-check
// The page report page (docs/rules.md, "Page reports"): shows the report of one tab's settings
// page, masked, before anything is saved; "Save report" writes it as a file. Nothing is sent
// anywhere: the file is made here, from the text shown.
import "../shared/lang.js";
import "../shared/messages.js";

const api = globalThis.browser ?? globalThis.chrome;
const { MSG } = UntrainMessages;
const t = UntrainLang.translator(api);

for (const node of document.querySelectorAll(/** @type {"span"} */ ("[data-i18n]"))) {
  node.textContent = t(node.dataset.i18n ?? "");
}

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * @param {string} term
 * @param {string} value
 */
function row(term, value) {
  const dt = document.createElement("dt");
  dt.textContent = term;
  const dd = document.createElement("dd");
  dd.textContent = value;
  $("summary").append(dt, dd);
}

async function show() {
  // ?tab=<id> (the banner's button) or ?platform=<id> (the popup's row)
  const params = new URLSearchParams(location.search);
  const which = params.has("tab") ? { tab: Number(params.get("tab")) } : { platform: params.get("platform") ?? "" };
  const reply = await api.runtime.sendMessage({ type: MSG.PAGE_REPORT, ...which });
  if (!reply || !reply.ok) {
    $("error").textContent = t("reportNone");
    $("error").hidden = false;
    return;
  }
  const report = reply.report;
  row(t("reportPage"), report.snapshot.url);
  row(
    t("reportSeen"),
    report.seen.map((s) => `${s.setting}: ${s.state}${s.reason ? ` (${s.reason})` : ""}`).join("; ") || "–",
  );
  row(t("reportBrowser"), `${report.browser} · Untrain ${report.extension_version}`);
  const text = JSON.stringify(report, null, 2);
  /** @type {HTMLTextAreaElement} */ ($("json")).value = text;
  const save = /** @type {HTMLButtonElement} */ ($("save"));
  save.disabled = false;
  save.addEventListener("click", () => {
    const day = new Date().toISOString().slice(0, 10);
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text + "\n"], { type: "application/json" }));
    a.download = `untrain-report-${report.platform || "page"}-${day}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    $("saved").textContent = t("reportSaved");
  });
}

show().catch((error) => {
  $("error").textContent = `${t("reportNone")} (${String(error?.message ?? error)})`;
  $("error").hidden = false;
});
