import { defineCheck, type Finding } from '../../src/model.js';
import { cloudfrontDistributions } from '../../src/facts/aws.js';
import { noneFound } from '../lib/none-found.js';

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
      text: 'Turn on standard logging to an S3 log bucket: fetch the config, set Logging, update the distribution with its ETag',
      command: 'aws cloudfront get-distribution-config --id {{resource}} > {{resource}}.json  # "Logging": {"Enabled": true, "IncludeCookies": false, "Bucket": "<log-bucket>.s3.amazonaws.com", "Prefix": "cloudfront/{{resource}}/"}, then: aws cloudfront update-distribution --id {{resource}} --if-match <ETag> --distribution-config file://{{resource}}.json',
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
    return distributions.map((distribution): Finding => {
      const { logging } = distribution;
      const on = logging.enabled && logging.bucket !== null;
      return {
        resource: distribution.id,
        status: on ? 'pass' : 'fail',
        code: on ? 'enabled' : 'disabled',
        args: { domain: distribution.domainName, bucket: `${logging.bucket ?? ''}/${logging.prefix ?? ''}` },
        evidence: { arn: distribution.arn, loggingEnabled: logging.enabled, bucket: logging.bucket, prefix: logging.prefix },
      };
    });
  },
});
