// Untrain popup: the "was off on <date>, now on" line of a platform row (the rows' grouping
// and order live in popup.js).
// Pure helpers used by popup.js (small hooks there).

export function shortDate(ms, locale) {
  try {
    return new Date(ms).toLocaleDateString(locale, { day: "numeric", month: "short" });
  } catch {
    return new Date(ms).toDateString();
  }
}

/** The re-enabled line of a row (or null): "was off on 3 May, now on". */
export function reenabledLine(s, state, { t, el, locale }) {
  if (state !== "on" || !s || typeof s.was_off_at !== "number") return null;
  return el("p", {
    class: "reenabled", "data-reenabled": "true",
    text: t("reenabledLine", [shortDate(s.was_off_at, locale)]),
  });
}
