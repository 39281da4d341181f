import { s3AccountBuckets } from '../../facts/aws-network.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { pages } from './pages.js';
import { requireArray, requireAws } from './require.js';

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
