import type { Config } from '../../src/config/schema.js';
import { defineCheck, optional, type Finding, type FactValue } from '../../src/model.js';
import { apiGatewayStages, apiGatewayV2Stages } from '../../src/facts/aws-account.js';
import { shellQuote } from '../lib/shell.js';

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

type Stage = FactValue<typeof apiGatewayStages>[number] & { protocol?: string };

const ACCESS_LOG_FORMAT = '$context.requestId $context.identity.sourceIp $context.httpMethod $context.routeKey $context.status';

/** The CLI flags that set what is missing: REST APIs take patch operations, HTTP/WebSocket APIs take settings objects. */
function fixArgs(s: Stage, v2: boolean): Record<string, string> {
  const destination = `arn:aws:logs:${s.region}:<account>:log-group:/aws/apigateway/${s.apiId}-${s.stage.replace(/^\$/, '')}`;
  if (v2) {
    return {
      cli: 'apigatewayv2',
      apiFlag: '--api-id',
      settings: `--access-log-settings ${shellQuote(JSON.stringify({ DestinationArn: destination, Format: ACCESS_LOG_FORMAT }))} --default-route-settings ThrottlingRateLimit=100,ThrottlingBurstLimit=200`,
    };
  }
  return {
    cli: 'apigateway',
    apiFlag: '--rest-api-id',
    settings: `--patch-operations ${shellQuote(`op=replace,path=/accessLogSettings/destinationArn,value=${destination}`)} 'op=replace,path=/accessLogSettings/format,value=${ACCESS_LOG_FORMAT.replace('$context.routeKey', '$context.resourcePath')}' 'op=replace,path=/*/*/throttling/rateLimit,value=100' 'op=replace,path=/*/*/throttling/burstLimit,value=200'`,
  };
}

function stageFinding(s: Stage, v2: boolean): Finding {
  const resource = `${s.apiId}/${s.stage}`;
  const args = { api: `${s.apiName} (${s.apiId})`, apiId: s.apiId, stage: s.stage, apiIdWord: shellQuote(s.apiId), stageName: shellQuote(s.stage), region: s.region, ...fixArgs(s, v2) };
  const evidence = {
    api: s.apiName,
    type: v2 ? (s.protocol ?? 'HTTP') : 'REST',
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
}

export default defineCheck({
  meta: {
    id: 'aws.apigateway.logging',
    title: 'API stages log access and throttle requests',
    failureTitle: 'API stages lack access logging or throttling',
    description: 'Access logs record who called the API that serves PHI, and when; stage throttling bounds the damage of a flood or a runaway client. Covers REST APIs and HTTP/WebSocket APIs (API Gateway v2: access log settings and default route throttling).',
    section: 'aws',
    severity: 'medium',
    layer: 'infrastructure',
    hipaa: ['164.312(b)'],
    phase: 4,
    remediation: {
      text: 'Send the stage\'s access logs to a CloudWatch log group and set stage-wide throttling (REST APIs: `aws apigateway update-stage` patch operations; HTTP and WebSocket APIs: `aws apigatewayv2 update-stage` access log and default route settings)',
      command: "aws {{cli}} update-stage {{apiFlag}} {{apiIdWord}} --stage-name {{stageName}} --region {{region}} {{settings}}",
      effortMinutes: 20,
    },
    messages: {
      configured: 'Stage {{stage}} of {{api}} logs access to {{destination}} and throttles at {{rate}} req/s',
      'no-access-logging': 'Stage {{stage}} of {{api}} has no access logging',
      'no-throttling': 'Stage {{stage}} of {{api}} sets no throttling',
      'no-logging-no-throttling': 'Stage {{stage}} of {{api}} has neither access logging nor throttling',
      'no-apis': 'No API Gateway REST, HTTP or WebSocket API stage in the selected regions',
      'api-not-read': 'The config points at API {{apiId}} ({{region}}), but no REST, HTTP or WebSocket API stage of it was read',
      'v2-not-read': 'HTTP and WebSocket APIs (API Gateway v2) could not be read: {{reason}}',
    },
  },
  facts: { stages: apiGatewayStages, v2Stages: optional(apiGatewayV2Stages) },
  evaluate({ stages, v2Stages }, { config }) {
    const v2 = v2Stages.ok ? v2Stages.value : [];
    // Fail closed: HTTP/WebSocket APIs that could not be listed are not "no API".
    const v2Unread: Finding[] = v2Stages.ok || v2Stages.failure.kind === 'NotConfigured'
      ? []
      : [{ resource: 'apigatewayv2', status: 'unverified', code: 'v2-not-read', args: { reason: v2Stages.failure.message }, evidence: { failure: v2Stages.failure.kind, ...(v2Stages.failure.fix ? { fix: v2Stages.failure.fix } : {}) } }];
    // An API the deployment uses but that was not seen (another region, another kind) is not "no API" either.
    const unseen = [...referencedApis(config)]
      .filter(([apiId]) => !stages.some((s) => s.apiId === apiId) && !v2.some((s) => s.apiId === apiId))
      .map(([apiId, region]): Finding => ({ resource: apiId, status: 'unverified', code: 'api-not-read', args: { apiId, region }, evidence: { apiId, region, restStagesRead: stages.length, httpStagesRead: v2.length } }));
    const findings = [...v2Unread, ...unseen, ...stages.map((s) => stageFinding(s, false)), ...v2.map((s) => stageFinding(s, true))];
    return findings.length > 0 ? findings : [{ resource: 'apigateway', status: 'not_applicable', code: 'no-apis' }];
  },
});
