import { describe, expect, it } from 'vitest';
import { allChecks } from '../../checks/index.js';
import { runExplain } from '../../src/commands/explain.js';

describe('readiness explain', () => {
  it.each(allChecks.map((check) => check.meta.id))('%s prints no raw {{placeholder}}', async (id) => {
    expect(await runExplain(id)).not.toMatch(/\{\{/);
  });

  it('names what goes in the command instead', async () => {
    expect(await runExplain('app.db.rls-enabled')).toContain(`$ psql "$SUPABASE_DB_URL" -c <sql>`);
  });
});
