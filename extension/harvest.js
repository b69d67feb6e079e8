// Untrain page harvester: a pure function over a document, no messaging, no side effects.
//
// Implements the "Harvest algorithm" of docs/architecture.md. The native harvester
// (crate/src/harvest.rs) implements the same spec; a conformance test compares both on every
// static fixture (all fields except `visible`). Change both together.
//
// Usage: `const { snapshot, elements } = globalThis.untrainHarvest(document, window);`
// `elements[i]` is the DOM element of `snapshot.controls[i]`.
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
  const HEADINGS = "h1, h2, h3, [role=heading]";
  const DIALOGS = "[role=dialog], [role=alertdialog], dialog[open]";
  const ROLES = new Set([
    "checkbox", "switch", "radio", "button", "menuitem", "menuitemradio",
    "menuitemcheckbox", "option", "tab", "select", "link", "textbox",
  ]);
  // Roles whose own text is their name.
  const NAME_FROM_CONTENT = new Set(["button", "link", "menuitem", "option", "tab"]);

  // JS `\s` (the native harvester mirrors it exactly); ids are split on ASCII whitespace.
  const WS = /\s+/g;
  const ASCII_WS = /[\t\n\f\r ]+/;
  const INPUT_TYPES = new Set([
    "hidden", "text", "search", "tel", "url", "email", "password", "date", "month", "week",
    "time", "datetime-local", "number", "range", "color", "checkbox", "radio", "file", "submit",
    "image", "reset", "button",
  ]);

  function collapse(s) {
    return String(s ?? "").replace(WS, " ").trim();
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
    const first = (el.getAttribute("role") || "").split(ASCII_WS).find(Boolean);
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

  function idTexts(doc, ids) {
    const parts = [];
    for (const id of String(ids ?? "").split(ASCII_WS)) {
      if (!id) continue;
      const target = doc.getElementById(id);
      if (target) parts.push(textOf(target));
    }
    return collapse(parts.join(" "));
  }

  function labelFor(doc, el) {
    const id = el.getAttribute("id");
    if (!id) return "";
    for (const label of doc.getElementsByTagName("label")) {
      if (label.getAttribute("for") === id) return textOf(label);
    }
    return "";
  }

  function nameOf(el, doc = el.ownerDocument) {
    const role = roleOf(el);
    const tag = tagOf(el);
    const candidates = [
      () => collapse(el.getAttribute("aria-label")),
      () => idTexts(doc, el.getAttribute("aria-labelledby")),
      () => labelFor(doc, el),
      () => textOf(el.parentElement ? el.parentElement.closest("label") : null),
      () => (NAME_FROM_CONTENT.has(role) ? textOf(el) : ""),
      () => collapse(el.getAttribute("title")),
      () => (role === "textbox" ? collapse(el.getAttribute("placeholder")) : ""),
      () => {
        if (tag !== "input") return "";
        const type = inputType(el);
        return type === "button" || type === "submit" ? collapse(el.getAttribute("value")) : "";
      },
    ];
    for (const candidate of candidates) {
      const name = candidate();
      if (name) return cut(name, NAME_MAX);
    }
    return "";
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
    const name =
      collapse(dialog.getAttribute("aria-label")) ||
      idTexts(doc, dialog.getAttribute("aria-labelledby"));
    if (name) return name;
    return textOf(dialog.querySelector(HEADINGS));
  }

  function harvest(doc = globalThis.document, win = globalThis.window) {
    const inBanner = (el) => el.closest("#untrain-banner") !== null;
    const elements = [];
    let truncated = false;
    for (const el of doc.querySelectorAll(CONTROLS)) {
      if (tagOf(el) === "input" && (el.getAttribute("type") || "").toLowerCase() === "hidden") continue;
      if (inBanner(el)) continue;
      if (elements.length >= MAX_CONTROLS) {
        truncated = true;
        break;
      }
      elements.push(el);
    }

    // How many harvested controls each ancestor holds, for the row rule.
    const counts = new Map();
    for (const el of elements) {
      for (let node = el.parentElement; node; node = node.parentElement) {
        counts.set(node, (counts.get(node) || 0) + 1);
      }
    }

    const controls = elements.map((el, index) => {
      const tag = tagOf(el);
      const role = roleOf(el);
      const isInput = tag === "input";
      const type = isInput ? inputType(el) : null;

      // Row: the highest ancestor, from the parent up to ROW_LEVELS levels above it, that
      // holds no other harvested control (the parent itself even if it does).
      let row = el.parentElement;
      if (row) {
        for (let level = 0; level < ROW_LEVELS; level++) {
          const next = row.parentElement;
          if (!next || (counts.get(next) || 0) > 1) break;
          row = next;
        }
      }
      let text = textOf(row);
      const described = idTexts(doc, el.getAttribute("aria-describedby"));
      if (described) text = collapse(`${text} ${described}`);

      return {
        index,
        role,
        tag,
        input_type: type,
        checked: isInput && (type === "checkbox" || type === "radio") ? el.checked === true : null,
        aria_checked: el.getAttribute("aria-checked"),
        aria_pressed: el.getAttribute("aria-pressed"),
        aria_selected: el.getAttribute("aria-selected"),
        aria_expanded: el.getAttribute("aria-expanded"),
        data_state: el.getAttribute("data-state"),
        disabled: el.disabled === true || el.getAttribute("aria-disabled") === "true",
        visible: isVisible(el),
        in_dialog: el.closest(DIALOGS) !== null,
        name: nameOf(el, doc),
        text: cut(text, TEXT_MAX),
        hint: hintOf(el),
        ...valueOf(el, role),
      };
    });

    const headings = [];
    for (const h of doc.querySelectorAll(HEADINGS)) {
      if (headings.length >= MAX_HEADINGS) break;
      headings.push(cut(textOf(h), HEADING_MAX));
    }

    const dialogs = [];
    for (const d of doc.querySelectorAll(DIALOGS)) dialogs.push(cut(dialogName(doc, d), HEADING_MAX));

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
    };
    return { snapshot, elements };
  }

  // Helpers for the shell's "is it still the same control?" check before a click.
  harvest.roleOf = roleOf;
  harvest.nameOf = nameOf;
  globalThis.untrainHarvest = harvest;
})();
