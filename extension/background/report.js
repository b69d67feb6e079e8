// @ts-check
// Page reports (docs/rules.md): what a person saves when a supported platform's settings page
// shows no known setting, an unreadable state or a failure. Pure: the engine's part comes in as
// functions (`normalize`, `stem`, `reportUrl`: the wasm module's), so Node tests run this with the
// shipped engine. The same report as `untrain report` writes natively (crate/src/engine/report.rs;
// tests/unit/report.test.mjs checks that both agree), so `untrain scan --report` replays it.
//
// Masking: a word of the page's texts is kept when a rule's texts hold it (labels, context,
// exclusions, step texts, option names, titles, never-words) or it holds one of the engine's own
// stems and no digit; any other word becomes "•". The URL keeps only what the rules' page
// patterns need; a text field's value and the controls' hints (ids, classes) are dropped.

export const REPORT_FORMAT = 1;
export const MASK = "•";

// A word as Rust's char::is_alphanumeric sees it (Unicode Alphabetic or Numeric).
const WORD = /[\p{Alphabetic}\p{N}]+/gu;
// "everyoneOn" (two elements' texts joined with no space) is two words, as natively.
const CAMEL = /(?<=\p{Ll})(?=\p{Lu})/u;

/**
 * Every text of the rules (rules.json, parsed) whose words a report keeps.
 * @param {any[]} sets
 * @returns {string[]}
 */
export function ruleTexts(sets) {
  /** @type {string[]} */
  const out = [];
  /** @param {unknown} m a table by language: { en: ["..."], ... } */
  const lang = (m) => {
    if (m && typeof m === "object") for (const v of Object.values(m)) if (Array.isArray(v)) out.push(...v.map(String));
  };
  for (const set of Array.isArray(sets) ? sets : []) {
    out.push(String(set.name ?? ""));
    for (const s of Array.isArray(set.setting) ? set.setting : []) {
      out.push(String(s.title ?? ""));
      [s.labels, s.context, s.exclude, s.off_option].forEach(lang);
      for (const st of Array.isArray(s.steps) ? s.steps : []) lang(st.text);
      if (s.prefill) lang(s.prefill.labels);
      if (Array.isArray(s.never)) out.push(...s.never.map(String));
    }
  }
  return out;
}

/**
 * The `keep(word)` test of a report: `words` is the set of the rules' normalised words.
 * @param {Set<string>} words
 * @param {(text: string) => string} normalize the engine's
 * @param {(word: string) => boolean} stem the engine's: holds one of its stems
 * @returns {(word: string) => boolean}
 */
export function keeper(words, normalize, stem) {
  return (word) => {
    const n = normalize(word);
    return n !== "" && n.split(" ").every((w) => words.has(w) || (!/[0-9]/.test(w) && stem(w)));
  };
}

/**
 * The normalised words of `texts`.
 * @param {string[]} texts
 * @param {(text: string) => string} normalize
 * @returns {Set<string>}
 */
export function wordsOf(texts, normalize) {
  const words = new Set();
  for (const t of texts) for (const w of normalize(t).split(" ")) if (w) words.add(w);
  return words;
}

/**
 * `text` with every word `keep` refuses replaced by MASK; what lies between words stays. A run
 * of letters and digits that is not kept whole is split where a lowercase letter meets an
 * uppercase one ("everyoneOn"), and each part kept or masked.
 * @param {unknown} text
 * @param {(word: string) => boolean} keep
 */
export function maskText(text, keep) {
  return String(text ?? "").replace(WORD, (run) =>
    keep(run)
      ? run
      : run
          .split(CAMEL)
          .map((w) => (keep(w) ? w : MASK))
          .join(""),
  );
}

/**
 * A control as a report carries it.
 * @param {Record<string, any>} c
 * @param {(word: string) => boolean} keep
 */
function maskControl(c, keep) {
  /** @type {Record<string, any>} */
  const out = { ...c, name: maskText(c.name, keep), text: maskText(c.text, keep), hint: "" };
  if (c.text === undefined) delete out.text;
  if (c.hint === undefined) delete out.hint;
  // a text field's value is what the person typed; a select's is one of its options
  if (c.value !== undefined && c.value !== null) out.value = c.role === "select" ? maskText(c.value, keep) : "";
  if (Array.isArray(c.options)) out.options = c.options.map((o) => maskText(o, keep));
  return out;
}

/**
 * The page report of `snapshot`, on which the engine answered `evaluation`.
 * @param {{ snapshot: any, evaluation: any, keep: (word: string) => boolean,
 *   reportUrl: (url: string) => string, browser?: string, version?: string }} input
 */
export function buildReport({ snapshot, evaluation, keep, reportUrl, browser = "", version = "" }) {
  const s = snapshot || {};
  const list = (v) => (Array.isArray(v) ? v : []);
  /** @type {Record<string, unknown>} */
  const masked = {
    ...s,
    url: reportUrl(String(s.url ?? "")),
    lang: [...String(s.lang ?? "")].slice(0, 35).join(""),
    title: maskText(s.title, keep),
    headings: list(s.headings).map((h) => maskText(h, keep)),
    dialogs: list(s.dialogs).map((d) => maskText(d, keep)),
    controls: list(s.controls).map((c) => maskControl(c, keep)),
  };
  // the light harvest's names of the controls the engine does not read; omitted when none, as natively
  delete masked.other_names;
  const others = list(s.other_names).map((n) => maskText(n, keep));
  if (others.length) masked.other_names = others;
  return {
    untrain_report: REPORT_FORMAT,
    platform: String(evaluation?.platform ?? ""),
    browser,
    extension_version: version,
    seen: list(evaluation?.findings).map((f) => ({
      setting: f.setting,
      state: f.state,
      reason: f.reason ?? null,
      rule_version: f.rule_version,
    })),
    snapshot: masked,
  };
}

/**
 * "Chrome 156", "Firefox 153" from a user agent string (nothing else of it).
 * @param {string} ua
 */
export function browserName(ua) {
  const m = /(Firefox|Chrome)\/(\d+)/.exec(String(ua));
  return m ? `${m[1]} ${m[2]}` : "";
}
