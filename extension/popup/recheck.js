// @ts-check
// Untrain popup: the re-check notice (platforms checked long ago, or whose rules changed since),
// from the reminder the background keeps in storage.local "recheck" (background/reminders.js).
// "Check now" runs "opt out everywhere" over them; "Later" dismisses the reminder.
import "../shared/messages.js";
import { pendingRechecks } from "../shared/recheck.js";

/** @typedef {import("./popup.js").PopupContext} PopupContext */

const api = globalThis.browser ?? globalThis.chrome;

/** @type {PopupContext | null} */
let ctx = null;
/** @type {any} storage.local "recheck": { at, due: [...] } */
let reminder = null;

/**
 * @param {PopupContext} context
 * @param {(platforms: string[] | null) => void} runFor starts "opt out everywhere" over these
 */
export function initRecheck(context, runFor) {
  ctx = context;
  const { t, el, send, showError } = context;
  const section = /** @type {HTMLElement} */ (document.getElementById("recheck"));
  const run = el("button", { type: "button", dataset: { action: "recheck-run" }, text: t("recheckRun") });
  run.addEventListener("click", () => {
    const due = pending().map((d) => d.platform);
    runFor(due.length ? due : null);
  });
  const later = el("button", {
    type: "button",
    class: "secondary",
    dataset: { action: "recheck-dismiss" },
    text: t("recheckDismiss"),
  });
  later.addEventListener("click", () => send({ type: UntrainMessages.MSG.RECHECK_DISMISS }).catch(showError));
  section.append(
    el("h2", { id: "recheck-title", text: t("recheckHeading") }),
    el("ul", { id: "recheck-list" }),
    el("div", { class: "row" }, [run, later]),
  );
  api.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && changes.recheck) {
      reminder = changes.recheck.newValue ?? null;
      renderRecheck();
    }
    if (area === "local" && changes.status) renderRecheck();
  });
  api.storage.local.get("recheck").then(
    (r) => {
      reminder = r.recheck ?? null;
      renderRecheck();
    },
    () => {},
  );
}

/** The reminder's platforms not checked since. */
function pending() {
  return ctx ? pendingRechecks(reminder, ctx.getStatus()) : [];
}

/** Shows the platforms due (the section hides when there are none). */
export function renderRecheck() {
  if (!ctx) return;
  const { t, el } = ctx;
  const section = /** @type {HTMLElement} */ (document.getElementById("recheck"));
  const due = pending();
  section.hidden = due.length === 0;
  document.getElementById("recheck-list")?.replaceChildren(
    ...due.map((d) =>
      el("li", {
        dataset: { duePlatform: d.platform, reason: d.reason },
        text: d.reason === "rules-changed" ? t("recheckRules", [d.name]) : t("recheckOld", [d.name, String(d.days)]),
      }),
    ),
  );
}
