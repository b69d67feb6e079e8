// Where the bytes of the engine's wasm go.
//
//   node bench/wasm-size.mjs [shipped.wasm] [pre-opt.wasm]
// Sections of the shipped module (dist/chrome/pkg/untrain_bg.wasm; the rules are not in it, they
// ship as rules.json beside it), and the function bodies of the module before wasm-bindgen and
// wasm-opt (target/wasm32-unknown-unknown/release/untrain.wasm, which still has a name section)
// grouped by crate. Sizes before optimisation only show proportions.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(here, '..');
const SECTION = { 0: 'custom', 1: 'type', 2: 'import', 3: 'function', 4: 'table', 5: 'memory', 6: 'global',
  7: 'export', 8: 'start', 9: 'element', 10: 'code', 11: 'data', 12: 'datacount' };

function parse(buf) {
  let i = 8;
  const leb = () => {
    let r = 0;
    let s = 0;
    let x;
    do {
      x = buf[i++];
      r += (x & 0x7f) * 2 ** s;
      s += 7;
    } while (x & 0x80);
    return r;
  };
  const sections = {};
  const bodies = [];
  const names = new Map();
  let imports = 0;
  while (i < buf.length) {
    const id = buf[i++];
    const len = leb();
    const end = i + len;
    const name = SECTION[id] ?? String(id);
    sections[name] = (sections[name] ?? 0) + len;
    if (id === 2) {
      const n = leb();
      for (let k = 0; k < n; k++) {
        i += leb();
        i += leb();
        const kind = buf[i++];
        if (kind === 0) { leb(); imports++; } else if (kind === 1) { i++; if (buf[i++] & 1) { leb(); leb(); } else leb(); } else if (kind === 2) { if (buf[i++] & 1) { leb(); leb(); } else leb(); } else if (kind === 3) i += 2;
      }
    } else if (id === 10) {
      const n = leb();
      for (let k = 0; k < n; k++) {
        const l = leb();
        bodies.push(l);
        i += l;
      }
    } else if (id === 0) {
      const nl = leb();
      const nm = buf.subarray(i, i + nl).toString();
      i += nl;
      if (nm === 'name') {
        while (i < end) {
          const sid = buf[i++];
          const sl = leb();
          const se = i + sl;
          if (sid === 1) {
            const n = leb();
            for (let k = 0; k < n; k++) {
              const idx = leb();
              const l = leb();
              names.set(idx, buf.subarray(i, i + l).toString());
              i += l;
            }
          }
          i = se;
        }
      }
    }
    i = end;
  }
  return { sections, bodies, names, imports };
}

const GROUPS = [
  ['serde_wasm_bindgen', /serde_wasm_bindgen/], ['serde_json', /serde_json/], ['serde', /serde/], ['float formatting (core::num::flt2dec)', /flt2dec/],
  ['core::fmt', /core3fmt|core\.\.fmt/], ['untrain (the engine)', /untrain/], ['wasm_bindgen / js_sys', /wasm_bindgen|js_sys/],
  ['talc (allocator)', /talc/], ['dlmalloc', /dlmalloc/], ['alloc (String, Vec, collections)', /alloc|hashbrown/],
  ['core::unicode', /unicode/],
  ['core (other)', /core/], ['std', /std/],
];

export function wasmSections(file) {
  const { sections } = parse(fs.readFileSync(file));
  return { code: sections.code ?? 0, data: sections.data ?? 0, sections };
}

export function attribution(file) {
  const { bodies, names, imports } = parse(fs.readFileSync(file));
  const groups = {};
  bodies.forEach((len, k) => {
    const n = names.get(imports + k) ?? '';
    const g = GROUPS.find(([, re]) => re.test(n))?.[0] ?? (n ? 'other (unattributed names)' : 'unnamed');
    groups[g] = (groups[g] ?? 0) + len;
  });
  const total = bodies.reduce((a, b) => a + b, 0);
  return { total, groups: Object.entries(groups).sort((a, b) => b[1] - a[1]) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const shipped = process.argv[2] ?? path.join(REPO, 'dist/chrome/pkg/untrain_bg.wasm');
  const pre = process.argv[3] ?? path.join(REPO, 'target/wasm32-unknown-unknown/release/untrain.wasm');
  const s = wasmSections(shipped);
  console.log(`${shipped}: ${fs.statSync(shipped).size} bytes`);
  for (const [k, v] of Object.entries(s.sections)) console.log(`  section ${k.padEnd(10)} ${String(v).padStart(8)}`);
  if (fs.existsSync(pre)) {
    const a = attribution(pre);
    console.log(`${pre} (before wasm-bindgen + wasm-opt): function bodies ${a.total} bytes`);
    for (const [g, v] of a.groups) console.log(`  ${g.padEnd(40)} ${String(v).padStart(8)}  ${((v / a.total) * 100).toFixed(1)}%`);
  }
}
