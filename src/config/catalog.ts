import { ConfigError } from '../errors.js';
import { ONE_SHOT, optionsSchema, splitSettings } from '../engine/options.js';
import { matchesId } from '../engine/select.js';
import type { AnyCheck } from '../model.js';
import { didYouMean } from './did-you-mean.js';
import type { LoadedConfig } from './load.js';

const DAY_MS = 86_400_000;

/**
 * What the zod schema cannot know: that the names a config uses exist in the catalog of checks.
 * Each mistake is a ConfigError at its file:line:col, with the closest known name.
 */
export function validateAgainstCatalog(loaded: LoadedConfig, checks: readonly AnyCheck[], now: Date): void {
  validateCheckSettings(loaded, checks);
  validateWaivers(loaded, checks, now);
  validateNames(loaded, checks);
}

/** `checks.<id>`: a known id, and options valid against that check's own schema (ESLint's rule options). */
function validateCheckSettings(loaded: LoadedConfig, checks: readonly AnyCheck[]): void {
  const ids = checks.map((check) => check.meta.id);
  for (const [id, entry] of Object.entries(loaded.config.checks)) {
    const check = checks.find((c) => c.meta.id === id);
    if (!check) throw new ConfigError(`checks: no check "${id}"${didYouMean(id, ids)} (see readiness list)`, loaded.locateKey(['checks', id]));
    const parsed = optionsSchema(check).safeParse(splitSettings(entry).options, ONE_SHOT);
    if (parsed.success) continue;
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0]!;
      const known = ['severity', 'off', ...Object.keys(check.meta.options?.shape ?? {})];
      throw new ConfigError(`checks.${id}: unknown option "${key}"${didYouMean(key, known, 'options')}`, loaded.locateKey(['checks', id, ...path, key]));
    }
    throw new ConfigError(`checks.${id}.${path.join('.')}: ${issue.message}`, loaded.locate(['checks', id, ...path]));
  }
}

/** A waiver names a check id or id prefix, and expires at most `gate.maxWaiverDays` ahead. */
function validateWaivers(loaded: LoadedConfig, checks: readonly AnyCheck[], now: Date): void {
  const ids = checks.map((check) => check.meta.id);
  const { maxWaiverDays } = loaded.config.gate;
  const latest = new Date(now.getTime() + maxWaiverDays * DAY_MS).toISOString().slice(0, 10);
  loaded.config.waivers.forEach((waiver, index) => {
    if (!ids.some((id) => matchesId(id, waiver.check))) {
      throw new ConfigError(`waivers.${index}.check: no check "${waiver.check}"${didYouMean(waiver.check, ids)} (see readiness list)`, loaded.locate(['waivers', index, 'check']));
    }
    if (waiver.expires > latest) {
      throw new ConfigError(
        `waivers.${index}.expires: ${waiver.expires} is more than ${maxWaiverDays} days ahead (latest ${latest}; gate.maxWaiverDays): review a waiver at least that often`,
        loaded.locate(['waivers', index, 'expires']),
      );
    }
  });
}

/** Names under `documents:` and `attestations:` are those the checks read (or `<vendor>-baa` of a listed vendor). */
function validateNames(loaded: LoadedConfig, checks: readonly AnyCheck[]): void {
  const { config } = loaded;
  const documents = [...new Set(checks.flatMap((check) => check.meta.documents ?? []))];
  const attestations = [...new Set([...checks.flatMap((check) => check.meta.attestations ?? []), ...config.vendors.map((vendor) => `${vendor}-baa`)])];
  for (const name of Object.keys(config.documents)) {
    if (!documents.includes(name)) throw new ConfigError(`documents: unknown document "${name}"${didYouMean(name, documents)}`, loaded.locateKey(['documents', name]));
  }
  for (const name of Object.keys(config.attestations)) {
    if (attestations.includes(name)) continue;
    const hint = name.endsWith('-baa') && !didYouMean(name, attestations).includes('did you mean') ? ` (list "${name.slice(0, -4)}" under \`vendors:\` to attest its BAA)` : didYouMean(name, attestations);
    throw new ConfigError(`attestations: unknown attestation "${name}"${hint}`, loaded.locateKey(['attestations', name]));
  }
}
