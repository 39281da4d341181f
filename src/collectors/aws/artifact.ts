import { artifactAgreements } from '../../facts/aws-account.js';
import type { FactValue } from '../../model.js';
import { defineCollector, FactError, type CollectContext } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws } from './require.js';

type Agreement = FactValue<typeof artifactAgreements>[number];

export const ARTIFACT_PERMISSION = 'artifact:ListCustomerAgreements';
const REGION = 'us-east-1';
const PATH = '/v1/customer-agreement/list';

/**
 * AWS Artifact has no JS SDK client on our registry: this calls the documented REST operation
 * ListCustomerAgreements (GET /v1/customer-agreement/list), signed with SigV4 for service `artifact`.
 */
export const artifactAgreementsCollector = defineCollector(artifactAgreements, async (context) => {
  requireAws(context);
  const agreements: Agreement[] = [];
  let nextToken: string | undefined;
  do {
    const page = await listPage(context, nextToken);
    for (const a of page.customerAgreements) agreements.push(toAgreement(a));
    nextToken = page.nextToken;
  } while (nextToken);
  return agreements;
});

interface RawAgreement {
  id?: unknown; name?: unknown; arn?: unknown; agreementArn?: unknown; state?: unknown; type?: unknown; effectiveStart?: unknown; effectiveEnd?: unknown;
}

async function listPage(context: CollectContext, nextToken: string | undefined): Promise<{ customerAgreements: RawAgreement[]; nextToken?: string }> {
  const base = new URL(context.aws.endpoint ?? `https://artifact.${REGION}.amazonaws.com`);
  const query: Record<string, string> = { maxResults: '100', ...(nextToken ? { nextToken } : {}) };
  let response: Response;
  try {
    const headers = await sign(context, base, query);
    // Encoded as SigV4 canonicalises it (RFC 3986), so a token with `+`, `/` or `=` signs and sends alike.
    const search = Object.entries(query).map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`).join('&');
    response = await fetch(new URL(`${PATH}?${search}`, base), { headers, signal: context.signal });
  } catch (error) {
    // fetch hides the network error (ECONNREFUSED, ENOTFOUND) in `cause`.
    const cause = (error as { cause?: unknown }).cause;
    throw awsFactError(cause && typeof cause === 'object' && 'code' in cause ? cause : error, ARTIFACT_PERMISSION);
  }
  const text = await response.text();
  if (!response.ok) {
    const type = response.headers.get('x-amzn-errortype')?.split(':')[0] ?? parseJson(text)?.__type ?? `HTTP ${response.status}`;
    throw awsFactError({ name: String(type), message: `HTTP ${response.status} from ${PATH}`, $metadata: { httpStatusCode: response.status } }, ARTIFACT_PERMISSION);
  }
  const body = parseJson(text);
  if (!body || !Array.isArray(body.customerAgreements)) {
    throw new FactError('MalformedResponse', `${PATH} did not answer a customerAgreements list`);
  }
  return { customerAgreements: body.customerAgreements as RawAgreement[], ...(typeof body.nextToken === 'string' && body.nextToken ? { nextToken: body.nextToken } : {}) };
}

type CredentialProvider = ReturnType<typeof import('@aws-sdk/credential-providers').fromNodeProviderChain>;
const providers = new WeakMap<object, CredentialProvider>();

async function sign(context: CollectContext, base: URL, query: Record<string, string>): Promise<Record<string, string>> {
  const [{ SignatureV4 }, { Sha256 }, { fromNodeProviderChain }] = await Promise.all([
    import('@smithy/signature-v4'),
    import('@aws-crypto/sha256-js'),
    import('@aws-sdk/credential-providers'),
  ]);
  let credentials = providers.get(context.aws);
  if (!credentials) {
    // The SDK's own chain (env, --profile / AWS_PROFILE, SSO, instance role); it caches what it resolves.
    credentials = fromNodeProviderChain(context.aws.profile ? { profile: context.aws.profile } : {});
    providers.set(context.aws, credentials);
  }
  const signer = new SignatureV4({ service: 'artifact', region: REGION, credentials, sha256: Sha256 });
  const signed = await signer.sign({
    method: 'GET',
    protocol: base.protocol,
    hostname: base.hostname,
    ...(base.port ? { port: Number(base.port) } : {}),
    path: PATH,
    query,
    headers: { host: base.host, accept: 'application/json' },
  });
  return signed.headers;
}

const rfc3986 = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const str = (value: unknown) => (typeof value === 'string' && value ? value : null);
/** restJson timestamps arrive as epoch seconds; accept ISO strings too. */
const time = (value: unknown) => (typeof value === 'number' ? new Date(value * 1000).toISOString() : str(value));

function toAgreement(a: RawAgreement): Agreement {
  return {
    id: str(a.id) ?? '',
    name: str(a.name) ?? '',
    arn: str(a.arn) ?? '',
    agreementArn: str(a.agreementArn),
    state: str(a.state) ?? 'unknown',
    type: str(a.type),
    effectiveStart: time(a.effectiveStart),
    effectiveEnd: time(a.effectiveEnd),
  };
}
