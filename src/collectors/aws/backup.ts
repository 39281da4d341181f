import type { Condition, ConditionParameter, Conditions } from '@aws-sdk/client-backup';
import { backupPlans, backupProtectedResources } from '../../facts/aws-backup.js';
import type { FactValue } from '../../model.js';
import { defineCollector } from '../types.js';
import { awsFactError } from './errors.js';
import { pages } from './pages.js';
import { requireArray, requireAws, requireField } from './require.js';

type Plan = FactValue<typeof backupPlans>[number];

export const backupPlansCollector = defineCollector(backupPlans, async (context) => {
  requireAws(context);
  const backup = await import('@aws-sdk/client-backup');
  const out: Plan[] = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('backup', region);
    let permission = 'backup:ListBackupPlans';
    try {
      for await (const page of pages(backup.paginateListBackupPlans, { client }, {}, context.signal)) {
        for (const summary of requireArray(page.BackupPlansList, 'BackupPlansList', 'backup:ListBackupPlans')) {
          const id = summary.BackupPlanId ?? '';
          permission = 'backup:GetBackupPlan';
          const answer = await client.send(new backup.GetBackupPlanCommand({ BackupPlanId: id }), { abortSignal: context.signal });
          const rules = requireArray(requireField(answer, 'BackupPlan', 'backup:GetBackupPlan').Rules, 'Rules', 'backup:GetBackupPlan').map((rule) => ({
            name: rule.RuleName ?? '',
            schedule: rule.ScheduleExpression || null,
            deleteAfterDays: rule.Lifecycle?.DeleteAfterDays ?? null,
          }));
          const selections: Plan['selections'] = [];
          permission = 'backup:ListBackupSelections';
          for await (const selectionPage of pages(backup.paginateListBackupSelections, { client }, { BackupPlanId: id }, context.signal)) {
            for (const listed of requireArray(selectionPage.BackupSelectionsList, 'BackupSelectionsList', 'backup:ListBackupSelections')) {
              permission = 'backup:GetBackupSelection';
              const got = await client.send(new backup.GetBackupSelectionCommand({ BackupPlanId: id, SelectionId: listed.SelectionId }), { abortSignal: context.signal });
              const selection = requireField(got, 'BackupSelection', 'backup:GetBackupSelection');
              selections.push({
                id: listed.SelectionId ?? '',
                name: selection.SelectionName ?? listed.SelectionName ?? '',
                resources: selection.Resources ?? [],
                notResources: selection.NotResources ?? [],
                anyTags: (selection.ListOfTags ?? []).map(describeTag),
                allConditions: conditions(selection.Conditions),
              });
              permission = 'backup:ListBackupSelections';
            }
          }
          out.push({ id, name: summary.BackupPlanName ?? '', arn: summary.BackupPlanArn ?? '', region, rules, selections });
          permission = 'backup:ListBackupPlans';
        }
      }
    } catch (error) {
      throw awsFactError(error, permission);
    }
  }
  return out;
});

export const backupProtectedResourcesCollector = defineCollector(backupProtectedResources, async (context) => {
  requireAws(context);
  const { paginateListProtectedResources } = await import('@aws-sdk/client-backup');
  const out: FactValue<typeof backupProtectedResources> = [];
  for (const region of context.aws.regions) {
    const client = await context.aws.client('backup', region);
    try {
      for await (const page of pages(paginateListProtectedResources, { client }, {}, context.signal)) {
        for (const resource of requireArray(page.Results, 'Results', 'backup:ListProtectedResources')) {
          if (!resource.ResourceArn) continue;
          out.push({ arn: resource.ResourceArn, type: resource.ResourceType ?? null, region, lastBackup: resource.LastBackupTime?.toISOString() ?? null });
        }
      }
    } catch (error) {
      throw awsFactError(error, 'backup:ListProtectedResources');
    }
  }
  return out;
});

const describeTag = (tag: Condition) => `${tag.ConditionKey ?? ''} ${tag.ConditionType ?? 'STRINGEQUALS'} ${tag.ConditionValue ?? ''}`;

function conditions(all: Conditions | undefined): string[] {
  return Object.entries((all ?? {}) as Record<string, ConditionParameter[] | undefined>).flatMap(([operator, parameters]) => (parameters ?? []).map((p) => `${p.ConditionKey ?? ''} ${operator} ${p.ConditionValue ?? ''}`));
}
