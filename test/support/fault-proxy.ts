import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

/** What the proxy can do to the answer of the chosen action, every time it is called (retries included). */
export const FAULTS = ['empty-200', 'html-200', 'bare-root', 'missing-list', 'http-500', 'http-403', 'throttled', 'reset', 'truncated', 'hang'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultProxy {
  endpoint: string;
  /** Requests seen per action (`rds:DescribeDBClusters`, `s3:GetBucketPolicy`, ...). */
  seen: Map<string, number>;
  /** Answers faulted; `missing-list` counts only answers that had a list element to take out. */
  injected: number;
  stop(): Promise<void>;
}

type Protocol = 'query' | 'json' | 'rest-xml' | 'rest-json';

/**
 * An HTTP proxy in front of moto that the SDK reaches through the endpoint URL. Requests of every
 * action go through untouched, except those of `target.action`, whose answers get `target.fault`.
 * The action is read as the SDK sends it: `X-Amz-Target` (JSON protocols), `Action=` in the form
 * body (query protocols), the REST path (S3, CloudFront, API Gateway); the service from the SigV4
 * credential scope.
 */
export async function startFaultProxy(upstream: string, target?: { action: string; fault: Fault; when?: (body: string) => boolean }): Promise<FaultProxy> {
  const seen = new Map<string, number>();
  const sockets = new Set<Socket>();
  const proxy: FaultProxy = { endpoint: '', seen, injected: 0, stop: async () => {} };
  const server = createServer((request, response) => {
    void handle(request, response).catch(() => response.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const { action, protocol } = identify(request, body);
    seen.set(action, (seen.get(action) ?? 0) + 1);
    const fault = target?.action === action && (!target.when || target.when(body.toString())) ? target.fault : undefined;
    if (fault === 'hang') {
      proxy.injected++;
      return;
    }
    if (fault === 'reset') {
      proxy.injected++;
      request.socket.resetAndDestroy();
      return;
    }
    if (fault === 'http-500' || fault === 'http-403' || fault === 'throttled') {
      proxy.injected++;
      return sendError(response, protocol, fault);
    }
    const answer = await forward(upstream, request, body);
    if (!fault) return send(response, answer.status, answer.headers, answer.body);
    const faulted = faultBody(fault, answer.body, answer.headers['content-type'] ?? '');
    if (faulted === null) return send(response, answer.status, answer.headers, answer.body);
    proxy.injected++;
    send(response, 200, { 'content-type': fault === 'html-200' ? 'text/html' : (answer.headers['content-type'] ?? 'text/xml') }, faulted);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return proxy;
}

export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

const REST_SERVICES = new Set(['s3', 'cloudfront', 'apigateway', 'artifact', 'backup']);

export function identify(request: IncomingMessage, body: Buffer): { action: string; protocol: Protocol } {
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(request.headers.authorization ?? '');
  const service = scope?.[1] ?? 'unsigned';
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return { action: `${service}:${target.split('.').pop()}`, protocol: 'json' };
  const url = new URL(request.url ?? '/', 'http://proxy');
  if (!REST_SERVICES.has(service)) {
    const action = new URLSearchParams(body.toString()).get('Action') ?? url.searchParams.get('Action');
    if (action) return { action: `${service}:${action}`, protocol: 'query' };
  }
  return restAction(service, request.method ?? 'GET', url);
}

function restAction(service: string, method: string, url: URL): { action: string; protocol: Protocol } {
  const path = url.pathname;
  if (service === 's3') {
    if (path.startsWith('/v20180820/configuration/publicAccessBlock')) return { action: 's3:GetAccountPublicAccessBlock', protocol: 'rest-xml' };
    if (path === '/') return { action: 's3:ListBuckets', protocol: 'rest-xml' };
    const subresource = [...url.searchParams.keys()].find((key) => key !== 'x-id');
    const name = subresource ? `GetBucket${subresource[0]!.toUpperCase()}${subresource.slice(1)}` : `${method} object`;
    return { action: `s3:${name}`, protocol: 'rest-xml' };
  }
  if (service === 'cloudfront') return { action: /\/config$/.test(path) ? 'cloudfront:GetDistributionConfig' : 'cloudfront:ListDistributions', protocol: 'rest-xml' };
  if (service === 'apigateway') {
    const v2 = path.startsWith('/v2/');
    const name = /\/stages$/.test(path) ? 'GetStages' : v2 ? 'GetApis' : 'GetRestApis';
    return { action: `${v2 ? 'apigatewayv2' : 'apigateway'}:${name}`, protocol: 'rest-json' };
  }
  if (service === 'artifact') return { action: 'artifact:ListCustomerAgreements', protocol: 'rest-json' };
  if (service === 'backup') return { action: `backup:${backupAction(path)}`, protocol: 'rest-json' };
  return { action: `${service}:${method} ${path}`, protocol: 'rest-json' };
}

/** AWS Backup's read operations, by REST path (plan and selection ids vary). */
function backupAction(path: string): string {
  if (/^\/resources\/?$/.test(path)) return 'ListProtectedResources';
  if (/^\/backup\/plans\/?$/.test(path)) return 'ListBackupPlans';
  if (/^\/backup\/plans\/[^/]+\/selections\/?$/.test(path)) return 'ListBackupSelections';
  if (/^\/backup\/plans\/[^/]+\/selections\/[^/]+\/?$/.test(path)) return 'GetBackupSelection';
  if (/^\/backup\/plans\/[^/]+\/?$/.test(path)) return 'GetBackupPlan';
  return path;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export async function forward(upstream: string, request: IncomingMessage, body: Buffer): Promise<Answer> {
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name, value]) => !HOP_BY_HOP.has(name) && typeof value === 'string')) as Record<string, string>;
  const method = request.method ?? 'GET';
  const response = await fetch(new URL(request.url ?? '/', upstream), { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body }) });
  const answerHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') answerHeaders[name] = value;
  });
  return { status: response.status, headers: answerHeaders, body: await response.text() };
}

export function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  response.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

const HTML_PAGE = '<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Please sign in to continue</h1></body></html>';

/** The faulted body, or null when the fault does not apply to this answer (no list element to take out). */
function faultBody(fault: Fault, body: string, contentType: string): string | null {
  const json = /json/.test(contentType) || /^\s*[[{]/.test(body);
  switch (fault) {
    case 'empty-200':
      return '';
    case 'html-200':
      return HTML_PAGE;
    case 'bare-root': {
      if (json) return '{}';
      const root = /<([A-Za-z][\w.-]*)[\s>/]/.exec(body.replace(/^<\?xml[^>]*\?>/, ''))?.[1];
      return root ? `<?xml version="1.0" encoding="UTF-8"?><${root}/>` : '';
    }
    case 'missing-list':
      return json ? withoutJsonLists(body) : withoutXmlLists(body);
    case 'truncated':
      return body.slice(0, Math.floor(body.length / 2));
    default:
      return null;
  }
}

function withoutJsonLists(body: string): string | null {
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    return null;
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) return null;
  const kept = Object.entries(document).filter(([, value]) => !Array.isArray(value));
  return kept.length === Object.keys(document).length ? null : JSON.stringify(Object.fromEntries(kept));
}

/** The list elements the collectors read, as each service names them in XML (wrapped or flattened). */
const XML_LISTS = new Set(['DBClusters', 'DBInstances', 'Parameters', 'GlobalClusters', 'SummaryMap', 'Topics', 'Subscriptions', 'Buckets', 'Rule', 'CORSRule', 'Items']);

type XmlNode = Record<string, unknown> & { ':@'?: unknown };
const xmlOptions = { preserveOrder: true, ignoreAttributes: false, parseTagValue: false, trimValues: false } as const;

/** Takes the list elements out of the answer's result (query protocols wrap it in `<XResult>`). */
function withoutXmlLists(body: string): string | null {
  let nodes: XmlNode[];
  try {
    nodes = new XMLParser(xmlOptions).parse(body) as XmlNode[];
  } catch {
    return null;
  }
  const tag = (node: XmlNode) => Object.keys(node).find((key) => key !== ':@');
  const root = nodes.find((node) => tag(node) && !tag(node)!.startsWith('?'));
  if (!root) return null;
  const rootChildren = root[tag(root)!] as XmlNode[];
  const result = rootChildren.find((node) => tag(node)?.endsWith('Result'));
  const container = result ? (result[tag(result)!] as XmlNode[]) : rootChildren;
  const kept = container.filter((node) => !XML_LISTS.has(tag(node) ?? ''));
  if (kept.length === container.length) return null;
  container.splice(0, container.length, ...kept);
  return new XMLBuilder(xmlOptions).build(nodes) as string;
}

const ERRORS: Record<'http-500' | 'http-403' | 'throttled', Record<Protocol, { status: number; code: string }>> = {
  'http-500': {
    query: { status: 500, code: 'InternalFailure' }, json: { status: 500, code: 'InternalFailure' },
    'rest-xml': { status: 500, code: 'InternalError' }, 'rest-json': { status: 500, code: 'InternalFailure' },
  },
  'http-403': {
    query: { status: 403, code: 'AccessDenied' }, json: { status: 403, code: 'AccessDeniedException' },
    'rest-xml': { status: 403, code: 'AccessDenied' }, 'rest-json': { status: 403, code: 'AccessDeniedException' },
  },
  throttled: {
    query: { status: 400, code: 'Throttling' }, json: { status: 400, code: 'ThrottlingException' },
    'rest-xml': { status: 503, code: 'SlowDown' }, 'rest-json': { status: 429, code: 'TooManyRequestsException' },
  },
};

function sendError(response: ServerResponse, protocol: Protocol, fault: keyof typeof ERRORS): void {
  const { status, code } = ERRORS[fault][protocol];
  const message = `injected ${fault}`;
  if (protocol === 'json' || protocol === 'rest-json') {
    return send(response, status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code }, JSON.stringify({ __type: code, message }));
  }
  const error = `<Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error>`;
  send(response, status, { 'content-type': 'text/xml' }, protocol === 'query' ? `<ErrorResponse>${error}<RequestId>fault-proxy</RequestId></ErrorResponse>` : error);
}
