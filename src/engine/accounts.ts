import type { Config } from '../config/schema.js';
import type { AnyCheck, FactDefinition, FactOutcome } from '../model.js';
import { factOf } from '../model.js';
import { organizationAccounts } from '../facts/aws-organization.js';
import { escapeControlCharacters } from './control-characters.js';

/**
 * Several AWS accounts (`aws.accounts`, `aws.organization`) or Supabase projects (`supabase.projects`) in one run.
 * Each fact of an account is recorded under `<fact id>@<account id>` (`aws.s3.buckets@111111111111`); each check
 * is evaluated once per account, against that account's facts under their plain ids, so no check knows of accounts.
 */
export type AccountKind = 'aws' | 'supabase';

export interface Account {
  kind: AccountKind;
  /** The AWS account id or the Supabase project ref. */
  id: string;
  name?: string | undefined;
}

export interface AwsAccount extends Account {
  kind: 'aws';
  roleArn: string;
  externalId?: string | undefined;
  regions?: string[] | undefined;
}

const SEPARATOR = '@';

export function accountFactId(factId: string, accountId: string): string {
  return `${factId}${SEPARATOR}${accountId}`;
}

/** The fact definition's id of a recorded key (`aws.s3.buckets@111111111111` → `aws.s3.buckets`). */
export function plainFactId(key: string): string {
  const at = key.indexOf(SEPARATOR);
  return at < 0 ? key : key.slice(0, at);
}

/** Which kind of account a fact belongs to, when the config has several of that kind; undefined: one per run. */
export function accountKindOf(fact: Pick<FactDefinition, 'id'>, config: Config): AccountKind | undefined {
  if (isMultiAccount(config) && fact.id.startsWith('aws.')) return 'aws';
  if (isMultiProject(config) && (fact.id.startsWith('supabase.') || fact.id.startsWith('postgres.'))) return 'supabase';
  return undefined;
}

/** A check reads the facts of one account kind at most (none reads both AWS and Supabase facts). */
export function checkAccountKind(check: AnyCheck, config: Config): AccountKind | undefined {
  for (const ref of Object.values(check.facts)) {
    const kind = accountKindOf(factOf(ref as never), config);
    if (kind) return kind;
  }
  return undefined;
}

export function isMultiAccount(config: Config): boolean {
  return Boolean(config.aws?.accounts || config.aws?.organization);
}

export function isMultiProject(config: Config): boolean {
  return Boolean(config.supabase?.projects);
}

/**
 * The AWS accounts of the run: those of `aws.accounts`, or the active members of the organization (as listed by
 * `organization.accounts`; none when the listing failed, and its failure then stands for every account).
 */
export function awsAccounts(config: Config, outcomes: ReadonlyMap<string, FactOutcome>): AwsAccount[] {
  const aws = config.aws;
  if (!aws) return [];
  if (aws.accounts) return aws.accounts.map((a) => ({ kind: 'aws', id: a.id, name: a.name, roleArn: a.roleArn, externalId: a.externalId, regions: a.regions }));
  if (!aws.organization) return [];
  const listed = outcomes.get(organizationAccounts.id);
  if (!listed?.ok) return [];
  return (listed.value as { id: string; name: string; status: string }[])
    .filter((account) => account.status === 'ACTIVE')
    // Whoever names a member account names it: shown in every format, its control characters are escaped.
    .map((account) => ({ kind: 'aws', id: escapeControlCharacters(account.id), ...(account.name ? { name: escapeControlCharacters(account.name) } : {}), roleArn: `arn:aws:iam::${account.id}:role/${aws.roleName}`, externalId: aws.externalId }));
}

export function supabaseProjects(config: Config): Account[] {
  return (config.supabase?.projects ?? []).map((p) => ({ kind: 'supabase', id: p.ref, name: p.name }));
}

export function accountsOf(config: Config, outcomes: ReadonlyMap<string, FactOutcome>): Account[] {
  return [...awsAccounts(config, outcomes), ...supabaseProjects(config)];
}

/** The config as one account sees it: the shared settings, with that account's id and regions. */
export function configForAccount(config: Config, account: Account): Config {
  if (account.kind === 'aws') {
    const { accounts: _accounts, organization: _organization, roleName: _roleName, externalId: _externalId, ...aws } = config.aws!;
    const regions = (account as AwsAccount).regions ?? aws.regions;
    return { ...config, aws: { ...aws, accountId: account.id, ...(regions ? { regions } : {}) } };
  }
  const { projects, ...supabase } = config.supabase!;
  const project = projects!.find((p) => p.ref === account.id)!;
  return {
    ...config,
    supabase: {
      ...supabase,
      projectRef: project.ref,
      ...(project.dbUrl !== undefined ? { dbUrl: project.dbUrl } : {}),
      ...(project.accessToken !== undefined ? { accessToken: project.accessToken } : {}),
    },
  };
}

/**
 * The facts one account's checks read: the shared facts, and this account's facts under their plain ids.
 * A fact of the account that was not collected (e.g. another job's `collect --account`) stays absent: unverified.
 */
export function factsOfAccount(outcomes: ReadonlyMap<string, FactOutcome>, account: Account, config: Config): Map<string, FactOutcome> {
  return accountViews(outcomes, [account], config).get(account)!.facts;
}

export interface AccountView {
  /** The facts as the account's checks read them (see factsOfAccount). */
  facts: Map<string, FactOutcome>;
  /** The config as the account sees it (see configForAccount). */
  config: Config;
}

/**
 * Each account's view of the run, made in one pass over the recorded facts: per check and account, a scan of every
 * account's facts made an organization's evaluation grow with the square of its accounts.
 */
export function accountViews(outcomes: ReadonlyMap<string, FactOutcome>, accounts: readonly Account[], config: Config): Map<Account, AccountView> {
  const views = new Map(accounts.map((account) => [account, { facts: new Map<string, FactOutcome>(), config: configForAccount(config, account) }]));
  const byId = new Map<string, Account[]>();
  for (const account of accounts) {
    const same = byId.get(account.id);
    if (same) same.push(account);
    else byId.set(account.id, [account]);
  }
  for (const [key, outcome] of outcomes) {
    // Account ids (12 digits, 20-letter refs) hold no separator: the last one starts the id.
    const at = key.lastIndexOf(SEPARATOR);
    if (at >= 0) {
      for (const account of byId.get(key.slice(at + 1)) ?? []) views.get(account)!.facts.set(key.slice(0, at), outcome);
      continue;
    }
    const kind = accountKindOf({ id: key }, config);
    for (const [account, view] of views) if (kind !== account.kind) view.facts.set(key, outcome);
  }
  return views;
}

/** How a result names its account: `<account id>/<resource>`, or the account id alone for an account-level result. */
export function accountResource(account: Account, resource: string): string {
  return resource === 'project' ? account.id : `${account.id}/${resource}`;
}
