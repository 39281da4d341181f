import { describe, expect, it } from 'vitest';
import { documentSections } from '../../src/collectors/files/documents.js';

// A section counts the distinct words written in it: placeholders do not make a plan.
describe('documentSections', () => {
  it('counts distinct words, not placeholders or repetitions', () => {
    const text = ['# Roles', 'TBD TBD TBD TBD TBD', '# Contacts', 'lorem ipsum lorem ipsum lorem ipsum', '# Detection', '<fill in> [Company name] <who> [owner] ...', '# Containment', 'a a a a a a a'].join('\n');
    expect(documentSections(text)).toEqual([
      { heading: 'Roles', words: 0 },
      { heading: 'Contacts', words: 0 },
      { heading: 'Detection', words: 0 },
      { heading: 'Containment', words: 1 },
    ]);
  });

  it('counts written text, a link by its words', () => {
    const text = ['---', 'reviewed: 2025-10-01', '---', '# Notification', 'The privacy officer notifies patients within 60 days, see [the HHS portal](https://ocrportal.hhs.gov/ocr/breach).', '```', '# not a heading', '```'].join('\n');
    expect(documentSections(text)).toEqual([{ heading: 'Notification', words: 14 }]);
  });
});
