/**
 * zod itself: every module of the tool that needs zod's runtime imports it from here (the validating code directly,
 * the rest through `loadZod()` in src/zod.ts). The build bundles this module in place (scripts/bundle-zod.mjs): zod's
 * 96 modules, 64 of them locales, become one, which Node reads and links in about a third of the time (85 → 31 ms here). The tool
 * and its plugins (through `hipaa-readiness/plugin`) still share one zod.
 */
export { z } from 'zod';
