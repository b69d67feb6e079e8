// Writes the per-browser manifest: node tools/manifest.mjs chrome|firefox IN OUT
//   chrome:  drops background.scripts and browser_specific_settings
//   firefox: drops background.service_worker
import fs from 'node:fs';

const [browser, input, output] = process.argv.slice(2);
if (!['chrome', 'firefox'].includes(browser) || !input || !output) {
  console.error('usage: node tools/manifest.mjs chrome|firefox IN OUT');
  process.exit(2);
}
const manifest = JSON.parse(fs.readFileSync(input, 'utf8'));
const background = manifest.background ?? {};
if (browser === 'chrome') {
  delete background.scripts;
  delete manifest.browser_specific_settings;
  if (!background.service_worker) throw new Error('manifest: background.service_worker missing');
} else {
  delete background.service_worker;
  if (!background.scripts?.length) throw new Error('manifest: background.scripts missing');
}
manifest.background = background;
fs.writeFileSync(output, JSON.stringify(manifest, null, 2) + '\n');
