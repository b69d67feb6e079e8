// ESLint (flat config): @eslint/js's recommended rules over the extension, its tests, the
// benchmark and the tools, with the globals of each context. Style is Prettier's
// (.prettierrc.json), not ESLint's. Run by ./build.sh lint and ./build.sh test (lint_js).
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    ignores: [
      "extension/pkg/**",
      "node_modules/**",
      "dist/**",
      "build/**",
      "target/**",
      "crate/**",
      "tests/fixtures/**",
    ],
  },
  js.configs.recommended,
  {
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  {
    // The shipped shell: browser pages and the extension API.
    files: ["extension/**/*.js"],
    languageOptions: {
      sourceType: "module",
      globals: {
        ...globals.browser,
        ...globals.webextensions,
        // set by extension/shared/*.js and content/banner-queue.js (classic scripts)
        UntrainMessages: "readonly",
        UntrainLang: "readonly",
        UntrainBannerQueue: "readonly",
      },
    },
  },
  {
    // Content scripts and the shared classic scripts: no ES import, one global each.
    files: ["extension/content/**/*.js", "extension/shared/messages.js", "extension/shared/lang.js"],
    languageOptions: { sourceType: "script" },
    rules: { "no-redeclare": ["error", { builtinGlobals: false }] },
  },
  {
    files: ["tests/**/*.mjs", "bench/**/*.mjs", "tools/**/*.mjs", "eslint.config.js"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Functions that run in the page (driver.executeScript, serialised with toString()).
    files: ["tests/e2e/**/*.mjs", "bench/**/*.mjs"],
    languageOptions: { globals: { ...globals.browser, chrome: "readonly", browser: "readonly" } },
  },
  {
    files: ["bench/pages/*.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.browser } },
  },
];
