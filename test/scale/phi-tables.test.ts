import { describe, expect, it } from 'vitest';
import auditLogging from '../../checks/application/app.db.audit-logging.js';
import rlsPolicies from '../../checks/application/app.db.rls-policies.js';
import sensitiveColumns from '../../checks/application/app.db.sensitive-columns.js';
import { growth } from '../support/scans.js';

const policy = { name: 'open', command: 'SELECT', permissive: true, roles: ['anon'], using: 'true', withCheck: null, usingConstant: true, withCheckConstant: false };
const table = (schema: string, name: string) => ({
  schema, name, kind: 'table', owner: 'postgres', rlsEnabled: true, rlsForced: false, policies: [policy], apiAccess: ['anon', 'authenticated'], columns: ['id', 'body'], triggers: [],
});

/**
 * `size` tables in the exposed schema and as many in a private one, with `init-supabase`'s list of them in
 * supabase.phiTables: every other entry schema-qualified, one private table listed by name too.
 */
const estate = (size: number) => {
  const names = Array.from({ length: size }, (_, i) => `notes_${i}`);
  const tables = [...names.map((name) => table('public', name)), ...names.map((name) => table('private', name))];
  const phiTables = names.map((name, i) => (i % 2 === 0 ? name : `public.${name}`));
  return {
    facts: {
      schema: {
        exposedSchemas: ['public'], exposedSchemasSource: 'pgrst.db_schemas', tables, views: [], functions: [], apiRoles: [], extensions: [],
        pgaudit: { installed: false, log: null, roleLog: [] },
      },
    },
    config: { supabase: { projectRef: 'abcdefghijklmnopqrst', phiTables: [...phiTables, 'private.notes_0', 'missing'] } },
  };
};

describe('supabase.phiTables at scale', () => {
  it('app.db.rls-policies looks each table up in the list, not the list per table', () => {
    const { scans, results } = growth(rlsPolicies, estate);
    expect(results).toBeCloseTo(4, 1);
    expect(scans).toBeLessThan(5);
  });

  it('app.db.sensitive-columns looks each table up in the list, not the list per table', () => {
    const { scans, results } = growth(sensitiveColumns, estate);
    expect(results).toBeCloseTo(4, 1);
    expect(scans).toBeLessThan(5);
  });

  it('app.db.audit-logging looks each entry up among the tables, not the tables per entry', () => {
    const { scans, results } = growth(auditLogging, estate);
    expect(results).toBeCloseTo(4, 1);
    expect(scans).toBeLessThan(5);
  });
});
