// @ts-check
// Untrain content script (classic script, loaded last: after shared/messages.js,
// shared/lang.js, harvest.js, banner-queue.js and banner.js).
//
// Watches the URL, asks the background whether this is a settings page, and only then
// harvests the page, shows the banner and runs the opt-out loop the engine plans.
// The engine (WebAssembly) lives in the background: see docs/architecture.md. Which item the
// banner shows is decided by banner-queue.js; this file acts on its decisions.
"use strict";

(() => {
  if (globalThis.untrainContentStarted) return;
  globalThis.untrainContentStarted = true;

  const api = globalThis.browser ?? globalThis.chrome;
  const harvest = globalThis.untrainHarvest;
  const banner = globalThis.untrainBanner;
  const queue = UntrainBannerQueue;
  const { MSG } = UntrainMessages;

  const URL_THROTTLE_MS = 250;
  const URL_POLL_MS = 1000;
  // The watcher's throttle: an evaluation WATCH_FIRST_MS after a mutation (a framework's render
  // burst lands in one snapshot), and at least WATCH_GAP_MS between the starts of two
  // evaluations, the gap doubling after each up to WATCH_GAP_MAX_MS.
  const WATCH_FIRST_MS = 30;
  const WATCH_GAP_MS = 60;
  const WATCH_GAP_MAX_MS = 1000;
  const WATCH_MAX_MS = 20000;
  const WATCH_MAX_EVALUATIONS = 40;
  const SETTLE_QUIET_MS = 150;
  const SETTLE_MAX_MS = 1000;
  const WAIT_MAX_MS = 5000;
  const LOOP_MAX = 40;

  // ---------------------------------------------------------------- state of this page

  let href = "";
  let session = 0; // bumped on every URL change: stale async work checks it and stops
  /** @type {PageInfo | null} */
  let page = null; // classify() reply for the current URL
  /** @type {{ stop(): void } | null} */
  let watcher = null; // the bounded re-evaluation watcher
  let running = false; // an opt-out loop is running
  let urlChangedWhileRunning = false; // replayed when the loop ends
  let readAt = 0; // when the snapshot of the last evaluation was taken
  /** @type {Shown | null} */
  let lastShown = null; // what the banner shows
  // Per URL: what Untrain did for each item (key: setting id or "suspected:<key>"), which
  // items the person closed, and which guided forms were already filled once.
  /** @type {Map<string, ItemResult>} */
  let results = new Map(); // state: "done"|"failed"|"already-off"|"prefilled"|"manual"
  /** @type {Set<string>} */
  let dismissedKeys = new Set();
  /** @type {Set<string>} */
  let filled = new Set();
  let holdUntil = 0; // a "done" result stays shown until then before the next item
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let holdTimer;

  // ---------------------------------------------------------------- messaging

  /**
   * @param {ContentMessage} message
   * @returns {Promise<any>} the reply, or a Failure
   */
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

  // What the watchers observe: any change in the document.
  const DOM_CHANGES = { subtree: true, childList: true, attributes: true, characterData: true };

  // Records whether the DOM changes from now until stop(), which returns it.
  function changeRecorder() {
    let changed = false;
    const observer = new MutationObserver(() => {
      changed = true;
    });
    observer.observe(document.documentElement, DOM_CHANGES);
    return {
      stop() {
        if (observer.takeRecords().length) changed = true;
        observer.disconnect();
        return changed;
      },
    };
  }

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
      observer.observe(document.documentElement, DOM_CHANGES);
      timer = setTimeout(finish, quiet);
      const limit = setTimeout(finish, max);
    });
  }

  // ---------------------------------------------------------------- URL watching

  function checkUrl() {
    if (location.href !== href) onUrl(location.href);
  }

  // Every URL signal (DOM mutations, popstate, hashchange) goes through one throttle: at most
  // one URL check per URL_THROTTLE_MS, so a page that changes its URL thousands of times costs
  // at most a few evaluations a second (the 1 s poll is the backstop).
  let urlCheckPending = false;
  function queueUrlCheck() {
    // Cheap on busy pages (a feed): one timer at most, then a string comparison.
    if (urlCheckPending) return;
    urlCheckPending = true;
    setTimeout(() => {
      urlCheckPending = false;
      checkUrl();
    }, URL_THROTTLE_MS);
  }
  const urlObserver = new MutationObserver(queueUrlCheck);

  async function onUrl(url) {
    href = url;
    // A step of a running opt-out may change the URL (a dialog route): let the loop finish;
    // its result stays shown, and the new URL is looked at once it has ended (afterRun).
    if (running) {
      urlChangedWhileRunning = true;
      return;
    }
    const mine = ++session;
    stopWatching();
    lastShown = null;
    results = new Map();
    dismissedKeys = new Set();
    filled = new Set();
    holdUntil = 0;
    clearTimeout(holdTimer);
    page = null;
    banner.remove();
    const reply = await send({ type: MSG.CLASSIFY, url });
    if (mine !== session) return;
    page = reply.ok ? reply.page : null;
    if (!page || !page.settings_page) return;
    await evaluate(mine, { watchIfAbsent: true });
  }

  // ---------------------------------------------------------------- evaluation

  // Light harvest (docs/architecture.md, "Harvest algorithm"): full records only for the control
  // roles the engine reads on this platform (classify's `roles`); without them, the full harvest.
  function snapshotNow() {
    return harvest(document, window, { roles: page ? page.roles : undefined });
  }

  /**
   * Harvests, asks the engine, updates the banner (banner-queue.js decides what it shows).
   * Returns what the banner shows, or null.
   * @param {number} mine
   * @param {{ watchIfAbsent?: boolean }} [options]
   * @returns {Promise<Shown | null>}
   */
  async function evaluate(mine, { watchIfAbsent = false } = {}) {
    // A page may render the setting while this snapshot is with the engine (an in-app
    // navigation's render on a busy machine): a watcher started after the reply would never see
    // that change, and the banner would never come. Changes from the snapshot on are recorded.
    const changes = watchIfAbsent && !watcher ? changeRecorder() : null;
    const { snapshot, elements } = snapshotNow();
    const harvestedAt = Date.now();
    const reply = await send({ type: MSG.EVALUATE, snapshot });
    const changedSince = changes ? changes.stop() : false;
    if (mine !== session || running) return null;
    if (!reply.ok || !reply.evaluation) return null;
    /** @type {Evaluation} */
    const evaluation = reply.evaluation;
    if (reply.proof && Array.isArray(reply.proof.results)) {
      // This page is the reload that proves an opt-out made here before: say what it proved.
      const items = queue.itemsOf(evaluation, elements, reply.settings);
      return showProof(mine, evaluation, items, reply.proof.results);
    }
    if (evaluation.signed_out) {
      banner.remove();
      return null;
    }
    const items = queue.itemsOf(evaluation, elements, reply.settings);
    if (!items.length) {
      if (watchIfAbsent && !watcher) watch(mine, "absent", changedSince);
      return null;
    }
    const decision = queue.decide({
      items,
      auto: Boolean(reply.auto),
      dismissed: dismissedKeys,
      lastShown,
      holdUntil,
      now: Date.now(),
      results,
      previous: reply.previous,
    });
    switch (decision.kind) {
      case "auto":
        // The popup asked to opt out in this tab: every automatic setting that is on, one
        // after the other.
        readAt = harvestedAt;
        runAll(mine, evaluation, decision.items);
        return { key: decision.items[0].key, state: "working" };
      case "hold":
        if (decision.wait > 0) {
          clearTimeout(holdTimer);
          holdTimer = setTimeout(() => {
            if (mine === session && !running) evaluate(mine);
          }, decision.wait + 50);
        }
        return decision.shown;
      case "guided":
        return showGuided(mine, evaluation, decision.item);
      case "offer":
        show(evaluation, decision.item, "offer", {
          turnedBackOn: decision.turnedBackOn,
          wasOffAt: decision.wasOffAt,
          note: decision.note,
        });
        return { key: decision.item.key, state: "offer" };
      case "note":
        show(evaluation, decision.item, decision.state);
        return { key: decision.item.key, state: decision.state };
      case "clear":
        banner.remove();
        lastShown = null;
        return null;
      default:
        return null;
    }
  }

  // A guided finding: the steps, links and prepared text; on the form page with the field
  // (finding.control), Untrain fills it once and leaves the submit to the person.
  function showGuided(mine, evaluation, item) {
    const previous = results.get(item.key);
    if (previous) {
      show(evaluation, item, previous.state === "prefilled" ? "prefilled" : "manual", {
        message: previous.message || "",
      });
      return { key: item.key, state: previous.state };
    }
    if (item.finding && item.finding.control != null && !filled.has(item.key)) {
      filled.add(item.key);
      run(mine, evaluation, item);
      return { key: item.key, state: "working" };
    }
    show(evaluation, item, "manual");
    return { key: item.key, state: "manual" };
  }
  // Bounded re-evaluation on DOM changes. Mode "absent": until a finding shows up (late
  // rendering). Mode "after-done": to notice a setting that turns itself back on.
  // Throttled, not debounced: a page that never stops mutating (a growing feed) still gets
  // looked at, at a falling rate; a control rendered after a quiet spell (longer than the
  // current gap) is looked at WATCH_FIRST_MS later. Evaluations never overlap: a change during
  // one schedules the next after it.
  /**
   * @param {number} mine
   * @param {"absent" | "after-done"} mode
   * @param {boolean} [changedSince] the DOM changed after the snapshot that found nothing: look
   *   again at once (the observer starts now and would not see that change)
   */
  function watch(mine, mode, changedSince = false) {
    stopWatching();
    let evaluations = 0;
    let timer = 0; // the scheduled evaluation
    let busy = false; // an evaluation is in flight
    let again = false; // the DOM changed while an evaluation was in flight
    let gap = WATCH_GAP_MS; // minimum time between the starts of two evaluations
    let last = -Infinity; // start of the last evaluation
    const started = Date.now();
    const schedule = () => {
      if (timer) return;
      timer = setTimeout(run, Math.max(WATCH_FIRST_MS, last + gap - Date.now()));
    };
    const observer = new MutationObserver(() => {
      if (busy) again = true;
      else schedule();
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
      timer = 0;
      if (mine !== session || running) return;
      if (evaluations >= WATCH_MAX_EVALUATIONS || Date.now() - started > WATCH_MAX_MS) {
        stop();
        return;
      }
      if (evaluations > 0) gap = Math.min(gap * 2, WATCH_GAP_MAX_MS);
      evaluations++;
      busy = true;
      again = false;
      last = Date.now();
      const shown = await evaluate(mine);
      busy = false;
      if (mine !== session || watcher !== handle) return;
      if (mode === "absent" && shown) stop();
      else if (mode === "after-done" && shown && shown.state === "offer") stop();
      else if (again) {
        again = false;
        schedule();
      }
    }
    watcher = handle;
    observer.observe(document.documentElement, DOM_CHANGES);
    if (changedSince) schedule();
  }

  function stopWatching() {
    if (watcher) watcher.stop();
    watcher = null;
  }

  // ---------------------------------------------------------------- opt-out loop

  // Still the control the engine means, in the state it read? Same role and accessible name as
  // in its snapshot, and, read again right now, the same state (checked, aria-checked,
  // aria-pressed, data-state, disabled, value) as the snapshot's record: a page that hydrated,
  // synced another tab's change or took the person's own click between the snapshot and now
  // gets a fresh snapshot and a fresh decision, never a click planned on a stale state.
  const STATE_FIELDS = ["checked", "aria_checked", "aria_pressed", "data_state", "disabled", "value"];
  function same(el, action, record) {
    if (!el || !el.isConnected || harvest.roleOf(el) !== action.role || harvest.nameOf(el) !== action.name) {
      return false;
    }
    if (!record) return false;
    const now = harvest.stateOf(el);
    return STATE_FIELDS.every((f) => record[f] === undefined || (now[f] ?? null) === (record[f] ?? null));
  }

  // `select` action: pick the option whose text is `action.option`, then tell the page.
  function choose(el, action) {
    if (!(el instanceof HTMLSelectElement)) return false;
    const index = [...el.options].findIndex((o) => harvest.collapse(o.textContent) === action.option);
    if (index < 0) return false;
    el.selectedIndex = index;
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  function currentText(el) {
    if (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement) return el.value;
    return el.textContent || "";
  }

  // `fill` action: only into an empty field; the native setter so frameworks see it; never
  // submits, never presses Enter.
  function fill(el, text) {
    if (currentText(el).trim() !== "") return false;
    el.focus({ preventScroll: true });
    if (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement) {
      const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
      const setter = Object.getOwnPropertyDescriptor(proto, "value").set;
      setter.call(el, text);
    } else {
      el.textContent = text;
    }
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }

  // Runs one item's plan to its end (the engine verifies each step). Returns the result
  // { state, label, message } or null when the page went away.
  async function plan(mine, item) {
    let current =
      item.kind === "suspected" ? { setting: "suspected", suspect: item.suspect } : { setting: item.setting };
    for (let i = 0; i < LOOP_MAX; i++) {
      if (mine !== session) return null;
      const { snapshot, elements } = snapshotNow();
      const sent = current;
      const reply = await send({ type: MSG.STEP, snapshot, plan: current });
      if (mine !== session) return null;
      if (!reply.ok) return { state: "failed", message: reply.error || "no answer from the engine" };
      current = reply.plan;
      const action = reply.action || {};
      switch (action.kind) {
        case "click":
        case "select":
        case "fill": {
          const el = elements[action.index];
          const record = snapshot.controls.find((c) => c.index === action.index);
          let acted = false;
          if (same(el, action, record)) {
            if (action.kind === "click") {
              /** @type {HTMLElement} */ (el).click();
              acted = true;
            } else if (action.kind === "select") {
              acted = choose(el, action);
            } else {
              acted = fill(el, String(action.text ?? ""));
            }
          }
          // Not acted (the page changed under us, or the person typed in the field): look
          // again with the plan as it was before this unexecuted action.
          if (!acted) current = sent;
          await settle();
          break;
        }
        case "wait":
          await sleep(Math.min(Math.max(Number(action.ms) || 0, 0), WAIT_MAX_MS));
          break;
        case "done":
          return { state: queue.doneState(action), label: action.label || "" };
        case "failed":
          return { state: "failed", message: action.message || action.reason || "" };
        default:
          return { state: "failed", message: "unexpected answer from the engine" };
      }
    }
    return { state: "failed", message: "too many steps" };
  }

  // One item, from the banner's button (or a guided form's one-time fill).
  async function run(mine, evaluation, item) {
    if (running || mine !== session) return;
    running = true;
    stopWatching();
    dismissedKeys.delete(item.key);
    show(evaluation, item, "working");
    let result;
    try {
      result = await plan(mine, item);
    } finally {
      running = false;
    }
    if (result && mine === session && needsProof(item, result)) {
      await prove(mine, evaluation, [{ item, result }]);
      return;
    }
    if (result && mine === session) finish(mine, evaluation, item, result);
    afterRun(mine);
  }

  // Auto mode acts without the person: only on a page that has settled, and with two reads
  // of "on" at least AUTO_READ_GAP_MS apart (the evaluation's, then the plan's own first read)
  // so a page that hydrates from a placeholder state is not clicked on its first frame.
  const AUTO_READ_GAP_MS = 300;

  // Several automatic settings in turn ("open and opt out" from the popup, "opt out
  // everywhere"): each plan runs to its verified end before the next starts; a failure does not
  // stop the others (each ends on its own, and the background reports each). The banner then
  // shows the first failure, else the last result.
  async function runAll(mine, evaluation, items) {
    if (running || mine !== session) return;
    running = true;
    stopWatching();
    let shown = null;
    const turnedOff = [];
    try {
      show(evaluation, items[0], "working");
      await settle();
      const gap = readAt + AUTO_READ_GAP_MS - Date.now();
      if (gap > 0) await sleep(gap);
      for (const item of items) {
        if (mine !== session) return;
        show(evaluation, item, "working");
        const result = await plan(mine, item);
        if (!result || mine !== session) return;
        results.set(item.key, { ...result, label: result.label || item.label });
        if (needsProof(item, result)) turnedOff.push({ item, result });
        else if (!shown || shown.result.state !== "failed") shown = { item, result };
      }
    } finally {
      running = false;
    }
    // What was turned off is proven by a reload, which shows the first failure, if any.
    if (turnedOff.length) {
      await prove(mine, evaluation, turnedOff, shown && shown.result.state === "failed" ? shown : null);
      return;
    }
    if (shown) finish(mine, evaluation, shown.item, shown.result);
    afterRun(mine);
  }

  // ---------------------------------------------------------------- proof by reload

  // How long the page waits for a "tab" proof's answer (the background gives up after 25 s).
  const PROOF_WAIT_MS = 30000;
  /** @type {((results: any[] | null) => void) | null} */
  let proofWaiter = null;

  // Untrain turned this off and its own re-read says off: only a fresh read of the settings page
  // proves that the platform kept it (never "done" before that).
  function needsProof(item, result) {
    return result.state === "done" && item.kind !== "guided";
  }

  /**
   * Asks the background to prove `done` ([{ item, result }]) by a fresh read: the page reloads
   * (the reloaded page's evaluation says what it proved), or a background tab reads it and the
   * answer comes back here. `failure`: an earlier failure of the same run, shown first.
   */
  async function prove(mine, evaluation, done, failure = null) {
    running = true;
    stopWatching();
    show(evaluation, done[0].item, "working", { message: "confirming" });
    const reply = await send({
      type: MSG.PROVE,
      url: location.href,
      items: done.map(({ item, result }) => ({ key: item.key, label: result.label || item.label || "" })),
    });
    if (mine !== session) {
      running = false;
      return;
    }
    if (reply.ok && reply.method === "reload") {
      // The page is reloaded as a person would press F5; this document ends here.
      location.reload();
      return;
    }
    let proofResults = null;
    if (reply.ok && reply.method === "tab") {
      proofResults = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), PROOF_WAIT_MS);
        proofWaiter = (r) => {
          clearTimeout(timer);
          resolve(r);
        };
      });
      proofWaiter = null;
    }
    running = false;
    if (mine !== session) return;
    const list =
      proofResults ||
      done.map(({ item, result }) => ({
        key: item.key,
        label: result.label || item.label || "",
        proof: "none",
        note: reply.ok ? "timed-out" : "reload-failed",
      }));
    showProof(
      mine,
      evaluation,
      done.map((d) => d.item),
      list,
      failure,
    );
    afterRun(mine);
  }

  /**
   * Shows what a proof proved: the first failure (of `failure`, else a change the platform did
   * not keep), else the first change no reload could confirm, else "done" (kept).
   * @returns {Shown | null}
   */
  function showProof(mine, evaluation, items, list, failure = null) {
    let pick = null;
    for (const r of list) {
      if (!r || typeof r.key !== "string") continue;
      const state = r.proof === "reloaded" ? (r.note === "kept" ? "done" : "failed") : "unconfirmed";
      const item = items.find((i) => i.key === r.key) || {
        key: r.key,
        kind: r.key.startsWith("suspected:") ? "suspected" : "known",
        setting: r.key.startsWith("suspected:") ? "suspected" : r.key,
        suspect: r.key.startsWith("suspected:") ? r.key.slice("suspected:".length) : undefined,
        state: "unknown",
        label: r.label || "",
        title: "",
        info: null,
        control: null,
      };
      const result = { state, label: r.label || item.label, proof: r.proof, note: r.note };
      results.set(item.key, result);
      const rank = { failed: 0, unconfirmed: 1, done: 2 }[state];
      if (!pick || rank < pick.rank) pick = { item, result, rank };
    }
    if (failure) pick = { ...failure, rank: 0 };
    if (!pick || mine !== session) return null;
    finish(mine, evaluation, pick.item, pick.result);
    return { key: pick.item.key, state: pick.result.state };
  }

  api.runtime.onMessage.addListener((message, sender) => {
    // Only the background speaks to a content script (never another page's script).
    if (!sender || sender.id !== api.runtime.id || sender.tab) return;
    if (!message || message.type !== MSG.PROOF_RESULT || !Array.isArray(message.results)) return;
    if (proofWaiter) {
      proofWaiter(message.results);
      return;
    }
    // A proof that ended without a fresh read of this page (time ran out, the settings page
    // not shown or gone): said on whatever page of the platform the tab now shows.
    if (running) return;
    const mine = session;
    showProof(
      mine,
      { platform: message.platform, name: message.name, signed_out: false, findings: [] },
      [],
      message.results,
    );
  });

  // The URL changed while a loop ran (a dialog route, an in-app navigation): look at the page
  // it is now on. The loop's result stays shown; the new page is evaluated when it is a
  // settings page (its banner then takes over), and left alone otherwise.
  function afterRun(mine) {
    if (!urlChangedWhileRunning || mine !== session || running) return;
    urlChangedWhileRunning = false;
    send({ type: MSG.CLASSIFY, url: location.href }).then((reply) => {
      if (mine !== session || running) return;
      page = reply.ok ? reply.page : null;
      if (page && page.settings_page) evaluate(mine, { watchIfAbsent: true });
    });
  }

  function finish(mine, evaluation, item, result) {
    const label = result.label || item.label;
    results.set(item.key, { ...result, label });
    const shown = { ...item, label };
    if (item.kind === "guided") {
      show(evaluation, shown, result.state === "prefilled" ? "prefilled" : "manual", {
        message: result.state === "failed" ? result.message : "",
      });
      return;
    }
    show(evaluation, shown, result.state, { message: result.message, proof: result.proof, note: result.note });
    if (queue.holds(result)) {
      holdUntil = Date.now() + queue.HOLD_DONE_MS;
      clearTimeout(holdTimer);
      holdTimer = setTimeout(() => {
        if (mine === session && !running) evaluate(mine);
      }, queue.HOLD_DONE_MS + 50);
      watch(mine, "after-done");
    }
  }

  // ---------------------------------------------------------------- banner

  const locale = UntrainLang.localeOf(api);

  function show(evaluation, item, state, options = {}) {
    lastShown = { state, key: item.key };
    if (dismissedKeys.has(item.key)) return;
    const info = item.info || null;
    banner.render({
      kind: item.kind,
      state,
      platform: evaluation.platform,
      platformName: evaluation.name,
      setting: item.setting,
      suspect: item.suspect || null,
      label: item.label || "",
      title: item.title || "",
      message: options.message || "",
      note: options.note && typeof options.note === "object" ? options.note : null,
      proof: options.proof || null,
      proofNote: typeof options.note === "string" ? options.note : null,
      turnedBackOn: Boolean(options.turnedBackOn),
      unsure: Boolean(item.unsure),
      control: item.control || null, // a guided finding's control is the form field: not covered either
      guided:
        item.kind === "guided" && info
          ? {
              title: info.title || item.title || "",
              instructions: UntrainLang.pickLang(info.instructions, locale) || [],
              form_url: info.form_url || null,
              email: info.email || null,
              email_subject: info.email_subject || "",
              prepared_text: UntrainLang.pickLang(info.prepared_text, locale) || "",
            }
          : null,
      onOptOut: () => run(session, evaluation, item),
      onReport: item.kind === "guided" ? null : () => send({ type: MSG.OPEN_REPORT }),
      wasOffAt: options.wasOffAt ?? null,
      onDismiss: () => {
        dismissedKeys.add(item.key);
        if (lastShown && lastShown.key === item.key) lastShown = null;
        holdUntil = 0;
        stopWatching();
        // The next item that needs the person, if any.
        const mine = session;
        evaluate(mine);
      },
    });
  }

  // ---------------------------------------------------------------- start

  urlObserver.observe(document, { subtree: true, childList: true });
  setInterval(checkUrl, URL_POLL_MS);
  addEventListener("popstate", queueUrlCheck);
  addEventListener("hashchange", queueUrlCheck);
  checkUrl();
})();
