// The rule files against their JSON Schema (docs/rules.schema.json, generated from the rule model
// by `untrain rules-schema`; crate/tests/schema.rs checks it is current): every rule file in
// crate/rules passes; a rule file with a misspelt field, an unknown step, a wrong type, an unknown
// enumeration value or a language code that is not two letters fails, and the error names where.
//
//   node --test tests/unit/rules-schema.test.mjs

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import Ajv2020 from 'ajv/dist/2020.js';
import { parse } from 'smol-toml';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RULES = path.join(REPO, 'crate/rules');
const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'docs/rules.schema.json'), 'utf8'));

// strict: a keyword ajv does not know is an error in the schema, not ignored. schemars writes
// `format: int64` for `version`; the type (integer) and check-rules (>= 1) carry the meaning.
const ajv = new Ajv2020({ strict: true, allErrors: true });
ajv.addFormat('int64', true);
const validate = ajv.compile(schema);

/** The schema's errors for `rule`, as "path: message" lines (empty: valid). */
function errors(rule) {
  return validate(rule)
    ? []
    : validate.errors.map((e) => `${e.instancePath || '/'}: ${e.message} ${JSON.stringify(e.params)}`);
}

const files = fs.readdirSync(RULES).filter((f) => f.endsWith('.toml'));

describe('rule files and their JSON Schema', () => {
  it('there are rule files to check', () => {
    assert.ok(files.length >= 20, `rule files: ${files.length}`);
  });

  for (const file of files) {
    it(`${file} passes the schema`, () => {
      const rule = parse(fs.readFileSync(path.join(RULES, file), 'utf8'));
      assert.deepEqual(errors(rule), [], file);
    });
  }

  const base = () => parse(fs.readFileSync(path.join(RULES, 'linkedin.toml'), 'utf8'));
  /** @type {[string, (r: any) => void, RegExp][]} */
  const broken = [
    ['a misspelt top-level field', (r) => (r.platfrom = 'x'), /must NOT have additional properties.*platfrom/],
    [
      'a misspelt setting field',
      (r) => (r.setting[0].lables = r.setting[0].labels),
      /\/setting\/0: must NOT have additional properties.*lables/,
    ],
    [
      'an unknown step',
      (r) => (r.setting[0].steps[0].do = 'click-everything'),
      /\/setting\/0\/steps\/0\/do: must be equal to constant/,
    ],
    [
      'a step with a misspelt field',
      (r) => (r.setting[0].steps[0].texts = { en: ['x'] }),
      /\/setting\/0\/steps\/0: must NOT have additional properties/,
    ],
    [
      'an unknown automation',
      (r) => (r.setting[0].automation = 'magic'),
      /\/setting\/0\/automation: must be equal to constant/,
    ],
    [
      'a language code that is not two letters',
      (r) => (r.setting[0].labels.english = ['x']),
      /\/setting\/0\/labels: property name must be valid/,
    ],
    [
      'labels that are not lists of text',
      (r) => (r.setting[0].labels.en = 'one label'),
      /\/setting\/0\/labels\/en: must be array/,
    ],
    ['a version that is text', (r) => (r.version = '1'), /\/version: must be integer/],
    ['no platform', (r) => delete r.platform, /must have required property 'platform'/],
    [
      'a fixture without its expected state',
      (r) => delete r.setting[0].fixture[0].expect,
      /\/setting\/0\/fixture\/0: must have required property 'expect'/,
    ],
  ];
  for (const [what, breakIt, want] of broken) {
    it(`fails: ${what}`, () => {
      const rule = base();
      assert.deepEqual(errors(rule), [], 'the unbroken rule passes');
      breakIt(rule);
      const got = errors(rule);
      assert.ok(
        got.some((e) => want.test(e)),
        `${what}: ${JSON.stringify(got, null, 1)}`,
      );
    });
  }
});
