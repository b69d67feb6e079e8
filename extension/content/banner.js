// @ts-check
// Untrain banner (classic content script, loaded after shared/lang.js, before content.js).
//
// Contract (docs/architecture.md, "Banner"): host <div id="untrain-banner"
// data-kind="known|safe-default|guided|suspected" data-state=...> on
// document.documentElement with a CLOSED shadow root; the opt-out button acts only on trusted
// clicks; the banner sits at a corner that does not overlap the setting's control. What the
// banner is about (platform, setting, suspect, re-enabled) is on the box inside the closed root
// (data-platform, data-setting, data-suspect, data-reenabled), not on the host: the page can see
// the host, and only needs to see that a banner is there and its state.
"use strict";

(() => {
  const api = globalThis.browser ?? globalThis.chrome;
  const CORNERS = ["bottom-right", "top-right", "bottom-left", "top-left"];

  const CSS = `
:host { all: initial !important; }
.box {
  position: fixed; z-index: 2147483647; box-sizing: border-box;
  max-width: min(380px, calc(100vw - 24px)); min-width: min(240px, calc(100vw - 24px));
  margin: 0; padding: 12px 40px 12px 14px;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: #1b1f24; background: #ffffff; border: 1px solid #c9ced6; border-radius: 10px;
  box-shadow: 0 6px 24px rgba(0, 0, 0, .18); text-align: start; direction: inherit;
}
.box[data-corner="bottom-right"] { bottom: 12px; right: 12px; }
.box[data-corner="top-right"] { top: 12px; right: 12px; }
.box[data-corner="bottom-left"] { bottom: 12px; left: 12px; }
.box[data-corner="top-left"] { top: 12px; left: 12px; }
.brand { margin: 0 0 4px; font-weight: 700; font-size: 12px; letter-spacing: .02em; color: #5b2bb5; }
.msg { margin: 0; overflow-wrap: anywhere; }
.hint { margin: 6px 0 0; font-size: 13px; color: #4a5260; }
.hint:empty, .actions:empty { display: none; }
.actions { margin-top: 10px; display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
.box { max-height: calc(100vh - 24px); overflow: auto; }
.guide:empty { display: none; }
.guide h2 { margin: 8px 0 4px; font-size: 14px; font-weight: 600; }
.guide ol { margin: 4px 0 0; padding-inline-start: 20px; }
.guide li { margin: 2px 0; }
.guide a, .guide button { font: inherit; }
.guide a { color: #5b2bb5; font-weight: 600; }
.guide button { padding: 5px 12px; border: 1px solid #5b2bb5; background: transparent; color: #5b2bb5; font-weight: 600; }
.guide textarea { width: 100%; min-height: 80px; margin-top: 6px; font: 12px/1.4 system-ui, sans-serif; box-sizing: border-box; }
.guide .copied { font-size: 13px; color: #17794a; }
button { font: inherit; cursor: pointer; border-radius: 6px; }
button[data-action="opt-out"] {
  padding: 6px 14px; border: 1px solid #5b2bb5; background: #5b2bb5; color: #ffffff; font-weight: 600;
}
button[data-action="opt-out"]:hover { background: #4a2296; }
button[data-action="dismiss"] {
  position: absolute; top: 6px; right: 6px; width: 28px; height: 28px; padding: 0;
  border: 1px solid transparent; background: transparent; color: inherit; font-size: 18px; line-height: 1;
}
button[data-action="dismiss"]:hover { border-color: #c9ced6; }
button:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
.box[data-state="done"] .brand, .box[data-state="already-off"] .brand, .box[data-state="prefilled"] .brand { color: #17794a; }
.box[data-state="failed"] .brand, .box[data-state="unknown"] .brand, .box[data-state="unconfirmed"] .brand { color: #a4461b; }
@media (prefers-color-scheme: dark) {
  .box { color: #e8eaed; background: #202327; border-color: #4a4f57; box-shadow: 0 6px 24px rgba(0, 0, 0, .5); }
  .brand { color: #c5a8ff; }
  .hint { color: #b8bec7; }
  button[data-action="opt-out"] { background: #8f66e8; border-color: #8f66e8; color: #111111; }
  button[data-action="opt-out"]:hover { background: #a482f0; }
  button[data-action="dismiss"]:hover { border-color: #4a4f57; }
  .guide a, .guide button { color: #c5a8ff; border-color: #c5a8ff; }
  .guide .copied { color: #6fd3a0; }
  .guide textarea { background: #17191c; color: #e8eaed; border: 1px solid #4a4f57; }
  button:focus-visible { outline-color: #8ab4f8; }
  .box[data-state="done"] .brand, .box[data-state="already-off"] .brand { color: #6fd3a0; }
  .box[data-state="failed"] .brand, .box[data-state="unknown"] .brand, .box[data-state="unconfirmed"] .brand { color: #f2a477; }
}
@media (prefers-reduced-motion: no-preference) { .box { transition: opacity .15s; } }
`;

  const t = UntrainLang.translator(api);

  // Everything below lives in this closure: the shadow root is closed and never exposed.
  let host = null;
  let shadow = null;
  let parts = null;
  let current = null; // the options of the last render
  let placeQueued = false;

  function build() {
    host = document.createElement("div");
    host.id = "untrain-banner";
    shadow = host.attachShadow({ mode: "closed" });
    if (!adoptStyles(shadow)) {
      const style = document.createElement("style");
      style.textContent = CSS;
      shadow.append(style);
    }
    const box = document.createElement("div");
    box.className = "box";
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", t("bannerRegion"));
    box.setAttribute("lang", t("locale"));
    box.dataset.corner = "bottom-right";

    const brand = document.createElement("p");
    brand.className = "brand";
    brand.textContent = "Untrain";
    brand.setAttribute("aria-hidden", "true");

    const msg = document.createElement("p");
    msg.className = "msg";
    msg.setAttribute("aria-live", "polite");
    msg.setAttribute("role", "status");

    const hint = document.createElement("p");
    hint.className = "hint";

    const guide = document.createElement("div");
    guide.className = "guide";

    const actions = document.createElement("div");
    actions.className = "actions";

    const optOut = document.createElement("button");
    optOut.type = "button";
    optOut.dataset.action = "opt-out";
    optOut.textContent = t("buttonOptOut");
    optOut.addEventListener("click", (event) => {
      // Only a person's click counts; the page cannot reach this closed root, but be sure.
      if (!event.isTrusted || !current || current.state !== "offer") return;
      current.onOptOut();
    });

    // Where Untrain could not read the page or the opt-out failed: a page report for the rule's
    // authors, shown in full on an extension page before anything is saved (docs/rules.md).
    const report = document.createElement("button");
    report.type = "button";
    report.dataset.action = "report";
    report.textContent = t("bannerReport");
    report.addEventListener("click", (event) => {
      if (!event.isTrusted || !current || !REPORTABLE.has(current.state) || !current.onReport) return;
      current.onReport();
    });

    const dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.dataset.action = "dismiss";
    dismiss.setAttribute("aria-label", t("buttonDismiss"));
    dismiss.title = t("buttonDismiss");
    dismiss.textContent = "\u00d7";
    dismiss.addEventListener("click", (event) => {
      if (!event.isTrusted) return;
      close();
    });
    box.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && event.isTrusted) close();
    });

    box.append(brand, msg, hint, guide, actions, dismiss);
    shadow.append(box);
    parts = { box, msg, hint, guide, actions, optOut, report, guideKey: null };
    addEventListener("scroll", queuePlace, { passive: true, capture: true });
    addEventListener("resize", queuePlace, { passive: true });
  }

  // Constructable stylesheets are not subject to the page's CSP (style-src); fall back to a
  // <style> element where adopting fails (some content-script sandboxes).
  function adoptStyles(root) {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
      return root.adoptedStyleSheets.length === 1;
    } catch {
      return false;
    }
  }

  function close() {
    const onDismiss = current && current.onDismiss;
    remove();
    if (onDismiss) onDismiss();
  }

  function remove() {
    if (host) host.remove();
    removeEventListener("scroll", queuePlace, { capture: true });
    removeEventListener("resize", queuePlace);
    host = shadow = parts = current = null;
  }

  function message(o) {
    const label = o.label || o.title;
    // A suspect has its own offer and resting text; working, done and failed read as for any setting.
    if (o.kind === "suspected" && !["working", "done", "failed"].includes(o.state)) {
      return t(o.state === "offer" ? "bannerSuspectOffer" : "bannerSuspectOff", [label]);
    }
    if (o.kind === "guided") {
      const title = (o.guided && o.guided.title) || o.title || label;
      if (o.state === "prefilled") return t("bannerPrefilled");
      if (o.state === "working") return t("bannerFilling");
      return t("bannerGuided", [o.platformName, title]);
    }
    // Found only by its wording (the keyword fallback): say so, plainly, and let the person judge.
    if (o.unsure && o.state === "offer") return t("bannerOfferUnsure", [o.platformName, label]);
    if (o.unsure && o.state === "already-off") return t("bannerAlreadyOffUnsure", [label]);
    switch (o.state) {
      case "offer":
        // "was off on 3 May, now on"
        if (o.wasOffAt) return t("bannerReenabled", [o.platformName, label, shortDate(o.wasOffAt)]);
        return t(o.turnedBackOn ? "bannerOfferAgain" : "bannerOffer", [o.platformName, label]);
      case "working":
        return o.message === "confirming" ? t("bannerConfirming", [o.platformName]) : t("bannerWorking");
      case "done":
        return t(o.proof === "reloaded" ? "bannerConfirmed" : "bannerDone", [label]);
      case "failed":
        if (o.proofNote === "not-kept") return t("bannerNotKept", [o.platformName, label]);
        return t("bannerFailed", [o.message || t("unknownReason")]);
      case "unconfirmed":
        return t("bannerUnconfirmed", [label, t(UntrainLang.proofReasonKey(o.proofNote))]);
      case "already-off":
        return t(o.kind === "safe-default" ? "bannerSafeDefaultOff" : "bannerAlreadyOff", [label]);
      default:
        return t("bannerUnknown", [o.platformName, label]);
    }
  }

  function hintOf(o) {
    if (o.state === "failed" && o.proofNote === "not-kept") return t("bannerNotKeptHint", [o.platformName]);
    if (o.state === "unconfirmed") return t("bannerUnconfirmedHint");
    if (o.state === "failed") return o.kind === "suspected" ? "" : t("bannerFailedHint");
    if (o.kind === "guided" && o.message) return t("bannerGuidedFillFailed", [o.message]);
    if (o.state === "offer" && o.kind === "safe-default") return t("bannerSafeDefaultOn");
    if (o.state === "offer" && o.note) return t(o.note.key, [o.note.label || ""]);
    return "";
  }

  // The guided part: title, steps, links to the form / an email, and "Copy text".
  function renderGuide(o) {
    const key = o.kind === "guided" && o.guided ? `${o.setting}|${o.state}` : "";
    if (parts.guideKey === key) return;
    parts.guideKey = key;
    const guide = parts.guide;
    guide.replaceChildren();
    if (!key) return;
    const g = o.guided;
    if (g.instructions && g.instructions.length) {
      const ol = document.createElement("ol");
      for (const step of g.instructions) {
        const li = document.createElement("li");
        li.textContent = step;
        ol.append(li);
      }
      guide.append(ol);
    }
    const links = document.createElement("div");
    links.className = "actions";
    if (g.form_url && /^https:\/\//.test(g.form_url)) {
      const a = document.createElement("a");
      a.dataset.action = "open-form";
      a.href = g.form_url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.textContent = t("linkOpenForm");
      links.append(a);
    }
    if (g.email) {
      const a = document.createElement("a");
      a.dataset.action = "email";
      a.href = UntrainLang.mailto(g.email, g.email_subject, g.prepared_text);
      a.textContent = t("linkEmail");
      links.append(a);
    }
    if (g.prepared_text) {
      const copy = document.createElement("button");
      copy.type = "button";
      copy.dataset.action = "copy";
      copy.textContent = t("buttonCopy");
      const status = document.createElement("span");
      status.className = "copied";
      status.setAttribute("role", "status");
      copy.addEventListener("click", (event) => {
        if (!event.isTrusted) return;
        copyText(g.prepared_text, guide, status);
      });
      links.append(copy, status);
    }
    if (links.childElementCount) guide.append(links);
  }

  // The async clipboard API where the page allows it (its text goes to the clipboard as is: no
  // `copy` event, so a page listener cannot rewrite it); otherwise the text is shown selected
  // for Ctrl+C. Never document.execCommand("copy"), whose `copy` event the page could change.
  function copyText(text, guide, status) {
    let area = guide.querySelector("textarea");
    if (!area) {
      area = document.createElement("textarea");
      area.readOnly = true;
      area.setAttribute("aria-label", t("preparedText"));
      guide.append(area);
    }
    area.value = text;
    area.focus();
    area.select();
    const selected = () => {
      status.textContent = t("copySelected");
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(() => {
        status.textContent = t("copied");
      }, selected);
    } else {
      selected();
    }
  }

  // A short date in the extension's language ("3 May").
  const shortDate = (/** @type {number} */ ms) => UntrainLang.shortDate(ms, t("locale"));

  function render(options) {
    if (!host || !host.isConnected) {
      if (host) remove();
      build();
    }
    const key = options.kind === "suspected" ? `suspected:${options.suspect}` : options.setting;
    const same = current && current.state === options.state && current.key === key;
    current = { ...options, key };
    // Only write what changed: every write is a DOM mutation the page (and our own watcher)
    // would see.
    setData(host, "kind", options.kind || "known");
    setData(host, "state", options.state);
    const box = parts.box;
    setData(box, "state", options.state);
    // How a result is proven (background/proof.js): "reloaded", "none" (no fresh read), or none
    // yet; with the note of a change the platform did not keep ("not-kept") or why no reload
    // could prove it.
    if (options.proof) setData(box, "proof", options.proof);
    else if ("proof" in box.dataset) delete box.dataset.proof;
    if (options.proofNote) setData(box, "proofNote", options.proofNote);
    else if ("proofNote" in box.dataset) delete box.dataset.proofNote;
    setData(box, "platform", options.platform || "");
    setData(box, "setting", options.setting || "");
    if (options.kind === "suspected") setData(box, "suspect", options.suspect || "");
    else if ("suspect" in box.dataset) delete box.dataset.suspect;
    // data-reenabled="true" while the offer is about a setting that was off before
    if (options.state === "offer" && options.wasOffAt) setData(box, "reenabled", "true");
    else if (box.dataset.reenabled) delete box.dataset.reenabled;
    if (options.unsure) setData(box, "unsure", "true");
    else if (box.dataset.unsure) delete box.dataset.unsure;

    const text = message(options);
    if (parts.msg.textContent !== text) parts.msg.textContent = text;
    const hint = hintOf(options);
    if (parts.hint.textContent !== hint) parts.hint.textContent = hint;
    renderGuide(options);
    const buttonText = t(options.kind === "suspected" ? "buttonTurnOff" : "buttonOptOut");
    if (parts.optOut.textContent !== buttonText) parts.optOut.textContent = buttonText;
    if (options.state === "offer") {
      if (!parts.optOut.isConnected) parts.actions.append(parts.optOut);
    } else if (parts.optOut.isConnected) {
      parts.optOut.remove();
    }
    const reportable = REPORTABLE.has(options.state) && Boolean(options.onReport);
    if (reportable && !parts.report.isConnected) parts.actions.append(parts.report);
    else if (!reportable && parts.report.isConnected) parts.report.remove();
    if (!host.isConnected) document.documentElement.append(host);
    if (!same) place();
  }

  // The states whose banner offers a page report.
  const REPORTABLE = new Set(["unknown", "failed"]);

  function setData(node, key, value) {
    if (node.dataset[key] !== value) node.dataset[key] = value;
  }

  function queuePlace() {
    if (placeQueued || !host) return;
    placeQueued = true;
    requestAnimationFrame(() => {
      placeQueued = false;
      place();
    });
  }

  // Bottom-right unless that covers the setting's control; then the next free corner.
  function place() {
    if (!parts) return;
    const control = current && current.control;
    const box = parts.box;
    if (!control || !control.isConnected) {
      setData(box, "corner", CORNERS[0]);
      return;
    }
    const c = control.getBoundingClientRect();
    const before = box.dataset.corner;
    let chosen = CORNERS[0];
    for (const corner of CORNERS) {
      box.dataset.corner = corner;
      const b = box.getBoundingClientRect();
      const overlaps = b.left < c.right && c.left < b.right && b.top < c.bottom && c.top < b.bottom;
      if (!overlaps) {
        chosen = corner;
        break;
      }
    }
    box.dataset.corner = before;
    setData(box, "corner", chosen);
  }

  globalThis.untrainBanner = { render, remove };
})();
