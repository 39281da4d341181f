// The build's step after the metadata (`npm run build`): the demo's config validated once, written beside
// src/config/frozen.ts's build (dist/src/config/demo-config.json) for `check --demo`. See that file.
import { readFileSync, writeFileSync } from 'node:fs';
import { DEMO_CONFIG } from '../dist/src/commands/setup.js';
import { freezeConfig } from '../dist/src/config/freeze.js';
import { DEMO_CONFIG_FILE } from '../dist/src/config/frozen.js';

writeFileSync(new URL(`../dist/src/config/${DEMO_CONFIG_FILE}`, import.meta.url), `${JSON.stringify(await freezeConfig(readFileSync(DEMO_CONFIG, 'utf8'), DEMO_CONFIG))}\n`);
