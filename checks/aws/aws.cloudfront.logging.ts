import { defineCheck, type Finding } from '../../src/model.js';
import { cloudfrontDistributions } from '../../src/facts/aws.js';
import { editDistributionCommand } from '../lib/cloudfront.js';
import { noneFound } from '../lib/none-found.js';
import { shellQuote } from '../lib/shell.js';

const NO_DISTRIBUTIONS = noneFound('CloudFront distribution', 'cloudfront');

export default defineCheck({
  meta: {
    id: 'aws.cloudfront.logging',
    title: 'CloudFront standard logging is on',
    failureTitle: 'CloudFront standard logging is off',
    description: 'Standard (access) logs record every viewer request: the audit trail of who fetched which file. Logging delivered only through CloudWatch vended log deliveries (standard logging v2) is not read by this check.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.312(b)'],
    phase: 4,
    remediation: {
      text: 'Turn on standard logging to an S3 log bucket (with ACLs enabled, as CloudFront standard logging needs): the command fetches the config, sets Logging with jq, and updates the distribution with its ETag. It names the bucket another distribution already logs to, else `<log-bucket>` to fill in',
      command: '{{fix}}',
      effortMinutes: 15,
    },
    messages: {
      enabled: '{{resource}} ({{domain}}) logs to {{bucket}}',
      disabled: '{{resource}} ({{domain}}) has standard logging off',
      'no-distributions': NO_DISTRIBUTIONS.message,
    },
  },
  facts: { distributions: cloudfrontDistributions },
  evaluate({ distributions }) {
    if (distributions.length === 0) return [{ resource: 'cloudfront', status: 'not_applicable', code: 'no-distributions' }];
    // Where the account's CloudFront logs already go is where this distribution's should go too.
    const logBucket = distributions.find((d) => d.logging.enabled && d.logging.bucket)?.logging.bucket ?? '<log-bucket>.s3.amazonaws.com';
    return distributions.map((distribution): Finding => {
      const { logging } = distribution;
      const fix = editDistributionCommand(distribution.id, '.Logging = {Enabled: true, IncludeCookies: false, Bucket: $bucket, Prefix: $prefix}', `--arg bucket ${shellQuote(logBucket)} --arg prefix ${shellQuote(`cloudfront/${distribution.id}/`)}`);
      const on = logging.enabled && logging.bucket !== null;
      return {
        resource: distribution.id,
        status: on ? 'pass' : 'fail',
        code: on ? 'enabled' : 'disabled',
        args: { domain: distribution.domainName, bucket: `${logging.bucket ?? ''}/${logging.prefix ?? ''}`, fix },
        evidence: { arn: distribution.arn, loggingEnabled: logging.enabled, bucket: logging.bucket, prefix: logging.prefix },
      };
    });
  },
});
