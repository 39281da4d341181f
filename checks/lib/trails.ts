import type { cloudtrailTrailSettings } from '../../src/facts/aws-detection.js';
import type { FactValue } from '../../src/model.js';
import { shellQuote } from './shell.js';

type Trail = FactValue<typeof cloudtrailTrailSettings>[number];

/** Trails that are logging, each once (a multi-region trail is also listed as shadow trails in other regions). */
export function loggingTrails(trails: readonly Trail[]): Trail[] {
  return trails.filter((trail) => trail.isLogging);
}

/** `aws cloudtrail update-trail` on the trail, in its home region, with these options. */
export function updateTrail(trail: Trail, options: string): string {
  return `aws cloudtrail update-trail --name ${shellQuote(trail.name)} ${options} --region ${trail.homeRegion}`;
}

export const TRAIL_MESSAGES = {
  'no-trails': 'No CloudTrail trail is logging',
};
