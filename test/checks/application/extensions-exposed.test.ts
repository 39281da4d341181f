import { describe, expect, it } from 'vitest';
import extensions from '../../../checks/application/app.db.extensions.js';
import { renderedMessages, runCase, type CheckCase } from '../../support/check-tester.js';

const schema = (exposedSchemas: string[], installed: { name: string; schema: string }[]) => ({
  exposedSchemas, exposedSchemasSource: 'pgrst.db_schemas', tables: [], views: [], functions: [], apiRoles: [],
  extensions: installed.map((e) => ({ version: '1.3', memberSchemas: [e.schema], ...e })),
  pgaudit: { installed: false, log: null, roleLog: [] },
});
const REQUIRED_IN_EXTENSIONS = [{ name: 'pgcrypto', schema: 'extensions' }, { name: 'uuid-ossp', schema: 'extensions' }];

describe('app.db.extensions: every schema the Data API exposes counts, not only public', () => {
  const cases: CheckCase[] = [
    {
      name: 'a required extension in an exposed schema other than public fails',
      facts: { schema: schema(['public', 'api'], [{ name: 'pgcrypto', schema: 'api' }, { name: 'uuid-ossp', schema: 'extensions' }]) },
      expected: [['pgcrypto', 'fail', 'exposed'], ['uuid-ossp', 'pass', 'installed']],
    },
    {
      name: 'an extension not required in an exposed schema other than public is listed and fails',
      facts: { schema: schema(['public', 'api'], [...REQUIRED_IN_EXTENSIONS, { name: 'pg_trgm', schema: 'api' }]) },
      expected: [['pgcrypto', 'pass', 'installed'], ['uuid-ossp', 'pass', 'installed'], ['pg_trgm', 'fail', 'exposed']],
    },
    {
      name: 'an extension in a schema the Data API does not expose passes',
      facts: { schema: schema(['public', 'graphql_public'], [...REQUIRED_IN_EXTENSIONS, { name: 'pg_graphql', schema: 'graphql' }]) },
      expected: [['pgcrypto', 'pass', 'installed'], ['uuid-ossp', 'pass', 'installed']],
    },
    {
      name: 'public counts even when the Data API does not expose it',
      facts: { schema: schema(['api'], [{ name: 'pgcrypto', schema: 'public' }, { name: 'uuid-ossp', schema: 'extensions' }]) },
      expected: [['pgcrypto', 'fail', 'in-public'], ['uuid-ossp', 'pass', 'installed']],
    },
  ];
  it.each(cases)('$name', (c) => expect(runCase(extensions, c)).toEqual(c.expected));

  it('says which exposed schema holds it', () => {
    const messages = renderedMessages(extensions, { schema: schema(['public', 'api'], [{ name: 'pgcrypto', schema: 'api' }, { name: 'uuid-ossp', schema: 'extensions' }]) });
    expect(messages).toContain('Extension pgcrypto is installed in api, a schema the Data API exposes');
  });
});
