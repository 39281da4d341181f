import { createRequire } from 'node:module';
import { lazily } from './lazily.js';

/**
 * The yaml library, loaded on first use (a config in the plain subset, which `init` writes, is read without it), from
 * its one door, src/yaml-package.cjs, which the build bundles into one module. It is CommonJS: required where it is
 * needed, synchronously.
 */
export const yaml = lazily((): typeof import('yaml') => createRequire(import.meta.url)('./yaml-package.cjs'));
