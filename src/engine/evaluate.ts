import type { AnyCheck, FactRef, Finding, FactOutcome, Result, RunContext, Waiver } from '../model.js';
import { checkOptions } from './options.js';
import { factOf, resultTitle } from '../model.js';
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
  // A command with a `{{placeholder}}` left is not copy-pasteable: omit it.
  const command = rendered && !/\{\{\s*[\w.-]+\s*\}\}/.test(rendered) ? rendered : undefined;
  return {
    checkId: meta.id,
    title: resultTitle(meta, finding.status),
    risk: meta.description,
    section: meta.section,
    severity: meta.severity,
    layer: meta.layer,
    hipaa: meta.hipaa,
    phase: meta.phase,
    status: finding.status,
    resource: finding.resource,
    code: finding.code,
    message: renderTemplate(template, args),
    evidence: finding.evidence ?? {},
    remediation: {
      text: fix && finding.status === 'unverified' ? `${fix}. Then: ${meta.remediation.text}` : meta.remediation.text,
      ...(command ? { command } : {}),
      effortMinutes: meta.remediation.effortMinutes,
      ...(meta.remediation.effortLabel ? { effortLabel: meta.remediation.effortLabel } : {}),
    },
    scored: meta.scored !== false,
  };
}

/** An unexpired waiver turns a failing or unverified result into `waived`; an expired one is only shown. */
export function applyWaivers(results: Result[], waivers: readonly Waiver[], now: Date): Result[] {
  const today = now.toISOString().slice(0, 10);
  const byCheck = Map.groupBy(waivers, (w) => w.check);
  return results.map((result) => {
    if (result.status !== 'fail' && result.status !== 'unverified') return result;
    const matching = (byCheck.get(result.checkId) ?? []).filter((w) => w.resource === undefined || w.resource === result.resource);
    // An expired waiver listed first must not hide a valid one.
    const waiver = matching.find((w) => w.expires >= today) ?? matching[0];
    if (!waiver) return result;
    const expired = waiver.expires < today;
    return { ...result, status: expired ? result.status : 'waived', waiver: { ...waiver, expired } };
  });
}
