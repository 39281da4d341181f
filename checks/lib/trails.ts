import type { cloudtrailTrailSettings } from '../../src/facts/aws-detection.js';
import type { FactValue } from '../../src/model.js';
import { shellQuote } from './shell.js';

type Trail = FactValue<typeof cloudtrailTrailSettings>[number];

/** Trails that are logging, each once (a multi-region trail is also listed as shadow trails in other regions). */
export function loggingTrails(trails: readonly Trail[]): Trail[] {
  return trails.filter((trail) => trail.isLogging);
}

/** The trail's page in the console, as a pasteable command. */
export function openTrail(trail: Trail): string {
  return `open ${shellQuote(`https://console.aws.amazon.com/cloudtrail/home?region=${trail.homeRegion}#/trails/${trail.arn}`)}`;
}

export const TRAIL_MESSAGES = {
  'no-trails': 'No CloudTrail trail is logging',
};
