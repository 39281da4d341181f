import type { AnyCheck } from '../src/model.js';
import { applicationChecks } from './application/index.js';
import { awsChecks } from './aws/index.js';
import { complianceChecks } from './compliance/index.js';
import { domainChecks } from './domain/index.js';
import { infoChecks } from './info/index.js';
import { monitoringChecks } from './monitoring/index.js';
import { supabaseChecks } from './supabase/index.js';

/** The catalog, in report order. Each section keeps its own list so they can grow apart. */
export const allChecks: readonly AnyCheck[] = [
  ...awsChecks,
  ...supabaseChecks,
  ...applicationChecks,
  ...domainChecks,
  ...monitoringChecks,
  ...complianceChecks,
  ...infoChecks,
];
