import { z } from '../zod.js';
import { defineFact } from '../model.js';

/** Facts read from the Supabase Management API: one call each, only the fields the checks read. */

export const supabaseProjectStatus = defineFact({
  id: 'supabase.project',
  description: 'Project status, region and database version',
  permissions: ['GET /v1/projects/{ref}'],
  schema: () => z.object({
    ref: z.string(),
    name: z.string(),
    region: z.string(),
    status: z.string(),
    databaseVersion: z.string().nullable(),
  }),
});

/** The services whose health is asked for: the ones the app uses. */
export const SUPABASE_HEALTH_SERVICES = ['auth', 'db', 'rest', 'storage', 'realtime'] as const;

export const supabaseHealth = defineFact({
  id: 'supabase.health',
  description: 'Health of the project services (auth, db, rest, storage, realtime)',
  permissions: ['GET /v1/projects/{ref}/health'],
  schema: () => z.object({
    services: z.array(z.object({ name: z.string(), status: z.string(), error: z.string().nullable() })),
  }),
});

export const supabaseFunctions = defineFact({
  id: 'supabase.functions',
  description: 'Deployed Edge Functions (slug, status, version, last deployment, JWT verification)',
  permissions: ['GET /v1/projects/{ref}/functions'],
  schema: () => z.array(
    z.object({
      slug: z.string(),
      status: z.string(),
      version: z.number(),
      updatedAt: z.string(),
      verifyJwt: z.boolean().nullable(),
    }),
  ),
});

export const supabaseAuthConfig = defineFact({
  id: 'supabase.auth',
  description: 'Auth settings for MFA, sessions and passwords (every secret of the auth config is dropped at the collector)',
  permissions: ['GET /v1/projects/{ref}/config/auth'],
  schema: () => z.object({
    mfaTotpEnroll: z.boolean().nullable(),
    mfaTotpVerify: z.boolean().nullable(),
    mfaWebAuthnEnroll: z.boolean().nullable(),
    mfaWebAuthnVerify: z.boolean().nullable(),
    /** mfa_max_enrolled_factors: Auth refuses an enrolment once a user has this many factors; absent in snapshots taken before it was collected. */
    mfaMaxEnrolledFactors: z.number().nullable().optional(),
    sessionsInactivityTimeout: z.number().nullable(),
    sessionsTimebox: z.number().nullable(),
    /** jwt_exp: how long an access token stays valid, in seconds; absent in snapshots taken before it was collected. */
    jwtExpirySeconds: z.number().nullable().optional(),
    passwordMinLength: z.number().nullable(),
    passwordHibpEnabled: z.boolean().nullable(),
    passwordRequiredCharacters: z.string().nullable(),
    /** disable_signup: true when nobody can create an account (invite-only users); absent in snapshots taken before it was collected. */
    disableSignup: z.boolean().nullable().optional(),
  }),
});

export const supabaseSslEnforcement = defineFact({
  id: 'supabase.ssl-enforcement',
  description: 'Whether the database refuses non-SSL connections',
  permissions: ['GET /v1/projects/{ref}/ssl-enforcement'],
  schema: () => z.object({ database: z.boolean(), appliedSuccessfully: z.boolean() }),
});

export const supabaseNetworkRestrictions = defineFact({
  id: 'supabase.network-restrictions',
  description: 'Database network restrictions (allowed CIDRs) and whether they are applied',
  permissions: ['GET /v1/projects/{ref}/network-restrictions'],
  schema: () => z.object({
    entitlement: z.string(),
    status: z.string(),
    dbAllowedCidrs: z.array(z.string()),
    dbAllowedCidrsV6: z.array(z.string()),
  }),
});

export const supabaseBackups = defineFact({
  id: 'supabase.backups',
  description: 'Point-in-time recovery and the most recent database backup',
  permissions: ['GET /v1/projects/{ref}/database/backups'],
  schema: () => z.object({
    pitrEnabled: z.boolean(),
    walgEnabled: z.boolean(),
    backupCount: z.number(),
    latestBackup: z.object({ status: z.string(), insertedAt: z.string() }).nullable(),
    latestPhysicalBackupAt: z.string().nullable(),
  }),
});

export const supabaseSecurityAdvisors = defineFact({
  id: 'supabase.advisors.security',
  description: 'Findings of the Supabase security advisor (lint name, level, affected entity)',
  permissions: ['GET /v1/projects/{ref}/advisors/security'],
  schema: () => z.array(
    z.object({
      name: z.string(),
      level: z.string(),
      title: z.string(),
      entity: z.string().nullable(),
      cacheKey: z.string(),
    }),
  ),
});

export const supabasePostgrestConfig = defineFact({
  id: 'supabase.postgrest',
  description: 'Schemas exposed through the Data API (PostgREST db_schema); jwt_secret is dropped at the collector',
  permissions: ['GET /v1/projects/{ref}/postgrest'],
  schema: () => z.object({ dbSchemas: z.array(z.string()) }),
});
