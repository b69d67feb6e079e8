// @ts-check
// The language helpers of every page Untrain draws on (the banner in content scripts, the
// popup): the extension's messages, the language they are in, a rule's per-language texts,
// short dates, the mailto: link of a prepared text, and why a proof note could not confirm.
//
// A classic script that sets one global, `UntrainLang`: content scripts load it before
// banner.js (manifest.json content_scripts), the popup imports it for that effect.
"use strict";

var UntrainLang = (() => {
  /**
   * `t(key, subs)` over the extension's messages (_locales): the key itself when there is no
   * message (or the API throws: a context that went away).
   * @param {typeof chrome} api
   * @returns {(key: string, subs?: string | string[]) => string}
   */
  function translator(api) {
    return (key, subs) => {
      let text = "";
      try {
        text = api.i18n.getMessage(key, subs);
      } catch {
        text = "";
      }
      return text || key;
    };
  }

  /**
   * The language of the messages in use ("de", "en-GB"): the bundle's own "locale" message
   * (getUILanguage() can disagree with the messages chosen), else the browser's UI language.
   * @param {typeof chrome} api
   * @returns {string}
   */
  function localeOf(api) {
    try {
      return api.i18n.getMessage("locale") || api.i18n.getUILanguage() || "en";
    } catch {
      return "en";
    }
  }

  /**
   * The language part of a locale: "pt-BR" -> "pt".
   * @param {string} locale
   */
  function langOf(locale) {
    return String(locale).toLowerCase().split(/[-_]/)[0];
  }

  /**
   * A rule's per-language text (instructions, prepared_text) in `locale`'s language, else en,
   * else the first; null when `map` is not a map.
   * @template T
   * @param {Record<string, T> | null | undefined} map
   * @param {string} locale
   * @returns {T | null}
   */
  function pickLang(map, locale) {
    if (!map || typeof map !== "object") return null;
    const lang = langOf(locale);
    if (map[lang] != null) return map[lang];
    if (map.en != null) return map.en;
    const first = Object.keys(map)[0];
    return first == null ? null : map[first];
  }

  /**
   * A short date in `locale` ("3 May").
   * @param {number} ms epoch ms
   * @param {string} locale
   */
  function shortDate(ms, locale) {
    try {
      return new Date(ms).toLocaleDateString(locale, { day: "numeric", month: "short" });
    } catch {
      return new Date(ms).toDateString();
    }
  }

  /**
   * A mailto: link with a subject and a body (a guided setting's prepared text).
   * @param {string} email
   * @param {string | null | undefined} subject
   * @param {string | null | undefined} body
   */
  function mailto(email, subject, body) {
    const q = [];
    if (subject) q.push(`subject=${encodeURIComponent(subject)}`);
    if (body) q.push(`body=${encodeURIComponent(body)}`);
    return `mailto:${email}${q.length ? `?${q.join("&")}` : ""}`;
  }

  /** The message key of why no fresh read could prove a change (background/proof.js notes). */
  const PROOF_REASONS = Object.freeze({
    "signed-out": "proofSignedOut",
    "page-gone": "proofPageGone",
    "tab-closed": "proofTabClosed",
    unreadable: "proofUnreadable",
    "timed-out": "proofTimedOut",
    "reload-failed": "proofReloadFailed",
  });

  /**
   * @param {unknown} note a proof note ("signed-out", "page-gone", ...)
   * @returns {string} its message key; an unknown note reads as a time-out
   */
  const proofReasonKey = (note) =>
    (typeof note === "string" && Object.hasOwn(PROOF_REASONS, note) && PROOF_REASONS[note]) || "proofTimedOut";

  return Object.freeze({ translator, localeOf, langOf, pickLang, shortDate, mailto, proofReasonKey });
})();
globalThis.UntrainLang = UntrainLang;
