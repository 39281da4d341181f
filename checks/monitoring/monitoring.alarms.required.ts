import type { Config } from '../../src/config/schema.js';
import { defineCheck, type Evidence, type Finding } from '../../src/model.js';
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
    description: 'Without alarms nobody learns that the database is saturated or the API is failing. Each `aws.cloudwatch.requiredAlarms` entry needs an alarm on that metric, with its dimensions (one cluster, one API), that fires when the metric rises (or, with `minThreshold`, when it falls), no looser than its threshold, within `maxMinutesToAlarm` (15 by default) of the metric crossing it (Period × DatapointsToAlarm, or EvaluationPeriods); entries on one metric with different dimensions are separate requirements. An entry without dimensions on AWS/RDS, when the config lists `rds.clusters` or `rds.instances`, needs an alarm on one of them.',
    section: 'monitoring',
    severity: 'high',
    layer: 'operational',
    hipaa: ['164.308(a)(1)(ii)(D)'],
    phase: 4,
    remediation: {
      text: 'Create the alarm, with an SNS topic as its action',
      command: 'aws cloudwatch put-metric-alarm --alarm-name {{alarmName}} --namespace {{namespace}} --metric-name {{metric}}{{dimensionsOption}} --statistic Average --period {{fixPeriod}} --evaluation-periods {{fixEvaluationPeriods}} --threshold {{threshold}} --comparison-operator {{comparisonOperator}} --alarm-actions arn:aws:sns:<region>:<account>:<topic>',
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
      'too-slow': 'Alarm {{alarm}} on {{resource}} fires {{minutes}} minutes after the metric crosses its threshold ({{datapoints}} × {{period}} s), later than {{maxMinutes}} minutes',
      'timing-not-collected': 'How soon alarm {{alarm}} on {{resource}} fires (period, evaluation periods) was not collected (snapshot taken before it was): run `readiness check` again',
      'other-resources': 'No alarm on {{resource}} watches {{listed}} (the resources the config lists); the alarms on it watch others: {{alarms}}',
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
      // Without dimensions, an alarm on any resource's metric (a scratch cluster's CPU) would do: where the config
      // lists the resources assessed, the alarm must watch one of them.
      const listed = dimensions.length ? [] : listedResources(config, want.namespace);
      const fixDimensions = dimensions.length || listed.length === 0 ? dimensions : [[listed[0]![0], listed[0]![1].values().next().value!] as const];
      const alarmName = [want.namespace.replace(/\W+/g, '-').toLowerCase(), want.metric.toLowerCase(), ...fixDimensions.map(([, value]) => value)].join('-');
      const fixArgs = {
        alarmName: shellQuote(alarmName),
        namespace: shellQuote(want.namespace),
        metric: shellQuote(want.metric),
        threshold: want.maxThreshold ?? want.minThreshold ?? '<threshold>',
        comparisonOperator: falling ? 'LessThanThreshold' : 'GreaterThanThreshold',
        dimensionsOption: fixDimensions.length ? ` --dimensions ${fixDimensions.map(([name, value]) => shellQuote(`Name=${name},Value=${value}`)).join(' ')}` : '',
        ...fixTiming(want.maxMinutesToAlarm),
      };
      const label = (a: Alarm) => Object.entries(a.dimensions).map(([name, value]) => `${name}=${value}`).join(',') || 'no dimensions';
      // The requirement names no resource: which one the alarm watches goes into the evidence.
      const watched = (a: Alarm): Evidence => (dimensions.length ? {} : { dimensions: label(a) });
      const onMetric = candidatesFor(want);
      const carrying = listed.length ? onMetric.filter((a) => listed.some(([name, ids]) => Object.hasOwn(a.dimensions, name) && ids.has(a.dimensions[name]!))) : onMetric;
      if (carrying.length === 0 && onMetric.length > 0) {
        const evidence = { alarms: onMetric.map((a) => a.name), arns: onMetric.map((a) => a.arn), dimensions: onMetric.map(label) };
        const listedLabel = listed.flatMap(([name, ids]) => [...ids].map((id) => `${name}=${id}`)).join(', ');
        return { resource, status: 'fail', code: 'other-resources', args: { ...fixArgs, listed: listedLabel, alarms: onMetric.map((a) => `${a.name} (${label(a)})`).join(', ') }, evidence };
      }
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
        return { resource, status: 'fail', code: 'sample-count', args: { ...fixArgs, alarm: alarm.name }, evidence: { alarm: alarm.name, arn: alarm.arn, statistic: alarm.statistic ?? null, ...watched(alarm) } };
      }
      // Only an alarm that fires the way the requirement watches counts: one that fires on the other side never will.
      const firing = watchingValue.filter((a) => firesWhen(a.comparison, falling));
      if (firing.length === 0) {
        const alarm = watchingValue[0]!;
        const evidence = { alarm: alarm.name, arn: alarm.arn, threshold: alarm.threshold, comparison: alarm.comparison, ...watched(alarm) };
        return { resource, status: 'fail', code: falling ? 'upper-bound' : 'lower-bound', args: { ...fixArgs, alarm: alarm.name, threshold: alarm.threshold ?? 'none', comparison: alarm.comparison ?? 'none' }, evidence };
      }
      const tight = firing.filter((a) => (falling ? !fallsLate(a, want.minThreshold!) : want.maxThreshold === undefined || !looser(a, want.maxThreshold)));
      if (tight.length === 0) {
        const alarm = firing[0]!;
        const evidence = { alarm: alarm.name, arn: alarm.arn, threshold: alarm.threshold, comparison: alarm.comparison, ...watched(alarm) };
        return falling
          ? { resource, status: 'fail', code: 'too-low', args: { ...fixArgs, alarm: alarm.name, threshold: alarm.threshold ?? 'none', minThreshold: want.minThreshold! }, evidence }
          : { resource, status: 'fail', code: 'too-loose', args: { ...fixArgs, alarm: alarm.name, threshold: alarm.threshold ?? 'none', maxThreshold: want.maxThreshold! }, evidence };
      }
      // An alarm over one-day periods fires days after the outage: it tells nobody in time.
      const timed = tight.filter((a) => minutesToAlarm(a) !== undefined);
      const alarm = timed.find((a) => minutesToAlarm(a)! <= want.maxMinutesToAlarm);
      if (!alarm) {
        const untimed = tight.find((a) => minutesToAlarm(a) === undefined);
        if (untimed) {
          const evidence = { alarm: untimed.name, arn: untimed.arn, period: untimed.period ?? null, evaluationPeriods: untimed.evaluationPeriods ?? null, ...watched(untimed) };
          return { resource, status: 'unverified', code: 'timing-not-collected', args: { ...fixArgs, alarm: untimed.name }, evidence };
        }
        const fastest = timed.reduce((a, b) => (minutesToAlarm(b)! < minutesToAlarm(a)! ? b : a));
        const minutes = minutesToAlarm(fastest)!;
        const evidence = { alarm: fastest.name, arn: fastest.arn, period: fastest.period ?? null, evaluationPeriods: fastest.evaluationPeriods ?? null, datapointsToAlarm: fastest.datapointsToAlarm ?? null, minutesToAlarm: minutes, ...watched(fastest) };
        const args = { ...fixArgs, alarm: fastest.name, minutes: Number(minutes.toFixed(1)), datapoints: fastest.datapointsToAlarm ?? fastest.evaluationPeriods!, period: fastest.period!, maxMinutes: want.maxMinutesToAlarm };
        return { resource, status: 'fail', code: 'too-slow', args, evidence };
      }
      const evidence = { alarm: alarm.name, arn: alarm.arn, threshold: alarm.threshold, comparison: alarm.comparison, minutesToAlarm: minutesToAlarm(alarm)!, ...watched(alarm) };
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

/** The resources of a namespace the config lists, as [dimension, identifiers]; empty when it lists none (every one is assessed). A set: an init-style config lists thousands. */
function listedResources(config: Config, namespace: string): [string, ReadonlySet<string>][] {
  const rds = config.aws?.rds;
  if (namespace !== 'AWS/RDS' || !rds) return [];
  return ([['DBClusterIdentifier', rds.clusters], ['DBInstanceIdentifier', rds.instances]] as const).flatMap(([name, ids]): [string, ReadonlySet<string>][] => (ids?.length ? [[name, new Set(ids)]] : []));
}

/** The fix's period and evaluation periods: 5 minutes × 2 where that is fast enough, else one-minute periods (the finest of AWS metrics) up to the limit. */
function fixTiming(maxMinutes: number): { fixPeriod: number; fixEvaluationPeriods: number } {
  return maxMinutes >= 10 ? { fixPeriod: 300, fixEvaluationPeriods: 2 } : { fixPeriod: 60, fixEvaluationPeriods: Math.max(1, Math.min(2, Math.floor(maxMinutes))) };
}

/** Minutes from the metric crossing the threshold to the alarm firing: Period × (DatapointsToAlarm ?? EvaluationPeriods); undefined when not collected. */
function minutesToAlarm(alarm: { period?: number | null; evaluationPeriods?: number | null; datapointsToAlarm?: number | null }): number | undefined {
  const datapoints = alarm.datapointsToAlarm ?? alarm.evaluationPeriods;
  return alarm.period == null || datapoints == null ? undefined : (alarm.period * datapoints) / 60;
}
