// @ts-check
// Untrain popup: the decisions behind a compact platform row (pure, no browser API; ES module,
// tests/unit/rows.test.mjs). A row is one line, a native <details> whose <summary> says the
// platform, its state and its last proof; the rest of the row (setting, notes, actions) opens on
// demand. popup.js draws it.

/**
 * The proof level of a platform's last change: "reloaded", "re-read" or "none".
 * @param {Record<string, any> | null} s the platform's stored status
 * @returns {"reloaded" | "re-read" | "none"}
 */
export function proofOf(s) {
  return s && (s.proof === "reloaded" || s.proof === "re-read") ? s.proof : "none";
}

/**
 * The last-proof part of a row's line: which message (a key of _locales, with the time as its
 * one substitution) and which time, or null when nothing was checked (the state word says it).
 * Never more than the status says: "confirmed by reload" only for a setting that reads off and
 * whose last change a reload proved; "re-read only" for one only Untrain's own re-read saw off;
 * "not kept" for a change the platform served on again; else when it was last checked.
 * @param {Record<string, any> | null} s the platform's stored status
 * @param {string} state the state the row shows
 * @returns {{ key: string, at: number } | null}
 */
export function lineProof(s, state) {
  if (!s || typeof s.checked_at !== "number") return null;
  const proof = proofOf(s);
  const provedAt = typeof s.proved_at === "number" ? s.proved_at : s.checked_at;
  if (s.proof_note === "not-kept") return { key: "lineNotKept", at: provedAt };
  if (state === "off" && proof === "reloaded") return { key: "lineReloaded", at: provedAt };
  if (state === "off" && proof === "re-read") return { key: "lineReRead", at: s.checked_at };
  return { key: "checkedAt", at: s.checked_at };
}

/**
 * Whether a row opens by itself: only where something needs the person (the setting is on, so
 * its "turn off" button is one Tab away); every other row stays one line until asked.
 * @param {string} state
 */
export function opensByDefault(state) {
  return state === "on";
}

/**
 * The tab the popup speaks about: the active tab of its window in the toolbar popup; when the
 * popup page is itself a tab (`self`: tabs.getCurrent()), the tab of that window used last before
 * it. null when there is none.
 * @param {{ id?: number, active?: boolean, lastAccessed?: number }[]} tabs the window's tabs
 * @param {{ id?: number } | null | undefined} self
 * @returns {number | null}
 */
export function pageTabOf(tabs, self) {
  const list = (Array.isArray(tabs) ? tabs : []).filter((x) => x && typeof x.id === "number");
  if (!self) return list.find((x) => x.active)?.id ?? null;
  const others = list.filter((x) => x.id !== self.id);
  others.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0));
  return others[0]?.id ?? null;
}
