// @ts-check
// Untrain weekly re-check reminder (background). An alarm fires once a week; the decision is
// recheck.js's pure dueForRecheck(). The result is kept in storage.local (key "recheck":
// { at, due: [...] }) for the popup's notice, and the toolbar badge shows "!" while a re-check is
// due and nothing is known to be on. No notification: the badge and the popup say it, which needs
// no "notifications" permission and does not interrupt.
import { RECHECK_ALARM, RECHECK_PERIOD_MINUTES, dueForRecheck } from "../shared/recheck.js";
import "../shared/messages.js";
import { repairReminder, repairStatus } from "../shared/repair.js";

const api = globalThis.browser ?? globalThis.chrome;

export const RECHECK_KEY = "recheck";

let engineOf = null;
let badge = null;

/** Called once, synchronously, at the background's top level. */
export function setup({ engine, refreshBadge }) {
  engineOf = engine;
  badge = refreshBadge;
  api.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === RECHECK_ALARM) runRecheck(Date.now()).catch(() => {});
  });
}

/** Creates the weekly alarm unless it exists (install and browser start; Firefox forgets alarms). */
export async function ensureAlarm() {
  const existing = await api.alarms.get(RECHECK_ALARM);
  if (!existing) api.alarms.create(RECHECK_ALARM, { periodInMinutes: RECHECK_PERIOD_MINUTES });
}

/** Decides which platforms are due at `now`, stores it, updates the badge. */
export async function runRecheck(now) {
  const e = await engineOf();
  const { status } = await api.storage.local.get("status");
  const due = dueForRecheck(repairStatus(status).status, e.platforms(), now);
  const reminder = { at: now, due };
  await api.storage.local.set({ [RECHECK_KEY]: reminder });
  if (badge) await badge();
  return reminder;
}

/** Reads the stored reminder (for the badge), without its unreadable entries. */
export async function readReminder() {
  const { [RECHECK_KEY]: reminder } = await api.storage.local.get(RECHECK_KEY);
  return repairReminder(reminder).reminder;
}

/** Popup messages. `recheck-now` runs the alarm's logic at a given time (tests, "check now"). */
export const messages = {
  [UntrainMessages.MSG.RECHECK_NOW]: async (message) => {
    const now = typeof message.now === "number" && Number.isFinite(message.now) ? message.now : Date.now();
    return { ok: true, reminder: await runRecheck(now) };
  },
  [UntrainMessages.MSG.RECHECK_DISMISS]: async () => {
    await api.storage.local.remove(RECHECK_KEY);
    if (badge) await badge();
    return { ok: true };
  },
};
