// The engine's face for the background: loads the wasm module and turns its JSON text answers
// into objects. The module takes and returns JSON text rather than JS objects (its own small
// reader and writer, crate/src/codec.rs, cost far fewer bytes than converting objects field by
// field) and exports plain functions over one engine per module instance; an answer that
// starts with "error: " is an error (JSON text never starts with "e").
import init, * as raw from "./pkg/untrain.js";

function answer(text) {
  if (text.startsWith("error: ")) throw new Error(text.slice(7));
  return JSON.parse(text);
}

/** Instantiates the wasm at `wasmUrl` and loads the embedded rules. */
export async function loadEngine(wasmUrl) {
  await init({ module_or_path: wasmUrl });
  return wrap(raw);
}

/** The object API of docs/architecture.md ("Engine output") over the module's functions. */
export function wrap(m) {
  const loaded = m.load();
  if (loaded) throw new Error(loaded.replace(/^error: /, ""));
  return {
    platforms: () => answer(m.platforms()),
    classify: (url) => answer(m.classify(String(url))),
    evaluate: (snapshot) => answer(m.evaluate(JSON.stringify(snapshot))),
    next_step: (snapshot, plan) => answer(m.next_step(JSON.stringify(snapshot), JSON.stringify(plan))),
  };
}
