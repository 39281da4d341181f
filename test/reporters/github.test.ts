import { describe, expect, it } from 'vitest';
import { githubReporter } from '../../src/reporters/github.js';
import { demoReport } from '../support/demo.js';

describe('github reporter', () => {
  it('annotates blockers as errors and other open findings as warnings, one line each', async () => {
    const report = await demoReport();
    const lines = githubReporter(report).trimEnd().split('\n');
    const open = report.results.filter((r) => r.scored && (r.status === 'fail' || r.status === 'unverified'));
    expect(lines).toHaveLength(open.length + 1);
    expect(lines.filter((l) => l.startsWith('::error ')).length).toBe(report.blockers.length);
    expect(lines.filter((l) => l.startsWith('::warning ')).length).toBe(open.length - report.blockers.length);
    expect(lines.find((l) => l.includes('title=aws.rds.deletion-protection'))).toMatch(/^::error file=readiness.config.yaml,title=aws.rds.deletion-protection \(critical\)::mentalspaceehrstack-databaseb269d8bb: .*%0AFix: aws rds modify-db-cluster/);
    expect(lines.at(-1)).toMatch(/^::notice title=readiness::NOT READY /);
  });
});
