import { createDeclarativeAwsCollector } from '../collectors/declarative/aws.js';
import { createDeclarativeFileCollector } from '../collectors/declarative/file.js';
import { createDeclarativeHttpCollector } from '../collectors/declarative/http.js';
import { createDeclarativeSqlCollector } from '../collectors/declarative/sql.js';
import type { Collector } from '../collectors/types.js';
import type { AnyCheck } from '../model.js';
import { compileAttestation } from './attestation.js';
import { compileAws } from './aws.js';
import { compileFile } from './file.js';
import { compileHttp } from './http.js';
import { kindOf, type CustomCheck } from './schema.js';
import { compileSql } from './sql.js';

/** An entry as the loader hands it over: validated, with what only the written file shows. */
export interface LoadedCustomCheck {
  entry: CustomCheck;
  /** Request headers whose `${NAME}` is not set (the loader drops them; the request is then not made). */
  unsetHeaders: string[];
}

/** What declarative checks add to a run: ordinary checks, and a collector for each fact they bring. */
export interface CompiledChecks {
  checks: AnyCheck[];
  collectors: Collector[];
}

/**
 * Each entry becomes a check (metadata + pure evaluate) reading one fact of its own, whose collector does
 * the entry's I/O; an `attestation` entry reads the built-in `attestations` fact. The collectors load pg
 * and the AWS SDK only when they first run: a snapshot run loads neither.
 */
export function compileCustomChecks(loaded: readonly LoadedCustomCheck[]): CompiledChecks {
  const checks: AnyCheck[] = [];
  const collectors: Collector[] = [];
  for (const { entry, unsetHeaders } of loaded) {
    switch (kindOf(entry)) {
      case 'http':
        checks.push(compileHttp(entry));
        collectors.push(createDeclarativeHttpCollector(entry, unsetHeaders) as Collector);
        break;
      case 'sql':
        checks.push(compileSql(entry));
        collectors.push(createDeclarativeSqlCollector(entry) as Collector);
        break;
      case 'aws':
        checks.push(compileAws(entry));
        collectors.push(createDeclarativeAwsCollector(entry) as Collector);
        break;
      case 'file':
        checks.push(compileFile(entry));
        collectors.push(createDeclarativeFileCollector(entry) as Collector);
        break;
      case 'attestation':
        checks.push(compileAttestation(entry));
        break;
    }
  }
  return { checks, collectors };
}
