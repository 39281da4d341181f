import { secretsManagerSecrets } from '../../facts/aws-account.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { requireAws, requireList } from './require.js';
import { pages } from './pages.js';

/** Metadata only: ListSecrets never returns values, and this tool never calls GetSecretValue. */
export const secretsManagerSecretsCollector = defineCollector(secretsManagerSecrets, async (context) => {
  requireAws(context);
  const { paginateListSecrets } = await import('@aws-sdk/client-secrets-manager');
  const secrets: FactValue<typeof secretsManagerSecrets> = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('secretsManager', region);
    try {
      for await (const page of pages(paginateListSecrets, { client }, { MaxResults: 100 }, context.signal)) {
        for (const s of requireList(page, 'SecretList', 'secretsmanager:ListSecrets')) {
          secrets.push({
            name: s.Name ?? '',
            arn: s.ARN ?? '',
            region,
            description: s.Description ?? null,
            tags: Object.fromEntries((s.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
            owningService: s.OwningService ?? null,
            rotationEnabled: s.RotationEnabled === true,
            rotationDays: s.RotationRules?.AutomaticallyAfterDays ?? null,
            lastRotated: s.LastRotatedDate?.toISOString() ?? null,
            created: s.CreatedDate?.toISOString() ?? null,
          });
        }
      }
    } catch (error) {
      throw awsFactError(error, 'secretsmanager:ListSecrets');
    }
  }
  return secrets;
});
