import { defineCheck, type Finding } from '../../src/model.js';
import { iamUsers } from '../../src/facts/aws-identity.js';
import { shellQuote } from '../lib/shell.js';

/** A virtual MFA device named after the user, enabled with two codes the user reads from their app (the device's serial is its ARN). */
function assignVirtualMfa(user: string): string {
  const name = shellQuote(user);
  const qrCode = shellQuote(`${user}-mfa.png`);
  const prompt = shellQuote(`Scan ${user}-mfa.png with ${user}'s authenticator app, then type two consecutive codes:`);
  return [
    `serial=$(aws iam create-virtual-mfa-device --virtual-mfa-device-name ${name} --outfile ${qrCode} --bootstrap-method QRCodePNG --query VirtualMFADevice.SerialNumber --output text)`,
    `printf '%s\\n' ${prompt}`,
    'read -r code1 code2',
    `aws iam enable-mfa-device --user-name ${name} --serial-number "$serial" --authentication-code1 "$code1" --authentication-code2 "$code2"`,
    `rm -f ${qrCode}`,
  ].join(' && ');
}

export default defineCheck({
  meta: {
    id: 'aws.iam.console-mfa',
    title: 'Every IAM user who can sign in to the console has MFA',
    failureTitle: 'An IAM user can sign in to the console without MFA',
    description: 'A console password alone is phished or reused; an IAM user with console access to the account that holds PHI must prove a second factor (person or entity authentication).',
    section: 'aws',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(d)'],
    phase: 1,
    remediation: {
      text:
        'Assign the user an MFA device with them at hand: the command creates a virtual device, writes its QR code to a file for their authenticator app, asks for two consecutive codes and enables it (then deletes the file: it holds the secret). Or in the console: IAM → Users → Security credentials → Assign MFA device. A user who does not need the console loses its password instead: `aws iam delete-login-profile --user-name <user>`',
      command: '{{steps}}',
      effortMinutes: 10,
    },
    messages: {
      'mfa-enabled': 'IAM user {{user}} signs in to the console with MFA ({{devices}} device(s))',
      'no-mfa': 'IAM user {{user}} can sign in to the console WITHOUT MFA (password last used: {{lastUsed}})',
      'no-console-users': 'No IAM user has a console password',
    },
  },
  facts: { users: iamUsers },
  evaluate({ users }) {
    const console = users.filter((user) => user.consoleAccess);
    if (console.length === 0) return [{ resource: 'iam', status: 'pass', code: 'no-console-users', evidence: { users: users.length } }];
    return console.map((user): Finding => {
      const evidence = { mfaDevices: user.mfaDevices, passwordLastUsed: user.passwordLastUsed };
      if (user.mfaDevices > 0) return { resource: user.arn, status: 'pass', code: 'mfa-enabled', args: { user: user.name, devices: user.mfaDevices }, evidence };
      return { resource: user.arn, status: 'fail', code: 'no-mfa', args: { user: user.name, steps: assignVirtualMfa(user.name), lastUsed: user.passwordLastUsed ?? 'never' }, evidence };
    });
  },
});
