import { defineCheck, type Finding } from '../../src/model.js';
import { acmCertificates } from '../../src/facts/aws.js';
import { shellQuote } from '../lib/shell.js';

const CLOUDFRONT_REGION = 'us-east-1';

export default defineCheck({
  meta: {
    id: 'aws.acm.domain-certificate',
    title: 'An ACM certificate covers the domain',
    failureTitle: 'No ACM certificate covers the domain',
    description: 'CloudFront serves the product domain only with an ISSUED ACM certificate from us-east-1 whose names cover the apex and the `*.` wildcard (app, api, cdn hosts).',
    section: 'aws',
    severity: 'critical',
    layer: 'infrastructure',
    hipaa: ['164.312(e)(1)'],
    phase: 3,
    remediation: {
      text: 'Request a DNS-validated certificate in us-east-1 for the apex and its wildcard, then create the validation CNAMEs it lists',
      command: "aws acm request-certificate --domain-name {{resource}} --subject-alternative-names {{wildcardName}} --validation-method DNS --region us-east-1",
      effortMinutes: 30,
    },
    messages: {
      issued: '{{arn}} is ISSUED and covers {{resource}} and *.{{resource}}',
      'not-issued': 'The certificate for {{resource}} is {{status}}, not ISSUED ({{arn}})',
      partial: 'The ISSUED certificate {{arn}} does not cover {{uncovered}}',
      'wrong-region': 'The certificate for {{resource}} is in {{region}}; CloudFront only uses us-east-1',
      'no-certificate': 'No ACM certificate covers {{resource}}',
      'no-domain': 'No domain is configured (domain.name)',
    },
  },
  facts: { certificates: acmCertificates },
  evaluate({ certificates }, { config }) {
    const apex = config.domain?.name.toLowerCase();
    if (!apex) return [{ resource: 'domain.name', status: 'not_applicable', code: 'no-domain' }];
    const wildcard = `*.${apex}`;
    const names = (c: (typeof certificates)[number]) => new Set([c.domainName, ...c.subjectAlternativeNames].map((n) => n.toLowerCase()));
    const coverage = certificates.map((c) => ({ c, apex: names(c).has(apex), wildcard: names(c).has(wildcard) }));
    const evidence = { certificates: coverage.filter((x) => x.apex || x.wildcard).map(({ c }) => `${c.arn} ${c.status} [${c.subjectAlternativeNames.join(', ')}]`) };
    const inRegion = coverage.filter((x) => x.c.region === CLOUDFRONT_REGION);
    const full = inRegion.filter((x) => x.apex && x.wildcard);
    const issued = full.find((x) => x.c.status === 'ISSUED');
    const finding = (f: Omit<Finding, 'resource' | 'evidence'>): Finding[] => [{ resource: apex, evidence, ...f, args: { wildcardName: shellQuote(wildcard), ...f.args } }];
    if (issued) {
      // A wildcard covers one label only: a configured host deeper under the apex (a.b.example.com) needs a name of its own.
      const hosts = [...new Set(Object.values(config.domain?.hosts ?? {}).map((h) => h.toLowerCase()))].filter((h) => h.endsWith(`.${apex}`));
      const covers = (c: (typeof certificates)[number], host: string) => names(c).has(host) || names(c).has(`*.${host.slice(host.indexOf('.') + 1)}`);
      const uncovered = hosts.filter((host) => !inRegion.some((x) => x.c.status === 'ISSUED' && covers(x.c, host)));
      if (uncovered.length) {
        const args = { arn: issued.c.arn, uncovered: uncovered.join(', '), wildcardName: [wildcard, ...uncovered].map(shellQuote).join(' ') };
        return finding({ status: 'fail', code: 'partial', args });
      }
      return finding({ status: 'pass', code: 'issued', args: { arn: issued.c.arn } });
    }
    const partial = inRegion.find((x) => x.c.status === 'ISSUED' && (x.apex || x.wildcard));
    if (partial) return finding({ status: 'fail', code: 'partial', args: { arn: partial.c.arn, uncovered: partial.apex ? wildcard : apex } });
    const pending = full[0];
    if (pending) return finding({ status: 'fail', code: 'not-issued', args: { arn: pending.c.arn, status: pending.c.status } });
    const elsewhere = coverage.find((x) => x.c.region !== CLOUDFRONT_REGION && x.apex && x.wildcard && x.c.status === 'ISSUED');
    if (elsewhere) return finding({ status: 'fail', code: 'wrong-region', args: { region: elsewhere.c.region } });
    return finding({ status: 'fail', code: 'no-certificate' });
  },
});
