// @ts-check
// Untrain popup: "Opt out everywhere" (button, progress, cancel, summary). The background runs
// it (background/everywhere.js) and keeps its state in storage.session, so this view only shows
// that state: it may be closed and opened again at any time.
import "../shared/messages.js";

/** @typedef {import("./popup.js").PopupContext} PopupContext */
/** @typedef {import("../background/everywhere-run.js").Run} Run */

const api = globalThis.browser ?? globalThis.chrome;
const { MSG } = UntrainMessages;

/** @type {PopupContext} */
let ctx;
/** @type {Run | null} */
let run = null;
/** @type {ReturnType<typeof setInterval> | undefined} */
let poller;

const OUTCOME_WORDS = {
  "turned-off": "outcomeTurnedOff",
  "already-off": "outcomeAlreadyOff",
  "signed-out": "outcomeSignedOut",
  failed: "outcomeFailed",
  "timed-out": "outcomeTimedOut",
  cancelled: "outcomeCancelled",
  "not-sure": "outcomeNotSure",
};

/** @param {PopupContext} context */
export function initEverywhere(context) {
  ctx = context;
  const { t, el } = ctx;
  const section = document.getElementById("everywhere");
  const start = el("button", {
    type: "button",
    id: "everywhere-start",
    class: "primary",
    dataset: { action: "opt-out-everywhere" },
    "aria-describedby": "everywhere-intro",
    text: t("everywhereButton"),
  });
  start.addEventListener("click", () => startRun(ctx.visiblePlatforms ? ctx.visiblePlatforms() : null));
  const cancel = el("button", {
    type: "button",
    id: "everywhere-cancel",
    class: "secondary",
    hidden: "",
    dataset: { action: "cancel-everywhere" },
    text: t("everywhereCancel"),
  });
  cancel.addEventListener("click", cancelRun);
  section.append(
    el("h2", { id: "everywhere-title", class: "visually-hidden", text: t("everywhereButton") }),
    el("p", { id: "everywhere-intro", class: "intro", text: t("everywhereIntro") }),
    el("div", { class: "row" }, [start, cancel]),
    el("div", { id: "everywhere-progress", hidden: "" }, [
      el("progress", { id: "everywhere-bar", max: "1", value: "0", "aria-labelledby": "everywhere-now" }),
      el("p", { id: "everywhere-now", role: "status", "aria-live": "polite" }),
    ]),
    el("div", {
      id: "everywhere-summary",
      role: "region",
      hidden: "",
      tabindex: "-1",
      "aria-labelledby": "everywhere-summary-title",
    }),
  );
  api.storage.onChanged.addListener((changes, area) => {
    if (area === "session" && changes.everywhere) {
      run = /** @type {Run | null} */ (changes.everywhere.newValue ?? null);
      renderRun();
    }
  });
  refresh().catch(ctx.showError);
}

async function refresh() {
  run = (await ctx.send({ type: MSG.EVERYWHERE_STATUS })).run ?? null;
  renderRun();
}

/**
 * Starts a run over `platforms` (null: every platform).
 * @param {string[] | null} platforms
 */
export async function startRun(platforms) {
  const button = /** @type {HTMLButtonElement} */ (document.getElementById("everywhere-start"));
  button.disabled = true;
  try {
    /** @type {EverywhereStartMessage} */
    const message = { type: MSG.EVERYWHERE_START };
    if (platforms) message.platforms = platforms;
    run = (await ctx.send(message)).run;
    renderRun();
    document.getElementById("everywhere-cancel")?.focus();
  } catch (error) {
    ctx.showError(error);
    button.disabled = false;
  }
}

async function cancelRun() {
  try {
    run = (await ctx.send({ type: MSG.EVERYWHERE_CANCEL })).run;
    renderRun();
  } catch (error) {
    ctx.showError(error);
  }
}

/** @param {import("../background/everywhere-run.js").RunResult} r */
function outcomeText(r) {
  const { t } = ctx;
  if (r.outcome === "turned-off" && r.reason === "unconfirmed") {
    // Turned off, but no reload could prove it (background/proof.js notes): never "turned off" alone.
    return t("proofLineNone", [t(UntrainLang.proofReasonKey(r.message))]);
  }
  const key = OUTCOME_WORDS[r.outcome] || "outcomeFailed";
  return t(key, [r.message || r.reason || t("unknownReason")]);
}

function renderRun() {
  const { t } = ctx;
  const section = document.getElementById("everywhere");
  const start = /** @type {HTMLButtonElement} */ (document.getElementById("everywhere-start"));
  const cancel = document.getElementById("everywhere-cancel");
  const progress = document.getElementById("everywhere-progress");
  const summary = document.getElementById("everywhere-summary");
  const running = Boolean(run && run.status === "running");
  section.dataset.run = run ? run.status : "none";
  section.dataset.runId = run ? run.id : "";
  const wasFocused = document.activeElement === cancel;
  start.disabled = running;
  cancel.hidden = !running;
  progress.hidden = !running;
  clearInterval(poller);
  if (running) {
    // Also wakes the background so a time limit is enforced even if its timer was lost.
    poller = setInterval(() => refresh().catch(() => {}), 1000);
    const total = run.queue.length || 1;
    const item = run.queue[Math.min(run.index, run.queue.length - 1)];
    const bar = /** @type {HTMLProgressElement} */ (document.getElementById("everywhere-bar"));
    bar.max = total;
    bar.value = run.index;
    const text = item ? t("everywhereProgress", [item.name, String(run.index + 1), String(total)]) : "";
    const now = document.getElementById("everywhere-now");
    if (now.textContent !== text) now.textContent = text;
  }
  if (!run || running) {
    if (running) renderSummary(summary, true);
    else summary.hidden = true;
    return;
  }
  renderSummary(summary, false);
  if (wasFocused) summary.focus();
}

/**
 * @param {HTMLElement} summary
 * @param {boolean} partial
 */
function renderSummary(summary, partial) {
  const { t, el } = ctx;
  const results = run.results || [];
  if (partial && results.length === 0) {
    summary.hidden = true;
    return;
  }
  const count = (o) => results.filter((r) => r.outcome === o).length;
  const title = partial
    ? t("everywhereSoFar")
    : run.status === "cancelled"
      ? t("everywhereCancelled")
      : t("everywhereFinished");
  // One result per setting; a platform with several (Copilot: text and voice) names each.
  const several = new Set((run.queue || []).filter((q) => (q.settings || []).length > 1).map((q) => q.platform));
  const counts = [
    String(count("turned-off")),
    String(count("already-off")),
    String(count("signed-out")),
    String(count("failed") + count("timed-out")),
  ];
  const unsure = count("not-sure");
  const children = [
    el("h2", { id: "everywhere-summary-title", text: title }),
    el("p", {
      class: "counts",
      text: unsure ? t("everywhereCountsUnsure", [...counts, String(unsure)]) : t("everywhereCounts", counts),
    }),
    el(
      "ul",
      { class: "results" },
      results.map((r) =>
        el(
          "li",
          {
            dataset: {
              resultPlatform: r.platform,
              resultSetting: r.setting || "",
              outcome: r.outcome,
              reason: r.reason || "",
            },
          },
          [
            el("strong", { text: r.name || r.platform }),
            several.has(r.platform) && r.title ? ` (${r.title})` : "",
            " ",
            el("span", { text: outcomeText(r) }),
          ],
        ),
      ),
    ),
  ];
  const guided = run.guided || [];
  if (!partial && guided.length > 0) {
    children.push(el("h3", { text: t("everywhereGuided") }));
    children.push(
      el(
        "ul",
        { class: "guided" },
        guided.map((g) =>
          el("li", { dataset: { guidedPlatform: g.platform } }, [
            el("strong", { text: g.name }),
            ...g.settings.map((s) =>
              el("div", {}, [
                el("p", { text: s.title }),
                s.instructions && s.instructions.length
                  ? el(
                      "ol",
                      {},
                      s.instructions.map((line) => el("li", { text: line })),
                    )
                  : "",
                el("a", {
                  href: s.form_url || s.settings_url,
                  target: "_blank",
                  rel: "noopener noreferrer",
                  text: t("openSettings"),
                }),
              ]),
            ),
          ]),
        ),
      ),
    );
  }
  summary.replaceChildren(...children);
  summary.hidden = false;
}
