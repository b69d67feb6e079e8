// @ts-check
// Untrain page harvester: a pure function over a document, no messaging, no side effects.
//
// Implements the "Harvest algorithm" of docs/architecture.md. The native harvester
// (crate/src/harvest.rs) implements the same spec; a conformance test compares both on every
// static fixture (all fields except `visible`). Change both together.
//
// Usage: `const { snapshot, elements } = globalThis.untrainHarvest(document, window, { roles });`
// `elements[c.index]` is the DOM element of a control record `c`.
//
// Light harvest (what the content script sends): with `{ roles }` (classify(url).roles, the
// control roles the engine reads on the platform) `controls` holds only the controls of those
// roles, and `other_names` the names of all others, each non-empty name once, in order of first
// appearance; the element list, indices and rows are those of the full harvest (so `elements`
// still has every control, and a record's `index` is its element's). Without options, or when
// `roles` is not an array, the full harvest (the conformance test compares that one with the
// native harvester).
//
// Cost on a busy page (docs/architecture.md, "Harvest algorithm"): the controls are selected
// with one short selector and an exact filter in JS (querySelectorAll's cost grows with the
// number of selectors in a list: the CONTROLS list costs ~3x as much); headings and dialogs come
// from single-selector queries (Blink's fast path), merged in document order; the row rule asks
// only the neighbours in document order, and `<label for>` is looked up in a map built once per
// harvest.
"use strict";

(() => {
  const MAX_CONTROLS = 2000;
  const MAX_HEADINGS = 50;
  const NAME_MAX = 300;
  const TEXT_MAX = 400;
  const HINT_MAX = 200;
  const HEADING_MAX = 200;
  const VALUE_MAX = 2000;
  const OPTION_MAX = 200;
  const MAX_OPTIONS = 50;
  const ROW_LEVELS = 4;

  const CONTROLS =
    "input[type=checkbox], input[type=radio], select, button, [role=switch], [role=checkbox], " +
    "[role=radio], [role=menuitem], [role=menuitemradio], [role=menuitemcheckbox], [role=option], " +
    "[role=tab], [role=button], a[href], textarea, input[type=text], input[type=email], " +
    "input:not([type]), [role=textbox]";
  // One pass over the document for controls: a superset of CONTROLS, cheaper to match, that
  // isControl() narrows to exactly CONTROLS. Its `[role]` elements also give the headings and
  // dialogs by role; `h1`, `h2`, `h3` and `dialog[open]` are queried alone (isHeading() and
  // isDialog() narrow them as the HEADINGS and DIALOGS selectors would).
  const CANDIDATES = "input, select, button, a[href], textarea, [role]";
  // `[role=...]` of CONTROLS: whole attribute value, case-sensitive.
  // prettier-ignore
  const CONTROL_ROLES = new Set([
    "switch", "checkbox", "radio", "menuitem", "menuitemradio", "menuitemcheckbox", "option",
    "tab", "button", "textbox",
  ]);
  // `input[type=...]` of CONTROLS (plus `input:not([type])`).
  const CONTROL_INPUT_TYPES = new Set(["checkbox", "radio", "text", "email"]);
  const HTML_NS = "http://www.w3.org/1999/xhtml";
  const HEADINGS = "h1, h2, h3, [role=heading]";
  const DIALOGS = "[role=dialog], [role=alertdialog], dialog[open]";
  // prettier-ignore
  const ROLES = new Set([
    "checkbox", "switch", "radio", "button", "menuitem", "menuitemradio",
    "menuitemcheckbox", "option", "tab", "select", "link", "textbox",
  ]);
  // Roles whose own text is their name.
  const NAME_FROM_CONTENT = new Set([
    "button",
    "link",
    "menuitem",
    "menuitemradio",
    "menuitemcheckbox",
    "option",
    "tab",
  ]);

  // JS `\s` (the native harvester mirrors it exactly); ids are split on ASCII whitespace.
  const WS = /\s+/g;
  const ASCII_WS = /[\t\n\f\r ]+/;
  // prettier-ignore
  const INPUT_TYPES = new Set([
    "hidden", "text", "search", "tel", "url", "email", "password", "date", "month", "week",
    "time", "datetime-local", "number", "range", "color", "checkbox", "radio", "file", "submit",
    "image", "reset", "button",
  ]);

  // Well formed: a lone surrogate (which a page may put in any text) would make the snapshot
  // JSON that the engine refuses (serde_json reads only real characters).
  function collapse(s) {
    if (s == null || s === "") return ""; // most attributes asked for are absent
    return String(s).replace(WS, " ").trim().toWellFormed();
  }

  // Cut to `max` UTF-16 code units, never splitting a surrogate pair.
  function cut(s, max) {
    if (s.length <= max) return s;
    const code = s.charCodeAt(max - 1);
    return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
  }

  function textOf(el) {
    return el ? collapse(el.textContent) : "";
  }

  function tagOf(el) {
    return el.localName.toLowerCase();
  }

  function roleOf(el) {
    const attr = el.getAttribute("role");
    const first = attr ? attr.split(ASCII_WS).find(Boolean) : undefined;
    if (first && ROLES.has(first)) return first;
    const tag = tagOf(el);
    if (tag === "input") {
      const type = inputType(el);
      if (type === "checkbox") return "checkbox";
      if (type === "radio") return "radio";
      if (type === "text" || type === "email") return "textbox";
      return "";
    }
    if (tag === "textarea") return "textbox";
    if (tag === "select") return "select";
    if (tag === "button") return "button";
    if (tag === "a") return "link";
    return "";
  }

  // The type attribute, trimmed and lowercased; unknown or missing types read as "text".
  function inputType(el) {
    const type = (el.getAttribute("type") || "").trim().toLowerCase();
    return INPUT_TYPES.has(type) ? type : "text";
  }

  // ASCII lowercase (selectors' "ASCII case-insensitive"): a value with a non-ASCII character
  // never equals an ASCII keyword, whatever toLowerCase() makes of it (KELVIN SIGN -> "k").
  function asciiLower(s) {
    // eslint-disable-next-line no-control-regex -- the ASCII range, NUL included
    return /[^\x00-\x7f]/.test(s) ? s : s.toLowerCase();
  }

  // Does `el`, an element of querySelectorAll(CANDIDATES), match CONTROLS? Same semantics as
  // the selector: attributes without a namespace; `type` ASCII case-insensitive on HTML
  // elements (case-sensitive on others); `role` whole-value and case-sensitive; `input` without
  // a `type` attribute is a control, `type=""` or an unknown type is not. Type selectors match
  // the local name exactly (the parser lowercases HTML tags; a selector's `input` never matches
  // an HTML element named `INPUT` made by script).
  // `role`: the element's role attribute (no namespace) or null.
  function isControl(el, role) {
    if (role !== null && CONTROL_ROLES.has(role)) return true;
    switch (el.localName) {
      case "select":
      case "button":
      case "textarea":
        return true;
      case "a":
        // without a role attribute it was selected as `a[href]` (callers pass selected elements)
        return role === null || el.hasAttributeNS(null, "href");
      case "input": {
        const type = el.getAttributeNS(null, "type");
        if (type === null) return true;
        return CONTROL_INPUT_TYPES.has(el.namespaceURI === HTML_NS ? asciiLower(type) : type);
      }
      default:
        return false;
    }
  }

  // HEADINGS: `h1, h2, h3, [role=heading]` (`role`: the element's role attribute or null).
  function isHeading(el, role) {
    const tag = el.localName;
    return tag === "h1" || tag === "h2" || tag === "h3" || role === "heading";
  }

  // DIALOGS: `[role=dialog], [role=alertdialog], dialog[open]`.
  function isDialog(el, role) {
    return (
      role === "dialog" || role === "alertdialog" || (el.localName === "dialog" && el.hasAttributeNS(null, "open"))
    );
  }

  function idTexts(doc, ids) {
    if (ids == null || ids === "") return "";
    const parts = [];
    for (const id of String(ids ?? "").split(ASCII_WS)) {
      if (!id) continue;
      const target = doc.getElementById(id);
      if (target) parts.push(textOf(target));
    }
    return collapse(parts.join(" "));
  }

  // The first `<label>` in document order whose `for` is each id (one pass over the labels).
  function labelMap(doc) {
    const map = new Map();
    for (const label of doc.getElementsByTagName("label")) {
      const target = label.getAttribute("for");
      if (target !== null && !map.has(target)) map.set(target, label);
    }
    return map;
  }

  // `labels`: a function giving a labelMap(doc) to reuse across controls (made on first use),
  // or null to search the document.
  function labelFor(doc, el, labels) {
    const id = el.getAttribute("id");
    if (!id) return "";
    if (labels) return textOf(labels().get(id));
    for (const label of doc.getElementsByTagName("label")) {
      if (label.getAttribute("for") === id) return textOf(label);
    }
    return "";
  }

  // The accessible name (harvest spec): the first non-empty candidate, in order.
  function nameWith(el, doc, role, labels) {
    let name = collapse(el.getAttribute("aria-label"));
    if (!name) name = idTexts(doc, el.getAttribute("aria-labelledby"));
    if (!name) name = labelFor(doc, el, labels);
    if (!name) name = textOf(el.parentElement ? el.parentElement.closest("label") : null);
    if (!name && NAME_FROM_CONTENT.has(role)) name = textOf(el);
    if (!name) name = collapse(el.getAttribute("title"));
    if (!name && role === "textbox") name = collapse(el.getAttribute("placeholder"));
    if (!name && tagOf(el) === "input") {
      const type = inputType(el);
      if (type === "button" || type === "submit") name = collapse(el.getAttribute("value"));
    }
    return name ? cut(name, NAME_MAX) : "";
  }

  function nameOf(el, doc = el.ownerDocument) {
    return nameWith(el, doc, roleOf(el), null);
  }

  // `value` and `options` of a control (harvest spec): a textbox's live value, a select's
  // selected option text and its option texts. Omitted when null/empty, as the native side
  // serialises them (`skip_serializing_if`).
  function valueOf(el, role) {
    const tag = tagOf(el);
    if (tag === "select") {
      const options = [];
      for (const o of el.options) {
        if (options.length >= MAX_OPTIONS) break;
        options.push(cut(textOf(o), OPTION_MAX));
      }
      const selected = el.selectedOptions && el.selectedOptions[0];
      const value = selected ? cut(textOf(selected), OPTION_MAX) : "";
      return options.length ? { value, options } : { value };
    }
    if (tag === "textarea") return { value: cut(String(el.value ?? ""), VALUE_MAX) };
    if (role !== "textbox") return {};
    if (tag === "input") return { value: cut(String(el.value ?? ""), VALUE_MAX) };
    return { value: cut(textOf(el), VALUE_MAX) };
  }

  // The state fields of a control record (harvest spec): what the engine reads to know whether
  // a setting is on. The shell compares them again right before it clicks (harvest.stateOf).
  function stateOf(el, isInput = tagOf(el) === "input", type = isInput ? inputType(el) : null) {
    return {
      checked: isInput && (type === "checkbox" || type === "radio") ? el.checked === true : null,
      aria_checked: el.getAttribute("aria-checked"),
      aria_pressed: el.getAttribute("aria-pressed"),
      aria_selected: el.getAttribute("aria-selected"),
      aria_expanded: el.getAttribute("aria-expanded"),
      data_state: el.getAttribute("data-state"),
      disabled: el.disabled === true || el.getAttribute("aria-disabled") === "true",
    };
  }

  function isVisible(el) {
    if (typeof el.checkVisibility === "function" && !el.checkVisibility()) return false;
    return el.getClientRects().length > 0;
  }

  function hintOf(el) {
    const parts = [];
    for (const attr of ["id", "name", "data-testid", "class"]) {
      const value = el.getAttribute(attr);
      if (value) parts.push(value);
    }
    return cut(parts.join(" "), HINT_MAX);
  }

  function dialogName(doc, dialog) {
    const name = collapse(dialog.getAttribute("aria-label")) || idTexts(doc, dialog.getAttribute("aria-labelledby"));
    if (name) return name;
    return textOf(dialog.querySelector(HEADINGS));
  }

  // Lists each in document order merged into one in document order, each element once.
  function inOrder(lists) {
    let out = [];
    for (const list of lists) {
      if (!list.length) continue;
      if (!out.length) {
        out = list;
        continue;
      }
      const merged = [];
      let i = 0;
      let j = 0;
      while (i < out.length && j < list.length) {
        const a = out[i];
        const b = list[j];
        if (a === b) {
          merged.push(a);
          i++;
          j++;
        } else if (a.compareDocumentPosition(b) & 4) {
          merged.push(a);
          i++;
        } else {
          merged.push(b);
          j++;
        }
      }
      while (i < out.length) merged.push(out[i++]);
      while (j < list.length) merged.push(list[j++]);
      out = merged;
    }
    return out;
  }

  function harvest(doc = globalThis.document, win = globalThis.window, options = undefined) {
    const roles = options && Array.isArray(options.roles) ? new Set(options.roles) : null;

    // Anything inside `#untrain-banner` (the banner's host) is not the page's: the hosts are
    // found once, then `contains` per control (cheaper than `closest` per control). The banner
    // keeps its content in a shadow root, so a host with no child elements can hold only itself.
    const banners = [...doc.querySelectorAll("#untrain-banner")];
    const bannerChildren = banners.some((host) => host.firstElementChild !== null);
    const inBanner = (el) => {
      if (!bannerChildren) return banners.includes(el);
      for (const host of banners) if (host.contains(el)) return true;
      return false;
    };
    const elements = [];
    let truncated = false;
    // Headings and dialogs met in the controls' pass (it holds every `[role]` element, so every
    // heading or dialog by role); those by tag come from single-selector queries below, and the
    // lists are merged in document order.
    const passHeadings = [];
    const passDialogs = [];
    for (const el of doc.querySelectorAll(CANDIDATES)) {
      const role = el.getAttributeNS(null, "role");
      if (passHeadings.length < MAX_HEADINGS && isHeading(el, role)) passHeadings.push(el);
      if (isDialog(el, role)) passDialogs.push(el);
      if (truncated || !isControl(el, role)) continue;
      if (tagOf(el) === "input" && asciiLower(el.getAttribute("type") || "") === "hidden") continue;
      if (banners.length && inBanner(el)) continue;
      if (elements.length >= MAX_CONTROLS) {
        truncated = true;
        continue;
      }
      elements.push(el);
    }
    // The first `max` elements of `selector` that `test` (isHeading, isDialog) accepts by tag.
    const byTag = (selector, test, max) => {
      const out = [];
      for (const el of doc.querySelectorAll(selector)) {
        if (out.length >= max) break;
        if (test(el, null)) out.push(el);
      }
      return out;
    };
    const headingElements = inOrder([
      byTag("h1", isHeading, MAX_HEADINGS),
      byTag("h2", isHeading, MAX_HEADINGS),
      byTag("h3", isHeading, MAX_HEADINGS),
      passHeadings,
    ]).slice(0, MAX_HEADINGS);
    const dialogElements = inOrder([byTag("dialog[open]", isDialog, Infinity), passDialogs]);

    // Row rule: does `ancestor` (a strict ancestor of elements[i]) hold another harvested
    // control? The harvested controls inside an element are a contiguous run of `elements`
    // (document order), so it does iff one of the two neighbours of elements[i] is inside it
    // (the element itself, when harvested, comes before its descendants and does not count).
    // Same answer as counting every harvested control per ancestor, without the count.
    const holdsAnother = (ancestor, i) => {
      const before = i > 0 ? elements[i - 1] : null;
      const after = i + 1 < elements.length ? elements[i + 1] : null;
      return (
        (before !== null && before !== ancestor && ancestor.contains(before)) ||
        (after !== null && ancestor.contains(after))
      );
    };

    let labelsMap = null; // labelMap(doc), made for the first control with an id
    const labels = () => (labelsMap ??= labelMap(doc));

    // Light harvest: of a control of another role the engine reads only the name.
    const otherNames = roles ? new Set() : null;
    const controls = [];
    elements.forEach((el, index) => {
      const role = roleOf(el);
      const name = nameWith(el, doc, role, labels);
      if (otherNames && !roles.has(role)) {
        if (name) otherNames.add(name);
        return;
      }

      const tag = tagOf(el);
      const isInput = tag === "input";
      const type = isInput ? inputType(el) : null;

      // Row: the highest ancestor, from the parent up to ROW_LEVELS levels above it, that
      // holds no other harvested control (the parent itself even if it does).
      let row = el.parentElement;
      if (row) {
        for (let level = 0; level < ROW_LEVELS; level++) {
          const next = row.parentElement;
          if (!next || holdsAnother(next, index)) break;
          row = next;
        }
      }
      let text = textOf(row);
      const described = idTexts(doc, el.getAttribute("aria-describedby"));
      if (described) text = collapse(`${text} ${described}`);

      controls.push({
        index,
        role,
        tag,
        input_type: type,
        ...stateOf(el, isInput, type),
        visible: isVisible(el),
        in_dialog: el.closest(DIALOGS) !== null,
        name,
        text: cut(text, TEXT_MAX),
        hint: hintOf(el),
        ...valueOf(el, role),
      });
    });

    const headings = headingElements.map((h) => cut(textOf(h), HEADING_MAX));
    const dialogs = dialogElements.map((d) => cut(dialogName(doc, d), HEADING_MAX));

    let hasPassword = false;
    for (const input of doc.querySelectorAll("input[type=password]")) {
      if (isVisible(input)) {
        hasPassword = true;
        break;
      }
    }

    const root = doc.documentElement;
    const snapshot = {
      url: String(win && win.location ? win.location.href : doc.URL),
      lang: ((root && root.getAttribute("lang")) || "").toLowerCase(),
      title: textOf(doc.querySelector("title")),
      headings,
      dialogs,
      has_password: hasPassword,
      truncated,
      controls,
      ...(otherNames ? { other_names: [...otherNames] } : {}),
    };
    return { snapshot, elements };
  }

  // Helpers for the shell's "is it still the same control?" check before a click.
  harvest.roleOf = roleOf;
  harvest.nameOf = nameOf;
  // The spec's whitespace collapse (the text of a <select>'s options, for a `select` action).
  harvest.collapse = collapse;
  harvest.stateOf = (el) => ({ ...stateOf(el), ...valueOf(el, roleOf(el)) });
  // The selectors the harvest spec defines (a test compares the one-pass selection with them).
  harvest.CONTROLS = CONTROLS;
  harvest.HEADINGS = HEADINGS;
  harvest.DIALOGS = DIALOGS;
  globalThis.untrainHarvest = harvest;
})();
