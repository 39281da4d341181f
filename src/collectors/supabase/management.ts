import {
  SUPABASE_HEALTH_SERVICES,
  supabaseAuthConfig,
  supabaseBackups,
  supabaseFunctions,
  supabaseHealth,
  supabaseNetworkRestrictions,
  supabasePostgrestConfig,
  supabaseProjectStatus,
  supabaseSecurityAdvisors,
  supabaseSslEnforcement,
} from '../../facts/supabase-management.js';
import { defineCollector, FactError } from '../types.js';
import { callManagementApi, expectList, managementApi } from './api.js';

/**
 * One Management API call per fact. Answers are copied field by field into the fact, so
 * what the API adds (jwt_secret, SMTP passwords, hook secrets, ...) never reaches a snapshot;
 * a missing field leaves the fact off-schema, which the engine reports as unverified.
 */

export const supabaseProjectCollector = defineCollector(supabaseProjectStatus, async (context) => {
  const { api, ref } = managementApi(context);
  const project = await callManagementApi(context, 'GET /v1/projects/{ref}', () => api.GET('/v1/projects/{ref}', { params: { path: { ref } } }));
  return { ref: project.ref, name: project.name, region: project.region, status: project.status, databaseVersion: project.database?.version ?? null };
});

export const supabaseHealthCollector = defineCollector(supabaseHealth, async (context) => {
  const { api, ref } = managementApi(context);
  const services = await callManagementApi(context, 'GET /v1/projects/{ref}/health', () =>
    api.GET('/v1/projects/{ref}/health', { params: { path: { ref }, query: { services: [...SUPABASE_HEALTH_SERVICES] } } }),
  );
  return { services: expectList(services, 'GET /v1/projects/{ref}/health').map((service) => ({ name: service.name, status: service.status, error: service.error ?? null })) };
});

export const supabaseFunctionsCollector = defineCollector(supabaseFunctions, async (context) => {
  const { api, ref } = managementApi(context);
  const functions = await callManagementApi(context, 'GET /v1/projects/{ref}/functions', () =>
    api.GET('/v1/projects/{ref}/functions', { params: { path: { ref } } }),
  );
  return expectList(functions, 'GET /v1/projects/{ref}/functions').map((fn) => ({
    slug: fn.slug,
    status: fn.status,
    version: fn.version,
    updatedAt: new Date(fn.updated_at).toISOString(),
    verifyJwt: fn.verify_jwt ?? null,
  }));
});

export const supabaseAuthConfigCollector = defineCollector(supabaseAuthConfig, async (context) => {
  const { api, ref } = managementApi(context);
  const auth = await callManagementApi(context, 'GET /v1/projects/{ref}/config/auth', () =>
    api.GET('/v1/projects/{ref}/config/auth', { params: { path: { ref } } }),
  );
  return {
    mfaTotpEnroll: auth.mfa_totp_enroll_enabled,
    mfaTotpVerify: auth.mfa_totp_verify_enabled,
    mfaWebAuthnEnroll: auth.mfa_web_authn_enroll_enabled,
    mfaWebAuthnVerify: auth.mfa_web_authn_verify_enabled,
    mfaMaxEnrolledFactors: auth.mfa_max_enrolled_factors ?? null,
    sessionsInactivityTimeout: auth.sessions_inactivity_timeout,
    sessionsTimebox: auth.sessions_timebox,
    jwtExpirySeconds: auth.jwt_exp ?? null,
    passwordMinLength: auth.password_min_length,
    passwordHibpEnabled: auth.password_hibp_enabled,
    passwordRequiredCharacters: auth.password_required_characters,
    disableSignup: auth.disable_signup ?? null,
  };
});

export const supabaseSslEnforcementCollector = defineCollector(supabaseSslEnforcement, async (context) => {
  const { api, ref } = managementApi(context);
  const ssl = await callManagementApi(context, 'GET /v1/projects/{ref}/ssl-enforcement', () =>
    api.GET('/v1/projects/{ref}/ssl-enforcement', { params: { path: { ref } } }),
  );
  return { database: ssl.currentConfig?.database, appliedSuccessfully: ssl.appliedSuccessfully };
});

export const supabaseNetworkRestrictionsCollector = defineCollector(supabaseNetworkRestrictions, async (context) => {
  const { api, ref } = managementApi(context);
  const restrictions = await callManagementApi(context, 'GET /v1/projects/{ref}/network-restrictions', () =>
    api.GET('/v1/projects/{ref}/network-restrictions', { params: { path: { ref } } }),
  );
  // Both lists absent says nothing about who may connect: not "no address allowed".
  if (!restrictions.config || (restrictions.config.dbAllowedCidrs === undefined && restrictions.config.dbAllowedCidrsV6 === undefined)) {
    throw new FactError('MalformedResponse', 'GET /v1/projects/{ref}/network-restrictions: the answer lists no allowed CIDRs (IPv4 or IPv6)');
  }
  return {
    entitlement: restrictions.entitlement,
    status: restrictions.status,
    dbAllowedCidrs: restrictions.config?.dbAllowedCidrs ?? [],
    dbAllowedCidrsV6: restrictions.config?.dbAllowedCidrsV6 ?? [],
  };
});

export const supabaseBackupsCollector = defineCollector(supabaseBackups, async (context) => {
  const { api, ref } = managementApi(context);
  const answer = await callManagementApi(context, 'GET /v1/projects/{ref}/database/backups', () =>
    api.GET('/v1/projects/{ref}/database/backups', { params: { path: { ref } } }),
  );
  const latest = [...expectList(answer.backups ?? [], 'GET /v1/projects/{ref}/database/backups')].sort((a, b) => Date.parse(b.inserted_at) - Date.parse(a.inserted_at))[0];
  const latestPhysical = answer.physical_backup_data?.latest_physical_backup_date_unix;
  return {
    pitrEnabled: answer.pitr_enabled,
    walgEnabled: answer.walg_enabled,
    backupCount: answer.backups?.length,
    latestBackup: latest ? { status: latest.status, insertedAt: latest.inserted_at } : null,
    latestPhysicalBackupAt: latestPhysical ? new Date(latestPhysical * 1000).toISOString() : null,
  };
});

export const supabaseSecurityAdvisorsCollector = defineCollector(supabaseSecurityAdvisors, async (context) => {
  const { api, ref } = managementApi(context);
  const answer = await callManagementApi(context, 'GET /v1/projects/{ref}/advisors/security', () =>
    api.GET('/v1/projects/{ref}/advisors/security', { params: { path: { ref } } }),
  );
  // `lints` is required: an answer without it is not "no lint".
  return expectList(answer.lints, 'GET /v1/projects/{ref}/advisors/security').map((lint) => ({
    name: lint.name,
    level: lint.level,
    title: lint.title,
    entity: lint.metadata?.entity ?? (lint.metadata?.name ? [lint.metadata.schema, lint.metadata.name].filter(Boolean).join('.') : null),
    cacheKey: lint.cache_key,
  }));
});

export const supabasePostgrestConfigCollector = defineCollector(supabasePostgrestConfig, async (context) => {
  const { api, ref } = managementApi(context);
  const postgrest = await callManagementApi(context, 'GET /v1/projects/{ref}/postgrest', () =>
    api.GET('/v1/projects/{ref}/postgrest', { params: { path: { ref } } }),
  );
  // The exposed schemas are read from this one string: an answer without it says nothing about them.
  if (typeof postgrest.db_schema !== 'string') throw new FactError('MalformedResponse', 'GET /v1/projects/{ref}/postgrest: the answer has no db_schema');
  return { dbSchemas: parseSchemaList(postgrest.db_schema) };
});

/** PostgREST's db_schema / pgrst.db_schemas: a comma-separated list, possibly with spaces or quotes. */
export function parseSchemaList(value: string): string[] {
  return value
    .split(',')
    .map((schema) => schema.trim().replace(/^"(.*)"$/, '$1'))
    .filter((schema) => schema.length > 0);
}
