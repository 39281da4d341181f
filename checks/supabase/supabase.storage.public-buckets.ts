import { defineCheck, type Finding } from '../../src/model.js';
import { storageBuckets } from '../../src/facts/postgres.js';
import { shellWord, sqlIdentifier, sqlLiteral } from '../lib/database.js';

export default defineCheck({
  meta: {
    id: 'supabase.storage.public-buckets',
    title: 'No storage bucket is public',
    failureTitle: 'Public storage buckets serve files to anyone',
    description:
      'A public bucket serves every object by URL without a token or RLS; only buckets listed in `supabase.publicBuckets` (e.g. logos) may be public. A private bucket is only as private as row-level security on storage.objects: a policy that lets anon select its files, or RLS off on that table, hands them to anyone holding the anon key, which ships in the browser.',
    section: 'supabase',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Make the bucket private and serve its files through signed URLs, drop or narrow the storage.objects policies that let anon read it (e.g. to authenticated, owner = auth.uid()), keep RLS on storage.objects (or list the bucket in supabase.publicBuckets if it holds no PHI)',
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
    },
  },
  facts: { storage: storageBuckets },
  evaluate({ storage }, { config }) {
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
        if (objects === null || objects?.anonSelect === false) return { resource: bucket.id, status: 'pass', code: 'private', args, evidence };
        if (objects === undefined || bucket.anonReadPolicies === undefined) return { resource: bucket.id, status: 'unverified', code: 'policies-not-read', args, evidence };
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
        return { resource: bucket.id, status: 'pass', code: 'private', args, evidence };
      }),
      ...hidden,
    ];
  },
});
