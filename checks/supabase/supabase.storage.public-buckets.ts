import { defineCheck, optional, type Finding } from '../../src/model.js';
import { storageBuckets } from '../../src/facts/postgres.js';
import { supabaseAuthConfig } from '../../src/facts/supabase-management.js';
import { shellWord, sqlIdentifier, sqlLiteral } from '../lib/database.js';

export default defineCheck({
  meta: {
    id: 'supabase.storage.public-buckets',
    title: 'No storage bucket is public',
    failureTitle: 'Public storage buckets serve files to anyone',
    description:
      'A public bucket serves every object by URL without a token or RLS; only buckets listed in `supabase.publicBuckets` (e.g. logos) may be public. A private bucket is only as private as row-level security on storage.objects: a policy that lets anon select its files, or RLS off on that table, hands them to anyone holding the anon key, which ships in the browser. Anyone can also sign up unless sign-ups are disabled: a policy that lets every signed-in user read every file of a bucket hands them to strangers too.',
    section: 'supabase',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Make the bucket private and serve its files through signed URLs, drop or narrow the storage.objects policies that let anon or every signed-in user read it (e.g. to authenticated, owner = auth.uid()), keep RLS on storage.objects (or list the bucket in supabase.publicBuckets if it holds no PHI)',
      command: `psql "$SUPABASE_DB_URL" -c {{sql}}`,
      effortMinutes: 20,
    },
    messages: {
      private: 'Bucket {{resource}} is private',
      'public-allowed': 'Bucket {{resource}} is public and listed in supabase.publicBuckets',
      public: 'Bucket {{resource}} is public: its files are readable by anyone with the URL',
      'no-buckets': 'The project has no storage bucket',
      'hidden-by-rls': 'Row-level security on storage.buckets hides rows from the database user: buckets it cannot see are not assessed',
      'anon-readable': 'Bucket {{resource}} is private, but policies on storage.objects let anyone with the anon key (shipped in the browser) list and download its files: {{policies}}',
      'anon-readable-allowed': 'Bucket {{resource}} is readable with the anon key and listed in supabase.publicBuckets',
      'rls-off': 'Row-level security does not restrict anon on storage.objects: every file of bucket {{resource}} is readable with the anon key',
      'policies-not-read': 'Bucket {{resource}} is private, but the policies on storage.objects were not read (snapshot from an older version): whether anon can read its files is unknown',
      'signed-up-readable':
        'Bucket {{resource}} is private, but policies on storage.objects let every signed-in user list and download all its files: {{policies}}; sign-ups are open, so anyone can sign up and read them',
      'signed-up-rls-off': 'Row-level security does not restrict authenticated on storage.objects and sign-ups are open: anyone can sign up and read every file of bucket {{resource}}',
      'signed-up-readable-allowed': 'Bucket {{resource}} is readable by every signed-in user and listed in supabase.publicBuckets',
      'invite-only':
        'Bucket {{resource}} is private; every signed-in user may read its files ({{policies}}), but sign-ups are disabled (disable_signup): only users the project invites or creates can sign in',
      'sign-ups-unknown':
        'Bucket {{resource}} is private, but every signed-in user may read its files ({{policies}}), and whether anyone can sign up is unknown: {{reason}}',
      'signed-in-caller-gated':
        'Bucket {{resource}} is private, but policies on storage.objects admit signed-in users by who they are ({{policies}}: a function or sub-select, not the file owner): readiness cannot tell whom they admit — review them, and waive this result once reviewed',
      'signed-in-policies-not-read':
        'Bucket {{resource}} is private, but which policies on storage.objects let signed-in users read it were not read (snapshot from an older version): whether anyone who signs up can read its files is unknown',
    },
  },
  facts: { storage: storageBuckets, auth: optional(supabaseAuthConfig) },
  evaluate({ storage, auth }, { config }) {
    const allowed = config.supabase?.publicBuckets ?? [];
    // What RLS hides is unknown, not absent: connect as a role that bypasses RLS on storage.buckets (e.g. postgres) to see every bucket.
    const hidden: Finding[] = storage.rowsHiddenByRls ? [{ resource: 'storage.buckets', status: 'unverified', code: 'hidden-by-rls', evidence: { visibleBuckets: storage.buckets.length } }] : [];
    if (storage.buckets.length === 0) return hidden.length > 0 ? hidden : [{ resource: 'storage', status: 'pass', code: 'no-buckets' }];
    return [
      ...storage.buckets.map((bucket): Finding => {
        const evidence = { name: bucket.name, public: bucket.public, allowListed: allowed.includes(bucket.id) };
        const args = { sql: shellWord(`update storage.buckets set public = false where id = ${sqlLiteral(bucket.id)};`) };
        // By id only: a name can be set apart from the id (by SQL) to borrow an allowed bucket's name.
        const allowListed = allowed.includes(bucket.id);
        if (bucket.public) return { resource: bucket.id, status: allowListed ? 'pass' : 'fail', code: allowListed ? 'public-allowed' : 'public', args, evidence };
        // A private bucket only stops the public URL: what anon reads through the API is decided by RLS on storage.objects.
        const objects = storage.objects;
        if (objects === null) return { resource: bucket.id, status: 'pass', code: 'private', args, evidence };
        if (objects === undefined || bucket.anonReadPolicies === undefined) return { resource: bucket.id, status: 'unverified', code: 'policies-not-read', args, evidence };
        if (objects.anonSelect) {
          const rlsOff = !objects.rlsEnabled || objects.anonBypassesRls;
          const policies = bucket.anonReadPolicies;
          const readable = { ...evidence, rlsEnabled: objects.rlsEnabled, anonBypassesRls: objects.anonBypassesRls, anonReadPolicies: policies };
          if ((rlsOff || policies.length > 0) && allowListed) return { resource: bucket.id, status: 'pass', code: 'anon-readable-allowed', args, evidence: readable };
          if (rlsOff) {
            const sql = objects.rlsEnabled ? 'alter role anon nobypassrls nosuperuser;' : 'alter table storage.objects enable row level security;';
            return { resource: bucket.id, status: 'fail', code: 'rls-off', args: { sql: shellWord(sql) }, evidence: readable };
          }
          if (policies.length > 0) {
            // Dropping is the safe default; rewrite a dropped policy for authenticated owners (owner = auth.uid()) if the app needs it.
            const drop = policies.map((name) => `drop policy ${sqlIdentifier(name)} on storage.objects;`).join(' ');
            return { resource: bucket.id, status: 'fail', code: 'anon-readable', args: { policies: policies.join(', '), sql: shellWord(drop) }, evidence: readable };
          }
        }
        // Private from anon is not private: anyone can sign up (unless sign-ups are disabled) and read as authenticated.
        const signedIn = bucket.authenticatedReadPolicies;
        if (signedIn === undefined || objects.authenticatedSelect === undefined || objects.authenticatedBypassesRls === undefined) {
          return { resource: bucket.id, status: 'unverified', code: 'signed-in-policies-not-read', args, evidence };
        }
        if (!objects.authenticatedSelect) return { resource: bucket.id, status: 'pass', code: 'private', args, evidence };
        const rlsOff = !objects.rlsEnabled || objects.authenticatedBypassesRls;
        const everyUser = signedIn.filter((policy) => policy.verdict === 'every-user').map((policy) => policy.name);
        const gated = signedIn.filter((policy) => policy.verdict === 'caller-gated').map((policy) => policy.name);
        if (!rlsOff && everyUser.length === 0 && gated.length === 0) return { resource: bucket.id, status: 'pass', code: 'private', args, evidence };
        const disableSignup = auth?.ok ? auth.value.disableSignup : undefined;
        const open = { ...evidence, rlsEnabled: objects.rlsEnabled, authenticatedBypassesRls: objects.authenticatedBypassesRls, everyUserPolicies: everyUser, callerGatedPolicies: gated, disableSignup: disableSignup ?? null };
        const named = { ...args, policies: rlsOff ? 'row-level security does not restrict authenticated' : [...everyUser, ...gated].join(', ') };
        if (allowListed) return { resource: bucket.id, status: 'pass', code: 'signed-up-readable-allowed', args: named, evidence: open };
        // Nobody can sign up: whoever reads is a user the project invited or created.
        if (disableSignup === true) return { resource: bucket.id, status: 'pass', code: 'invite-only', args: named, evidence: open };
        if (disableSignup !== false && (rlsOff || everyUser.length > 0)) {
          const reason = auth?.ok === false ? `the Auth config was not read (${auth.failure.message})` : 'the Auth config does not say (disable_signup)';
          return { resource: bucket.id, status: 'unverified', code: 'sign-ups-unknown', args: { ...named, reason }, evidence: open };
        }
        if (rlsOff) {
          const sql = objects.rlsEnabled ? 'alter role authenticated nobypassrls nosuperuser;' : 'alter table storage.objects enable row level security;';
          return { resource: bucket.id, status: 'fail', code: 'signed-up-rls-off', args: { sql: shellWord(sql) }, evidence: open };
        }
        if (everyUser.length > 0) {
          // Dropping is the safe default; rewrite a dropped policy for owners (owner = auth.uid()) if the app needs it.
          const drop = everyUser.map((name) => `drop policy ${sqlIdentifier(name)} on storage.objects;`).join(' ');
          return { resource: bucket.id, status: 'fail', code: 'signed-up-readable', args: { policies: everyUser.join(', '), sql: shellWord(drop) }, evidence: open };
        }
        return { resource: bucket.id, status: 'unverified', code: 'signed-in-caller-gated', args: { ...named, policies: gated.join(', ') }, evidence: open };
      }),
      ...hidden,
    ];
  },
});
