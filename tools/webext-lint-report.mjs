// Prints web-ext lint's JSON report and exits 1 when it holds errors.
//
//   node tools/webext-lint-report.mjs build/web-ext-lint.json build/web-ext-lint.stderr
//
// web-ext exits non-zero on errors whatever they are, so build.sh reads its report instead.
import fs from 'node:fs';

const [reportFile, stderrFile] = process.argv.slice(2);
let report;
try {
  report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
} catch {
  console.error('web-ext lint produced no JSON report:');
  console.error(fs.readFileSync(reportFile, 'utf8'));
  if (stderrFile) console.error(fs.readFileSync(stderrFile, 'utf8'));
  process.exit(1);
}
const show = (kind, list) =>
  list.forEach((m) =>
    console.log(`    ${kind}: ${m.code}: ${m.message}${m.file ? ` (${m.file}${m.line ? `:${m.line}` : ''})` : ''}`),
  );
show('error', report.errors);
show('warning', report.warnings);
show('notice', report.notices);
console.log(
  `    web-ext lint: ${report.errors.length} errors, ${report.warnings.length} warnings, ${report.notices.length} notices`,
);
process.exit(report.errors.length ? 1 : 0);
