import type { AnyCheck, Evidence, FactRef, Finding, FactOutcome, Result, RunContext, Waiver } from '../model.js';
import { checkOptions } from './options.js';
import { factOf } from '../model.js';
import { escapeControlCharacters, hasControlCharacters } from './control-characters.js';
import { ENGINE_MESSAGES, renderTemplate } from './messages.js';

const PROJECT = 'project';

/** Runs one check over the collected facts. A missing fact makes it unverified (or not assessed), never pass. */
export function evaluateCheck(check: AnyCheck, outcomes: ReadonlyMap<string, FactOutcome>, context: RunContext): Result[] {
  const values: Record<string, unknown> = {};
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
          ? { resource: PROJECT, status: 'not_applicable', code: 'not-assessed', args: { reason: message } }
          : { resource: PROJECT, status: 'unverified', code: 'fact-unavailable', args: { fact: fact.id, reason: message }, evidence: { failure: kind, ...(fix ? { fix } : {}) } };
      return [toResult(check, finding, fix)];
    }
    values[name] = outcome.value;
  }

  let findings: Finding[];
  try {
    findings = check.evaluate(values as never, { ...context, options: checkOptions(check, context.config) });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    findings = [{ resource: PROJECT, status: 'unverified', code: 'check-error', args: { reason } }];
  }
  if (findings.length === 0) findings = [{ resource: PROJECT, status: 'unverified', code: 'no-findings' }];
  return findings.map((finding) => toResult(check, finding));
}

function toResult(check: AnyCheck, finding: Finding, fix?: string): Result {
  const { meta } = check;
  const template = meta.messages[finding.code] ?? ENGINE_MESSAGES[finding.code] ?? finding.code;
  const args = { resource: finding.resource, ...finding.args };
  // The engine's own findings (fact unavailable, not assessed) name no resource to fill the command with.
  const rendered = meta.remediation.command && !(finding.code in ENGINE_MESSAGES) ? renderTemplate(meta.remediation.command, args) : undefined;
  // A command with a `{{placeholder}}` left, or a control character from a name, is not copy-pasteable: omit it.
  const command = rendered && !/\{\{\s*[\w.-]+\s*\}\}/.test(rendered) && !hasControlCharacters(rendered) ? rendered : undefined;
  return {
    checkId: meta.id,
    // The failure title is a claim ("buckets lack encryption"): only a seen failure may make it.
    title: finding.status === 'fail' ? meta.failureTitle : finding.status === 'unverified' ? `Unverified: ${meta.title}` : meta.title,
    risk: meta.description,
    section: meta.section,
    severity: meta.severity,
    layer: meta.layer,
    hipaa: meta.hipaa,
    phase: meta.phase,
    status: finding.status,
    // Names come from the environment: every format shows their control characters escaped, none can forge a line.
    resource: escapeControlCharacters(finding.resource),
    code: finding.code,
    message: escapeControlCharacters(renderTemplate(template, args)),
    evidence: escapedEvidence(finding.evidence ?? {}),
    remediation: {
      text: fix && finding.status === 'unverified' ? `${fix}. Then: ${meta.remediation.text}` : meta.remediation.text,
      ...(command ? { command } : {}),
      effortMinutes: meta.remediation.effortMinutes,
      ...(meta.remediation.effortLabel ? { effortLabel: meta.remediation.effortLabel } : {}),
    },
    scored: meta.scored !== false,
  };
}

function escapedEvidence(evidence: Evidence): Evidence {
  return Object.fromEntries(
    Object.entries(evidence).map(([key, value]) => [
      key,
      typeof value === 'string' ? escapeControlCharacters(value) : Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? escapeControlCharacters(item) : item)) : value,
    ]),
  );
}

/** An unexpired waiver turns a failing or unverified result into `waived`; an expired one is only shown. */
export function applyWaivers(results: Result[], waivers: readonly Waiver[], now: Date): Result[] {
  const today = now.toISOString().slice(0, 10);
  return results.map((result) => {
    if (result.status !== 'fail' && result.status !== 'unverified') return result;
    const matching = waivers.filter((w) => w.check === result.checkId && (w.resource === undefined || w.resource === result.resource));
    // An expired waiver listed first must not hide a valid one.
    const waiver = matching.find((w) => w.expires >= today) ?? matching[0];
    if (!waiver) return result;
    const expired = waiver.expires < today;
    return { ...result, status: expired ? result.status : 'waived', waiver: { ...waiver, expired } };
  });
}
