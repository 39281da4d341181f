import type { AnyCheck } from '../../src/model.js';
import baa from './aws.baa.js';
import rdsBackupRetention from './aws.rds.backup-retention.js';
import rdsDeletionProtection from './aws.rds.deletion-protection.js';
import rdsStorageEncrypted from './aws.rds.storage-encrypted.js';
import s3Encryption from './aws.s3.encryption.js';
import s3Versioning from './aws.s3.versioning.js';

export const awsChecks: AnyCheck[] = [rdsDeletionProtection, rdsStorageEncrypted, rdsBackupRetention, s3Encryption, s3Versioning, baa];
