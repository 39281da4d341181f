import type { FactValue } from '../../src/model.js';
import type { databaseSchema, DatabaseTable } from '../../src/facts/postgres.js';

export type DatabaseSchema = FactValue<typeof databaseSchema>;

export const qualifiedName = (object: { schema: string; name: string }): string => `${object.schema}.${object.name}`;

/** Tables the Data API serves: those of the exposed schemas. */
export function exposedTables(schema: DatabaseSchema): DatabaseTable[] {
  return schema.tables.filter((table) => schema.exposedSchemas.includes(table.schema));
}

/** An identifier quoted for SQL in a shell command, e.g. "public"."clients". */
export const sqlName = (object: { schema: string; name: string }): string => `"${object.schema}"."${object.name}"`;

/** Column names that look like PHI (45 CFR 164.514 identifiers and clinical data). */
const PHI_COLUMN = new RegExp(
  [
    '(^|_)(ssn|dob|mrn|icd(_?10)?|npi_patient)(_|$)',
    'social_security',
    'date_of_birth',
    'birth_?date',
    'diagnos[ie]s',
    'medical_record',
    'medical_history',
    'medication',
    'prescription',
    'allerg(y|ies)',
    'insurance_(member|policy|id|number)',
    'treatment_plan',
    'clinical_note',
    'lab_result',
    'health_condition',
  ].join('|'),
  'i',
);

export function phiColumns(table: DatabaseTable): string[] {
  return table.columns.filter((column) => PHI_COLUMN.test(column));
}
