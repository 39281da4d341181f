import { z } from '../zod-package.js';
import { defineCheck, defineFact, type AnyCheck, type Finding } from '../model.js';
import { factIdOf, metaOf } from './meta.js';
import type { CustomCheck } from './schema.js';

/** Rows named in a fact (and the report): the count says how many more there were. */
export const SQL_MAX_ROWS = 1000;

export const sqlAnswerSchema = z.object({
  /** host:port/database, never the password. */
  database: z.string(),
  role: z.string(),
  rowCount: z.number().int().nonnegative(),
  /** With expect none: the resource name of each row (at most SQL_MAX_ROWS). */
  rows: z.array(z.string()),
  /** With expect { min, max }: the one number the query returned. */
  value: z.number().nullable(),
  /** Relations the query reads whose rows row-level security filters for this role: what it does not see may be what fails. */
  rlsFiltered: z.array(z.string()),
});
export type SqlAnswer = z.output<typeof sqlAnswerSchema>;

export function sqlFact(entry: CustomCheck) {
  return defineFact({ id: factIdOf('sql', entry.id), description: `Rows of the query of ${entry.id} on supabase.dbUrl (read-only transaction)`, permissions: [], schema: sqlAnswerSchema });
}

const MESSAGES = {
  'no-rows': 'The query returned no rows ({{database}}, as {{role}})',
  row: 'The query returned this row ({{column}} = {{resource}})',
  'more-rows': 'The query returned {{more}} more rows than are listed',
  'rows-hidden': 'The query returned {{what}}, but row-level security filters {{relations}} for {{role}}: rows it cannot see may be the failing ones',
  'value-within': 'The query returned {{value}} (bounds {{bounds}})',
  'value-outside': 'The query returned {{value}}, outside {{bounds}}',
};

export function compileSql(entry: CustomCheck): AnyCheck {
  const spec = entry.sql!;
  const bounds = spec.expect === 'none' ? undefined : spec.expect;
  const boundsText = bounds ? `[${bounds.min ?? '-∞'}, ${bounds.max ?? '∞'}]` : '';
  return defineCheck({
    meta: metaOf(entry, spec.expect === 'none' ? 'A read-only query that must return no rows: each row it returns is a failing resource.' : `A read-only query whose number must be within ${boundsText}.`, MESSAGES),
    facts: { answer: sqlFact(entry) },
    evaluate({ answer }): Finding[] {
      const evidence = { database: answer.database, role: answer.role, rowCount: answer.rowCount, rlsFiltered: answer.rlsFiltered };
      const hidden = (what: string): Finding => ({ resource: answer.database, status: 'unverified', code: 'rows-hidden', args: { what, relations: answer.rlsFiltered.join(', '), role: answer.role }, evidence });
      if (!bounds) {
        if (answer.rowCount === 0) {
          if (answer.rlsFiltered.length) return [hidden('no rows')];
          return [{ resource: answer.database, status: 'pass', code: 'no-rows', args: { database: answer.database, role: answer.role }, evidence }];
        }
        const column = spec.resource ?? 'first column';
        const findings: Finding[] = answer.rows.map((resource) => ({ resource, status: 'fail', code: 'row', args: { column }, evidence }));
        const more = answer.rowCount - answer.rows.length;
        if (more > 0) findings.push({ resource: `${answer.database} (${more} more rows)`, status: 'fail', code: 'more-rows', args: { more }, evidence });
        return findings;
      }
      const value = answer.value;
      if (value === null) return [{ resource: answer.database, status: 'unverified', code: 'value-outside', args: { value: 'nothing', bounds: boundsText }, evidence }];
      if (answer.rlsFiltered.length) return [hidden(String(value))];
      const within = (bounds.min === undefined || value >= bounds.min) && (bounds.max === undefined || value <= bounds.max);
      return [{ resource: answer.database, status: within ? 'pass' : 'fail', code: within ? 'value-within' : 'value-outside', args: { value, bounds: boundsText }, evidence: { ...evidence, value } }];
    },
  });
}
