// @ts-check
// Tabs that Untrain opened to opt out without asking again (ES module, background): "open and
// opt out" in the popup and "opt out everywhere" mark their tab before it loads; the first
// conclusive evaluation in that tab takes the mark (background.js `evaluate` answers
// `auto: true` once).
//
// storage.session key "auto_tabs": { "<tab id>": { platform, setting, at } }. Every change is a
// read-modify-write through ONE queue, so a mark written while another tab's mark is taken is
// never lost, and a taken mark never comes back (security review L1).
import { serialQueue } from "../shared/queue.js";

const api = globalThis.browser ?? globalThis.chrome;

export const AUTO_KEY = "auto_tabs";
export const AUTO_TTL_MS = 10 * 60 * 1000;

const serial = serialQueue();

/** The stored marks as a plain object of plain-object entries (anything else is dropped). */
export function normaliseMarks(value) {
  const out = {};
  if (!value || typeof value !== "object" || Array.isArray(value)) return out;
  for (const [id, entry] of Object.entries(value)) {
    if (entry && typeof entry === "object" && typeof entry.platform === "string" && typeof entry.at === "number") {
      out[id] = entry;
    }
  }
  return out;
}

async function readMarks() {
  const { [AUTO_KEY]: value } = await api.storage.session.get(AUTO_KEY);
  return normaliseMarks(value);
}

/** Marks `tabId` as opened for `platform` (and its `setting`); old marks are swept. */
export function markTab(tabId, platform, setting, now = Date.now()) {
  return serial(async () => {
    const marks = await readMarks();
    for (const [id, entry] of Object.entries(marks)) {
      if (now - entry.at > AUTO_TTL_MS) delete marks[id];
    }
    marks[String(tabId)] = { platform, setting: setting ?? null, at: now };
    await api.storage.session.set({ [AUTO_KEY]: marks });
  });
}

/**
 * True once for a tab marked for this platform (and fresh). `consume`: the evaluation could
 * read something, so the mark is used up (a late-rendering page asks again). A stale mark, or a
 * mark for another platform, is removed and answers false.
 */
export function takeMark(tabId, platform, consume, now = Date.now()) {
  if (typeof tabId !== "number") return Promise.resolve(false);
  return serial(async () => {
    const marks = await readMarks();
    const entry = marks[String(tabId)];
    if (!entry) return false;
    const fresh = entry.platform === platform && now - entry.at <= AUTO_TTL_MS;
    if (consume || !fresh) {
      delete marks[String(tabId)];
      await api.storage.session.set({ [AUTO_KEY]: marks });
    }
    return fresh;
  });
}

/** Forgets the mark of `tabId` (its tab closed, or the run gave it up). */
export function forgetTab(tabId) {
  return serial(async () => {
    const marks = await readMarks();
    if (!(String(tabId) in marks)) return;
    delete marks[String(tabId)];
    await api.storage.session.set({ [AUTO_KEY]: marks });
  });
}
