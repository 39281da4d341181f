import { defineCheck } from '../../src/model.js';
import { documents } from '../../src/facts/evidence.js';
import { CREATE_DOCUMENT_COMMAND, DOCUMENT_MESSAGES, evaluateDocument } from '../lib/document.js';

export default defineCheck({
  meta: {
    id: 'compliance.breach-notification',
    title: 'Breach notification procedure is documented',
    failureTitle: 'Breach notification procedure is missing or out of date',
    description: 'A breach of unsecured PHI must be notified to individuals without unreasonable delay and within 60 days (and to HHS, and the media above 500 people): the procedure must be written down in advance.',
    section: 'compliance',
    severity: 'high',
    layer: 'operational',
    hipaa: ['164.404'],
    phase: 5,
    documents: ['breach-notification'],
    remediation: {
      text: 'Write (or review) the breach notification procedure: risk assessment of the breach, the 60-day clock, letters to individuals, HHS and media notices; list it as `documents.breach-notification` in readiness.config.yaml',
      command: CREATE_DOCUMENT_COMMAND,
      effortMinutes: 240,
    },
    messages: { ...DOCUMENT_MESSAGES },
  },
  facts: { documents },
  evaluate({ documents }, { now }) {
    return [evaluateDocument(documents, 'breach-notification', now)];
  },
});
