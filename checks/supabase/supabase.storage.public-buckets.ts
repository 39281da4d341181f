import { defineCheck, type Finding } from '../../src/model.js';
import { storageBuckets } from '../../src/facts/postgres.js';
import { shellWord, sqlLiteral } from '../lib/database.js';

export default defineCheck({
  meta: {
    id: 'supabase.storage.public-buckets',
    title: 'No storage bucket is public',
    failureTitle: 'Public storage buckets serve files to anyone',
    description: 'A public bucket serves every object by URL without a token or RLS; only buckets listed in `supabase.publicBuckets` (e.g. logos) may be public.',
    section: 'supabase',
    severity: 'high',
    layer: 'application',
    hipaa: ['164.312(a)(1)'],
    phase: 1,
    remediation: {
      text: 'Make the bucket private and serve its files through signed URLs (or list it in supabase.publicBuckets if it holds no PHI)',
      command: `psql "$SUPABASE_DB_URL" -c {{sql}}`,
      effortMinutes: 20,
    },
    messages: {
      private: 'Bucket {{resource}} is private',
      'public-allowed': 'Bucket {{resource}} is public and listed in supabase.publicBuckets',
      public: 'Bucket {{resource}} is public: its files are readable by anyone with the URL',
      'no-buckets': 'The project has no storage bucket',
      'hidden-by-rls': 'Row-level security on storage.buckets hides rows from the database user: buckets it cannot see are not assessed',
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
        if (!bucket.public) return { resource: bucket.id, status: 'pass', code: 'private', args, evidence };
        if (allowed.includes(bucket.id) || allowed.includes(bucket.name)) return { resource: bucket.id, status: 'pass', code: 'public-allowed', args, evidence };
        return { resource: bucket.id, status: 'fail', code: 'public', args, evidence };
      }),
      ...hidden,
    ];
  },
});
