// The globals the extension's scripts share (for `tsc --noEmit`; not shipped). The types of
// UntrainMessages, UntrainLang and UntrainBannerQueue come from their classic scripts
// (extension/shared/*.js, extension/content/banner-queue.js): a top-level `var` there is global.

/** Firefox's promise-based API; Chromium's `chrome` has the same shape for what Untrain uses. */
declare var browser: typeof chrome | undefined;

interface UntrainHarvest {
  (
    doc: Document,
    win: Window,
    options?: { roles?: string[] },
  ): { snapshot: Snapshot; elements: Element[] };
  roleOf(el: Element): string | null;
  nameOf(el: Element): string;
  stateOf(el: Element): Record<string, unknown>;
  collapse(s: unknown): string;
  CONTROLS: string;
  HEADINGS: string;
  DIALOGS: string;
}

interface UntrainBanner {
  render(options: Record<string, any>): void;
  remove(): void;
}

declare var untrainHarvest: UntrainHarvest;
declare var untrainBanner: UntrainBanner;
declare var untrainContentStarted: boolean | undefined;
