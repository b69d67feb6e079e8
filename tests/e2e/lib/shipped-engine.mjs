// The engine the extension ships (dist/'s wasm-bindgen module and background/engine.js), loaded in Node:
// the conformance test reads classify's roles with it, a unit test replaces a trapped instance.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { CHROME_DIR } from './browsers.mjs';

/** Whether dist/ holds a built engine. */
export const shippedBuilt = () => fs.existsSync(path.join(CHROME_DIR, 'pkg/untrain_bg.wasm'));

/** The packaged rules.json's text. */
export const shippedRules = () => fs.readFileSync(path.join(CHROME_DIR, 'rules.json'), 'utf8');

/** { module, wrap }: the instantiated wasm-bindgen module and engine.js's wrap(). */
export async function shippedModule() {
  // .mjs copies: Node would otherwise guess the module type of the .js files (and warn)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'untrain-engine-'));
  try {
    fs.mkdirSync(path.join(dir, 'pkg'));
    fs.copyFileSync(path.join(CHROME_DIR, 'pkg/untrain.js'), path.join(dir, 'pkg/untrain.mjs'));
    const glue = fs
      .readFileSync(path.join(CHROME_DIR, 'background/engine.js'), 'utf8')
      .replace('../pkg/untrain.js', './pkg/untrain.mjs')
      .replace('./report.js', './report.mjs');
    fs.copyFileSync(path.join(CHROME_DIR, 'background/report.js'), path.join(dir, 'report.mjs'));
    fs.writeFileSync(path.join(dir, 'engine.mjs'), glue);
    const module = await import(pathToFileURL(path.join(dir, 'pkg/untrain.mjs')).href);
    const { wrap } = await import(pathToFileURL(path.join(dir, 'engine.mjs')).href);
    module.initSync({ module: fs.readFileSync(path.join(CHROME_DIR, 'pkg/untrain_bg.wasm')) });
    return { module, wrap };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The shipped engine's object API (engine.js's wrap over the module). */
export async function shippedEngine() {
  const { module, wrap } = await shippedModule();
  return wrap(module, shippedRules());
}
