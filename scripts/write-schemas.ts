import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { jsonSchemas } from '../src/json-schemas.js';
import { PACKAGE_ROOT } from '../src/version.js';
import { loadZod } from '../src/zod.js';

await loadZod();
for (const [path, text] of Object.entries(jsonSchemas())) {
  const file = join(PACKAGE_ROOT, path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  process.stdout.write(`wrote ${path}\n`);
}
