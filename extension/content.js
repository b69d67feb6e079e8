// Untrain content script (classic script, loaded after harvest.js).
//
// Watches the URL, asks the background whether this is a settings page, and only then
// harvests the page, shows the banner and runs the opt-out loop the engine plans.
// The engine (WebAssembly) lives in the background: see docs/architecture.md.
"use strict";

(() => {
  if (globalThis.untrainContentStarted) return;
  globalThis.untrainContentStarted = true;

  const api = globalThis.browser ?? globalThis.chrome;
  const harvest = globalThis.untrainHarvest;
  const banner = globalThis.untrainBanner;

  const URL_THROTTLE_MS = 250;
  const URL_POLL_MS = 1000;
  const WATCH_DEBOUNCE_MS = 300;
  const WATCH_MAX_MS = 20000;
  const WATCH_MAX_EVALUATIONS = 40;
  const SETTLE_QUIET_MS = 150;
  const SETTLE_MAX_MS = 1000;
  const WAIT_MAX_MS = 5000;
  const LOOP_MAX = 40;

  // ---------------------------------------------------------------- state of this page

  let href = "";
  let session = 0; // bumped on every URL change: stale async work checks it and stops
  let page = null; // classify() reply for the current URL
  let watcher = null; // { stop() } of the bounded re-evaluation watcher
  let running = false; // an opt-out loop is running
  let dismissed = false; // the person closed the banner on this URL
  let lastShown = null; // { state, setting } the banner shows

  // ---------------------------------------------------------------- messaging

  async function send(message) {
    try {
      const reply = await api.runtime.sendMessage(message);
      if (reply && typeof reply === "object") return reply;
      return { ok: false, error: "no reply" };
    } catch (error) {
      return { ok: false, error: String((error && error.message) || error) };
    }
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // Resolves once the DOM has been quiet for `quiet` ms, or after `max` ms.
  function settle(quiet = SETTLE_QUIET_MS, max = SETTLE_MAX_MS) {
    return new Promise((resolve) => {
      let timer = 0;
      const finish = () => {
        observer.disconnect();
        clearTimeout(timer);
        clearTimeout(limit);
        resolve();
      };
      const observer = new MutationObserver(() => {
        clearTimeout(timer);
        timer = setTimeout(finish, quiet);
      });
      observer.observe(document.documentElement, {
        subtree: true, childList: true, attributes: true, characterData: true,
      });
      timer = setTimeout(finish, quiet);
      const limit = setTimeout(finish, max);
    });
  }

  // ---------------------------------------------------------------- URL watching

  function checkUrl() {
    if (location.href !== href) onUrl(location.href);
  }

  let urlCheckPending = false;
  const urlObserver = new MutationObserver(() => {
    // Cheap on busy pages (a feed): one timer at most, then a string comparison.
    if (urlCheckPending) return;
    urlCheckPending = true;
    setTimeout(() => {
      urlCheckPending = false;
      checkUrl();
    }, URL_THROTTLE_MS);
  });

  async function onUrl(url) {
    href = url;
    // A step of a running opt-out may change the URL (a dialog route): let the loop finish;
    // its result stays shown for the URL it ended on.
    if (running) return;
    const mine = ++session;
    stopWatching();
    dismissed = false;
    lastShown = null;
    page = null;
    banner.remove();
    const reply = await send({ type: "classify", url });
    if (mine !== session) return;
    page = reply.ok ? reply.page : null;
    if (!page || !page.settings_page) return;
    await evaluate(mine, { watchIfAbsent: true });
  }

  // ---------------------------------------------------------------- evaluation

  // Picks the finding the banner is about: the first that is on, else the first that is
  // readable or unreadable-but-present, else null (all absent: the page may still render).
  function pick(findings) {
    const present = findings.filter((f) => !(f.state === "unknown" && f.reason === "absent"));
    return present.find((f) => f.state === "on") || present[0] || null;
  }

  // Harvests, asks the engine, updates the banner. Returns the picked finding or null.
  async function evaluate(mine, { watchIfAbsent = false, afterDone = false } = {}) {
    const { snapshot, elements } = harvest(document, window);
    const reply = await send({ type: "evaluate", snapshot });
    if (mine !== session || running) return null;
    if (!reply.ok || !reply.evaluation) return null;
    const evaluation = reply.evaluation;
    if (evaluation.signed_out) {
      banner.remove();
      return null;
    }
    const finding = pick(evaluation.findings || []);
    if (!finding) {
      if (watchIfAbsent && !watcher) watch(mine, "absent");
      return null;
    }
    const control = finding.control == null ? null : elements[finding.control] || null;
    if (finding.state === "on") {
      if (reply.auto) {
        optOut(mine, finding, evaluation, control);
        return finding;
      }
      const wasOff = afterDone || (reply.previous && reply.previous.outcome === "turned-off" &&
        reply.previous.setting === finding.setting);
      show(evaluation, finding, "offer", {
        control, turnedBackOn: Boolean(wasOff), wasOffAt: wasOffAt(reply.previous, finding), // popup hook
      });
    } else if (finding.state === "off") {
      // After our own opt-out the "done" banner stays until something changes.
      if (!(lastShown && lastShown.state === "done" && lastShown.setting === finding.setting)) {
        show(evaluation, finding, "already-off", { control });
      }
    } else {
      show(evaluation, finding, "unknown", { control });
    }
    return finding;
  }

  // Bounded re-evaluation on DOM changes (debounced). Mode "absent": until a finding shows up
  // (late rendering). Mode "after-done": to notice a setting that turns itself back on.
  function watch(mine, mode) {
    stopWatching();
    let evaluations = 0;
    let timer = 0;
    let busy = false;
    let again = false; // the DOM changed while an evaluation was in flight
    const started = Date.now();
    const observer = new MutationObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(run, WATCH_DEBOUNCE_MS);
    });
    const limit = setTimeout(() => stop(), WATCH_MAX_MS);
    const stop = () => {
      observer.disconnect();
      clearTimeout(timer);
      clearTimeout(limit);
      if (watcher === handle) watcher = null;
    };
    const handle = { stop };
    async function run() {
      if (mine !== session || running) return;
      if (busy) {
        again = true;
        return;
      }
      if (evaluations >= WATCH_MAX_EVALUATIONS || Date.now() - started > WATCH_MAX_MS) {
        stop();
        return;
      }
      evaluations++;
      busy = true;
      const finding = await evaluate(mine, { afterDone: mode === "after-done" });
      busy = false;
      if (mine !== session || watcher !== handle) return;
      if (mode === "absent" && finding) stop();
      else if (mode === "after-done" && finding && finding.state === "on") stop();
      else if (again) {
        again = false;
        clearTimeout(timer);
        timer = setTimeout(run, WATCH_DEBOUNCE_MS);
      }
    }
    watcher = handle;
    observer.observe(document.documentElement, {
      subtree: true, childList: true, attributes: true, characterData: true,
    });
  }

  function stopWatching() {
    if (watcher) watcher.stop();
    watcher = null;
  }

  // ---------------------------------------------------------------- opt-out loop

  async function optOut(mine, finding, evaluation, control) {
    if (running || mine !== session) return;
    running = true;
    stopWatching();
    dismissed = false;
    show(evaluation, finding, "working", { control });
    let plan = { setting: finding.setting };
    let result = null;
    try {
      for (let i = 0; i < LOOP_MAX && !result; i++) {
        if (mine !== session) return;
        const { snapshot, elements } = harvest(document, window);
        const sent = plan;
        const reply = await send({ type: "step", snapshot, plan });
        if (mine !== session) return;
        if (!reply.ok) {
          result = { state: "failed", message: reply.error || "no answer from the engine" };
          break;
        }
        plan = reply.plan;
        const action = reply.action || {};
        switch (action.kind) {
          case "click": {
            const el = elements[action.index];
            if (!el || !el.isConnected || harvest.roleOf(el) !== action.role ||
                harvest.nameOf(el) !== action.name) {
              // The page changed under us: click nothing, look again with the plan as it was
              // before this (unexecuted) click.
              plan = sent;
              await settle();
              break;
            }
            el.click();
            await settle();
            break;
          }
          case "wait":
            await sleep(Math.min(Math.max(Number(action.ms) || 0, 0), WAIT_MAX_MS));
            break;
          case "done":
            result = {
              state: action.outcome === "already-off" ? "already-off" : "done",
              label: action.label,
            };
            break;
          case "failed":
            result = { state: "failed", message: action.message || action.reason || "" };
            break;
          default:
            result = { state: "failed", message: "unexpected answer from the engine" };
        }
      }
      if (!result) result = { state: "failed", message: "too many steps" };
    } finally {
      running = false;
    }
    if (mine !== session) return;
    const shown = { ...finding, label: result.label || finding.label };
    show(evaluation, shown, result.state, { message: result.message, control });
    if (result.state === "done" || result.state === "already-off") watch(mine, "after-done");
  }

  // popup hook: when the stored status says this setting was off before and is on now, the time
  // of that last "off" check (the background keeps it as was_off_at); else null.
  function wasOffAt(previous, finding) {
    if (!previous || previous.setting !== finding.setting) return null;
    if (previous.state === "off" && typeof previous.checked_at === "number") return previous.checked_at;
    if (previous.state === "on" && typeof previous.was_off_at === "number") return previous.was_off_at;
    return null;
  }

  // ---------------------------------------------------------------- banner

  function show(evaluation, finding, state, options = {}) {
    lastShown = { state, setting: finding.setting };
    if (dismissed) return;
    banner.render({
      state,
      platform: evaluation.platform,
      platformName: evaluation.name,
      setting: finding.setting,
      label: finding.label || "",
      title: finding.title || "",
      message: options.message || "",
      turnedBackOn: Boolean(options.turnedBackOn),
      wasOffAt: options.wasOffAt ?? null, // popup hook
      control: options.control || null,
      onOptOut: () => optOut(session, finding, evaluation, options.control || null),
      onDismiss: () => {
        dismissed = true;
        stopWatching();
      },
    });
  }

  // ---------------------------------------------------------------- start

  urlObserver.observe(document, { subtree: true, childList: true });
  setInterval(checkUrl, URL_POLL_MS);
  addEventListener("popstate", checkUrl);
  addEventListener("hashchange", checkUrl);
  checkUrl();
})();
