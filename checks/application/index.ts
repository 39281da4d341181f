import type { AnyCheck } from '../../src/model.js';
import dbRlsEnabled from './app.db.rls-enabled.js';
import dbRlsPolicies from './app.db.rls-policies.js';
import dbSensitiveColumns from './app.db.sensitive-columns.js';
import dbSecurityDefinerViews from './app.db.security-definer-views.js';
import dbAuditLogging from './app.db.audit-logging.js';
import dbExtensions from './app.db.extensions.js';
import dbDefinerFunctions from './app.db.definer-functions.js';
import secretsServiceKeyExposure from './app.secrets.service-key-exposure.js';
import testsE2e from './app.tests.e2e.js';
import testsLoad from './app.tests.load.js';
import dataRetention from './app.data-retention.js';
import patientDataExport from './app.patient-data-export.js';

export const applicationChecks: AnyCheck[] = [
  dbRlsEnabled,
  dbRlsPolicies,
  dbSensitiveColumns,
  dbSecurityDefinerViews,
  dbAuditLogging,
  dbExtensions,
  dbDefinerFunctions,
  secretsServiceKeyExposure,
  testsE2e,
  testsLoad,
  dataRetention,
  patientDataExport,
];
