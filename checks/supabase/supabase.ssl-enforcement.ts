import { defineCheck } from '../../src/model.js';
import { supabaseSslEnforcement } from '../../src/facts/supabase-management.js';
import { projectRefOf } from '../lib/supabase.js';

export default defineCheck({
  meta: {
    id: 'supabase.ssl-enforcement',
    title: 'Database connections require SSL',
    failureTitle: 'Database accepts connections without SSL',
    description: 'Without SSL enforcement, a client can connect to Postgres in clear text, exposing credentials and PHI in transit.',
    section: 'supabase',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: ['164.312(e)(1)'],
    phase: 1,
    remediation: {
      text: 'Enforce SSL on the database (Dashboard → Database → Settings → SSL Configuration)',
      command: 'npx supabase ssl-enforcement update --enable-db-ssl-enforcement --project-ref {{projectRef}} --experimental',
      effortMinutes: 5,
    },
    messages: {
      enforced: 'SSL is enforced on the database',
      'not-enforced': 'SSL is not enforced: clear-text connections are accepted',
      'not-applied': 'SSL enforcement is requested but was not applied successfully',
    },
  },
  facts: { ssl: supabaseSslEnforcement },
  evaluate({ ssl }, { config }) {
    const resource = config.supabase?.projectRef ?? 'database';
    const args = { projectRef: projectRefOf(config) };
    const evidence = { database: ssl.database, appliedSuccessfully: ssl.appliedSuccessfully };
    if (!ssl.database) return [{ resource, status: 'fail', code: 'not-enforced', args, evidence }];
    if (!ssl.appliedSuccessfully) return [{ resource, status: 'fail', code: 'not-applied', args, evidence }];
    return [{ resource, status: 'pass', code: 'enforced', args, evidence }];
  },
});
