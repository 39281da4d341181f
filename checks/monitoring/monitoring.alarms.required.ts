import { defineCheck, type Finding } from '../../src/model.js';
import { cloudwatchAlarms } from '../../src/facts/aws.js';
import { shellQuote } from '../lib/shell.js';

/** Comparisons that fire only when the metric falls: an alarm that can never fire for a requirement on a rising metric. */
const FIRES_ON_FALL = new Set(['LessThanThreshold', 'LessThanOrEqualToThreshold', 'LessThanLowerThreshold']);
/** Fires either way: out of a band. */
const FIRES_BOTH_WAYS = 'LessThanLowerOrGreaterThanUpperThreshold';

export default defineCheck({
  meta: {
    id: 'monitoring.alarms.required',
    title: 'Required CloudWatch alarms exist',
    failureTitle: 'Required CloudWatch alarms are missing',
    description: 'Without alarms nobody learns that the database is saturated or the API is failing. Each `aws.cloudwatch.requiredAlarms` entry needs an alarm on that metric, with its dimensions (one cluster, one API), that fires when the metric rises (or, with `minThreshold`, when it falls), no looser than its threshold; entries on one metric with different dimensions are separate requirements.',
    section: 'monitoring',
    severity: 'high',
    layer: 'operational',
    hipaa: ['164.308(a)(1)(ii)(D)'],
    phase: 4,
    remediation: {
      text: 'Create the alarm, with an SNS topic as its action',
      command: 'aws cloudwatch put-metric-alarm --alarm-name {{alarmName}} --namespace {{namespace}} --metric-name {{metric}}{{dimensionsOption}} --statistic Average --period 300 --evaluation-periods 2 --threshold {{threshold}} --comparison-operator {{comparisonOperator}} --alarm-actions arn:aws:sns:<region>:<account>:<topic>',
      effortMinutes: 15,
    },
    messages: {
      present: 'Alarm {{alarm}} watches {{resource}} (threshold {{threshold}})',
      missing: 'No alarm watches {{resource}}',
      'extra-dimensions': 'Only {{alarms}} carry the dimensions of {{resource}}, with more beside them: each watches a narrower metric than asked (CloudWatch matches a metric by its exact set of dimensions)',
      'too-loose': 'Alarm {{alarm}} on {{resource}} has threshold {{threshold}}, looser than {{maxThreshold}}',
      'sample-count': 'Alarm {{alarm}} on {{resource}} watches SampleCount, the number of datapoints that arrived (traffic), not the value of the metric',
      'statistic-not-collected': 'Which statistic alarm {{alarm}} on {{resource}} watches was not collected (snapshot taken before it was): run `readiness check` again',
      'lower-bound': 'Alarm {{alarm}} on {{resource}} fires only when the metric falls ({{comparison}} {{threshold}}), never when it rises',
      'upper-bound': 'Alarm {{alarm}} on {{resource}} fires only when the metric rises ({{comparison}} {{threshold}}), never when it falls',
      'too-low': 'Alarm {{alarm}} on {{resource}} fires below {{threshold}}, later than {{minThreshold}}',
      'no-alarms': 'No CloudWatch alarm exists in the selected regions',
      'alarms-exist': '{{count}} alarms exist (no specific alarm is required by the config)',
    },
  },
  facts: { alarms: cloudwatchAlarms },
  evaluate({ alarms }, { config }) {
    const required = config.aws?.cloudwatch.requiredAlarms ?? [];
    if (required.length === 0) {
      return alarms.length === 0
        ? [{ resource: 'cloudwatch', status: 'fail', code: 'no-alarms', args: { alarmName: 'rds-cpu-high', namespace: 'AWS/RDS', metric: 'CPUUtilization', threshold: 80, dimensionsOption: '' } }]
        : [{ resource: 'cloudwatch', status: 'pass', code: 'alarms-exist', args: { count: alarms.length } }];
    }
    const candidatesFor = alarmIndex(alarms);
    return required.map((want): Finding => {
      const dimensions = Object.entries(want.dimensions ?? {}).sort(([a], [b]) => a.localeCompare(b));
      const dimensionsLabel = dimensions.map(([name, value]) => `${name}=${value}`).join(',');
      // One resource per requirement: several clusters' CPU alarms are several results, each fixed on its own.
      const resource = [want.namespace, want.metric, ...(dimensions.length ? [dimensionsLabel] : [])].join(' ');
      const falling = want.minThreshold !== undefined;
      const alarmName = [want.namespace.replace(/\W+/g, '-').toLowerCase(), want.metric.toLowerCase(), ...dimensions.map(([, value]) => value)].join('-');
      const fixArgs = {
        alarmName: shellQuote(alarmName),
        namespace: shellQuote(want.namespace),
        metric: shellQuote(want.metric),
        threshold: want.maxThreshold ?? want.minThreshold ?? '<threshold>',
        comparisonOperator: falling ? 'LessThanThreshold' : 'GreaterThanThreshold',
        dimensionsOption: dimensions.length ? ` --dimensions ${dimensions.map(([name, value]) => shellQuote(`Name=${name},Value=${value}`)).join(' ')}` : '',
      };
      const carrying = candidatesFor(want);
      // CloudWatch matches a metric by its exact dimension set: with one more (Role=READER) an alarm watches the readers, not the cluster.
      const candidates = dimensions.length ? carrying.filter((a) => Object.keys(a.dimensions).length === dimensions.length) : carrying;
      if (candidates.length === 0 && carrying.length > 0) {
        const extra = (a: (typeof carrying)[number]) => Object.entries(a.dimensions).filter(([name]) => !Object.hasOwn(want.dimensions!, name)).map(([name, value]) => `${name}=${value}`).join(',');
        const evidence = { alarms: carrying.map((a) => a.name), arns: carrying.map((a) => a.arn), extraDimensions: carrying.map(extra) };
        return { resource, status: 'unverified', code: 'extra-dimensions', args: { ...fixArgs, alarms: carrying.map((a) => `${a.name} (${extra(a)})`).join(', ') }, evidence };
      }
      if (candidates.length === 0) return { resource, status: 'fail', code: 'missing', args: fixArgs };
      // SampleCount counts the datapoints that arrived (requests, for 5XXError), not the metric's value: it watches traffic.
      const watchingValue = candidates.filter((a) => a.statistic !== 'SampleCount');
      if (watchingValue.length === 0) {
        const alarm = candidates[0]!;
        return { resource, status: 'fail', code: 'sample-count', args: { ...fixArgs, alarm: alarm.name }, evidence: { alarm: alarm.name, arn: alarm.arn, statistic: alarm.statistic ?? null } };
      }
      // Only an alarm that fires the way the requirement watches counts: one that fires on the other side never will.
      const firing = watchingValue.filter((a) => firesWhen(a.comparison, falling));
      if (firing.length === 0) {
        const alarm = watchingValue[0]!;
        const evidence = { alarm: alarm.name, arn: alarm.arn, threshold: alarm.threshold, comparison: alarm.comparison };
        return { resource, status: 'fail', code: falling ? 'upper-bound' : 'lower-bound', args: { ...fixArgs, alarm: alarm.name, threshold: alarm.threshold ?? 'none', comparison: alarm.comparison ?? 'none' }, evidence };
      }
      const tight = firing.find((a) => (falling ? !fallsLate(a, want.minThreshold!) : want.maxThreshold === undefined || !looser(a, want.maxThreshold)));
      const alarm = tight ?? firing[0]!;
      const evidence = { alarm: alarm.name, arn: alarm.arn, threshold: alarm.threshold, comparison: alarm.comparison };
      if (!tight && falling) {
        return { resource, status: 'fail', code: 'too-low', args: { ...fixArgs, alarm: alarm.name, threshold: alarm.threshold ?? 'none', minThreshold: want.minThreshold! }, evidence };
      }
      if (!tight) {
        return { resource, status: 'fail', code: 'too-loose', args: { ...fixArgs, alarm: alarm.name, threshold: alarm.threshold ?? 'none', maxThreshold: want.maxThreshold! }, evidence };
      }
      if (alarm.statistic === undefined) return { resource, status: 'unverified', code: 'statistic-not-collected', args: { ...fixArgs, alarm: alarm.name }, evidence };
      return { resource, status: 'pass', code: 'present', args: { ...fixArgs, alarm: alarm.name, threshold: alarm.threshold ?? 'none' }, evidence: { ...evidence, statistic: alarm.statistic } };
    });
  },
});

type Alarm = { namespace: string | null; metric: string | null; dimensions: Record<string, string> };
type Wanted = { namespace: string; metric: string; dimensions?: Record<string, string> | undefined };

/**
 * The alarms on a metric that carry every dimension a requirement names, found through an index built once:
 * an `init`-style config requires one alarm per resource, on the same metric, and accounts have thousands.
 */
function alarmIndex<A extends Alarm>(alarms: readonly A[]): (want: Wanted) => A[] {
  const key = (...parts: (string | null)[]) => JSON.stringify(parts);
  const byMetric = Map.groupBy(alarms, (a) => key(a.namespace, a.metric));
  const byDimension = new Map<string, A[]>();
  for (const alarm of alarms) {
    for (const [name, value] of Object.entries(alarm.dimensions)) {
      const k = key(alarm.namespace, alarm.metric, name, value);
      const list = byDimension.get(k) ?? [];
      list.push(alarm);
      byDimension.set(k, list);
    }
  }
  return (want) => {
    const dimensions = Object.entries(want.dimensions ?? {});
    const [first] = dimensions;
    // Alarms carrying the first dimension asked for (in the alarms' order), then the others checked on them.
    const pool = first ? (byDimension.get(key(want.namespace, want.metric, ...first)) ?? []) : (byMetric.get(key(want.namespace, want.metric)) ?? []);
    return pool.filter((a) => dimensions.every(([name, value]) => a.dimensions[name] === value));
  };
}

/** Whether an alarm with this comparison fires when the metric falls (`falling`) or when it rises. */
function firesWhen(comparison: string | null, falling: boolean): boolean {
  if (comparison === FIRES_BOTH_WAYS) return true;
  const onFall = comparison !== null && FIRES_ON_FALL.has(comparison);
  return falling ? onFall : !onFall;
}

/** For an upper-bound alarm, a higher threshold fires later. */
function looser(alarm: { threshold: number | null }, maxThreshold: number): boolean {
  return alarm.threshold === null || alarm.threshold > maxThreshold;
}

/** For a lower-bound alarm, a lower threshold fires later. */
function fallsLate(alarm: { threshold: number | null }, minThreshold: number): boolean {
  return alarm.threshold === null || alarm.threshold < minThreshold;
}
