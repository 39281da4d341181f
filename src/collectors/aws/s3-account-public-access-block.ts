import { awsIdentity, s3AccountPublicAccessBlock } from '../../facts/aws.js';
import { defineCollector, FactError } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws } from './require.js';
import { fetchWithRetries, type RawAnswer } from './retry.js';

const PERMISSION = 's3:GetAccountPublicAccessBlock';
const PATH = '/v20180820/configuration/publicAccessBlock';

/**
 * S3 Control GetPublicAccessBlock, as a signed request of our own: the S3 Control SDK client
 * is not a dependency, and it puts the account id in front of the endpoint host, which does
 * not resolve for an endpoint override (moto, LocalStack). With an override the account id
 * travels only in the `x-amz-account-id` header, as AWS also accepts.
 */
export const s3AccountPublicAccessBlockCollector = defineCollector(s3AccountPublicAccessBlock, async (context) => {
  requireAws(context);
  const { account } = await context.fact(awsIdentity);
  if (!/^\d{12}$/.test(account)) throw new FactError('MalformedResponse', `caller identity has no account id (${account || 'empty'})`);
  const [{ SignatureV4 }, { Sha256 }, { XMLParser }] = await Promise.all([import('@smithy/signature-v4'), import('@aws-crypto/sha256-js'), import('fast-xml-parser')]);
  const region = context.aws.defaultRegion;
  const url = new URL(PATH, context.aws.endpoint ?? `https://${account}.s3-control.${region}.amazonaws.com`);
  const s3 = await context.aws.client('s3');
  let answer: RawAnswer;
  try {
    const credentials = await s3.config.credentials();
    const signer = new SignatureV4({ service: 's3', region, credentials, sha256: Sha256 });
    const request = await signer.sign({
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      headers: { host: url.host, 'x-amz-account-id': account },
    });
    answer = await fetchWithRetries(() => fetch(url, { headers: request.headers, signal: context.signal }), context.signal);
  } catch (error) {
    // fetch hides the network error (ECONNRESET, ECONNREFUSED) in `cause`.
    const cause = (error as { cause?: unknown }).cause;
    throw awsFactError(cause && typeof cause === 'object' && 'code' in cause ? cause : error, PERMISSION);
  }
  const { response, body } = answer;
  const parsed = new XMLParser({ parseTagValue: false }).parse(body) as Record<string, Record<string, unknown> | undefined>;
  if (response.status === 404 && /NoSuchPublicAccessBlockConfiguration/.test(body)) return { account, settings: null };
  if (!response.ok) {
    const code = String(parsed.Error?.Code ?? `HTTP ${response.status}`);
    throw awsFactError({ name: code, message: String(parsed.Error?.Message ?? body.slice(0, 200)), $metadata: { httpStatusCode: response.status } }, PERMISSION);
  }
  const settings = parsed.PublicAccessBlockConfiguration;
  if (!settings) throw new FactError('MalformedResponse', `${PERMISSION}: no PublicAccessBlockConfiguration in the answer`);
  const on = (name: string) => String(settings[name]) === 'true';
  return {
    account,
    settings: {
      blockPublicAcls: on('BlockPublicAcls'),
      ignorePublicAcls: on('IgnorePublicAcls'),
      blockPublicPolicy: on('BlockPublicPolicy'),
      restrictPublicBuckets: on('RestrictPublicBuckets'),
    },
  };
});
