import { defineCheck } from '../../src/model.js';
import { documents } from '../../src/facts/evidence.js';
import { CREATE_DOCUMENT_COMMAND, DOCUMENT_MESSAGES, evaluateDocument } from '../lib/document.js';

export default defineCheck({
  meta: {
    id: 'compliance.security-policies',
    title: 'Security policies are documented and current',
    failureTitle: 'Security policies are missing or out of date',
    description: 'Written security policies and procedures (access control, encryption, audit, device and media use) must exist and be reviewed at least yearly.',
    section: 'compliance',
    severity: 'high',
    layer: 'operational',
    hipaa: ['164.316(b)(1)'],
    phase: 5,
    documents: ['security-policies'],
    remediation: {
      text: 'Write (or review) the security policies document and record the review date in its front matter; list it as `documents.security-policies` in readiness.config.yaml',
      command: CREATE_DOCUMENT_COMMAND,
      effortMinutes: 480,
    },
    messages: { ...DOCUMENT_MESSAGES },
  },
  facts: { documents },
  evaluate({ documents }, { now }) {
    return [evaluateDocument(documents, 'security-policies', now)];
  },
});
