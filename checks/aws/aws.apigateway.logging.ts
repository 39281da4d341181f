import type { Config } from '../../src/config/schema.js';
import { defineCheck, type Finding } from '../../src/model.js';
import { apiGatewayStages } from '../../src/facts/aws-account.js';

/** `<api-id>.execute-api.<region>.amazonaws.com`; a custom domain's `d-xxxx` target names no API and does not match. */
const EXECUTE_API = /^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com\.?$/i;

/** API ids the config points at (probe URLs, domain hosts and `resolve` targets): the APIs this deployment uses. */
function referencedApis(config: Config): Map<string, string> {
  const hosts = [
    ...config.probes.map((probe) => URL.canParse(probe.url) ? new URL(probe.url).hostname : ''),
    ...Object.values(config.domain?.hosts ?? {}),
    ...Object.values(config.domain?.resolve ?? {}).map((target) => target.replace(/:\d+$/, '')),
  ];
  const apis = new Map<string, string>();
  for (const host of hosts) {
    const match = EXECUTE_API.exec(host ?? '');
    if (match) apis.set(match[1]!, match[2]!);
  }
  return apis;
}

export default defineCheck({
  meta: {
    id: 'aws.apigateway.logging',
    title: 'API stages log access and throttle requests',
    failureTitle: 'API stages lack access logging or throttling',
    description: 'Access logs record who called the API that serves PHI, and when; stage throttling bounds the damage of a flood or a runaway client.',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.312(b)'],
    phase: 4,
    remediation: {
      text: 'Send the stage\'s access logs to a CloudWatch log group and set stage-wide throttling',
      command: "aws apigateway update-stage --rest-api-id {{apiId}} --stage-name {{stage}} --region {{region}} --patch-operations op=replace,path=/accessLogSettings/destinationArn,value=arn:aws:logs:{{region}}:<account>:log-group:/aws/apigateway/{{apiId}}-{{stage}} 'op=replace,path=/accessLogSettings/format,value=$context.requestId $context.identity.sourceIp $context.httpMethod $context.resourcePath $context.status' 'op=replace,path=/*/*/throttling/rateLimit,value=100' 'op=replace,path=/*/*/throttling/burstLimit,value=200'",
      effortMinutes: 20,
    },
    messages: {
      configured: 'Stage {{stage}} of {{api}} logs access to {{destination}} and throttles at {{rate}} req/s',
      'no-access-logging': 'Stage {{stage}} of {{api}} has no access logging',
      'no-throttling': 'Stage {{stage}} of {{api}} sets no throttling',
      'no-logging-no-throttling': 'Stage {{stage}} of {{api}} has neither access logging nor throttling',
      'no-apis': 'No API Gateway REST API stage in the selected regions',
      'api-not-read': 'The config points at API {{apiId}} ({{region}}), but no REST API stage of it was read (HTTP and WebSocket APIs are not read by this check)',
    },
  },
  facts: { stages: apiGatewayStages },
  evaluate({ stages }, { config }) {
    // Fail closed: an API the deployment uses but that was not seen (an HTTP API, another region) is not "no API".
    const unseen = [...referencedApis(config)]
      .filter(([apiId]) => !stages.some((s) => s.apiId === apiId))
      .map(([apiId, region]): Finding => ({ resource: apiId, status: 'unverified', code: 'api-not-read', args: { apiId, region }, evidence: { apiId, region, restStagesRead: stages.length } }));
    if (stages.length === 0) return unseen.length > 0 ? unseen : [{ resource: 'apigateway', status: 'not_applicable', code: 'no-apis' }];
    return [...unseen, ...stages.map((s): Finding => {
      const resource = `${s.apiId}/${s.stage}`;
      const args = { api: `${s.apiName} (${s.apiId})`, apiId: s.apiId, stage: s.stage, region: s.region };
      const evidence = {
        api: s.apiName,
        region: s.region,
        accessLogDestination: s.accessLogDestination,
        throttlingRateLimit: s.throttling?.rateLimit ?? null,
        throttlingBurstLimit: s.throttling?.burstLimit ?? null,
      };
      const logging = s.accessLogDestination !== null;
      const throttled = s.throttling !== null && (s.throttling.rateLimit ?? 0) > 0 && (s.throttling.burstLimit ?? 0) > 0;
      if (logging && throttled) {
        return { resource, status: 'pass', code: 'configured', args: { ...args, destination: s.accessLogDestination!, rate: s.throttling!.rateLimit! }, evidence };
      }
      const code = !logging && !throttled ? 'no-logging-no-throttling' : logging ? 'no-throttling' : 'no-access-logging';
      return { resource, status: 'fail', code, args, evidence };
    })];
  },
});
