// Reads what the tests need from crate/rules/*.toml (a TOML subset: tables, arrays of tables,
// `key = "string"` / numbers / booleans / one-line arrays of strings; multi-line strings and
// inline tables are skipped), so the e2e tests never repeat the rules' URL tables by hand.
//
//   loadRules() -> [{ platform, name, version, hosts, settings: [{ id, title, settings_url, automation, form_url, email,
//                     fixtures: [{ file, url, expect }] }] }]

import fs from 'node:fs';
import path from 'node:path';

import { REPO } from './server.mjs';

export const RULES_DIR = path.join(REPO, 'crate/rules');

function parseValue(raw, where) {
  const v = raw.trim();
  if (v.startsWith('"')) return JSON.parse(v.replace(/\s+#.*$/, ''));
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^-?\d+$/.test(v)) return Number(v);
  if (v.startsWith('[') && v.endsWith(']')) {
    const inner = v.slice(1, -1).trim();
    if (!inner) return [];
    // only arrays of basic strings are needed here
    return JSON.parse(`[${inner.replace(/,\s*$/, '')}]`);
  }
  throw new Error(`${where}: unsupported value ${v}`);
}

/** Parses one rule file into { top: {...}, setting: [{ ..., fixture: [...] }] }. */
export function parseRuleFile(file) {
  const text = fs.readFileSync(file, 'utf8');
  const top = { setting: [] };
  let current = top;
  let skipping = null; // closing delimiter of a multi-line value being skipped
  let arrayBuf = null; // multi-line array being collected: { key, text }
  text.split('\n').forEach((line, i) => {
    const where = `${path.relative(REPO, file)}:${i + 1}`;
    if (skipping) {
      if (line.includes(skipping)) skipping = null;
      return;
    }
    if (arrayBuf) {
      arrayBuf.text += ' ' + line.replace(/\s+#.*$/, '').trim();
      if (line.trim().startsWith(']')) {
        try {
          current[arrayBuf.key] = parseValue(arrayBuf.text, where);
        } catch {
          /* not a plain string array: not needed by the tests */
        }
        arrayBuf = null;
      }
      return;
    }
    const t = line.trim();
    if (!t || t.startsWith('#')) return;
    let m;
    if ((m = t.match(/^\[\[\s*([\w.-]+)\s*\]\]$/))) {
      if (m[1] === 'setting') {
        current = { fixture: [] };
        top.setting.push(current);
      } else if (m[1] === 'setting.fixture') {
        const setting = top.setting.at(-1);
        if (!setting) throw new Error(`${where}: [[setting.fixture]] before [[setting]]`);
        current = {};
        setting.fixture.push(current);
      } else {
        current = {}; // another array of tables: not needed
      }
      return;
    }
    if ((m = t.match(/^\[\s*([\w.-]+)\s*\]$/))) {
      current = {}; // a sub-table (labels, context, ...): not needed
      return;
    }
    if ((m = t.match(/^([\w-]+)\s*=\s*(.*)$/))) {
      const [, key, rest] = m;
      if (rest.startsWith('"""') || rest.startsWith("'''")) {
        const delim = rest.slice(0, 3);
        if (!rest.slice(3).includes(delim)) skipping = delim;
        return;
      }
      if (rest.startsWith('{')) return; // inline table: not needed
      if (rest.startsWith('[') && !rest.replace(/\s+#.*$/, '').trim().endsWith(']')) {
        arrayBuf = { key, text: rest.replace(/\s+#.*$/, '') };
        return;
      }
      try {
        current[key] = parseValue(rest, where);
      } catch (e) {
        if (current === top || key === 'file' || key === 'url' || key === 'expect') throw e;
      }
      return;
    }
    throw new Error(`${where}: cannot read line: ${t}`);
  });
  return top;
}

let cache = null;

export function loadRules() {
  if (cache) return cache;
  const files = fs.readdirSync(RULES_DIR).filter((f) => f.endsWith('.toml')).sort();
  cache = files.map((f) => {
    const r = parseRuleFile(path.join(RULES_DIR, f));
    return {
      platform: r.platform,
      name: r.name,
      version: r.version,
      hosts: r.hosts ?? [],
      settings: r.setting.map((s) => ({
        id: s.id,
        title: s.title,
        settings_url: s.settings_url,
        automation: s.automation,
        form_url: s.form_url ?? null,
        email: s.email ?? null,
        fixtures: s.fixture.map((fx) => ({ file: fx.file, url: fx.url, expect: fx.expect })),
      })),
    };
  });
  return cache;
}

/** The rule of `platform`. */
export function rule(platform) {
  const r = loadRules().find((x) => x.platform === platform);
  if (!r) throw new Error(`no rule file for platform ${platform}`);
  return r;
}

/** The fixture entry `<platform>/<variant>.html` ({ file, url, expect, setting, platform }). */
export function fixture(platform, variant) {
  const file = `${platform}/${variant}.html`;
  for (const s of rule(platform).settings) {
    const fx = s.fixtures.find((f) => f.file === file);
    if (fx) return { ...fx, setting: s, platform };
  }
  throw new Error(`no [[setting.fixture]] with file = "${file}" in crate/rules/${platform}.toml`);
}

/** Every fixture entry of every rule. */
export function allFixtures() {
  return loadRules().flatMap((r) =>
    r.settings.flatMap((s) => s.fixtures.map((fx) => ({ ...fx, setting: s, platform: r.platform }))));
}

/** The URL to open for a fixture: its rule URL with ?fx=<file> before any #hash. */
export function fixtureUrl(fx) {
  const u = new URL(fx.url);
  u.searchParams.set('fx', fx.file);
  // keep the file path readable (URLSearchParams would encode '/')
  return u.toString().replace(encodeURIComponent(fx.file), fx.file);
}
