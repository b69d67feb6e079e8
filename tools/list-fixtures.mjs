// Prints every rule fixture as `URL<TAB>file` (file relative to tests/fixtures/), one a line:
// the fuzz smoke harvests each at its URL to seed the snapshot corpus.
import { allFixtures } from '../tests/e2e/lib/rules.mjs';

for (const f of allFixtures()) console.log(`${f.url}\t${f.file}`);
