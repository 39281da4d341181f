import { dirname, relative } from 'node:path';
import { z } from '../zod-package.js';
import { allChecks } from '../../checks/index.js';
import { loadSdk } from '../collectors/declarative/aws.js';
import { configPath } from '../collectors/files/paths.js';
import { didYouMean, parseYaml, type LoadedConfig } from '../config/load.js';
import type { CheckSource } from '../engine/registry.js';
import { ConfigError } from '../errors.js';
import { factOf, type FactRef } from '../model.js';
import { MAX_CONFIG_BYTES, readFailure, readInputFile } from '../read-input.js';
import { compileCustomChecks, type LoadedCustomCheck } from './compile.js';
import { customCheckSchema, REFUSED_OPERATIONS, type CustomCheck } from './schema.js';

type Location = ReturnType<LoadedConfig['locate']>;

/** One file's entries, with where each is written (the config's `customChecks:` or an included file). */
interface DeclaredFile {
  name: string;
  entries: { entry: CustomCheck; written: unknown; at(path: (string | number)[]): Location }[];
}

/**
 * The registry's source loader for `customChecks:`: the config's entries and those of the files it includes,
 * validated beyond the schema (unique ids outside the built-in namespaces, an `aws:`/`supabase:` section for
 * the kinds that need one, an SDK operation that exists), each mistake at its file:line:col; then compiled.
 * The config's list is replaced by the entries themselves, so the run's redaction knows every header value.
 */
export function loadDeclaredChecks(loaded: LoadedConfig, env: NodeJS.ProcessEnv = process.env): Promise<CheckSource[]> {
  // Once per config: the list is replaced by what it resolves to.
  let sources = loadedSources.get(loaded);
  if (!sources) loadedSources.set(loaded, (sources = declaredSources(loaded, env)));
  return sources;
}

const loadedSources = new WeakMap<LoadedConfig, Promise<CheckSource[]>>();

async function declaredSources(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Promise<CheckSource[]> {
  const files = await declaredFiles(loaded, env);
  const reserved = builtInNamespaces();
  const seen = new Map<string, Location>();
  for (const { entries } of files) {
    for (const { entry, at } of entries) {
      const namespace = entry.id.split('.')[0]!;
      if (reserved.has(namespace)) throw new ConfigError(`customChecks: "${entry.id}" uses the built-in namespace "${namespace}"; name it custom.<name>`, at(['id']));
      const first = seen.get(entry.id);
      if (first) throw new ConfigError(`customChecks: "${entry.id}" is declared twice (first at ${[first.file, first.line, first.col].filter(Boolean).join(':')})`, at(['id']));
      seen.set(entry.id, at(['id']));
      if (entry.sql && !loaded.config.supabase) throw new ConfigError(`customChecks: "${entry.id}" queries the database, but the config has no \`supabase:\` section (with dbUrl)`, at(['sql']));
      if (entry.aws) {
        if (!loaded.config.aws) throw new ConfigError(`customChecks: "${entry.id}" calls AWS, but the config has no \`aws:\` section`, at(['aws']));
        await checkOperation(entry.aws, at);
      }
    }
  }
  loaded.config.customChecks = files.flatMap(({ entries }) => entries.map(({ entry }) => entry));
  return files
    .filter(({ entries }) => entries.length > 0)
    .map(({ name, entries }) => ({ name, ...compileCustomChecks(entries.map(({ entry, written }): LoadedCustomCheck => ({ entry, unsetHeaders: unsetHeaders(entry, written) }))) }));
}

async function declaredFiles(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Promise<DeclaredFile[]> {
  const own: DeclaredFile = { name: `customChecks in ${loaded.file}`, entries: [] };
  const files = [own];
  const writtenList = (loaded.written as { customChecks?: unknown[] } | undefined)?.customChecks ?? [];
  for (const [index, item] of loaded.config.customChecks.entries()) {
    if (!('include' in item)) {
      own.entries.push({ entry: item, written: writtenList[index], at: (path) => loaded.locate(['customChecks', index, ...path]) });
      continue;
    }
    const file = configPath(dirname(loaded.file), item.include);
    let text: string;
    try {
      text = await readInputFile(file, MAX_CONFIG_BYTES);
    } catch (error) {
      throw new ConfigError(`customChecks: cannot read included file ${item.include} (${readFailure(error)})`, loaded.locate(['customChecks', index, 'include']));
    }
    const shown = relative(process.cwd(), file);
    const parsed = parseYaml(z.array(customCheckSchema), text, shown.startsWith('..') ? file : shown, env);
    const written = Array.isArray(parsed.written) ? parsed.written : [];
    files.push({ name: `customChecks in ${parsed.file}`, entries: parsed.value.map((entry, i) => ({ entry, written: written[i], at: (path) => parsed.locate([i, ...path]) })) });
  }
  return files;
}

/** The namespaces of the built-in checks and facts: a declared check takes none of them. */
function builtInNamespaces(): Set<string> {
  const ids = allChecks.flatMap((check) => [check.meta.id, ...Object.values(check.facts as Record<string, FactRef>).map((ref) => factOf(ref).id)]);
  return new Set(ids.map((id) => id.split('.')[0]!));
}

/** The operation must be one the SDK client has (its `<Operation>Command`), read-only by name, and not a refused one. */
async function checkOperation(spec: NonNullable<CustomCheck['aws']>, at: (path: (string | number)[]) => Location): Promise<void> {
  const sdk = await loadSdk(spec.service).catch((error: unknown) => {
    throw new ConfigError(`customChecks: cannot load @aws-sdk/client-${spec.service} (${readFailure(error)})`, at(['aws', 'service']));
  });
  if (typeof sdk[`${spec.operation}Command`] === 'function') return;
  const readOnly = Object.keys(sdk)
    .filter((name) => /^(Describe|List|Get)\w*Command$/.test(name))
    .map((name) => name.slice(0, -'Command'.length))
    .filter((name) => !REFUSED_OPERATIONS.includes(name));
  throw new ConfigError(`customChecks: @aws-sdk/client-${spec.service} has no operation ${spec.operation}${didYouMean(spec.operation, readOnly, 'read-only operations')}`, at(['aws', 'operation']));
}

/** Header names written in the file whose `${NAME}` was not set (the loader drops such a key). */
function unsetHeaders(entry: CustomCheck, written: unknown): string[] {
  const headers = (written as { http?: { headers?: Record<string, unknown> } } | undefined)?.http?.headers;
  if (!entry.http || !headers || typeof headers !== 'object') return [];
  return Object.keys(headers).filter((name) => !(name in entry.http!.headers));
}

