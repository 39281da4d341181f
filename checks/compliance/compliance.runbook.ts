import { defineCheck } from '../../src/model.js';
import { documents } from '../../src/facts/evidence.js';
import { CREATE_DOCUMENT_COMMAND, DOCUMENT_MESSAGES, evaluateDocument } from '../lib/document.js';

export default defineCheck({
  meta: {
    id: 'compliance.runbook',
    title: 'Operational runbook exists and is current',
    failureTitle: 'Operational runbook is missing or out of date',
    description: 'Operators need a written runbook (deploys, rollbacks, restore from backup, failover, on-call contacts) to keep PHI available in an emergency.',
    section: 'compliance',
    severity: 'medium',
    layer: 'operational',
    hipaa: ['164.308(a)(7)(ii)(B)'],
    phase: 5,
    documents: ['runbook'],
    remediation: {
      text: 'Write (or review) the operational runbook: deploy and rollback, database restore, secrets rotation, on-call escalation; list it as `documents.runbook` in readiness.config.yaml',
      command: CREATE_DOCUMENT_COMMAND,
      effortMinutes: 480,
    },
    messages: { ...DOCUMENT_MESSAGES },
  },
  facts: { documents },
  evaluate({ documents }, { now }) {
    return [evaluateDocument(documents, 'runbook', now)];
  },
});
