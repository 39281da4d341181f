import { z } from '../zod.js';
import { defineFact } from '../model.js';

/** AWS Backup facts: plans with their rules and resource selections, and the resources it has backed up. */

export const backupPlans = defineFact({
  id: 'aws.backup.plans',
  description: 'AWS Backup plans of the selected regions: each rule’s schedule and retention, and what each selection picks (resource ARNs, exclusions, tag conditions)',
  permissions: ['backup:ListBackupPlans', 'backup:GetBackupPlan', 'backup:ListBackupSelections', 'backup:GetBackupSelection'],
  schema: () => z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      arn: z.string(),
      region: z.string(),
      rules: z.array(
        z.object({
          name: z.string(),
          /** null: the rule runs only on demand. */
          schedule: z.string().nullable(),
          /** null: recovery points are kept until deleted by hand. */
          deleteAfterDays: z.number().nullable(),
        }),
      ),
      selections: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          /** ARN patterns (`*` wildcards); empty with tag conditions: every resource carrying the tags. */
          resources: z.array(z.string()),
          notResources: z.array(z.string()),
          /** `ListOfTags` (any of them selects) and `Conditions` (all must hold), as `key operator value`. */
          anyTags: z.array(z.string()),
          allConditions: z.array(z.string()),
        }),
      ),
    }),
  ),
});

export const backupProtectedResources = defineFact({
  id: 'aws.backup.protected-resources',
  description: 'Resources AWS Backup holds recovery points of in the selected regions, with the time of the last backup',
  permissions: ['backup:ListProtectedResources'],
  schema: () => z.array(z.object({ arn: z.string(), type: z.string().nullable(), region: z.string(), lastBackup: z.string().nullable() })),
});
