import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import rlsEnabled from '../../checks/application/app.db.rls-enabled.js';
import { escapeControlCharacters } from '../../src/engine/control-characters.js';
import { buildReport } from '../../src/engine/run.js';
import { reporters } from '../../src/reporters/index.js';
import { loaded } from '../support/engine-fakes.js';

const FORGED = 'notes\n::error::forged\r\u001b[2J\u0007\u0000\u2028\u202egnp.exe';
// Characters no reporter may emit from a name: C0/C1 controls (except the reporters' own line breaks), DEL, line separators, bidi overrides.
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

function report() {
  const table = { schema: 'public', name: FORGED, kind: 'table', owner: 'postgres', rlsEnabled: false, rlsForced: false, policies: [], apiAccess: ['anon'], columns: ['id'], triggers: [] };
  const schema = { exposedSchemas: ['public'], exposedSchemasSource: 'pgrst.db_schemas', tables: [table], views: [], functions: [], apiRoles: [], extensions: [], pgaudit: { installed: false, log: null, roleLog: [] } };
  return buildReport({
    loaded: loaded(),
    checks: [rlsEnabled],
    outcomes: new Map([['postgres.schema', { ok: true, value: schema }]]),
    now: new Date('2025-10-11T22:30:00Z'),
    source: { kind: 'snapshot' },
  });
}

describe('control characters in resource names', () => {
  it('are written visibly', () => {
    expect(escapeControlCharacters(FORGED)).toBe('notes\\n::error::forged\\r\\x1b[2J\\x07\\x00\\u2028\\u202egnp.exe');
  });

  it.each(Object.keys(reporters))('%s: no raw control character, no forged line', (format) => {
    const output = reporters[format]!.render(report(), { verbose: true });
    expect(output).toContain('forged');
    expect(RAW.test(output)).toBe(false);
    expect(output.split('\n').some((line) => line.startsWith('::error::forged'))).toBe(false);
  });

  it('junit stays well-formed XML', () => {
    expect(XMLValidator.validate(reporters.junit!.render(report(), {}))).toBe(true);
  });

  it('a fix command that would carry a control character is left out rather than printed', () => {
    const [result] = report().results;
    expect(result?.status).toBe('fail');
    expect(result?.remediation.command).toBeUndefined();
  });
});
