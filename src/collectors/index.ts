import type { Collector } from './types.js';
import { cloudwatchAlarmsCollector } from './aws/cloudwatch.js';
import { apiGatewayStagesCollector } from './aws/api-gateway.js';
import { apiGatewayV2StagesCollector } from './aws/api-gateway-v2.js';
import { artifactAgreementsCollector } from './aws/artifact.js';
import { cloudtrailTrailSettingsCollector, cloudtrailTrailsCollector } from './aws/cloudtrail.js';
import { cognitoIdentityPoolsCollector, cognitoUserPoolsCollector } from './aws/cognito.js';
import { costByServiceCollector } from './aws/cost-explorer.js';
import { cloudwatchDashboardsCollector } from './aws/dashboards.js';
import { iamAccountSummaryCollector } from './aws/iam.js';
import { secretsManagerSecretsCollector } from './aws/secrets-manager.js';
import { snsAlarmTopicEncryptionCollector, snsTopicsCollector } from './aws/sns.js';
import { rdsAccountDatabasesCollector, rdsClustersCollector, rdsInstancesCollector } from './aws/rds.js';
import { s3BucketPoliciesCollector, s3BucketsCollector, s3EncryptionCollector, s3PublicAccessBlockCollector, s3UnlistedBucketSettingsCollector, s3VersioningCollector } from './aws/s3.js';
import { acmCertificatesCollector } from './aws/acm.js';
import { cloudfrontDistributionsCollector } from './aws/cloudfront.js';
import { rdsClusterParameterGroupsCollector, rdsGlobalClustersCollector, rdsInstanceParameterGroupsCollector } from './aws/rds-resilience.js';
import { s3AccountPublicAccessBlockCollector } from './aws/s3-account-public-access-block.js';
import { s3AccessLoggingCollector, s3CorsCollector, s3LifecycleCollector } from './aws/s3-config.js';
import { identityCollector } from './aws/sts.js';
import { organizationAccountsCollector } from './aws/organizations.js';
import { s3AccountBucketsCollector } from './aws/s3-account-buckets.js';
import { kmsKeysCollector } from './aws/kms.js';
import { backupPlansCollector, backupProtectedResourcesCollector } from './aws/backup.js';
import { configRecordersCollector, guardDutyDetectorsCollector, logGroupsCollector, securityHubHubsCollector } from './aws/detection.js';
import { iamCustomerPoliciesCollector, iamInlinePoliciesCollector, iamPasswordPolicyCollector, iamRolesCollector, iamUsersCollector } from './aws/iam-identity.js';
import { ec2EbsEncryptionByDefaultCollector, ec2FlowLogsCollector, ec2SecurityGroupsCollector, ec2SubnetRoutesCollector } from './aws/ec2.js';
import { rdsClusterSettingsCollector, rdsInstanceNetworkCollector, rdsManualSnapshotsCollector } from './aws/rds-network.js';
import { attestationsCollector } from './files/attestations.js';
import { documentsCollector } from './files/documents.js';
import { e2eReportsCollector } from './files/e2e-reports.js';
import { errorTrackingCollector } from './files/error-tracking.js';
import { loadTestCollector } from './files/load-test.js';
import { dnsRecordsCollector } from './probes/dns.js';
import { healthProbesCollector } from './probes/health.js';
import { corsPreflightsCollector, httpEndpointsCollector } from './probes/http.js';
import { tlsEndpointsCollector } from './probes/tls.js';
import { supabaseSecretsCollector } from './supabase/secrets.js';
import {
  supabaseAuthConfigCollector,
  supabaseBackupsCollector,
  supabaseFunctionsCollector,
  supabaseHealthCollector,
  supabaseNetworkRestrictionsCollector,
  supabasePostgrestConfigCollector,
  supabaseProjectCollector,
  supabaseSecurityAdvisorsCollector,
  supabaseSslEnforcementCollector,
} from './supabase/management.js';
import { localFunctionsCollector, localMigrationsCollector } from './supabase/local.js';
import { databaseSchemaCollector } from './postgres/schema.js';
import { remoteMigrationsCollector, storageBucketsCollector } from './postgres/supabase-tables.js';
import { exposedSecretsCollector } from './repository/exposed-secrets.js';

const awsCollectors: Collector[] = [
  identityCollector,
  rdsClustersCollector,
  rdsInstancesCollector,
  rdsAccountDatabasesCollector,
  s3BucketsCollector,
  s3EncryptionCollector,
  s3VersioningCollector,
  rdsClusterParameterGroupsCollector,
  rdsInstanceParameterGroupsCollector,
  rdsGlobalClustersCollector,
  s3LifecycleCollector,
  s3CorsCollector,
  s3PublicAccessBlockCollector,
  s3AccountPublicAccessBlockCollector,
  s3BucketPoliciesCollector,
  s3AccessLoggingCollector,
  cloudfrontDistributionsCollector,
  acmCertificatesCollector,
  cloudwatchAlarmsCollector,
  snsTopicsCollector,
  cloudwatchDashboardsCollector,
  iamAccountSummaryCollector,
  cloudtrailTrailsCollector,
  cognitoUserPoolsCollector,
  cognitoIdentityPoolsCollector,
  secretsManagerSecretsCollector,
  apiGatewayStagesCollector,
  apiGatewayV2StagesCollector,
  costByServiceCollector,
  artifactAgreementsCollector,
  ec2SecurityGroupsCollector,
  ec2SubnetRoutesCollector,
  ec2FlowLogsCollector,
  ec2EbsEncryptionByDefaultCollector,
  rdsInstanceNetworkCollector,
  rdsClusterSettingsCollector,
  rdsManualSnapshotsCollector,
  iamUsersCollector,
  iamPasswordPolicyCollector,
  iamCustomerPoliciesCollector,
  iamInlinePoliciesCollector,
  iamRolesCollector,
  guardDutyDetectorsCollector,
  securityHubHubsCollector,
  configRecordersCollector,
  logGroupsCollector,
  cloudtrailTrailSettingsCollector,
  kmsKeysCollector,
  s3AccountBucketsCollector,
  s3UnlistedBucketSettingsCollector,
  backupPlansCollector,
  backupProtectedResourcesCollector,
  snsAlarmTopicEncryptionCollector,
  organizationAccountsCollector,
];

const supabaseCollectors: Collector[] = [
  supabaseSecretsCollector,
  supabaseProjectCollector,
  supabaseHealthCollector,
  supabaseFunctionsCollector,
  supabaseAuthConfigCollector,
  supabaseSslEnforcementCollector,
  supabaseNetworkRestrictionsCollector,
  supabaseBackupsCollector,
  supabaseSecurityAdvisorsCollector,
  supabasePostgrestConfigCollector,
  localFunctionsCollector,
  localMigrationsCollector,
  remoteMigrationsCollector,
  storageBucketsCollector,
  databaseSchemaCollector,
];

const fileCollectors: Collector[] = [exposedSecretsCollector, attestationsCollector, e2eReportsCollector, loadTestCollector, documentsCollector, errorTrackingCollector];

const probeCollectors: Collector[] = [dnsRecordsCollector, tlsEndpointsCollector, httpEndpointsCollector, corsPreflightsCollector, healthProbesCollector];

/** Every collector, by the id of the fact it produces. */
export const collectors: ReadonlyMap<string, Collector> = new Map(
  [...awsCollectors, ...supabaseCollectors, ...fileCollectors, ...probeCollectors].map((collector) => [collector.fact.id, collector]),
);
