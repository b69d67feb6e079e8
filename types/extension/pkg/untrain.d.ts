// The wasm-bindgen module's API (build/pkg/untrain.js, generated with --no-typescript and
// copied to extension/pkg by build.sh): tsconfig.json's rootDirs makes `../pkg/untrain.js`
// resolve here, so tsc checks engine.js against it and never reads the generated code.
export default function init(options?: { module_or_path: string | URL | BufferSource }): Promise<unknown>;
export function initSync(options: { module: BufferSource }): unknown;
export function load(rules_json: string): string;
export function platforms(): string;
export function classify(url: string): string;
export function evaluate(snapshot: string): string;
export function next_step(snapshot: string, plan: string): string;
export function __wbg_reset_state(): void;
export function normalize(text: string): string;
export function report_stem(word: string): boolean;
export function report_url(url: string): string;
