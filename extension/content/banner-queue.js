// @ts-check
// The banner's queue (pure, no DOM, no browser API): the items an evaluation offers, in the order
// the banner takes them, and which one it shows now: a setting that needs the person first, a
// result held for a moment ("done") or until closed ("failed"), the items the person closed
// left out, and a note when nothing needs the person. content.js acts on the decision;
// tests/unit/banner-queue.test.mjs drives it directly.
//
// A classic script that sets one global, `UntrainBannerQueue` (loaded before content.js).
"use strict";

/**
 * One thing the banner can be about: a setting of the rules (kind known | safe-default |
 * guided) or a suspect. `control`: its element on the page (content.js fills it in).
 * @typedef {{ key: string, kind: string, setting: string, suspect?: string, state: string,
 *   label: string, title: string, finding?: Finding, unsure?: boolean,
 *   info: SettingInfo | null, control: unknown }} BannerItem
 */
/** What the banner shows: @typedef {{ key: string, state: string }} Shown */
/**
 * What content.js did for an item on this page. `state`: "done" (turned off, and a fresh read
 * after a reload proved it kept) | "failed" (including a change the platform did not keep) |
 * "unconfirmed" (turned off and re-read off, but no fresh read was possible) | "already-off" |
 * "prefilled" | "manual". `proof`, `note`: background/proof.js's ProofResult.
 * @typedef {{ state: string, label?: string, message?: string, proof?: string, note?: string }} ItemResult
 */
/**
 * The decision of decide():
 *   auto    run `items` without asking (a tab the popup or the run opened)
 *   hold    keep `shown`; when `wait` > 0, look again after it (a "done" held for a moment)
 *   guided  show the guided item (its steps, or its one-time fill)
 *   offer   offer the opt-out of `item`
 *   note    nothing needs the person: say `state` ("already-off" | "unknown") of `item`
 *   clear   nothing to say: remove the banner
 *   none    leave the banner as it is
 * @typedef {{ kind: "auto", items: BannerItem[] }
 *   | { kind: "hold", shown: Shown, wait: number }
 *   | { kind: "guided", item: BannerItem }
 *   | { kind: "offer", item: BannerItem, turnedBackOn: boolean, wasOffAt: number | null,
 *       note: { key: string, label: string | undefined } | null }
 *   | { kind: "note", item: BannerItem, state: string }
 *   | { kind: "clear" }
 *   | { kind: "none" }} Decision
 */

var UntrainBannerQueue = (() => {
  /** @type {Record<string, string>} */
  const KIND = { automatic: "known", "safe-by-default": "safe-default", guided: "guided" };
  /** @type {Record<string, number>} */
  const RANK = { known: 0, "safe-default": 0, guided: 1, suspected: 2 };

  /** How long a "done" stays shown before the next item. */
  const HOLD_DONE_MS = 1500;
  /** The results the banner keeps showing while other items wait. */
  const HELD = new Set(["done", "failed", "unconfirmed"]);

  /**
   * The findings and suspects of an evaluation as banner items, in the order the banner takes
   * them: automatic and safe-by-default settings, guided settings, then suspects (absent
   * settings left out).
   * @param {Evaluation} evaluation
   * @param {unknown[]} elements the harvest's elements, by control index
   * @param {Record<string, SettingInfo> | null | undefined} infos
   * @returns {BannerItem[]}
   */
  function itemsOf(evaluation, elements, infos) {
    /** @type {BannerItem[]} */
    const items = [];
    for (const f of evaluation.findings || []) {
      if (f.state === "unknown" && f.reason === "absent") continue;
      items.push({
        key: f.setting,
        kind: KIND[f.automation] || "known",
        setting: f.setting,
        state: f.state,
        label: f.label || "",
        title: f.title || "",
        finding: f,
        // Found by the keyword fallback, not by one of the rule's labels: shown, never acted on
        // without the person ("Untrain is not sure").
        unsure: f.matched_by === "keywords",
        info: (infos && infos[f.setting]) || null,
        control: f.control == null ? null : elements[f.control] || null,
      });
    }
    for (const s of evaluation.suspected || []) {
      items.push({
        key: `suspected:${s.key}`,
        kind: "suspected",
        setting: "suspected",
        suspect: s.key,
        state: s.state,
        label: s.label || "",
        title: "",
        info: null,
        control: s.control == null ? null : elements[s.control] || null,
      });
    }
    return items;
  }

  /** @param {BannerItem} item */
  function needsPerson(item) {
    return item.kind === "guided" ? item.state === "manual" : item.state === "on";
  }

  /**
   * The items that need the person and were not closed, settings before guided ones before
   * suspects.
   * @param {BannerItem[]} items
   * @param {ReadonlySet<string>} dismissed
   */
  function candidates(items, dismissed) {
    return items.filter((i) => needsPerson(i) && !dismissed.has(i.key)).sort((a, b) => RANK[a.kind] - RANK[b.kind]);
  }

  /**
   * What "auto" runs: every automatic setting that is on (never safe-by-default settings,
   * guided fills or suspects, and never a control found only by keywords: Untrain is not sure
   * it is the setting, the person decides).
   * @param {BannerItem[]} items
   */
  function autoItems(items) {
    return items.filter((i) => i.kind === "known" && i.state === "on" && !i.unsure);
  }

  /**
   * When the stored status says this setting was off before and is on now, the time of that
   * last "off" check (the background keeps it as was_off_at); else null.
   * @param {{ setting?: string | null, state?: string, checked_at?: unknown, was_off_at?: unknown } | null | undefined} previous
   * @param {{ setting: string }} item
   * @returns {number | null}
   */
  function wasOffAt(previous, item) {
    if (!previous || previous.setting !== item.setting) return null;
    if (previous.state === "off" && typeof previous.checked_at === "number") return previous.checked_at;
    if (previous.state === "on" && typeof previous.was_off_at === "number") return previous.was_off_at;
    return null;
  }

  /**
   * What the banner does after an evaluation.
   * @param {{ items: BannerItem[], auto: boolean, dismissed: ReadonlySet<string>,
   *   lastShown: Shown | null, holdUntil: number, now: number,
   *   results: ReadonlyMap<string, ItemResult>, previous: any }} input
   *   `previous`: the stored record before this evaluation (the evaluate reply's `previous`)
   * @returns {Decision}
   */
  function decide({ items, auto, dismissed, lastShown, holdUntil, now, results, previous }) {
    if (auto) {
      const autos = autoItems(items);
      if (autos.length) return { kind: "auto", items: autos };
    }
    const held = lastShown && HELD.has(lastShown.state) ? lastShown : null;
    const next = candidates(items, dismissed)[0] || null;
    if (held && (!next || next.key !== held.key)) {
      // A result stays: "failed" and "unconfirmed" until the person closes it, "done" for a moment.
      if (held.state !== "done" || !next) return { kind: "hold", shown: held, wait: 0 };
      const wait = holdUntil - now;
      if (wait > 0) return { kind: "hold", shown: held, wait };
    }
    if (next) {
      if (next.kind === "guided") return { kind: "guided", item: next };
      const before = results.get(next.key);
      const done = held && held.state === "done" ? results.get(held.key) : null;
      const wasOff =
        (before && before.state === "done") ||
        (previous &&
          previous.settings &&
          previous.settings[next.key] &&
          previous.settings[next.key].outcome === "turned-off");
      return {
        kind: "offer",
        item: next,
        turnedBackOn: Boolean(wasOff),
        wasOffAt: wasOffAt(previous, next),
        note: done ? { key: "bannerPreviousDone", label: done.label } : null,
      };
    }
    // Nothing needs the person: a note about the first setting found (not after the person
    // closed the banner on this page).
    if (dismissed.size) return { kind: "none" };
    const first =
      items.find((i) => i.kind !== "suspected") ||
      items.find((i) => i.kind === "suspected" && i.state === "off") ||
      null;
    if (!first) return { kind: "clear" };
    if (dismissed.has(first.key)) return { kind: "none" };
    if (first.state === "off" || first.state === "unknown") {
      return { kind: "note", item: first, state: first.state === "off" ? "already-off" : "unknown" };
    }
    return { kind: "none" };
  }

  /**
   * The content script's result state for the action a plan ended with.
   * @param {Action} action a "done" action
   */
  function doneState(action) {
    if (action.outcome === "already-off") return "already-off";
    if (action.outcome === "prefilled") return "prefilled";
    if (action.outcome === "manual") return "manual";
    return "done";
  }

  /**
   * Whether a result is held for HOLD_DONE_MS before the banner moves on (and the page is then
   * watched for a setting that turns itself back on).
   * @param {ItemResult} result
   */
  function holds(result) {
    return result.state === "done" || result.state === "already-off";
  }

  return Object.freeze({
    HOLD_DONE_MS,
    itemsOf,
    needsPerson,
    candidates,
    autoItems,
    wasOffAt,
    decide,
    doneState,
    holds,
  });
})();
globalThis.UntrainBannerQueue = UntrainBannerQueue;
