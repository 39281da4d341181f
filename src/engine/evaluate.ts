import type { AnyCheck, Evidence, FactRef, Finding, FactOutcome, PartialFailure, Result, RunContext, Severity, Waiver } from '../model.js';
import { checkOptions, checkSeverity, exclusionOf } from './options.js';
import { factOf, isOpen } from '../model.js';
import { escapeControlCharacters, hasControlCharacters } from './control-characters.js';
import { shellQuote } from '../shell.js';
import { ENGINE_MESSAGES, renderTemplate } from './messages.js';

const PROJECT = 'project';

/**
 * Runs one check over the collected facts. A missing fact makes it unverified (or not assessed), never pass.
 * `options`: the check's options when the build resolved them (the demo's config); else they are parsed from the config.
 */
export function evaluateCheck(check: AnyCheck, outcomes: ReadonlyMap<string, FactOutcome>, context: RunContext, options?: Record<string, unknown>): Result[] {
  const parts = checkParts(check, checkSeverity(check, context.config));
  const toResult = (finding: Finding, fix?: string) => resultOf(parts, finding, fix);
  const exclusion = exclusionOf(check, context.config);
  if (exclusion) {
    const { code, ...args } = exclusion;
    return [toResult({ resource: PROJECT, status: 'not_applicable', code, args, evidence: { ...args } })];
  }
  const values: Record<string, unknown> = {};
  const partials: { fact: string; partial: PartialFailure; empty: boolean }[] = [];
  for (const [name, ref] of Object.entries(check.facts as Record<string, FactRef>)) {
    const fact = factOf(ref);
    const outcome = outcomes.get(fact.id) ?? {
      ok: false as const,
      failure: { kind: 'NotFound' as const, message: `${fact.id} was not collected`, fix: 'collect it again (readiness collect)' },
    };
    if ('optional' in ref) {
      values[name] = outcome;
      continue;
    }
    if (!outcome.ok) {
      const { kind, message, fix } = outcome.failure;
      const finding: Finding =
        kind === 'NotConfigured'
          ? { resource: PROJECT, status: 'not_applicable', code: 'not-assessed', args: { reason: message }, evidence: { reason: message } }
          : { resource: PROJECT, status: 'unverified', code: 'fact-unavailable', args: { fact: fact.id, reason: message }, evidence: { failure: kind, reason: message, ...(fix ? { fix } : {}) } };
      return [toResult(finding, fix)];
    }
    values[name] = outcome.value;
    if (outcome.partial?.unread.length) partials.push({ fact: fact.id, partial: outcome.partial, empty: outcome.partial.read === 0 });
  }

  let findings: Finding[];
  try {
    findings = check.evaluate(values as never, { ...context, options: options ?? checkOptions(check, context.config) });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    findings = [{ resource: PROJECT, status: 'unverified', code: 'check-error', args: { reason } }];
  }
  if (partials.length) return withUnread(toResult, findings, partials);
  if (findings.length === 0) findings = [{ resource: PROJECT, status: 'unverified', code: 'no-findings' }];
  return findings.map((finding) => toResult(finding));
}

/**
 * A fact cut off part-way: what was read keeps its verdict; each resource not read is unverified,
 * by name (whatever the check said of it). With nothing read, the check's words (e.g. "no buckets") are not evidence.
 */
function withUnread(toResult: (finding: Finding, fix?: string) => Result, findings: Finding[], partials: { fact: string; partial: PartialFailure; empty: boolean }[]): Result[] {
  const unread = new Map<string, { fact: string; partial: PartialFailure }>();
  for (const { fact, partial } of partials) for (const resource of partial.unread) if (!unread.has(resource)) unread.set(resource, { fact, partial });
  const kept = partials.some((p) => p.empty) ? [] : findings.filter((finding) => !unread.has(finding.resource));
  const results = kept.map((finding) => toResult(finding));
  for (const [resource, { fact, partial }] of unread) {
    const finding: Finding = {
      resource,
      status: 'unverified',
      code: 'fact-unavailable',
      args: { fact, reason: partial.message },
      evidence: { failure: partial.kind, reason: partial.message, ...(partial.fix ? { fix: partial.fix } : {}) },
    };
    results.push(toResult(finding, partial.fix));
  }
  return results;
}

/** What every result of one check shares, worked out once per check rather than once per result. */
interface CheckParts {
  check: AnyCheck;
  severity: Severity;
  unverifiedTitle: string;
  scored: boolean;
  /** The remediation of a result with no command and no fix of its own. */
  remediation: Result['remediation'];
}

function checkParts(check: AnyCheck, severity: Severity): CheckParts {
  const { meta } = check;
  return { check, severity, unverifiedTitle: `Unverified: ${meta.title}`, scored: meta.scored !== false, remediation: remediationOf(meta.remediation, meta.remediation.text) };
}

function remediationOf(remediation: AnyCheck['meta']['remediation'], text: string, command?: string): Result['remediation'] {
  // Built key by key (the keys in the same order as ever): a command is filled per resource, so this runs per result.
  const made: Result['remediation'] = { text } as Result['remediation'];
  if (command) made.command = command;
  made.effortMinutes = remediation.effortMinutes;
  if (remediation.effortLabel) made.effortLabel = remediation.effortLabel;
  if (remediation.waitDays) made.waitDays = remediation.waitDays;
  return made;
}

function resultOf(parts: CheckParts, finding: Finding, fix?: string): Result {
  const { meta } = parts.check;
  const template = meta.messages[finding.code] ?? ENGINE_MESSAGES[finding.code] ?? finding.code;
  const args = { resource: finding.resource, ...finding.args };
  // A fix command only where there is something to fix (a waiver, applied later, keeps a failure's): on a passed or
  // not-applicable result it is no fix (put-bucket-policy over a compliant bucket's policy), and at 10,000 resources
  // those were 50,000 commands (11 million characters) kept to the end of the run for the JSON report alone.
  // The engine's own findings (fact unavailable, not assessed) name no resource to fill the command with.
  // A name is data: in a command, `{{resource}}` and `{{region}}` (regions come from facts too) are one shell word each,
  // whatever they hold (a check quotes its other args).
  const rendered =
    isOpen(finding) && meta.remediation.command && !(finding.code in ENGINE_MESSAGES) ? renderTemplate(meta.remediation.command, args, shellQuote(finding.resource), shellQuote) : undefined;
  // A command with a `{{placeholder}}` left, or a control character from a name, is not copy-pasteable: omit it.
  const command = rendered && !hasPlaceholder(rendered) && !hasControlCharacters(rendered) ? rendered : undefined;
  const text = fix && finding.status === 'unverified' ? `${escapeControlCharacters(fix)}. Then: ${meta.remediation.text}` : meta.remediation.text;
  return {
    checkId: meta.id,
    // The failure title is a claim ("buckets lack encryption"): only a seen failure may make it.
    title: finding.status === 'fail' ? (meta.failureTitles?.[finding.code] ?? meta.failureTitle) : finding.status === 'unverified' ? parts.unverifiedTitle : meta.title,
    risk: meta.description,
    section: meta.section,
    severity: parts.severity,
    layer: meta.layer,
    hipaa: meta.hipaa,
    phase: meta.phase,
    status: finding.status,
    // Names come from the environment: every format shows their control characters escaped, none can forge a line.
    resource: escapeControlCharacters(finding.resource),
    code: finding.code,
    message: escapeControlCharacters(renderTemplate(template, args)),
    evidence: escapedEvidence(finding.evidence),
    // Shared by the results of a check that have no command and no fix of their own (nothing changes a result's parts).
    remediation: command || text !== meta.remediation.text ? remediationOf(meta.remediation, text, command) : parts.remediation,
    scored: parts.scored,
  };
}

const PLACEHOLDER = /\{\{\s*[\w.-]+\s*\}\}/;
// The regex only where a `{{` is: a command is filled per result, and hardly any keeps a placeholder.
const hasPlaceholder = (text: string): boolean => text.includes('{{') && PLACEHOLDER.test(text);

const NO_EVIDENCE: Evidence = Object.freeze({});

/** The evidence with its strings' control characters escaped; the same object when none has any (almost always). */
function escapedEvidence(evidence: Evidence | undefined): Evidence {
  if (!evidence) return NO_EVIDENCE;
  if (Object.getPrototypeOf(evidence) === Object.prototype && !anyNeedsEscaping(evidence)) return evidence;
  return Object.fromEntries(
    Object.entries(evidence).map(([key, value]) => [
      key,
      typeof value === 'string' ? escapeControlCharacters(value) : Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? escapeControlCharacters(item) : item)) : value,
    ]),
  );
}

function anyNeedsEscaping(evidence: Evidence): boolean {
  // Without Object.values' array: this runs once per result.
  for (const key in evidence) if (Object.hasOwn(evidence, key) && needsEscaping(evidence[key]!)) return true;
  return false;
}

function needsEscaping(value: Evidence[string]): boolean {
  if (typeof value === 'string') return hasControlCharacters(value);
  return Array.isArray(value) && value.some((item) => typeof item === 'string' && hasControlCharacters(item));
}

/** A waiver names a check id or id prefix, and optionally one resource; it applies to open results only. */
const isWaivable = (result: Result): boolean => result.status === 'fail' || result.status === 'unverified';

/** Every waiver `check` that matches this check id, as matchesId reads it: the id itself and each prefix ending before a dot. */
function idPatterns(id: string): string[] {
  const patterns = [id];
  for (let dot = id.indexOf('.'); dot !== -1; dot = id.indexOf('.', dot + 1)) patterns.push(id.slice(0, dot));
  return patterns;
}

/** idPatterns, made once per check id: a run has a few dozen ids and a hundred thousand results. */
function patternsByCheck(): (id: string) => string[] {
  const made = new Map<string, string[]>();
  return (id) => {
    let patterns = made.get(id);
    if (!patterns) made.set(id, (patterns = idPatterns(id)));
    return patterns;
  };
}

/** Of the waivers naming one check pattern and one resource (or none): the first, and the first unexpired, by place in the config. */
interface FirstWaivers {
  first: number;
  unexpired?: number;
}

interface WaiversOfPattern {
  everyResource?: FirstWaivers;
  byResource: Map<string, FirstWaivers>;
}

/**
 * The waivers by check pattern and resource, so that a result looks only at those that can match it: a hundred
 * thousand results, each scanning thousands of per-resource waivers, took most of a second.
 */
function indexWaivers(waivers: readonly Waiver[], today: string): Map<string, WaiversOfPattern> {
  const index = new Map<string, WaiversOfPattern>();
  waivers.forEach((waiver, position) => {
    let ofPattern = index.get(waiver.check);
    if (!ofPattern) {
      ofPattern = { byResource: new Map() };
      index.set(waiver.check, ofPattern);
    }
    const firsts = waiver.resource === undefined ? ofPattern.everyResource : ofPattern.byResource.get(waiver.resource);
    if (!firsts) {
      const made: FirstWaivers = waiver.expires >= today ? { first: position, unexpired: position } : { first: position };
      if (waiver.resource === undefined) ofPattern.everyResource = made;
      else ofPattern.byResource.set(waiver.resource, made);
    } else if (firsts.unexpired === undefined && waiver.expires >= today) {
      firsts.unexpired = position;
    }
  });
  return index;
}

/** An unexpired waiver turns a failing or unverified result into `waived`; an expired one is only shown. */
export function applyWaivers(results: Result[], waivers: readonly Waiver[], now: Date): Result[] {
  if (waivers.length === 0) return results;
  const today = now.toISOString().slice(0, 10);
  const index = indexWaivers(waivers, today);
  const patternsOf = patternsByCheck();
  return results.map((result) => {
    if (!isWaivable(result)) return result;
    // An expired waiver listed first must not hide a valid one: the first unexpired match wins, else the first match.
    let first = Infinity;
    let unexpired = Infinity;
    for (const pattern of patternsOf(result.checkId)) {
      const ofPattern = index.get(pattern);
      if (!ofPattern) continue;
      for (const firsts of [ofPattern.everyResource, ofPattern.byResource.get(result.resource)]) {
        if (!firsts) continue;
        first = Math.min(first, firsts.first);
        if (firsts.unexpired !== undefined) unexpired = Math.min(unexpired, firsts.unexpired);
      }
    }
    const position = unexpired !== Infinity ? unexpired : first;
    if (position === Infinity) return result;
    const waiver = waivers[position]!;
    const expired = waiver.expires < today;
    return { ...result, status: expired ? result.status : 'waived', waiver: { ...waiver, expired } };
  });
}

/**
 * Unexpired waivers that waive nothing this run (ESLint's unused disable directives): the finding was fixed, the
 * resource renamed, or the check turned off. Waivers for checks this run did not select are left alone.
 */
export function unusedWaivers(results: readonly Result[], waivers: readonly Waiver[], now: Date): Waiver[] {
  if (waivers.length === 0) return [];
  const today = now.toISOString().slice(0, 10);
  // Each check pattern the results answer to, and for the patterns a waiver names, the resources of their open results.
  const named = new Set(waivers.map((waiver) => waiver.check));
  const selected = new Set<string>();
  const openResources = new Map<string, Set<string>>();
  // Per check id (made once): the patterns it answers to that some waiver names.
  const namedPatterns = new Map<string, string[]>();
  for (const result of results) {
    let patterns = namedPatterns.get(result.checkId);
    if (!patterns) {
      const all = idPatterns(result.checkId);
      for (const pattern of all) selected.add(pattern);
      namedPatterns.set(result.checkId, (patterns = all.filter((pattern) => named.has(pattern))));
    }
    if (patterns.length === 0 || !isWaivable(result)) continue;
    for (const pattern of patterns) {
      let resources = openResources.get(pattern);
      if (!resources) {
        resources = new Set();
        openResources.set(pattern, resources);
      }
      resources.add(result.resource);
    }
  }
  const waivesSome = (waiver: Waiver): boolean => {
    const resources = openResources.get(waiver.check);
    return resources !== undefined && (waiver.resource === undefined || resources.has(waiver.resource));
  };
  return waivers.filter((waiver) => waiver.expires >= today && selected.has(waiver.check) && !waivesSome(waiver));
}
