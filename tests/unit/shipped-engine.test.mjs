// The shipped engine (dist/'s wasm module, background/engine.js and the packaged rules.json) on
// bad input: a clear error and no trap. The module reads JSON with serde_json in 128 KB of stack.
//
//   node --test tests/unit/   (needs ./build.sh first; skipped without dist/)

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { shippedBuilt, shippedModule, shippedRules } from '../e2e/lib/shipped-engine.mjs';

const skip = shippedBuilt() ? false : 'dist/ not built';
const URL_ = 'https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement';

describe('the shipped engine on bad input', () => {
  it('loads only the rules it was built with, and says why not', { skip }, async () => {
    const { module: m, wrap } = await shippedModule();
    for (const bad of ['', '{}', '[{"platform": 1}]', shippedRules().slice(0, 200)]) {
      assert.match(m.load(bad), /^error: rules\.json: /, `refused: ${bad.slice(0, 40)}`);
      assert.match(m.evaluate('{}'), /^error: the engine is not loaded/);
    }
    assert.throws(() => wrap(m, 'not json'), /rules\.json: /);
    const e = wrap(m, shippedRules());
    assert.ok(e.platforms().length >= 30);
    // loaded once: a later load keeps the engine it has
    assert.equal(m.load('garbage'), '');
    assert.equal(e.classify(URL_).platform, 'linkedin');
  });

  it('answers a bad snapshot or plan with an error naming it, never a trap', { skip }, async () => {
    const { module: m, wrap } = await shippedModule();
    wrap(m, shippedRules());
    const cases = [
      ['', /^error: snapshot: EOF while parsing/],
      [
        '{"controls": [{"index": 2}, {"index": 1}]}',
        /^error: snapshot: controls\[1\]\.index: not above the previous control's index/,
      ],
      ['{"controls": [{"checked": "yes"}]}', /^error: snapshot: invalid type: string "yes", expected a boolean/],
      // what JSON.stringify writes for a lone surrogate (the harvest makes texts well formed first)
      ['{"title": "a\\ud800"}', /^error: snapshot: /],
    ];
    for (const [text, want] of cases) assert.match(m.evaluate(text), want, text);
    assert.match(m.next_step('{}', '{"step": 1}'), /^error: plan: missing field `setting`/);
    // deep nesting: an unknown field's value is skipped without recursion; a known field stops
    // at the first value of the wrong type
    const deep = (n) => '['.repeat(n) + ']'.repeat(n);
    assert.doesNotMatch(m.evaluate(`{"url": "${URL_}", "extra": ${deep(100000)}}`), /^error/);
    assert.match(
      m.evaluate(`{"headings": ${deep(100000)}}`),
      /^error: snapshot: invalid type: sequence, expected a string/,
    );
    const ev = JSON.parse(m.evaluate(JSON.stringify({ url: URL_, lang: 'en', controls: [] })));
    assert.equal(ev.platform, 'linkedin', 'the instance still answers');
  });
});
