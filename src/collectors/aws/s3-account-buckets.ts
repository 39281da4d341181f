import { s3AccountBuckets, s3UnlistedBucketSettings } from '../../facts/aws-network.js';
import type { FactValue } from '../../model.js';
import { readEach } from '../read-each.js';
import { defineCollector, PartialFact } from '../types.js';
import { awsFactError } from './errors.js';
import { pages } from './pages.js';
import { requireArray, requireAws } from './require.js';
import { bucketRegion, readEncryption } from './s3.js';
import { readBucketPolicy, readPublicAccessBlock } from './s3-config.js';

export const s3AccountBucketsCollector = defineCollector(s3AccountBuckets, async (context) => {
  requireAws(context);
  const { paginateListBuckets } = await import('@aws-sdk/client-s3');
  const client = await context.aws.client('s3');
  const names: string[] = [];
  try {
    for await (const page of pages(paginateListBuckets, { client }, {}, context.signal)) names.push(...requireArray(page.Buckets, 'Buckets', 's3:ListAllMyBuckets').map((b) => b.Name ?? '').filter(Boolean));
  } catch (error) {
    throw awsFactError(error, 's3:ListAllMyBuckets');
  }
  return names;
});

type Unlisted = FactValue<typeof s3UnlistedBucketSettings>[number];

/**
 * The buckets a configured list leaves out get the settings that keep any bucket safe (encryption,
 * public access, TLS-only), read once each under the same S3 pool as the listed ones; the listed
 * buckets are never read here.
 */
export const s3UnlistedBucketSettingsCollector = defineCollector(s3UnlistedBucketSettings, async (context) => {
  const configured = context.config.aws?.s3.buckets;
  if (!configured) return [];
  const listed = new Set(configured.map((b) => b.name));
  const unlisted = (await context.fact(s3AccountBuckets)).filter((name) => !listed.has(name));
  const client = await context.aws.client('s3');
  const present = (entries: unknown[]) => entries.filter((entry): entry is Unlisted => entry !== null);
  const read = await readEach(context, unlisted, { name: (name) => name, limit: context.aws.pool('s3'), counting: 's3 bucket settings' }, async (name): Promise<Unlisted | null> => {
    const region = await bucketRegion(context, client, name);
    // Deleted between ListBuckets and now: nothing left to assess.
    if (region === null) return null;
    const regional = await context.aws.client('s3', region);
    const { rules } = await readEncryption(context, regional, name);
    const { settings } = await readPublicAccessBlock(context, regional, name);
    const { statements } = await readBucketPolicy(context, regional, name);
    return { bucket: name, region, rules, settings, statements };
  }).catch((error: unknown) => {
    if (error instanceof PartialFact) throw new PartialFact(present(error.value as unknown[]), error.unread, error.read, error.message, error.fix);
    throw error;
  });
  return present(read);
});
