import type { AnyCheck } from '../../src/model.js';

export const domainChecks: AnyCheck[] = [];
