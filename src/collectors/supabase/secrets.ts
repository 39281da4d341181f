import { createHash } from 'node:crypto';
import { supabaseSecrets } from '../../facts/supabase.js';
import { defineCollector } from '../types.js';
import { callManagementApi, expectList, managementApi } from './api.js';

/** Values a secret is left at by mistake: whitespace, and placeholder words as written in lower, upper and title case. */
const EMPTY_VALUES = ['', ' ', '\t', '\n', '\r\n', '""', "''"];
const PLACEHOLDER_WORDS = [
  'changeme', 'change-me', 'change_me', 'todo', 'tbd', 'fixme', 'xxx', 'xxxx', 'xxxxxx', 'placeholder', 'your-key-here', 'your_key_here',
  'your-secret-here', 'your-password-here', 'secret', 'password', 'dummy', 'example', 'test', 'null', 'undefined', 'none',
];

let knownDigests: Map<string, 'empty' | 'placeholder'> | undefined;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** The API answers each value as its SHA-256 hex digest, so an empty or placeholder value is recognised by its digest. */
function valueKind(value: unknown): 'empty' | 'placeholder' | 'other' | 'unknown' {
  if (typeof value !== 'string') return 'unknown';
  knownDigests ??= new Map([
    ...PLACEHOLDER_WORDS.flatMap((word) => [word, word.toUpperCase(), word[0]!.toUpperCase() + word.slice(1)]).map((word) => [sha256(word), 'placeholder'] as const),
    ...EMPTY_VALUES.map((empty) => [sha256(empty), 'empty'] as const),
  ]);
  // Anything but a digest is taken as the value itself (as the OpenAPI example shows it), and judged through its digest.
  const digest = /^[0-9a-f]{64}$/i.test(value) ? value.toLowerCase() : sha256(value);
  return knownDigests.get(digest) ?? 'other';
}

export const supabaseSecretsCollector = defineCollector(supabaseSecrets, async (context) => {
  const { api, ref } = managementApi(context);
  const secrets = expectList(
    await callManagementApi(context, 'GET /v1/projects/{ref}/secrets', () => api.GET('/v1/projects/{ref}/secrets', { params: { path: { ref } } })),
    'GET /v1/projects/{ref}/secrets',
  );
  // Names, and what each digest says of its value: the digest itself never leaves this function (that of a short value can be reversed).
  return {
    names: secrets.map((secret) => secret.name).sort(),
    values: secrets.map((secret) => ({ name: secret.name, kind: valueKind(secret.value) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
});
