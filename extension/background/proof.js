// @ts-check
// Proof by reload (pure, no browser API; ES module): after Untrain turned settings off and its
// own re-read said off, it checks that the platform kept the change by reading the settings
// page afresh, either reloaded in place or opened again in a background tab where a reload would
// disturb the person (a chat app, whose settings are a dialog over a conversation). This module
// decides how, what a fresh evaluation proves, and what an unprovable case says; background.js
// keeps the pending proofs in storage.session (key PROOF_KEY) and drives the tabs;
// tests/unit/proof.test.mjs drives it directly.
//
// Pending proof: { tab, origin, platform, items: [{ key, setting, suspect, label }], url, method,
//   at, loaded } where `tab` is the tab whose next evaluation proves it (the reloaded tab, or the
//   background tab), `origin` the tab the person looked at (the same tab for a reload).
// Result per item: { key, setting, suspect, label, proof, note }
//   proof: "reloaded"  read afresh after a reload (note: "kept" or "not-kept")
//          "none"      no fresh read was possible (note says why: "signed-out", "page-gone",
//                      "tab-closed", "unreadable", "timed-out", "reload-failed")
// The proof level a status keeps is "reloaded", "re-read" (Untrain's own re-read after the click,
// not yet or never confirmed by a reload) or "none" (nothing changed by Untrain was proven).

export const PROOF_KEY = "proofs";
/** How long a fresh read may take (late rendering included) before the proof gives up. */
export const PROOF_TIMEOUT_MS = 25000;

/**
 * Where the proof reads the page afresh in a background tab instead of reloading the person's
 * tab: the chat apps, whose settings are a dialog over the conversation the person is in (a
 * reload would close the dialog and disturb the chat). Shell data for now: the rules (crate/)
 * are the place for a per-setting `proof = "tab"` field once the engine carries one.
 * @type {ReadonlySet<string>}
 */
export const TAB_PROOF_PLATFORMS = new Set([
  "chatgpt",
  "claude",
  "gemini",
  "copilot",
  "perplexity",
  "mistral",
  "grok",
  "deepseek",
]);

/**
 * "reload" or "tab": how the proof reads the settings page afresh.
 * @param {string} platform
 * @returns {"reload" | "tab"}
 */
export function methodOf(platform) {
  return TAB_PROOF_PLATFORMS.has(platform) ? "tab" : "reload";
}

/** @typedef {{ key: string, setting: string, suspect: string | null, label: string }} ProofItem */
/**
 * @typedef {{ tab: number | null, origin: number, platform: string, items: ProofItem[],
 *   url: string, method: "reload" | "tab", at: number, loaded?: boolean }} PendingProof
 */
/**
 * @typedef {{ key: string, setting: string, suspect: string | null, label: string,
 *   proof: "reloaded" | "none", note: string }} ProofResult
 */

/**
 * The items of a proof request, checked: known settings (ids) and suspects
 * ("suspected:<key>"), at most 20, without repeats. null when the request is malformed.
 * @param {unknown} items
 * @returns {ProofItem[] | null}
 */
export function proofItems(items) {
  if (!Array.isArray(items) || items.length === 0 || items.length > 20) return null;
  /** @type {ProofItem[]} */
  const out = [];
  for (const it of items) {
    if (!it || typeof it !== "object") return null;
    const { key, label } = /** @type {{ key?: unknown, label?: unknown }} */ (it);
    if (typeof key !== "string" || key.length === 0 || key.length > 200) return null;
    if (out.some((x) => x.key === key)) continue;
    const suspect = key.startsWith("suspected:") ? key.slice("suspected:".length) : null;
    out.push({
      key,
      setting: suspect === null ? key : "suspected",
      suspect,
      label: typeof label === "string" ? label.slice(0, 300) : "",
    });
  }
  return out;
}

/**
 * The state a fresh evaluation reads for an item: "on" | "off" | "unknown", or null when the
 * page does not show it (yet: a late render).
 * @param {Evaluation} evaluation
 * @param {ProofItem} item
 * @returns {string | null}
 */
export function stateOf(evaluation, item) {
  if (item.suspect !== null) {
    const s = (evaluation.suspected || []).find((x) => x.key === item.suspect);
    return s ? s.state : null;
  }
  const f = (evaluation.findings || []).find((x) => x.setting === item.setting);
  if (!f || (f.state === "unknown" && f.reason === "absent")) return null;
  return f.state;
}

/**
 * What a fresh evaluation of the page proves for each item, or null when it proves nothing yet
 * (the setting is not on the page yet: wait for a later evaluation or the time limit).
 * Signed out: nothing can be proven. A setting read "off": kept. "on": not kept (the page showed
 * it off after the click, the platform serves it on). Unreadable: no proof.
 * @param {PendingProof} pending
 * @param {Evaluation} evaluation
 * @returns {ProofResult[] | null}
 */
export function resolve(pending, evaluation) {
  if (evaluation.signed_out) return unproven(pending, "signed-out");
  const states = pending.items.map((item) => stateOf(evaluation, item));
  if (states.some((s) => s === null)) return null;
  return pending.items.map((item, i) => {
    const s = states[i];
    if (s === "off") return { ...item, proof: "reloaded", note: "kept" };
    if (s === "on") return { ...item, proof: "reloaded", note: "not-kept" };
    return { ...item, proof: "none", note: "unreadable" };
  });
}

/**
 * The results when no fresh read is possible (`note`: why).
 * @param {PendingProof} pending
 * @param {string} note
 * @returns {ProofResult[]}
 */
export function unproven(pending, note) {
  return pending.items.map((item) => ({ ...item, proof: "none", note }));
}

/**
 * Whether a pending proof ran out of time.
 * @param {PendingProof} pending
 * @param {number} now
 */
export function expired(pending, now) {
  return now - pending.at > PROOF_TIMEOUT_MS;
}

/**
 * The banner's result for one item: "done" only when the platform kept it (read afresh after a
 * reload); "failed" when it did not; "unconfirmed" when no fresh read was possible (never "done").
 * @param {ProofResult} result
 * @returns {"done" | "failed" | "unconfirmed"}
 */
export function bannerStateOf(result) {
  if (result.proof === "reloaded") return result.note === "kept" ? "done" : "failed";
  return "unconfirmed";
}

/**
 * The stored pending proofs as a { <tab id>: PendingProof } of well-formed entries.
 * @param {unknown} value
 * @returns {Record<string, PendingProof>}
 */
export function normaliseProofs(value) {
  /** @type {Record<string, PendingProof>} */
  const out = {};
  if (!value || typeof value !== "object" || Array.isArray(value)) return out;
  for (const [id, p] of Object.entries(value)) {
    if (
      p &&
      typeof p === "object" &&
      typeof p.platform === "string" &&
      typeof p.at === "number" &&
      typeof p.origin === "number" &&
      Array.isArray(p.items) &&
      proofItems(p.items)
    ) {
      out[id] = { ...p, items: /** @type {ProofItem[]} */ (proofItems(p.items)) };
    }
  }
  return out;
}
