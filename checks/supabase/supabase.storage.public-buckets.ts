import { defineCheck, type Finding } from '../../src/model.js';
import { storageBuckets } from '../../src/facts/postgres.js';

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
      command: `psql "$SUPABASE_DB_URL" -c "update storage.buckets set public = false where id = '{{resource}}'"`,
      effortMinutes: 20,
    },
    messages: {
      private: 'Bucket {{resource}} is private',
      'public-allowed': 'Bucket {{resource}} is public and listed in supabase.publicBuckets',
      public: 'Bucket {{resource}} is public: its files are readable by anyone with the URL',
      'no-buckets': 'The project has no storage bucket',
    },
  },
  facts: { buckets: storageBuckets },
  evaluate({ buckets }, { config }) {
    const allowed = config.supabase?.publicBuckets ?? [];
    if (buckets.length === 0) return [{ resource: 'storage', status: 'pass', code: 'no-buckets' }];
    return buckets.map((bucket): Finding => {
      const evidence = { name: bucket.name, public: bucket.public, allowListed: allowed.includes(bucket.id) };
      if (!bucket.public) return { resource: bucket.id, status: 'pass', code: 'private', evidence };
      if (allowed.includes(bucket.id) || allowed.includes(bucket.name)) return { resource: bucket.id, status: 'pass', code: 'public-allowed', evidence };
      return { resource: bucket.id, status: 'fail', code: 'public', evidence };
    });
  },
});
