// @ts-check
// The proofs by reload, the browser side (ES module, background): keeps the pending proofs in
// storage.session (key PROOF_KEY, background/proof.js decides everything), opens the background
// tab of a "tab" proof, and ends a proof that can no longer be read afresh (its tab closed, the
// page it loaded is no settings page, its time ran out). background.js calls request() for a
// `prove` message and onEvaluation() for every evaluation; each ended proof goes to the
// `onResults` hook, which records it and tells the page.
import { serialQueue } from "../shared/queue.js";
import { PROOF_KEY, PROOF_TIMEOUT_MS, expired, methodOf, normaliseProofs, resolve, unproven } from "./proof.js";

/** @typedef {import("./proof.js").PendingProof} PendingProof */
/** @typedef {import("./proof.js").ProofItem} ProofItem */
/** @typedef {import("./proof.js").ProofResult} ProofResult */
/** @typedef {PendingProof & { site: string | null }} StoredProof */

const api = globalThis.browser ?? globalThis.chrome;
const serial = serialQueue();
/** Background tabs of "tab" proofs open at once, at most. */
export const MAX_TAB_PROOFS = 3;

/** @type {{ classify: (url: string) => Promise<PageInfo | null>, onResults: (p: StoredProof, r: ProofResult[]) => Promise<void> } | null} */
let hooks = null;

async function readProofs() {
  const { [PROOF_KEY]: value } = await api.storage.session.get(PROOF_KEY);
  return /** @type {Record<string, StoredProof>} */ (normaliseProofs(value));
}

/** @param {Record<string, StoredProof>} proofs */
function writeProofs(proofs) {
  return api.storage.session.set({ [PROOF_KEY]: proofs });
}

/**
 * Registers the listeners (once, at the background's top level).
 * @param {{ classify: (url: string) => Promise<PageInfo | null>, onResults: (p: StoredProof, r: ProofResult[]) => Promise<void> }} h
 */
export function setup(h) {
  hooks = h;
  api.tabs.onRemoved.addListener((tabId) => {
    end(tabId, null, "tab-closed").catch(() => {});
  });
  api.tabs.onUpdated?.addListener((tabId, change, tab) => {
    if (change.status !== "complete" || !tab || typeof tab.url !== "string" || !tab.url.startsWith("https://")) return;
    const url = tab.url;
    readProofs()
      .then(async (proofs) => {
        const p = proofs[String(tabId)];
        if (!p || !hooks) return;
        const page = await hooks.classify(url);
        if (!page || !page.settings_page || page.platform !== p.platform) await end(tabId, p.at, "page-gone");
      })
      .catch(() => {});
  });
}

/**
 * Ends the pending proof of `tabId` (only the one started at `at`, when given) without a fresh
 * read: `note` says why.
 * @param {number} tabId
 * @param {number | null} at
 * @param {string} note
 */
function end(tabId, at, note) {
  return serial(async () => {
    const proofs = await readProofs();
    const p = proofs[String(tabId)];
    if (!p || (at !== null && p.at !== at)) return null;
    delete proofs[String(tabId)];
    await writeProofs(proofs);
    return p;
  }).then(async (p) => {
    if (p && hooks) await hooks.onResults(p, unproven(p, note));
  });
}

/**
 * Starts a proof for the page in tab `origin` (`url`): "reload" (the content script reloads
 * its page; this tab's next conclusive evaluation proves it) or "tab" (a background tab opens
 * `url`; its evaluation proves it, and the tab is closed).
 * @param {{ origin: number, url: string, platform: string, site: string | null, items: ProofItem[], now: number }} request
 * @returns {Promise<{ ok: true, method: "reload" | "tab" } | { ok: false, error: string }>}
 */
export async function request({ origin, url, platform, site, items, now }) {
  const method = site ? "reload" : methodOf(platform);
  /** @type {StoredProof} */
  const base = { tab: origin, origin, platform, site, items, url, method, at: now };
  if (method === "reload") {
    await put(origin, base);
    armTimeout(origin, now);
    return { ok: true, method };
  }
  // One background tab at a time per page, and a few in all: a page (or a compromised page
  // process) that asks again and again opens no more tabs.
  const open = Object.values(await readProofs()).filter((p) => p.method === "tab" && !expired(p, now));
  if (open.some((p) => p.origin === origin) || open.length >= MAX_TAB_PROOFS) {
    return { ok: false, error: "a proof is already running" };
  }
  // About:blank first, recorded, then sent to the page: its first evaluation finds the proof.
  let tab;
  try {
    tab = await api.tabs.create({ url: "about:blank", active: false });
  } catch (error) {
    await hooks?.onResults(base, unproven(base, "reload-failed"));
    return { ok: false, error: String((error && /** @type {Error} */ (error).message) || error) };
  }
  const id = /** @type {number} */ (tab.id);
  await put(id, { ...base, tab: id });
  armTimeout(id, now);
  try {
    await api.tabs.update(id, { url });
  } catch {
    await end(id, now, "reload-failed");
    await api.tabs.remove(id).catch(() => {});
  }
  return { ok: true, method };
}

/**
 * @param {number} tabId
 * @param {StoredProof} proof
 */
function put(tabId, proof) {
  return serial(async () => {
    const proofs = await readProofs();
    // A proof still pending for this tab is replaced: the newer change is the one to prove.
    proofs[String(tabId)] = proof;
    await writeProofs(proofs);
  });
}

/**
 * @param {number} tabId
 * @param {number} at
 */
function armTimeout(tabId, at) {
  setTimeout(() => {
    end(tabId, at, "timed-out").catch(() => {});
  }, PROOF_TIMEOUT_MS + 100);
}

/**
 * The proof that this evaluation in tab `tabId` ends, with its results, or null (no proof
 * pending there, or the page does not show the settings yet). The proof is removed.
 * @param {number} tabId
 * @param {Evaluation} evaluation
 * @param {number} now
 * @returns {Promise<{ proof: StoredProof, results: ProofResult[] } | null>}
 */
export function onEvaluation(tabId, evaluation, now) {
  return serial(async () => {
    const proofs = await readProofs();
    const p = proofs[String(tabId)];
    if (!p || p.platform !== evaluation.platform) return null;
    const results = expired(p, now) ? unproven(p, "timed-out") : resolve(p, evaluation);
    if (!results) return null;
    delete proofs[String(tabId)];
    await writeProofs(proofs);
    return { proof: p, results };
  });
}
