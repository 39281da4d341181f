import type { AnyCheck } from '../../src/model.js';

export const complianceChecks: AnyCheck[] = [];
