// @ts-check
// The messages between Untrain's contexts, in code (docs/architecture.md, "Messages"): every
// type name, who may send it, and the shape of its payload and reply. The senders (content
// script, popup) name types through MSG, the background's router checks each message against
// CONTENT_TYPES / POPUP_TYPES and payloadError() before any work, and tests/unit reads the same.
//
// A classic script that sets one global, `UntrainMessages`: content scripts load it first
// (manifest.json content_scripts), ES modules (background, popup) import it for that effect.
"use strict";

// ------------------------------------------------------------------ engine types (wire)

/**
 * classify()'s answer for a URL (null: not a page of any rule's host).
 * @typedef {{ platform: string, name: string, settings_page: boolean, roles?: string[] }} PageInfo
 */
/**
 * A harvested control (docs/architecture.md, "Snapshot").
 * @typedef {{ index: number, role: string, name: string, [field: string]: unknown }} Control
 */
/**
 * A snapshot; the light harvest sends the controls of the roles the engine reads, and of the
 * others only their names (`other_names`).
 * @typedef {{ url: string, lang: string, title: string, headings: unknown[], dialogs: unknown[],
 *   controls: Control[], other_names?: string[], [field: string]: unknown }} Snapshot
 */
/**
 * One setting as evaluate() reports it.
 * @typedef {{ setting: string, title: string, state: string, label: string, control: number | null,
 *   reason: string | null, matched_by: string, automation: string, rule_version: number | null,
 *   [field: string]: unknown }} Finding
 */
/** @typedef {{ key: string, state: string, label: string, control: number | null }} Suspect */
/**
 * @typedef {{ platform: string, name: string, signed_out: boolean, findings: Finding[],
 *   suspected?: Suspect[] }} Evaluation
 */
/** The opaque plan the content script hands back each step. @typedef {{ setting: string, suspect?: string, [field: string]: unknown }} Plan */
/**
 * The next thing to do: click | select | fill | wait | done | failed.
 * @typedef {{ kind: string, index?: number, role?: string, name?: string, option?: string,
 *   text?: string, ms?: number, outcome?: string, reason?: string, message?: string,
 *   label?: string, [field: string]: unknown }} Action
 */
/**
 * A setting as platforms() lists it.
 * @typedef {{ id: string, title: string, automation: string, settings_url: string,
 *   form_url?: string | null, email?: string | null, email_subject?: string | null,
 *   instructions?: unknown, prepared_text?: unknown, regions?: string[], confidence?: string,
 *   [field: string]: unknown }} SettingInfo
 */
/**
 * @typedef {{ id: string, name: string, version?: number, confidence?: string, hosts: string[],
 *   settings: SettingInfo[] }} PlatformInfo
 */

// ------------------------------------------------------------------ messages and replies

/** Every refusal and every error: @typedef {{ ok: false, error: string }} Failure */

/** content -> background. @typedef {{ type: "classify", url: string }} ClassifyMessage */
/** @typedef {{ ok: true, page: PageInfo | null }} ClassifyReply */
/** content -> background. @typedef {{ type: "evaluate", snapshot: Snapshot }} EvaluateMessage */
/**
 * `auto`: opt out now, without asking (a tab the popup or the run opened); `previous`: the stored
 * record before this evaluation; `settings`: the platform's SettingInfo by id; `site`: the host
 * when the page is on a host a customer of the platform controls, else null; `proof`: what this
 * evaluation proved of a change Untrain made here before the page was reloaded (`results`:
 * background/proof.js ProofResult[], `name`: the platform's name), else null.
 * @typedef {{ ok: true, evaluation: Evaluation, auto: boolean, previous: object | null,
 *   settings: Record<string, SettingInfo>, site: string | null,
 *   proof: { results: object[], name: string } | null }} EvaluateReply
 */
/** content -> background. @typedef {{ type: "step", snapshot: Snapshot, plan: Plan }} StepMessage */
/** @typedef {{ ok: true, plan: Plan, action: Action }} StepReply */
/**
 * content -> background, after Untrain turned settings off on this page and its re-read said
 * off: prove that the platform kept them (background/proof.js). `items`: the settings (ids) and
 * suspects ("suspected:<key>") turned off, with the label shown. The reply's `method`: "reload"
 * (the content script reloads the page; the reloaded page's evaluate reply carries `proof`) or
 * "tab" (the background reads the page afresh in a background tab and answers with a
 * proof-result message).
 * `url`: the page's address now (an in-app navigation may have changed it since the page
 * loaded); it must be on the sender's host.
 * @typedef {{ type: "prove", url: string, items: { key: string, label?: string }[] }} ProveMessage
 */
/** @typedef {{ ok: true, method: "reload" | "tab" }} ProveReply */
/**
 * background -> content (tabs.sendMessage to the tab the person looks at): what the fresh read
 * proved. `results`: background/proof.js ProofResult[].
 * @typedef {{ type: "proof-result", platform: string, name: string, results: object[] }} ProofResultMessage
 */

/** popup -> background. @typedef {{ type: "platforms" }} PlatformsMessage */
/** @typedef {{ ok: true, platforms: PlatformInfo[] }} PlatformsReply */
/** popup -> background. @typedef {{ type: "status" }} StatusMessage */
/** `status`: storage.local "status" (see background/status.js). @typedef {{ ok: true, status: Record<string, object> }} StatusReply */
/** popup -> background. @typedef {{ type: "open-and-opt-out", platform: string }} OpenAndOptOutMessage */
/** @typedef {{ ok: true, tab: number, auto: boolean }} OpenAndOptOutReply */
/**
 * popup -> background. `platforms`: only these (default: all); `limit_ms`: per platform.
 * @typedef {{ type: "everywhere-start", platforms?: string[], limit_ms?: number }} EverywhereStartMessage
 */
/** popup -> background. @typedef {{ type: "everywhere-cancel" }} EverywhereCancelMessage */
/** popup -> background. @typedef {{ type: "everywhere-status" }} EverywhereStatusMessage */
/** `run`: storage.session "everywhere" (see background/everywhere-run.js). @typedef {{ ok: true, run: object | null }} EverywhereReply */
/** popup -> background. @typedef {{ type: "audit-clear" }} AuditClearMessage */
/** popup -> background (tests, "check now"). @typedef {{ type: "recheck-now", now?: number }} RecheckNowMessage */
/** @typedef {{ ok: true, reminder: { at: number, due: object[] } }} RecheckNowReply */
/** popup -> background. @typedef {{ type: "recheck-dismiss" }} RecheckDismissMessage */
/** @typedef {{ ok: true }} OkReply */

/** content -> background: open the page report of the sender's tab. @typedef {{ type: "open-report" }} OpenReportMessage */
/** report page -> background: a tab's, or a platform's latest. @typedef {{ type: "page-report", tab?: number, platform?: string }} PageReportMessage */
/** `report`: docs/rules.md, "Page reports". @typedef {{ ok: true, report: object }} PageReportReply */
/**
 * popup -> background: what Untrain last saw in a tab (the tab the popup was opened on).
 * @typedef {{ type: "tab-page", tab: number }} TabPageMessage
 */
/**
 * `page`: null when the background holds no settings page of that tab; `no_known_setting`: the
 * page shows none of the platform's known settings (the popup offers a page report).
 * @typedef {{ ok: true, page: { platform: string, name: string, no_known_setting: boolean } | null }} TabPageReply
 */

/** @typedef {ClassifyMessage | EvaluateMessage | StepMessage | ProveMessage | OpenReportMessage} ContentMessage */
/**
 * @typedef {PlatformsMessage | StatusMessage | OpenAndOptOutMessage | EverywhereStartMessage
 *   | EverywhereCancelMessage | EverywhereStatusMessage | AuditClearMessage | RecheckNowMessage
 *   | RecheckDismissMessage | PageReportMessage | TabPageMessage} PopupMessage
 */
/** @typedef {ContentMessage | PopupMessage} Message */

var UntrainMessages = (() => {
  /** The type names. */
  const MSG = Object.freeze({
    // content script -> background (the top frame of a tab on a rules host, over https)
    CLASSIFY: "classify",
    EVALUATE: "evaluate",
    STEP: "step",
    PROVE: "prove",
    OPEN_REPORT: "open-report",
    // background -> content script (tabs.sendMessage; the content script checks the sender)
    PROOF_RESULT: "proof-result",
    // popup -> background (extension pages only)
    PLATFORMS: "platforms",
    STATUS: "status",
    OPEN_AND_OPT_OUT: "open-and-opt-out",
    EVERYWHERE_START: "everywhere-start",
    EVERYWHERE_CANCEL: "everywhere-cancel",
    EVERYWHERE_STATUS: "everywhere-status",
    AUDIT_CLEAR: "audit-clear",
    RECHECK_NOW: "recheck-now",
    RECHECK_DISMISS: "recheck-dismiss",
    PAGE_REPORT: "page-report",
    TAB_PAGE: "tab-page",
  });

  /** @type {ReadonlySet<string>} */
  const CONTENT_TYPES = new Set([MSG.CLASSIFY, MSG.EVALUATE, MSG.STEP, MSG.PROVE, MSG.OPEN_REPORT]);
  /** @type {ReadonlySet<string>} */
  const POPUP_TYPES = new Set([
    MSG.PLATFORMS,
    MSG.STATUS,
    MSG.OPEN_AND_OPT_OUT,
    MSG.EVERYWHERE_START,
    MSG.EVERYWHERE_CANCEL,
    MSG.EVERYWHERE_STATUS,
    MSG.AUDIT_CLEAR,
    MSG.RECHECK_NOW,
    MSG.RECHECK_DISMISS,
    MSG.PAGE_REPORT,
    MSG.TAB_PAGE,
  ]);

  /** background -> content script (tabs.sendMessage): the content script checks the sender. */
  /** @type {ReadonlySet<string>} */
  const BACKGROUND_TYPES = new Set([MSG.PROOF_RESULT]);

  /** The largest message, as JSON text, the background reads. */
  const MAX_MESSAGE_CHARS = 2 * 1024 * 1024;

  /**
   * The error of a content-script message's payload ("bad url", "bad snapshot", "bad plan",
   * "bad items"), or
   * null when its fields have the contract's types. Popup payloads are read leniently by their
   * handlers (an odd `platforms` or `limit_ms` falls back to the default).
   * @param {{ type?: unknown, [field: string]: unknown }} message
   * @returns {string | null}
   */
  function payloadError(message) {
    if (message.type === MSG.CLASSIFY) return typeof message.url === "string" ? null : "bad url";
    if (message.type === MSG.PROVE) {
      const items = message.items;
      const good =
        Array.isArray(items) &&
        items.length > 0 &&
        items.length <= 20 &&
        items.every((i) => i && typeof i === "object" && typeof i.key === "string" && i.key.length > 0);
      if (!good) return "bad items";
      return typeof message.url === "string" ? null : "bad url";
    }
    if (message.type !== MSG.EVALUATE && message.type !== MSG.STEP) return null;
    const snapshot = /** @type {{ url?: unknown } | null} */ (message.snapshot);
    if (!snapshot || typeof snapshot !== "object" || typeof snapshot.url !== "string") return "bad snapshot";
    if (message.type === MSG.STEP) {
      const plan = /** @type {{ setting?: unknown } | null} */ (message.plan);
      if (!plan || typeof plan !== "object" || typeof plan.setting !== "string") return "bad plan";
    }
    return null;
  }

  /**
   * A refusal or an error reply.
   * @param {string} error
   * @returns {Failure}
   */
  const fail = (error) => ({ ok: false, error });

  return Object.freeze({ MSG, CONTENT_TYPES, POPUP_TYPES, BACKGROUND_TYPES, MAX_MESSAGE_CHARS, payloadError, fail });
})();
globalThis.UntrainMessages = UntrainMessages;
