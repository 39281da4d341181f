import { z } from '../zod.js';
import { defineFact } from '../model.js';

export const rdsAccountDatabases = defineFact({
  id: 'aws.rds.account-databases',
  description:
    'Every DB cluster and DB instance of the selected regions, listed in the config or not: storage encryption and public accessibility, to judge the databases `aws.rds.clusters`/`aws.rds.instances` leave out',
  permissions: ['rds:DescribeDBClusters', 'rds:DescribeDBInstances'],
  schema: () => z.object({
    clusters: z.array(z.object({ id: z.string(), arn: z.string(), region: z.string(), engine: z.string(), storageEncrypted: z.boolean() })),
    instances: z.array(
      z.object({
        id: z.string(),
        arn: z.string(),
        region: z.string(),
        engine: z.string(),
        clusterId: z.string().nullable(),
        publiclyAccessible: z.boolean(),
        storageEncrypted: z.boolean(),
      }),
    ),
  }),
});
