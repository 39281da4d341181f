import { defineCheck } from '../../src/model.js';
import { documents } from '../../src/facts/evidence.js';
import { CREATE_DOCUMENT_COMMAND, DOCUMENT_MESSAGES, evaluateDocument } from '../lib/document.js';

export default defineCheck({
  meta: {
    id: 'compliance.incident-response',
    title: 'Incident response plan is documented and current',
    failureTitle: 'Incident response plan is missing or out of date',
    description: 'Security incidents must be identified, responded to, mitigated and documented under a written plan, reviewed at least yearly.',
    section: 'compliance',
    severity: 'high',
    layer: 'operational',
    hipaa: ['164.308(a)(6)'],
    phase: 5,
    documents: ['incident-response'],
    remediation: {
      text: 'Write (or review) the incident response plan: roles, severity levels, contacts, containment and evidence steps; list it as `documents.incident-response` in readiness.config.yaml',
      command: CREATE_DOCUMENT_COMMAND,
      effortMinutes: 480,
    },
    messages: { ...DOCUMENT_MESSAGES },
  },
  facts: { documents },
  evaluate({ documents }, { now }) {
    return [evaluateDocument(documents, 'incident-response', now)];
  },
});
