import type { Collector } from './types.js';
import { cloudwatchAlarmsCollector } from './aws/cloudwatch.js';
import { rdsClustersCollector, rdsInstancesCollector } from './aws/rds.js';
import { s3BucketsCollector, s3EncryptionCollector, s3VersioningCollector } from './aws/s3.js';
import { identityCollector } from './aws/sts.js';
import { attestationsCollector } from './files/attestations.js';
import { supabaseSecretsCollector } from './supabase/secrets.js';

const awsCollectors: Collector[] = [
  identityCollector,
  rdsClustersCollector,
  rdsInstancesCollector,
  s3BucketsCollector,
  s3EncryptionCollector,
  s3VersioningCollector,
  cloudwatchAlarmsCollector,
];

const supabaseCollectors: Collector[] = [supabaseSecretsCollector];

const fileCollectors: Collector[] = [attestationsCollector];

/** Every collector, by the id of the fact it produces. */
export const collectors: ReadonlyMap<string, Collector> = new Map(
  [...awsCollectors, ...supabaseCollectors, ...fileCollectors].map((collector) => [collector.fact.id, collector]),
);
