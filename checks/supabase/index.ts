import type { AnyCheck } from '../../src/model.js';
import supabaseBaa from './supabase.baa.js';
import secretsRequired from './supabase.secrets.required.js';
import projectHealthy from './supabase.project.healthy.js';
import functionsDeployed from './supabase.functions.deployed.js';
import functionsVerifyJwt from './supabase.functions.verify-jwt.js';
import migrationsApplied from './supabase.migrations.applied.js';
import authMfa from './supabase.auth.mfa.js';
import authMfaEnforced from './supabase.auth.mfa-enforced.js';
import authSessionTimeout from './supabase.auth.session-timeout.js';
import authPasswordPolicy from './supabase.auth.password-policy.js';
import sslEnforcement from './supabase.ssl-enforcement.js';
import networkRestrictions from './supabase.network-restrictions.js';
import backupsPitr from './supabase.backups.pitr.js';
import advisorsSecurity from './supabase.advisors.security.js';
import storagePublicBuckets from './supabase.storage.public-buckets.js';

export const supabaseChecks: AnyCheck[] = [
  projectHealthy,
  secretsRequired,
  functionsDeployed,
  functionsVerifyJwt,
  migrationsApplied,
  authMfa,
  authMfaEnforced,
  authSessionTimeout,
  authPasswordPolicy,
  sslEnforcement,
  networkRestrictions,
  backupsPitr,
  advisorsSecurity,
  storagePublicBuckets,
  supabaseBaa,
];
