// @ts-check
// Untrain audit log, the background's side: every observed state and every change, kept in
// storage.local (key "audit") and never sent anywhere. background.js calls statusWritten() where
// it writes the status, everywhere.js records time-outs; the popup reads and exports it
// (popup/audit.js) and clears it through the background, so a clear cannot race an append.
// The entries, their folding and bounds: shared/audit-format.js.
import { AUDIT_KEY, appendBounded, eventsFor, newEntries } from "../shared/audit-format.js";
import "../shared/messages.js";
import { serialQueue } from "../shared/queue.js";
import { repairEvents, repairLog } from "../shared/repair.js";

const api = globalThis.browser ?? globalThis.chrome;

const serial = serialQueue();

/** The stored log, repaired (for readers; the next append records what was repaired). */
export async function readLog() {
  const { [AUDIT_KEY]: value } = await api.storage.local.get(AUDIT_KEY);
  return repairLog(value).log;
}

/**
 * Appends entries (serialised with every other write of the log), plus a "repaired" entry for
 * whatever was unreadable in the stored log. Writes nothing when nothing is appended.
 */
export function record(events) {
  if (!events || events.length === 0) return Promise.resolve();
  return serial(async () => {
    const { [AUDIT_KEY]: value } = await api.storage.local.get(AUDIT_KEY);
    const { log, notes } = repairLog(value);
    const all = [...repairEvents(notes), ...events];
    if (newEntries(log, all).length === 0) return; // a repeat: the log stays as it is
    await api.storage.local.set({ [AUDIT_KEY]: appendBounded(log, all) });
  });
}

/** Hook for background.js: called after every status write. kind: "evaluate" | "step". */
export function statusWritten(before, after, kind) {
  return record(eventsFor(before, after, kind)).catch(() => {});
}

export function clear() {
  return serial(() => api.storage.local.set({ [AUDIT_KEY]: [] }));
}

/** Popup messages handled by the background. */
export const messages = {
  [UntrainMessages.MSG.AUDIT_CLEAR]: async () => {
    await clear();
    return { ok: true };
  },
};
