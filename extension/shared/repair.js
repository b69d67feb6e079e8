// @ts-check
// Reading storage that may be corrupt or from an older version (pure, no browser API; ES module).
//
// Every reader of a stored value the extension writes (status, audit log, re-check reminder)
// goes through one of these: a value of the wrong shape is replaced by the nearest readable one,
// and each repair is described in `notes`, which the writer records in the audit log (event
// "repaired"), so nothing is lost silently (security review L4).

const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function kindOf(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/**
 * The stored "status" as { <platform>: Status } of plain objects. Returns { status, notes }.
 * A platform entry that is not an object is dropped; its `settings`, `suspects` and `sites`
 * maps keep only object entries.
 */
export function repairStatus(value) {
  const notes = [];
  if (value === undefined) return { status: {}, notes };
  if (!isPlainObject(value)) {
    notes.push(`the stored status was ${kindOf(value)}, not an object: it was reset`);
    return { status: {}, notes };
  }
  const status = {};
  for (const [platform, s] of Object.entries(value)) {
    if (!isPlainObject(s)) {
      notes.push(`the stored status of ${platform} was ${kindOf(s)}: it was dropped`);
      continue;
    }
    const entry = { ...s };
    for (const key of ["settings", "suspects", "sites"]) {
      if (!(key in entry)) continue;
      if (!isPlainObject(entry[key])) {
        notes.push(`the stored ${key} of ${platform} were ${kindOf(entry[key])}: they were dropped`);
        entry[key] = {};
        continue;
      }
      const kept = {};
      for (const [id, v] of Object.entries(entry[key])) {
        if (isPlainObject(v)) kept[id] = v;
        else notes.push(`the stored ${key} entry ${id} of ${platform} was ${kindOf(v)}: it was dropped`);
      }
      entry[key] = kept;
    }
    status[platform] = entry;
  }
  return { status, notes };
}

/** The stored audit log as a list of entry objects. Returns { log, notes }. */
export function repairLog(value) {
  const notes = [];
  if (value === undefined) return { log: [], notes };
  if (!Array.isArray(value)) {
    notes.push(`the stored audit log was ${kindOf(value)}, not a list: it was reset`);
    return { log: [], notes };
  }
  const log = value.filter((e) => isPlainObject(e) && typeof e.event === "string");
  if (log.length !== value.length) {
    const n = value.length - log.length;
    notes.push(`${n} unreadable audit ${n === 1 ? "entry was" : "entries were"} dropped`);
  }
  return { log, notes };
}

/** The stored re-check reminder ({ at, due: [...] }) or null. Returns { reminder, notes }. */
export function repairReminder(value) {
  const notes = [];
  if (value === undefined || value === null) return { reminder: null, notes };
  if (!isPlainObject(value) || !Array.isArray(value.due)) {
    notes.push(`the stored re-check reminder was unreadable: it was dropped`);
    return { reminder: null, notes };
  }
  const due = value.due.filter((d) => isPlainObject(d) && typeof d.platform === "string");
  if (due.length !== value.due.length) notes.push("unreadable re-check entries were dropped");
  return { reminder: { ...value, due }, notes };
}

/** Audit entries (event "repaired") for repair notes. */
export function repairEvents(notes, time = Date.now()) {
  return notes.map((message) => ({
    time,
    event: "repaired",
    platform: null,
    site: null,
    setting: null,
    label: "",
    before: null,
    after: null,
    url: null,
    rule_version: null,
    outcome: null,
    message,
  }));
}
