/** A well-known vendor that commonly receives PHI in such products, and the names that give its use away. */
export interface KnownVendor {
  /** As it is listed under `vendors:` (its BAA is the `<id>-baa` attestation). */
  id: string;
  /** Whole words of a secret's, an Edge Function's or an error tracker's name (split on `-`, `_`, ...) that name it. */
  words: readonly string[];
  /** Secret-name starts that name it, for a vendor whose name is also an everyday word (a `daily-digest` function is no Daily.co). */
  secretPrefixes?: readonly string[];
  /** Other spellings of it under `vendors:`. */
  aliases?: readonly string[];
}

export const KNOWN_VENDORS: readonly KnownVendor[] = [
  // Messaging, voice and video: the messages and calls are PHI.
  { id: 'twilio', words: ['twilio'] },
  { id: 'vonage', words: ['vonage', 'nexmo'], aliases: ['nexmo'] },
  { id: 'sendgrid', words: ['sendgrid'] },
  { id: 'mailgun', words: ['mailgun'] },
  { id: 'postmark', words: ['postmark'] },
  { id: 'resend', words: [], secretPrefixes: ['RESEND_'] },
  { id: 'zoom', words: ['zoom'] },
  { id: 'daily', words: ['dailyco'], secretPrefixes: ['DAILY_'], aliases: ['daily.co', 'dailyco'] },
  // AI: prompts carry the notes they summarise.
  { id: 'openai', words: ['openai'] },
  { id: 'anthropic', words: ['anthropic', 'claude'] },
  // Analytics and monitoring: error events and tracked events routinely carry PHI.
  { id: 'sentry', words: ['sentry'] },
  { id: 'datadog', words: ['datadog'], secretPrefixes: ['DD_API_KEY', 'DD_CLIENT_TOKEN'] },
  { id: 'bugsnag', words: ['bugsnag'] },
  { id: 'rollbar', words: ['rollbar'] },
  { id: 'segment', words: [], secretPrefixes: ['SEGMENT_'] },
  { id: 'mixpanel', words: ['mixpanel'] },
  // EHR and practice management.
  { id: 'advancedmd', words: ['advancedmd'] },
  // Not the word athena alone: AWS Athena is no EHR.
  { id: 'athenahealth', words: ['athenahealth'], aliases: ['athena'] },
  { id: 'drchrono', words: ['drchrono'] },
  { id: 'elation', words: ['elation'] },
  // Payments: a charge names the patient and the visit.
  { id: 'stripe', words: ['stripe'] },
];

/** Where the project's own names were read: each may be absent (not collected). */
export interface VendorEvidence {
  secrets?: readonly string[];
  functions?: readonly string[];
  errorTracker?: string | null;
}

export interface DetectedVendor {
  id: string;
  /** What named it, e.g. `secret TWILIO_AUTH_TOKEN`, `Edge Function twilio-webhook`. */
  signals: string[];
}

const wordsOf = (name: string) => name.toLowerCase().split(/[^a-z0-9]+/);

function names(vendor: KnownVendor, name: string, isSecret: boolean): boolean {
  if (wordsOf(name).some((word) => vendor.words.includes(word))) return true;
  return isSecret && (vendor.secretPrefixes ?? []).some((prefix) => name.toUpperCase().startsWith(prefix));
}

/** The known vendors the project's names show it uses, in the table's order, each with what named it. */
export function detectVendors({ secrets = [], functions = [], errorTracker }: VendorEvidence): DetectedVendor[] {
  return KNOWN_VENDORS.flatMap((vendor) => {
    const signals = [
      ...secrets.filter((name) => names(vendor, name, true)).map((name) => `secret ${name}`),
      ...functions.filter((name) => names(vendor, name, false)).map((name) => `Edge Function ${name}`),
      ...(errorTracker && names(vendor, errorTracker, false) ? [`error tracker ${errorTracker}`] : []),
    ];
    return signals.length ? [{ id: vendor.id, signals }] : [];
  });
}

/** Whether `vendors:` lists the vendor, in any case or by one of its other spellings. */
export function isListed(vendor: string, listed: readonly string[]): boolean {
  const known = KNOWN_VENDORS.find((v) => v.id === vendor);
  const spellings = [vendor, ...(known?.aliases ?? [])];
  return listed.some((name) => spellings.includes(name.trim().toLowerCase()));
}
