import type { AnyCheck } from '../../src/model.js';

export const applicationChecks: AnyCheck[] = [];
