import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withChecksTable } from '../../scripts/readme-checks.js';
import { allChecks } from '../../checks/index.js';

describe('README.md', () => {
  const readme = readFileSync('README.md', 'utf8');

  it('has the current checks table (run `npm run docs` after changing a check)', () => {
    expect(withChecksTable(readme)).toBe(readme);
  });

  it('lists every check id', () => {
    for (const check of allChecks) expect(readme).toContain(`\`${check.meta.id}\``);
  });

  it('gives the test command that .ci/run runs', () => {
    expect(readme).toContain('npm install && npm test');
    expect(readFileSync('.ci/run', 'utf8')).toMatch(/^npm test( |$)/m);
  });
});
