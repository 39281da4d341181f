import { FactError } from '../types.js';

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthorizationErrorException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
]);
const THROTTLED = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH']);

/** What to do about an answer that is not a well-formed AWS response. */
export const MALFORMED_FIX = 'check what answers at aws.endpoint / AWS_ENDPOINT_URL (a proxy or captive portal?), then run again';

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Turns an SDK error into the reason a fact is unverified, naming the permission it needed. */
export function awsFactError(error: unknown, permission: string): FactError {
  if (error instanceof FactError) return error;
  const e = (error ?? {}) as SdkError;
  const name = e.name ?? e.code ?? 'Error';
  const message = firstLine(e.message ?? String(error));
  if (name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(message) && !e.$metadata?.httpStatusCode) {
    return new FactError('NoCredentials', `no AWS credentials: ${message}`, 'configure credentials (aws sso login / AWS_PROFILE / --profile)');
  }
  if (ACCESS_DENIED.has(name) || e.$metadata?.httpStatusCode === 403) {
    return new FactError('AccessDenied', `${name} calling ${permission}: ${message}`, `grant ${permission} (see iam/readiness-policy.json)`);
  }
  if (THROTTLED.has(name) || e.$metadata?.httpStatusCode === 429) {
    return new FactError('Throttled', `throttled calling ${permission} after retries`, 'run again later or lower concurrency');
  }
  if (name === 'TimeoutError' || name === 'AbortError' || /timed? ?out/i.test(message)) {
    return new FactError('Timeout', `${permission} did not answer in time`, 'check network access to AWS or raise --timeout');
  }
  if (UNREACHABLE.has(e.code ?? '') || UNREACHABLE.has(name) || /ECONNREFUSED|ENOTFOUND|getaddrinfo/.test(message)) {
    return new FactError('Unreachable', `cannot reach the AWS endpoint for ${permission}: ${message}`, 'check network access and aws.endpoint');
  }
  // The SDK could not parse the answer (an HTML page, a cut-off body): malformed, whatever the status said.
  if (name === 'SyntaxError' || /Deserialization error|XML parse error/.test(e.message ?? '')) {
    return new FactError('MalformedResponse', `${permission} answered something that is not a well-formed AWS response: ${message}`, MALFORMED_FIX);
  }
  return new FactError('Error', `${permission} failed: ${name}: ${message}`);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}
