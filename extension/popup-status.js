// Untrain popup: order of the platform rows and the "was off on <date>, now on" line.
// Pure helpers used by popup.js (small hooks there).

// on first, then what is not known (unknown, signed-out), then off; platforms that need manual
// steps last. Within a group the rules' order stays.
const RANK = { on: 0, unknown: 1, "signed-out": 1, off: 2, manual: 3 };

export function orderPlatforms(platforms, stateOf) {
  return platforms
    .map((p, i) => ({ p, i, r: RANK[stateOf(p)] ?? 1 }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.p);
}

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
