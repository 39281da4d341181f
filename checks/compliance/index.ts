import type { AnyCheck } from '../../src/model.js';
import vendorBaas from './compliance.vendor-baas.js';
import securityPolicies from './compliance.security-policies.js';
import incidentResponse from './compliance.incident-response.js';
import breachNotification from './compliance.breach-notification.js';
import riskAssessment from './compliance.risk-assessment.js';
import training from './compliance.training.js';
import runbook from './compliance.runbook.js';

export const complianceChecks: AnyCheck[] = [vendorBaas, securityPolicies, incidentResponse, breachNotification, riskAssessment, training, runbook];
