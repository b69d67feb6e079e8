// Keeps manifest.json's host lists equal to the rules' hosts.
//
//   untrain hosts | node tools/hosts.mjs check manifest.json   exit 1 with the differences
//   untrain hosts | node tools/hosts.mjs write manifest.json   rewrite the two lists
//
// Every host `h` printed by `untrain hosts` (one a line; `*.domain` wildcards allowed) becomes
// the match pattern `https://h/*`; content_scripts[0].matches and host_permissions must both
// equal that list (same order as the rules).
import fs from 'node:fs';

const [mode, file] = process.argv.slice(2);
if (!['check', 'write'].includes(mode) || !file) {
  console.error('usage: untrain hosts | node tools/hosts.mjs check|write manifest.json');
  process.exit(2);
}
const hosts = fs
  .readFileSync(0, 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter(Boolean);
if (!hosts.length) {
  console.error('tools/hosts.mjs: no hosts on stdin (expected the output of `untrain hosts`)');
  process.exit(2);
}
for (const h of hosts) {
  if (!/^(\*\.)?[a-z0-9.-]+$/.test(h)) {
    console.error(`tools/hosts.mjs: not a host: ${JSON.stringify(h)}`);
    process.exit(2);
  }
}
const want = hosts.map((h) => `https://${h}/*`);
const text = fs.readFileSync(file, 'utf8');
const manifest = JSON.parse(text);
const scripts = manifest.content_scripts?.[0];
if (!scripts) {
  console.error(`${file}: no content_scripts[0]`);
  process.exit(1);
}

if (mode === 'write') {
  scripts.matches = want;
  manifest.host_permissions = want;
  fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`${file}: ${want.length} hosts written to content_scripts[0].matches and host_permissions`);
  process.exit(0);
}

const problems = [];
for (const [where, list] of [
  ['content_scripts[0].matches', scripts.matches ?? []],
  ['host_permissions', manifest.host_permissions ?? []],
]) {
  const have = new Set(list);
  const need = new Set(want);
  const missing = want.filter((x) => !have.has(x));
  const extra = list.filter((x) => !need.has(x));
  if (missing.length) problems.push(`${where}: missing ${missing.join(', ')}`);
  if (extra.length) problems.push(`${where}: not in the rules ${extra.join(', ')}`);
  if (!missing.length && !extra.length && list.length !== want.length) problems.push(`${where}: duplicates`);
}
if (problems.length) {
  console.error(`${file}: host lists differ from the rules' hosts:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`    ${file}: ${want.length} hosts match the rules`);
