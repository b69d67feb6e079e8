// Builds the comparison extension from DuckDuckGo's autoconsent as published on npm
// (devDependency @duckduckgo/autoconsent, pinned in package.json). The package ships a ready
// MV3 test extension (dist/addon-mv3 for Chrome, dist/addon-firefox for Firefox): its content
// script (the rules engine, run at document_start on every page and frame), its background
// (loads compact-rules.json + rules.json into storage.local on install, sends each frame its
// filtered rules) and the rule files. We copy it as published into a temp dir at bench time,
// only without its DevTools panel (devtools/, `devtools_page`: a debugging aid that never runs
// unless DevTools are open). Nothing of it is committed to this repository.
//
//   node bench/autoconsent.mjs [OUT_DIR]   -> prints { chrome, firefox, version }
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(here, '..');
const PKG = path.join(REPO, 'node_modules/@duckduckgo/autoconsent');

export function autoconsentVersion() {
  return JSON.parse(fs.readFileSync(path.join(PKG, 'package.json'), 'utf8')).version;
}

function copyAddon(src, dst) {
  fs.rmSync(dst, { recursive: true, force: true });
  fs.cpSync(src, dst, { recursive: true });
  fs.rmSync(path.join(dst, 'devtools'), { recursive: true, force: true });
  const mf = JSON.parse(fs.readFileSync(path.join(dst, 'manifest.json'), 'utf8'));
  delete mf.devtools_page;
  if (dst.endsWith('firefox')) {
    // a fixed id so the temporary add-on's UUID can be pinned like ours
    mf.browser_specific_settings = { gecko: { id: 'autoconsent-bench@untrain.invalid' } };
  }
  fs.writeFileSync(path.join(dst, 'manifest.json'), JSON.stringify(mf, null, 2));
}

export function buildAutoconsent(out = fs.mkdtempSync(path.join(os.tmpdir(), 'untrain-bench-ac-'))) {
  if (!fs.existsSync(path.join(PKG, 'dist/addon-mv3/manifest.json'))) {
    throw new Error(`${PKG}/dist/addon-mv3 is missing: npm ci (devDependency @duckduckgo/autoconsent)`);
  }
  const chrome = path.join(out, 'chrome');
  const firefox = path.join(out, 'firefox');
  copyAddon(path.join(PKG, 'dist/addon-mv3'), chrome);
  copyAddon(path.join(PKG, 'dist/addon-firefox'), firefox);
  return { dir: out, chrome, firefox, version: autoconsentVersion() };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(buildAutoconsent(process.argv[2] ? path.resolve(process.argv[2]) : undefined), null, 2));
}
