import {
  CreateLoginProfileCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  DeactivateMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import consoleMfa from '../../../checks/aws/aws.iam.console-mfa.js';
import { iamUsers } from '../../../src/facts/aws-identity.js';
import { collectAws, motoForFile } from '../../support/aws-collect.js';
import type { Answer } from '../../support/fault-proxy.js';
import { startRewritingProxy, type Rewrite } from '../../support/rewriting-proxy.js';

// The real collector against moto_server. "Console password" is GetLoginProfile (NoSuchEntity: none), "MFA" is
// ListMFADevices, both read live per user: no credential report, so no report age or report row to disagree
// with, and the root user (another check) is not among ListUsers' users. moto answers every ListUsers in one
// page whatever MaxItems: the rewriting proxy splits it in two, with IsTruncated and a Marker, as IAM does.

const env = motoForFile();
const FACTS = [iamUsers];
const iam = () => env.client(IAMClient);

async function consoleUser(name: string): Promise<string> {
  const arn = (await iam().send(new CreateUserCommand({ UserName: name }))).User!.Arn!;
  await iam().send(new CreateLoginProfileCommand({ UserName: name, Password: 'Not-a-real-Passw0rd!' }));
  return arn;
}

async function virtualMfa(user: string, enable: boolean): Promise<string> {
  const serial = (await iam().send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: `${user}-mfa` }))).VirtualMFADevice!.SerialNumber!;
  if (enable) await iam().send(new EnableMFADeviceCommand({ UserName: user, SerialNumber: serial, AuthenticationCode1: '123456', AuthenticationCode2: '654321' }));
  return serial;
}

async function collectThrough(rewrites: Record<string, Rewrite>) {
  const proxy = await startRewritingProxy(env.moto.endpoint, rewrites);
  try {
    return await collectAws({ endpoint: proxy.endpoint }, FACTS);
  } finally {
    await proxy.close();
  }
}

const MEMBER = /<member>[\s\S]*?<\/member>/g;

/** ListUsers in two pages: the first user, then the rest after Marker "page-2". */
const twoPages: Rewrite = {
  request: (body) => body.replace(/&Marker=page-2/, ''),
  answer(answer, request) {
    const users = answer.body.match(MEMBER) ?? [];
    const second = /Marker=page-2/.test(request);
    const page = second ? users.slice(1) : users.slice(0, 1);
    const body = answer.body
      .replace(/<Users>[\s\S]*<\/Users>/, `<Users>${page.join('')}</Users>`)
      .replace(/<IsTruncated>\w+<\/IsTruncated>/, second ? '<IsTruncated>false</IsTruncated>' : '<IsTruncated>true</IsTruncated><Marker>page-2</Marker>');
    return { ...answer, body };
  },
};

const empty = (status: number, body: string): Answer => ({ status, headers: { 'content-type': 'text/xml' }, body });

describe('aws.iam.console-mfa against moto', () => {
  it('a console user without MFA on the second ListUsers page fails', async () => {
    const alice = await consoleUser('alice');
    await virtualMfa('alice', true);
    const bob = await consoleUser('bob');
    const seen: string[] = [];
    const run = await collectThrough({ 'iam:ListUsers': { ...twoPages, answer: (answer, request) => (seen.push(request), twoPages.answer!(answer, request)) } });
    expect(seen).toHaveLength(2);
    expect(run.results(consoleMfa)).toEqual([
      [alice, 'pass', 'mfa-enabled'],
      [bob, 'fail', 'no-mfa'],
    ]);
  });

  it('a virtual MFA device created but never enabled, or deactivated, is no MFA', async () => {
    const carol = await consoleUser('carol');
    await virtualMfa('carol', false);
    const dave = await consoleUser('dave');
    const serial = await virtualMfa('dave', true);
    await iam().send(new DeactivateMFADeviceCommand({ UserName: 'dave', SerialNumber: serial }));
    expect((await collectAws(env.moto, FACTS)).results(consoleMfa)).toEqual([
      [carol, 'fail', 'no-mfa'],
      [dave, 'fail', 'no-mfa'],
    ]);
  });

  it('a ListUsers answer without its Users list is unverified, not "no console users"', async () => {
    await consoleUser('erin');
    for (const body of ['', '<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult/></ListUsersResponse>']) {
      const run = await collectThrough({ 'iam:ListUsers': { reply: () => empty(200, body) } });
      expect(run.outcomes.get(iamUsers.id)).toMatchObject({ ok: false, failure: { kind: 'MalformedResponse' } });
      expect(run.results(consoleMfa)).toEqual([['project', 'unverified', 'fact-unavailable']]);
    }
  });

  it('a ListMFADevices answer without its MFADevices list is unverified, not "no MFA"', async () => {
    await consoleUser('frank');
    await virtualMfa('frank', true);
    const run = await collectThrough({ 'iam:ListMFADevices': { reply: () => empty(200, '') } });
    expect(run.outcomes.get(iamUsers.id)).toMatchObject({ ok: false, failure: { kind: 'MalformedResponse' } });
    expect(run.results(consoleMfa)).toEqual([['project', 'unverified', 'fact-unavailable']]);
  });
});
