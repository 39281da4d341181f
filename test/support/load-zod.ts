// In-process tests read the built-in schemas directly (a fact's schema, a check's options), as the tool's validating
// code does once it has loaded zod (src/zod.ts): each test file starts with it loaded. The CLI's own paths are tested
// in child processes, where nothing loads it for them (test/cli/demo-without-zod.test.ts).
import { loadZod } from '../../src/zod.js';

await loadZod();
