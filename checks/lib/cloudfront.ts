import { shellQuote } from './shell.js';

/**
 * A command that edits a distribution's config with a jq program: get-distribution-config, edit its
 * `.DistributionConfig`, update-distribution with the ETag it came with (so a concurrent change makes the
 * update fail instead of being overwritten). Needs jq.
 */
export function editDistributionCommand(id: string, program: string, jqArguments = ''): string {
  const quoted = shellQuote(id);
  return [
    `distribution=$(aws cloudfront get-distribution-config --id ${quoted} --output json)`,
    `aws cloudfront update-distribution --id ${quoted} --if-match "$(printf '%s' "$distribution" | jq -r .ETag)" --distribution-config "$(printf '%s' "$distribution" | jq -c ${jqArguments ? `${jqArguments} ` : ''}${shellQuote(`.DistributionConfig | ${program}`)})" --output json > /dev/null`,
  ].join(' && ');
}
