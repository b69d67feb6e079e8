// @ts-check
// Untrain popup: the "was off on <date>, now on" line of a platform row (the rows' grouping
// and order live in popup.js).
import "../shared/lang.js";

/**
 * The re-enabled line of a row (or null): "was off on 3 May, now on".
 * @param {{ was_off_at?: number } | null} s the platform's stored status
 * @param {string} state the state the row shows
 * @param {Pick<import("./popup.js").PopupContext, "t" | "el" | "locale">} context
 */
export function reenabledLine(s, state, { t, el, locale }) {
  if (state !== "on" || !s || typeof s.was_off_at !== "number") return null;
  return el("p", {
    class: "reenabled",
    "data-reenabled": "true",
    text: t("reenabledLine", [UntrainLang.shortDate(s.was_off_at, locale)]),
  });
}
