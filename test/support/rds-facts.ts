/** An `aws.rds.clusters` entry and an `aws.rds.instances` entry as the collector writes them: protected, encrypted, 30 days of backups. */
export const rdsCluster = (over: Record<string, unknown> = {}) => ({
  id: 'db-1', arn: 'arn:aws:rds:us-east-1:1:cluster:db-1', region: 'us-east-1', engine: 'aurora-postgresql', engineVersion: '15.3',
  status: 'available', endpoint: null, deletionProtection: true, storageEncrypted: true, kmsKeyId: 'key', backupRetentionDays: 30, pendingBackupRetentionDays: null,
  members: [], parameterGroup: null, serverless: null, missing: false, ...over,
});

export const rdsInstance = (over: Record<string, unknown> = {}) => ({
  id: 'solo', arn: 'arn:aws:rds:us-east-1:1:db:solo', region: 'us-east-1', engine: 'postgres', clusterId: null, publiclyAccessible: false,
  deletionProtection: true, storageEncrypted: true, kmsKeyId: 'key', backupRetentionDays: 30, pendingBackupRetentionDays: null, ...over,
});
