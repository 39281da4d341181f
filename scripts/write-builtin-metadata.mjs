// The build's last step (`npm run build`): what `list` and `explain` print of the built-in checks, from the checks just
// compiled, written beside src/builtin-metadata.ts's build (dist/src/builtin-checks.json). See that file.
import { writeFileSync } from 'node:fs';
import { allChecks } from '../dist/checks/index.js';
import { BUILTIN_METADATA_FILE } from '../dist/src/builtin-metadata.js';
import { builtinMetadataOf } from '../dist/src/check-doc.js';
import { loadZod } from '../dist/src/zod.js';

await loadZod();
writeFileSync(new URL(`../dist/src/${BUILTIN_METADATA_FILE}`, import.meta.url), `${JSON.stringify(builtinMetadataOf(allChecks))}\n`);
