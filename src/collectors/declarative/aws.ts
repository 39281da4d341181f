import { awsAction, awsFact, type AwsAnswer } from '../../declarative/aws.js';
import { observe } from '../../declarative/expect.js';
import { JsonPathError, select, selectStrict } from '../../declarative/json-path.js';
import { AWS_SERVICES, type CustomCheck } from '../../declarative/schema.js';
import { awsFactError, MALFORMED_FIX } from '../aws/errors.js';
import { requireAws } from '../aws/require.js';
import { awsIdentity } from '../../facts/aws.js';
import { defineCollector, FactError, type CollectContext } from '../types.js';

/** Pages read through the SDK's paginator; past this the answer is not judged. */
export const MAX_PAGES = 100;
/** Members by which an answer says it is one page of several. */
const NEXT_PAGE = ['NextToken', 'nextToken', 'NextMarker', 'Marker', 'NextContinuationToken', 'NextPageToken', 'position', 'IsTruncated'];

type SdkModule = Record<string, unknown>;
type Send = (command: unknown, options?: { abortSignal?: AbortSignal }) => Promise<Record<string, unknown>>;

/** The SDK package of a service, loaded on first use (its client class, commands and paginators). */
export function loadSdk(service: keyof typeof AWS_SERVICES): Promise<SdkModule> {
  return import(`@aws-sdk/client-${service}`) as Promise<SdkModule>;
}

/**
 * One read-only SDK call (all its pages, through the SDK's paginator when it has one), on the run's
 * session client of that service. An answer without the list a path names is malformed, never "none".
 */
export function createDeclarativeAwsCollector(entry: CustomCheck) {
  const spec = entry.aws!;
  const action = awsAction(spec);
  return defineCollector(awsFact(entry), async (context): Promise<AwsAnswer> => {
    requireAws(context);
    await requireExpectedAccount(context);
    const region = spec.region ?? context.aws.defaultRegion;
    let answer: Record<string, unknown>;
    let pages = 1;
    try {
      const sdk = await loadSdk(spec.service);
      const Command = sdk[`${spec.operation}Command`] as (new (input: unknown) => unknown) | undefined;
      if (!Command) throw new FactError('Error', `@aws-sdk/client-${spec.service} has no ${spec.operation}Command`);
      const client = (await context.aws.client(AWS_SERVICES[spec.service], region)) as unknown as { send: Send };
      const paginate = sdk[`paginate${spec.operation}`] as ((config: { client: unknown }, input: unknown) => AsyncIterable<Record<string, unknown>>) | undefined;
      if (paginate) {
        ({ answer, pages } = await allPages(paginate({ client }, structuredClone(spec.input)), action));
      } else {
        answer = withoutMetadata(await client.send(new Command(structuredClone(spec.input)), { abortSignal: context.signal }));
        const next = NEXT_PAGE.find((key) => answer[key] !== undefined && answer[key] !== null && answer[key] !== false && answer[key] !== '');
        if (next) throw new FactError('Error', `${action} answered one page of several (${next}) and the SDK has no paginator for it`, 'narrow the input to one page, or write a plugin check that reads every page');
      }
    } catch (error) {
      throw awsFactError(error, action);
    }
    const base = { action, region, pages };
    try {
      if (spec.count) return { ...base, elements: null, count: selectStrict(answer, spec.count.path).length };
      const elements = selectStrict(answer, spec.each!).map((element, index) => ({ resource: resourceOf(element, index), observation: observe(element, spec.expect!.path) }));
      return { ...base, elements, count: null };
    } catch (error) {
      if (error instanceof JsonPathError) throw new FactError('MalformedResponse', `${action} answered without what the check reads: ${error.message}`, MALFORMED_FIX);
      throw error;
    }
  });

  function resourceOf(element: unknown, index: number): string {
    const named = spec.resource ? select(element, spec.resource)[0] : undefined;
    return typeof named === 'string' || typeof named === 'number' ? String(named) : `${spec.each!.slice(0, -3)}[${index}]`;
  }
}

/** The pages of a paginated answer as one: lists concatenated, other members from the first page. */
async function allPages(pages: AsyncIterable<Record<string, unknown>>, action: string): Promise<{ answer: Record<string, unknown>; pages: number }> {
  const merged: Record<string, unknown> = {};
  let count = 0;
  for await (const page of pages) {
    if (++count > MAX_PAGES) throw new FactError('Error', `${action} answered more than ${MAX_PAGES} pages: not judged`, 'narrow the input (a filter), or write a plugin check');
    for (const [key, value] of Object.entries(withoutMetadata(page))) {
      const held = merged[key];
      if (Array.isArray(value) && Array.isArray(held)) held.push(...value);
      else if (!(key in merged)) merged[key] = Array.isArray(value) ? [...value] : value;
    }
  }
  return { answer: merged, pages: Math.max(count, 1) };
}

function withoutMetadata(answer: Record<string, unknown>): Record<string, unknown> {
  const { $metadata: _, ...rest } = answer ?? {};
  return rest;
}

/**
 * The engine's account guard turns the built-in `aws.` facts into failures when the credentials are for
 * another account than `aws.accountId`; this fact is in the check's own namespace, so it guards itself.
 */
async function requireExpectedAccount(context: CollectContext): Promise<void> {
  const expected = context.config.aws?.accountId;
  if (!expected) return;
  const { account } = await context.fact(awsIdentity);
  if (account !== expected) {
    throw new FactError('NoCredentials', `the AWS credentials are for account ${account}, but aws.accountId is ${expected}`, `use a profile or role of account ${expected} (--profile / AWS_PROFILE)`);
  }
}
