import { kmsKeys } from '../../facts/aws-network.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { pages } from './pages.js';
import { requireArray, requireAws } from './require.js';

type Key = FactValue<typeof kmsKeys>[number];

export const kmsKeysCollector = defineCollector(kmsKeys, async (context) => {
  requireAws(context);
  const { paginateListKeys, DescribeKeyCommand, GetKeyRotationStatusCommand } = await import('@aws-sdk/client-kms');
  const out: Key[] = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('kms', region);
    let permission = 'kms:ListKeys';
    try {
      for await (const page of pages(paginateListKeys, { client }, {}, context.signal)) {
        for (const entry of requireArray(page.Keys, 'Keys', 'kms:ListKeys')) {
          permission = 'kms:DescribeKey';
          const { KeyMetadata: meta } = await client.send(new DescribeKeyCommand({ KeyId: entry.KeyId }), { abortSignal: context.signal });
          const manager = keyManager(meta);
          const keySpec = meta?.KeySpec ?? null;
          // Automatic rotation exists only for enabled, customer-managed symmetric keys with KMS key material.
          const rotatable = manager === 'CUSTOMER' && keySpec === 'SYMMETRIC_DEFAULT' && meta?.KeyState === 'Enabled' && (meta?.Origin ?? 'AWS_KMS') === 'AWS_KMS';
          let rotationEnabled: boolean | null = null;
          let rotationPeriodDays: number | null = null;
          if (rotatable) {
            permission = 'kms:GetKeyRotationStatus';
            const status = await client.send(new GetKeyRotationStatusCommand({ KeyId: entry.KeyId }), { abortSignal: context.signal });
            rotationEnabled = status.KeyRotationEnabled === true;
            rotationPeriodDays = status.RotationPeriodInDays ?? null;
          }
          out.push({ id: entry.KeyId ?? '', arn: entry.KeyArn ?? meta?.Arn ?? '', region, manager, state: meta?.KeyState ?? null, keySpec, origin: meta?.Origin ?? null, rotationEnabled, rotationPeriodDays });
          permission = 'kms:ListKeys';
        }
      }
    } catch (error) {
      throw awsFactError(error, permission);
    }
  }
  return out;
});

/** Who manages a key, as DescribeKey says; anything else is unknown, never assumed. */
export function keyManager(meta: { KeyManager?: string | undefined } | undefined): Key['manager'] {
  return meta?.KeyManager === 'AWS' || meta?.KeyManager === 'CUSTOMER' ? meta.KeyManager : 'unknown';
}
