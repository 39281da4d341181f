import type { AnyCheck } from '../../src/model.js';
import cost from './info.cost.js';

export const infoChecks: AnyCheck[] = [cost];
