// The background's side of the safety review's findings (../shared/research/security-review.md,
// listed with their tests in docs/security.md), in Node against a fake extension API and a fake
// engine (tests/unit/lib/fake-extension.mjs): every test here failed on the code the review
// read (3670e45) and passes now.
//
//   node --test tests/unit/

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';

import { content, fakeApi, finding, loadBackground, popup, setting, snapshot, until } from './lib/fake-extension.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const LINKEDIN = {
  id: 'linkedin',
  name: 'LinkedIn',
  confidence: 'high',
  version: 1,
  hosts: ['www.linkedin.com'],
  settings: [
    setting('linkedin.genai-data', {
      settings_url: 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement',
    }),
  ],
};
const CHATGPT = {
  id: 'chatgpt',
  name: 'ChatGPT',
  confidence: 'high',
  version: 1,
  hosts: ['chatgpt.com'],
  settings: [setting('chatgpt.improve-model', { settings_url: 'https://chatgpt.com/#settings/DataControls' })],
};
const COPILOT = {
  id: 'copilot',
  name: 'Microsoft Copilot',
  confidence: 'medium',
  version: 1,
  hosts: ['copilot.microsoft.com'],
  settings: [
    setting('copilot.text-training', { settings_url: 'https://copilot.microsoft.com/settings' }),
    setting('copilot.voice-training', { settings_url: 'https://copilot.microsoft.com/settings' }),
  ],
};
const SQUARESPACE = {
  id: 'squarespace',
  name: 'Squarespace',
  confidence: 'high',
  version: 1,
  hosts: ['account.squarespace.com', '*.squarespace.com'],
  settings: [
    setting('squarespace.block-ai-crawlers', {
      settings_url: 'https://account.squarespace.com/config/settings/crawlers',
    }),
  ],
};
const PLATFORMS = [LINKEDIN, CHATGPT, COPILOT, SQUARESPACE];
const LI_PAGE = LINKEDIN.settings[0].settings_url;
const CP_PAGE = 'https://copilot.microsoft.com/settings';

/** An engine whose evaluate() answers `findings[platform]` (a function of the snapshot or a list). */
function engineWith(findings = {}) {
  return {
    platforms: PLATFORMS,
    evaluate(s, p) {
      const f = p ? findings[p.platform] : null;
      const list = typeof f === 'function' ? f(s) : f || [];
      return { platform: p ? p.platform : '', name: p ? p.name : '', signed_out: false, findings: list, suspected: [] };
    },
    next_step(s, plan) {
      return { plan, action: { kind: 'wait', ms: 250, why: 'x' } };
    },
  };
}

const done = (outcome = 'turned-off') => ({ kind: 'done', outcome, label: 'L' });

let loaded = [];
async function background(options) {
  const bg = await loadBackground(options);
  loaded.push(bg);
  return bg;
}
afterEach(() => {
  for (const bg of loaded) bg.cleanup();
  loaded = [];
});

/** Sends a step whose engine answer is `action` for `settingId`. */
async function stepEnds(bg, url, tab, settingId, action) {
  globalThis.__engine.next_step = (s, plan) => ({ plan, action });
  const reply = await bg.send(
    { type: 'step', snapshot: snapshot(url), plan: { setting: settingId } },
    content(url, tab),
  );
  assert.equal(reply.ok, true, JSON.stringify(reply));
}

/**
 * The content script's part after a done: asks for the proof by reload, and the page read afresh
 * (the reloaded tab, or the background tab of a "tab" proof) shows `findings`.
 */
async function proveWith(bg, url, tab, settingIds, findings) {
  const reply = await bg.send(
    { type: 'prove', url, items: settingIds.map((key) => ({ key, label: 'L' })) },
    content(url, tab),
  );
  assert.equal(reply.ok, true, JSON.stringify(reply));
  const reader = reply.method === 'tab' ? bg.api.control.nextTab - 1 : tab;
  const evaluate = globalThis.__engine.evaluate;
  globalThis.__engine.evaluate = (s, p) => ({
    platform: p.platform,
    name: p.name,
    signed_out: false,
    findings,
    suspected: [],
  });
  try {
    const r = await bg.send({ type: 'evaluate', snapshot: snapshot(url) }, content(url, reader));
    assert.equal(r.ok, true, JSON.stringify(r));
    return { method: reply.method, reader, reply: r };
  } finally {
    globalThis.__engine.evaluate = evaluate;
  }
}

async function run(bg) {
  return bg.api.store.session.everywhere;
}

describe('M1: "opt out everywhere" handles every automatic setting of a platform', () => {
  it('setting 1 off, setting 2 on: the platform waits for setting 2, then reports both', async () => {
    const engine = engineWith({
      copilot: [finding('copilot.text-training', 'off'), finding('copilot.voice-training', 'on')],
    });
    const bg = await background({ engine });
    const start = await bg.send({ type: 'everywhere-start', platforms: ['copilot'] }, popup());
    assert.equal(start.ok, true, JSON.stringify(start));
    const tab = (await run(bg)).current.tab;
    await bg.send({ type: 'evaluate', snapshot: snapshot(CP_PAGE) }, content(CP_PAGE, tab));
    await sleep(20);
    let r = await run(bg);
    assert.equal(r.status, 'running', `still running while voice is on: ${JSON.stringify(r.results)}`);
    assert.deepEqual(
      r.results.map((x) => [x.setting, x.outcome]),
      [['copilot.text-training', 'already-off']],
    );
    assert.deepEqual(bg.api.calls.tabs.remove, [], 'the tab stays open for the second setting');
    await stepEnds(bg, CP_PAGE, tab, 'copilot.voice-training', done());
    await sleep(20);
    assert.equal((await run(bg)).status, 'running', 'a turned-off setting waits for its proof by reload');
    await proveWith(
      bg,
      CP_PAGE,
      tab,
      ['copilot.voice-training'],
      [finding('copilot.text-training', 'off'), finding('copilot.voice-training', 'off')],
    );
    r = await until(async () => ((await run(bg)).status === 'finished' ? run(bg) : null), 'the run to finish');
    assert.deepEqual(
      r.results.map((x) => [x.setting, x.outcome]),
      [
        ['copilot.text-training', 'already-off'],
        ['copilot.voice-training', 'turned-off'],
      ],
    );
    // The summary agrees with the popup's row.
    const { status } = await bg.send({ type: 'status' }, popup());
    assert.equal(status.copilot.state, 'off');
    assert.equal(status.copilot.settings['copilot.voice-training'].outcome, 'turned-off');
  });

  it('both on: the first done does not end the platform', async () => {
    const engine = engineWith({
      copilot: [finding('copilot.text-training', 'on'), finding('copilot.voice-training', 'on')],
    });
    const bg = await background({ engine });
    await bg.send({ type: 'everywhere-start', platforms: ['copilot'] }, popup());
    const tab = (await run(bg)).current.tab;
    await bg.send({ type: 'evaluate', snapshot: snapshot(CP_PAGE) }, content(CP_PAGE, tab));
    await stepEnds(bg, CP_PAGE, tab, 'copilot.text-training', done());
    await sleep(20);
    assert.equal((await run(bg)).status, 'running', 'voice is still on: the run waits');
    await stepEnds(bg, CP_PAGE, tab, 'copilot.voice-training', done());
    await proveWith(
      bg,
      CP_PAGE,
      tab,
      ['copilot.text-training', 'copilot.voice-training'],
      [finding('copilot.text-training', 'off'), finding('copilot.voice-training', 'on')],
    );
    const r = await until(async () => ((await run(bg)).status === 'finished' ? run(bg) : null), 'the run to finish');
    assert.deepEqual(
      r.results.map((x) => [x.outcome, x.reason]),
      [
        ['turned-off', null],
        ['failed', 'not-kept'],
      ],
      'the platform kept text, not voice: voice failed, never turned off',
    );
  });

  it('a time-out reports each setting that had not ended', async () => {
    const engine = engineWith({ copilot: [finding('copilot.text-training', 'off')] });
    const bg = await background({ engine });
    await bg.send({ type: 'everywhere-start', platforms: ['copilot'], limit_ms: 2000 }, popup());
    await bg.send({ type: 'evaluate', snapshot: snapshot(CP_PAGE) }, content(CP_PAGE, 100));
    const r = await until(async () => ((await run(bg)).status === 'finished' ? run(bg) : null), 'the time-out', 5000);
    assert.deepEqual(
      r.results.map((x) => [x.setting, x.outcome]),
      [
        ['copilot.text-training', 'already-off'],
        ['copilot.voice-training', 'timed-out'],
      ],
    );
  });
});

describe('H1 (background half): a control found only by keywords is never run without the person', () => {
  it('"opt out everywhere" reports it as not sure and goes on', async () => {
    const engine = engineWith({ linkedin: [finding('linkedin.genai-data', 'on', { matched_by: 'keywords' })] });
    const bg = await background({ engine });
    await bg.send({ type: 'everywhere-start', platforms: ['linkedin'] }, popup());
    await bg.send({ type: 'evaluate', snapshot: snapshot(LI_PAGE) }, content(LI_PAGE, 100));
    const r = await until(async () => ((await run(bg)).status === 'finished' ? run(bg) : null), 'the run to finish');
    assert.deepEqual(
      r.results.map((x) => [x.setting, x.outcome]),
      [['linkedin.genai-data', 'not-sure']],
    );
  });
});

describe('M3: a site on a host that others control speaks only for itself', () => {
  const SITE = 'https://evil-site.squarespace.com/config/settings/crawlers';
  const sq = (state) => [finding('squarespace.block-ai-crawlers', state)];

  it("cannot change the platform's state, its check time (the re-check) or the badge", async () => {
    const engine = engineWith({ squarespace: sq('off') });
    const api = fakeApi();
    const old = Date.now() - 30 * 24 * 3600 * 1000;
    api.store.local.status = {
      squarespace: { state: 'on', setting: 'squarespace.block-ai-crawlers', checked_at: old, settings: {} },
    };
    const bg = await background({ engine, api });
    const reply = await bg.send({ type: 'evaluate', snapshot: snapshot(SITE) }, content(SITE, 9));
    assert.equal(reply.ok, true);
    assert.equal(reply.site, 'evil-site.squarespace.com');
    const { status } = await bg.send({ type: 'status' }, popup());
    assert.equal(status.squarespace.state, 'on', "the platform's own state is unchanged");
    assert.equal(status.squarespace.checked_at, old, 'its check time (and so its re-check) is unchanged');
    assert.equal(status.squarespace.sites['evil-site.squarespace.com'].state, 'off', 'the site has its own entry');
  });

  it('never gets an automatic opt-out, even in a tab marked for the platform', async () => {
    const engine = engineWith({ squarespace: sq('on') });
    const bg = await background({ engine });
    const opened = await bg.send({ type: 'open-and-opt-out', platform: 'squarespace' }, popup());
    assert.equal(opened.auto, true);
    const reply = await bg.send({ type: 'evaluate', snapshot: snapshot(SITE) }, content(SITE, opened.tab));
    assert.equal(reply.auto, false);
    // its step results go to the site too
    await stepEnds(bg, SITE, opened.tab, 'squarespace.block-ai-crawlers', done());
    const { status } = await bg.send({ type: 'status' }, popup());
    assert.notEqual(status.squarespace.state, 'off');
    assert.equal(status.squarespace.sites['evil-site.squarespace.com'].outcome, 'turned-off');
  });

  it("the platform's own host still writes the platform's state", async () => {
    const engine = engineWith({ squarespace: sq('off') });
    const bg = await background({ engine });
    const own = SQUARESPACE.settings[0].settings_url;
    await bg.send({ type: 'evaluate', snapshot: snapshot(own) }, content(own, 9));
    const { status } = await bg.send({ type: 'status' }, popup());
    assert.equal(status.squarespace.state, 'off');
    assert.equal(status.squarespace.sites, undefined);
  });
});

describe('M4: floods', () => {
  it("thousands of URL changes on one tab: few status writes, and no platform's history pushed out", async () => {
    const engine = engineWith({
      linkedin: [finding('linkedin.genai-data', 'on')],
      chatgpt: [finding('chatgpt.improve-model', 'off')],
    });
    const bg = await background({ engine });
    const cg = 'https://chatgpt.com/#settings/DataControls';
    await bg.send({ type: 'evaluate', snapshot: snapshot(cg) }, content(cg, 3));
    const writes = bg.api.calls.sets.local;
    for (let i = 0; i < 2500; i++) {
      const url = `${LI_PAGE}#flood-${i}`;
      const reply = await bg.send({ type: 'evaluate', snapshot: snapshot(url) }, content(url, 7));
      assert.equal(reply.ok, true);
    }
    const audit = bg.api.store.local.audit;
    assert.ok(
      audit.some((e) => e.platform === 'chatgpt'),
      "chatgpt's history is still in the log",
    );
    assert.ok(audit.filter((e) => e.platform === 'linkedin').length <= 2, `linkedin: ${audit.length} entries`);
    assert.ok(
      bg.api.calls.sets.local - writes <= 4,
      `${bg.api.calls.sets.local - writes} storage writes for 2500 evaluations`,
    );
  });

  it("another tab's evaluation within the minute is still written (a re-check counts)", async () => {
    const bg = await background({ engine: engineWith({ linkedin: [finding('linkedin.genai-data', 'off')] }) });
    await bg.send({ type: 'evaluate', snapshot: snapshot(LI_PAGE) }, content(LI_PAGE, 7));
    const first = bg.api.store.local.status.linkedin.checked_at;
    await sleep(5);
    await bg.send({ type: 'evaluate', snapshot: snapshot(LI_PAGE) }, content(LI_PAGE, 7));
    assert.equal(bg.api.store.local.status.linkedin.checked_at, first, 'the same tab: not written again');
    await bg.send({ type: 'evaluate', snapshot: snapshot(LI_PAGE) }, content(LI_PAGE, 8));
    assert.ok(bg.api.store.local.status.linkedin.checked_at > first, 'another tab: its check is written');
  });

  it("a full log drops the flooding platform's entries first", async () => {
    const bg = await background({ engine: engineWith() });
    const audit = await bg.module('shared/audit-format.js');
    const keep = { time: 0, event: 'turned-off', platform: 'chatgpt', setting: 's', after: 'off', url: 'u' };
    let log = [keep];
    for (let i = 1; i <= 2100; i++) {
      log = audit.appendBounded(log, [
        { time: i, event: 'changed', platform: 'linkedin', setting: 's', after: i % 2 ? 'on' : 'off', url: `u#${i}` },
      ]);
    }
    assert.equal(log.length, audit.MAX_ENTRIES);
    assert.deepEqual(log[0], keep, "the other platform's entry stays");
  });
});

describe('L1: marks of tabs opened to opt out are written one at a time', () => {
  it('a mark written while another is taken is not lost, and a taken mark does not come back', async () => {
    // Slow storage, so the two read-modify-writes overlap.
    const api = fakeApi({ delay: (op) => (op.startsWith('session') ? 5 + Math.floor(Math.random() * 5) : 0) });
    const engine = engineWith({ linkedin: [finding('linkedin.genai-data', 'off')] });
    const bg = await background({ engine, api });
    const opened = await bg.send({ type: 'open-and-opt-out', platform: 'linkedin' }, popup());
    assert.equal(opened.ok, true);
    const [evaluated, started] = await Promise.all([
      bg.send({ type: 'evaluate', snapshot: snapshot(LI_PAGE) }, content(LI_PAGE, opened.tab)),
      bg.send({ type: 'everywhere-start', platforms: ['chatgpt'] }, popup()),
    ]);
    assert.equal(evaluated.auto, true, 'the opened tab got its automatic opt-out once');
    assert.equal(started.ok, true);
    const runTab = (await run(bg)).current.tab;
    const marks = await until(async () => {
      const m = api.store.session.auto_tabs || {};
      return m[String(runTab)] ? m : null;
    }, "the run tab's mark");
    assert.ok(!(String(opened.tab) in marks), 'the taken mark is gone');
    const again = await bg.send({ type: 'evaluate', snapshot: snapshot(LI_PAGE) }, content(LI_PAGE, opened.tab));
    assert.equal(again.auto, false, 'never a second automatic opt-out in that tab');
  });
});

describe('L2: a background restart in the middle of a run', () => {
  it('between two platforms: resumes the next one, closes the finished tab, reports no time-out', async () => {
    const engine = engineWith({
      linkedin: [finding('linkedin.genai-data', 'off')],
      chatgpt: [finding('chatgpt.improve-model', 'off')],
    });
    const api = fakeApi();
    const first = await background({ engine, api });
    await first.send({ type: 'everywhere-start', platforms: ['linkedin', 'chatgpt'] }, popup());
    // The second platform's tab never opens in this worker: it "dies" right there (so this
    // evaluation's reply never comes either).
    api.control.hangCreate = true;
    first.send({ type: 'evaluate', snapshot: snapshot(LI_PAGE) }, content(LI_PAGE, 100));
    await until(() => api.calls.tabs.create.length === 2, 'the second tab being created');
    assert.deepEqual(api.calls.tabs.remove, [100], "the finished platform's tab is closed");
    // A new worker over the same storage.
    api.control.hangCreate = false;
    const second = await background({ engine, api });
    const r1 = await until(async () => {
      const r = await run(second);
      return r.current && r.current.platform === 'chatgpt' ? r : null;
    }, 'chatgpt opened by the new worker');
    assert.deepEqual(
      r1.results.map((x) => [x.platform, x.outcome]),
      [['linkedin', 'already-off']],
    );
    const cg = 'https://chatgpt.com/#settings/DataControls';
    await second.send({ type: 'evaluate', snapshot: snapshot(cg) }, content(cg, r1.current.tab));
    const r2 = await until(async () => ((await run(second)).status === 'finished' ? run(second) : null), 'the end');
    assert.deepEqual(
      r2.results.map((x) => [x.platform, x.outcome]),
      [
        ['linkedin', 'already-off'],
        ['chatgpt', 'already-off'],
      ],
    );
  });

  it('after the blank tab was created: the new worker closes it and opens the platform again', async () => {
    const engine = engineWith({ linkedin: [finding('linkedin.genai-data', 'off')] });
    const api = fakeApi();
    api.control.hangUpdate = true; // the tab exists (about:blank), the worker dies before navigating it
    const first = await background({ engine, api });
    first.send({ type: 'everywhere-start', platforms: ['linkedin'] }, popup());
    await until(() => api.calls.tabs.update.length === 1, 'the navigation that never ends');
    const blank = api.calls.tabs.update[0][0];
    api.control.hangUpdate = false;
    const second = await background({ engine, api });
    await until(() => api.calls.tabs.remove.includes(blank), 'the blank tab closed');
    const r = await until(async () => {
      const x = await run(second);
      return x.current && x.current.tab !== blank ? x : null;
    }, 'the platform opened again');
    assert.equal(r.results.length, 0, 'nothing reported for a platform that never ran');
  });
});

describe('L3: the badge is cosmetic', () => {
  for (const mode of ['reject', 'throw']) {
    it(`a failing badge (${mode}) fails neither the reply nor the audit entry`, async () => {
      const api = fakeApi();
      api.control.badge = mode;
      const bg = await background({ engine: engineWith({ linkedin: [finding('linkedin.genai-data', 'on')] }), api });
      const reply = await bg.send({ type: 'evaluate', snapshot: snapshot(LI_PAGE) }, content(LI_PAGE));
      assert.equal(reply.ok, true, JSON.stringify(reply));
      assert.ok(
        (api.store.local.audit || []).some((e) => e.platform === 'linkedin'),
        'the audit entry is written',
      );
    });
  }

  it('a corrupt re-check entry does not silence the extension', async () => {
    const api = fakeApi();
    api.store.local.recheck = { at: 1, due: [null, 5, { platform: 'linkedin', checked_at: 1 }] };
    const bg = await background({ engine: engineWith({ linkedin: [finding('linkedin.genai-data', 'off')] }), api });
    const reply = await bg.send({ type: 'evaluate', snapshot: snapshot(LI_PAGE) }, content(LI_PAGE));
    assert.equal(reply.ok, true, JSON.stringify(reply));
  });
});

describe('L4: corrupt or old storage is repaired, with a note in the audit log', () => {
  for (const [what, value] of [
    ['a list', []],
    ['null', null],
    ['a string', 'x'],
  ]) {
    it(`status stored as ${what}`, async () => {
      const api = fakeApi();
      api.store.local.status = value;
      const bg = await background({ engine: engineWith({ linkedin: [finding('linkedin.genai-data', 'on')] }), api });
      const reply = await bg.send({ type: 'evaluate', snapshot: snapshot(LI_PAGE) }, content(LI_PAGE));
      assert.equal(reply.ok, true);
      assert.equal(api.store.local.status.linkedin.state, 'on', 'the write was kept');
      assert.ok(
        api.store.local.audit.some((e) => e.event === 'repaired' && /status/.test(e.message)),
        JSON.stringify(api.store.local.audit),
      );
    });
  }

  it('unreadable entries in the audit log: exports work, the log is repaired with a note', async () => {
    const api = fakeApi();
    const good = { time: 1, event: 'observed', platform: 'x', setting: 'x.s', after: 'on', url: 'u' };
    api.store.local.audit = [null, 7, good];
    const bg = await background({ engine: engineWith({ linkedin: [finding('linkedin.genai-data', 'on')] }), api });
    const audit = await bg.module('shared/audit-format.js');
    assert.match(audit.toCsv(api.store.local.audit), /observed/);
    assert.equal(JSON.parse(audit.toJson(api.store.local.audit)).entries.length, 1);
    await bg.send({ type: 'evaluate', snapshot: snapshot(LI_PAGE) }, content(LI_PAGE));
    const log = api.store.local.audit;
    assert.ok(
      log.every((e) => e && typeof e === 'object'),
      'no unreadable entry left',
    );
    assert.ok(
      log.some((e) => e.event === 'repaired' && /2 unreadable audit entries/.test(e.message)),
      JSON.stringify(log),
    );
    assert.ok(
      log.some((e) => e.platform === 'x'),
      'the readable entry stays',
    );
  });

  it('auto_tabs stored as null', async () => {
    const api = fakeApi();
    api.store.session.auto_tabs = null;
    const bg = await background({ engine: engineWith({ linkedin: [finding('linkedin.genai-data', 'on')] }), api });
    const reply = await bg.send({ type: 'evaluate', snapshot: snapshot(LI_PAGE) }, content(LI_PAGE));
    assert.equal(reply.ok, true, JSON.stringify(reply));
    const opened = await bg.send({ type: 'open-and-opt-out', platform: 'linkedin' }, popup());
    assert.equal(opened.ok, true, JSON.stringify(opened));
  });
});

describe('L5: a trapped wasm instance is replaced', () => {
  it('the call that trapped fails; the instance is reset and the next call works', async () => {
    const engine = engineWith({ linkedin: [finding('linkedin.genai-data', 'on')] });
    engine.trap = 1;
    const bg = await background({ engine });
    const before = globalThis.__calls.filter((c) => c === 'reset').length;
    const bad = await bg.send({ type: 'evaluate', snapshot: snapshot(LI_PAGE) }, content(LI_PAGE));
    assert.equal(bad.ok, false);
    assert.equal(globalThis.__calls.filter((c) => c === 'reset').length, before + 1, '__wbg_reset_state was called');
    const good = await bg.send({ type: 'evaluate', snapshot: snapshot(LI_PAGE) }, content(LI_PAGE));
    assert.equal(good.ok, true, JSON.stringify(good));
  });
});

describe('L10: stored URLs keep neither query nor fragment', () => {
  it('status and audit', async () => {
    const bg = await background({ engine: engineWith({ linkedin: [finding('linkedin.genai-data', 'on')] }) });
    const url = `${LI_PAGE}?token=secret&c=1#conversation-123`;
    await bg.send({ type: 'evaluate', snapshot: snapshot(url) }, content(url));
    const { status } = await bg.send({ type: 'status' }, popup());
    assert.equal(status.linkedin.url, LI_PAGE);
    for (const e of bg.api.store.local.audit) assert.ok(!/[?#]/.test(e.url || ''), e.url);
  });
});

describe('L11: content scripts are kept out of storage.local where the browser can', () => {
  it('the background asks for trusted contexts only', async () => {
    const bg = await background({ engine: engineWith() });
    assert.deepEqual(bg.api.calls.accessLevel, [['local', { accessLevel: 'TRUSTED_CONTEXTS' }]]);
  });
});
