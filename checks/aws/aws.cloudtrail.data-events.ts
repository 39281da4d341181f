import { defineCheck, type Finding } from '../../src/model.js';
import { s3Buckets } from '../../src/facts/aws.js';
import { cloudtrailTrailSettings } from '../../src/facts/aws-detection.js';
import { holdsPhi } from '../lib/s3-buckets.js';
import { shellQuote } from '../lib/shell.js';
import { loggingTrails } from '../lib/trails.js';

/**
 * Above this many PHI buckets the fix records every bucket's objects (`arn:aws:s3`) instead of naming each: a trail's
 * basic selectors hold at most 250 data resources, and one command naming thousands of buckets, printed once per
 * bucket, made the report grow with the square of the buckets.
 */
const MAX_NAMED_BUCKETS = 20;

/**
 * The buckets S3 data-event ARN prefixes cover every object of: all (`arn:aws:s3`, `arn:aws:s3:::`), or each one named
 * as `arn:aws:s3:::bucket` or `arn:aws:s3:::bucket/`. Read once per selector, not once per bucket.
 */
function coverage(prefixes: readonly string[]): { everyBucket: boolean; buckets: Set<string> } {
  let everyBucket = false;
  const buckets = new Set<string>();
  for (const prefix of prefixes) {
    if (prefix === 'arn:aws:s3' || prefix === 'arn:aws:s3:::') everyBucket = true;
    else if (prefix.startsWith('arn:aws:s3:::')) {
      const scope = prefix.slice('arn:aws:s3:::'.length);
      buckets.add(scope);
      if (scope.endsWith('/')) buckets.add(scope.slice(0, -1));
    }
  }
  return { everyBucket, buckets };
}

export default defineCheck({
  meta: {
    id: 'aws.cloudtrail.data-events',
    title: 'CloudTrail records object-level access to PHI buckets',
    failureTitle: 'Object-level access to a PHI bucket is not recorded',
    description:
      'Management events show who changed a bucket, not who read a patient’s file. S3 data events (GetObject, PutObject, DeleteObject) on every PHI bucket are the record of access to PHI that an audit or a breach investigation asks for.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.312(b)'],
    phase: 4,
    remediation: {
      text: 'Record read and write S3 data events for every PHI bucket on a logging trail (the command replaces the trail’s event selectors with management events plus these buckets; with more than 20 PHI buckets it records the objects of every bucket in the account; a single-region trail homed elsewhere than the bucket is made multi-region first)',
      command: '{{widen}}aws cloudtrail put-event-selectors --trail-name {{trail}} --event-selectors {{selectors}} --region {{region}}',
      effortMinutes: 15,
    },
    messages: {
      recorded: 'Read and write object events on {{resource}} are recorded by {{trails}}',
      partial: 'Only {{recorded}} object events on {{resource}} are recorded',
      'not-recorded': 'Object-level access to {{resource}} is not recorded by any logging trail',
      'not-phi': '{{resource}} is marked `phi: false`',
      'bucket-missing': 'Configured bucket {{resource}} does not exist',
      'no-trails': 'No CloudTrail trail is logging: object-level access to PHI buckets is not recorded',
      'no-buckets': 'No S3 bucket found to assess',
    },
  },
  facts: { buckets: s3Buckets, trails: cloudtrailTrailSettings },
  evaluate({ buckets, trails }, { config }) {
    if (buckets.length === 0) return [{ resource: 's3', status: 'fail', code: 'no-buckets' }];
    const logging = loggingTrails(trails);
    const phiBuckets = buckets.filter((b) => b.exists && holdsPhi(config, b.name)).map((b) => b.name);
    if (logging.length === 0) return [{ resource: 'cloudtrail', status: 'fail', code: 'no-trails' }];
    const values = phiBuckets.length > MAX_NAMED_BUCKETS ? ['arn:aws:s3'] : phiBuckets.map((b) => `arn:aws:s3:::${b}/`);
    const selectors = shellQuote(JSON.stringify([{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: values }] }]));
    const fixArgsFor = fixTarget(logging, selectors);
    const recorders = logging.flatMap((trail) =>
      trail.s3DataEvents.map((e) => ({ trail: trail.name, multiRegion: trail.multiRegion, homeRegion: trail.homeRegion, readWrite: e.readWrite, covered: coverage(e.arnPrefixes) })),
    );
    return buckets.map((bucket): Finding => {
      if (!bucket.exists) return { resource: bucket.name, status: 'fail', code: 'bucket-missing' };
      if (!holdsPhi(config, bucket.name)) return { resource: bucket.name, status: 'not_applicable', code: 'not-phi' };
      // S3 data events are logged in the bucket's region: a single-region trail records only buckets of its home region.
      const matching = recorders.filter((r) => (r.multiRegion || r.homeRegion === bucket.region) && (r.covered.everyBucket || r.covered.buckets.has(bucket.name)));
      const read = matching.some((m) => m.readWrite !== 'WriteOnly');
      const write = matching.some((m) => m.readWrite !== 'ReadOnly');
      const evidence = { selectors: matching.map((m) => `${m.trail}: ${m.readWrite}`) };
      if (read && write) return { resource: bucket.name, status: 'pass', code: 'recorded', args: { trails: [...new Set(matching.map((m) => m.trail))].join(', ') }, evidence };
      if (read || write) return { resource: bucket.name, status: 'fail', code: 'partial', args: { ...fixArgsFor(bucket.region), recorded: read ? 'read' : 'write' }, evidence };
      return { resource: bucket.name, status: 'fail', code: 'not-recorded', args: fixArgsFor(bucket.region), evidence };
    });
  },
});

type Trail = ReturnType<typeof loggingTrails>[number];

/**
 * The fix's arguments for a bucket of a region: a trail that records the bucket once its selectors are set. A
 * multi-region trail records every region; else one homed in the bucket's region; else a single-region trail
 * records nothing there until it is made multi-region, which the fix then does first.
 */
function fixTarget(logging: readonly Trail[], selectors: string): (region: string | null) => Record<string, string> {
  const multiRegion = logging.find((t) => t.multiRegion);
  const homedIn = new Map<string, Trail>();
  for (const trail of logging) if (!homedIn.has(trail.homeRegion)) homedIn.set(trail.homeRegion, trail);
  const argsOf = (trail: Trail, widen: boolean) => ({
    trail: shellQuote(trail.name),
    selectors,
    region: trail.homeRegion,
    widen: widen ? `aws cloudtrail update-trail --name ${shellQuote(trail.name)} --is-multi-region-trail --region ${shellQuote(trail.homeRegion)} && ` : '',
  });
  if (multiRegion) {
    const args = argsOf(multiRegion, false);
    return () => args;
  }
  const widened = argsOf(logging[0]!, true);
  const homed = new Map([...homedIn].map(([region, trail]) => [region, argsOf(trail, false)]));
  return (region) => (region !== null && homed.get(region)) || widened;
}
