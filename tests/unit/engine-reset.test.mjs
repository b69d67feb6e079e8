// The shipped engine (dist/'s wasm-bindgen module and engine.js) after a trap (security review
// L5): the call that trapped throws, the instance is replaced (`__wbg_reset_state`, from
// wasm-bindgen's --experimental-reset-state-function in build.sh), the rules are loaded again,
// and the next call answers as before. No input is known to make the engine trap, so the trap is
// thrown by a wrapper around the real module's function, once.
//
//   node --test tests/unit/   (needs ./build.sh first; skipped without dist/)

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { shippedBuilt, shippedModule, shippedRules } from '../e2e/lib/shipped-engine.mjs';

describe('the shipped engine after a trap', () => {
  it('is replaced by a fresh instance that answers', { skip: shippedBuilt() ? false : 'dist/ not built' }, async () => {
    const { module: m, wrap } = await shippedModule();
    assert.equal(typeof m.__wbg_reset_state, 'function', 'the module can reset its state');
    let traps = 1;
    let resets = 0;
    const module = {
      ...m,
      evaluate: (text) => {
        if (traps-- > 0) throw new WebAssembly.RuntimeError('unreachable');
        return m.evaluate(text);
      },
      __wbg_reset_state: () => {
        resets++;
        m.__wbg_reset_state();
      },
    };
    const e = wrap(module, shippedRules());
    const url = 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement';
    const snapshot = { url, lang: 'en', title: '', headings: [], dialogs: [], controls: [] };
    assert.throws(() => e.evaluate(snapshot), WebAssembly.RuntimeError);
    assert.equal(resets, 1, 'the instance was replaced');
    const ev = e.evaluate(snapshot);
    assert.equal(ev.platform, 'linkedin', 'the fresh instance has its rules loaded');
    assert.equal(e.classify(url).platform, 'linkedin');
    assert.ok(e.platforms().length >= 30);
  });
});
