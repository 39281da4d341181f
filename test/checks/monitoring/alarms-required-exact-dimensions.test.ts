import { describe, expect, it } from 'vitest';
import alarmsRequired from '../../../checks/monitoring/monitoring.alarms.required.js';
import { renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

// Hole: an alarm carrying the dimensions asked for and more (Role=READER) passed, though CloudWatch matches a metric
// by its exact dimension set: that alarm watches the readers only and never fires when the writer saturates.
const alarm = (name: string, dimensions: Record<string, string>, over: Record<string, unknown> = {}) => ({
  name, arn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`, region: 'us-east-1', namespace: 'AWS/RDS', metric: 'CPUUtilization',
  threshold: 80, comparison: 'GreaterThanThreshold', statistic: 'Average', period: 300, evaluationPeriods: 2, dimensions, actionsEnabled: true, alarmActions: [], state: 'OK', ...over,
});
const config = { aws: { region: 'us-east-1', cloudwatch: { requiredAlarms: [{ namespace: 'AWS/RDS', metric: 'CPUUtilization', maxThreshold: 80, dimensions: { DBClusterIdentifier: 'prod' } }] } } };
const R = 'AWS/RDS CPUUtilization DBClusterIdentifier=prod';
const READERS = alarm('prod-readers', { DBClusterIdentifier: 'prod', Role: 'READER' });

describe('monitoring.alarms.required: an alarm with more dimensions than asked watches another metric', () => {
  const cases: CheckCase[] = [
    { name: 'only an alarm with an extra Role dimension: unverified', facts: { alarms: [READERS] }, config, expected: [[R, 'unverified', 'extra-dimensions']] },
    { name: 'the exact dimension set passes, beside the narrower alarm', facts: { alarms: [READERS, alarm('prod', { DBClusterIdentifier: 'prod' })] }, config, expected: [[R, 'pass', 'present']] },
    {
      name: 'a tight narrower alarm does not make up for a loose exact one',
      facts: { alarms: [alarm('prod-readers', { DBClusterIdentifier: 'prod', Role: 'READER' }, { threshold: 50 }), alarm('prod', { DBClusterIdentifier: 'prod' }, { threshold: 95 })] },
      config,
      expected: [[R, 'fail', 'too-loose']],
    },
    // SampleCount counts datapoints (traffic), not the value; a snapshot without the statistic cannot tell.
    { name: 'an alarm on SampleCount only fails', facts: { alarms: [alarm('prod', { DBClusterIdentifier: 'prod' }, { statistic: 'SampleCount' })] }, config, expected: [[R, 'fail', 'sample-count']] },
    { name: 'an Average alarm beside a SampleCount one passes', facts: { alarms: [alarm('count', { DBClusterIdentifier: 'prod' }, { statistic: 'SampleCount' }), alarm('prod', { DBClusterIdentifier: 'prod' })] }, config, expected: [[R, 'pass', 'present']] },
    { name: 'a p99 alarm passes', facts: { alarms: [alarm('prod', { DBClusterIdentifier: 'prod' }, { statistic: 'p99' })] }, config, expected: [[R, 'pass', 'present']] },
    { name: 'a snapshot without the statistic is unverified, never pass', facts: { alarms: [alarm('prod', { DBClusterIdentifier: 'prod' }, { statistic: undefined })] }, config, expected: [[R, 'unverified', 'statistic-not-collected']] },
  ];
  it.each(cases)('$name', (c) => expect(runCase(alarmsRequired, c)).toEqual(c.expected));

  it('names the alarm and its extra dimensions', () => {
    const [message] = renderedMessages(alarmsRequired, { alarms: [READERS] }, config);
    expect(message).toContain('prod-readers');
    expect(message).toContain('Role=READER');
    expect(message).toContain('watches a narrower metric than asked');
  });
});
