import { z } from '../zod.js';
import { defineFact } from '../model.js';

/**
 * A test result's date: 'report' written in it; 'commit' the last commit of the file (a checkout resets the mtime,
 * and the run preceded its commit); 'shallow-clone' that of a shallow clone's boundary, later than the file's real
 * last commit; 'mtime' the file's modification time (a file not committed, or changed since).
 */
const runDateSource = () => z.enum(['report', 'commit', 'shallow-clone', 'mtime']);

export const e2eReports = defineFact({
  id: 'evidence.e2e',
  description: 'JUnit XML reports of the end-to-end suite (`evidence.e2e` glob)',
  permissions: [],
  schema: () => z.object({
    pattern: z.string(),
    reports: z.array(
      z.object({
        file: z.string(),
        /** ISO time of the run: the report's `timestamp` attribute, else the file's date by `dateSource`. */
        timestamp: z.string(),
        /** 'mtime' here means no attribute: the date is the file's (see `dateSource`). */
        timestampSource: z.enum(['attribute', 'mtime']),
        /** Where `timestamp` comes from; absent in snapshots collected before it was recorded. */
        dateSource: runDateSource().optional(),
        tests: z.number(),
        failures: z.number(),
        errors: z.number(),
        skipped: z.number(),
      }),
    ),
    /** Files matched by the glob that are not readable JUnit XML. */
    unreadable: z.array(z.object({ file: z.string(), reason: z.string() })),
  }),
});

export const loadTestSummary = defineFact({
  id: 'evidence.load-test',
  description: 'k6 `--summary-export` JSON of the load test',
  permissions: [],
  schema: () => z.object({
    file: z.string(),
    found: z.boolean(),
    /** k6 writes no run date: the file's last commit when committed to git, else its mtime (see `dateSource`). */
    modified: z.string().nullable(),
    /** Where `modified` comes from; absent in snapshots collected before it was recorded. */
    dateSource: runDateSource().exclude(['report']).nullable().optional(),
    p95Ms: z.number().nullable(),
    errorRate: z.number().nullable(),
    /** Peak of `vus_max`: VUs allocated, not necessarily running. */
    maxVus: z.number().nullable(),
    /** Peak of `vus`: VUs running an iteration; absent in snapshots collected before it was read. */
    maxActiveVus: z.number().nullable().optional(),
    requests: z.number().nullable(),
  }),
});

export const documents = defineFact({
  id: 'evidence.documents',
  description: 'Compliance documents listed under `documents:`, with their review date, reviewer, headings and sha256',
  permissions: [],
  schema: () => z.array(
    z.object({
      name: z.string(),
      path: z.string(),
      exists: z.boolean(),
      /** YYYY-MM-DD, from front matter `reviewed:`, else the last git commit touching the file. */
      reviewed: z.string().nullable(),
      reviewedSource: z.enum(['front-matter', 'git']).nullable(),
      /** Front matter `reviewer:` (or `reviewedBy:`): who reviewed it. */
      reviewer: z.string().nullable().default(null),
      sha256: z.string().nullable().default(null),
      /** Markdown headings, each with the words of its section that are not `TODO` placeholders; null when not read (not text, or an older snapshot). */
      sections: z.array(z.object({ heading: z.string(), words: z.number() })).nullable().default(null),
    }),
  ),
});

export const errorTracking = defineFact({
  id: 'evidence.error-tracking',
  description: 'Error-tracking DSN for the frontend (config or built bundle); the key part is never kept',
  permissions: [],
  schema: () => z.object({
    found: z.boolean(),
    source: z.enum(['config', 'bundle']).nullable(),
    provider: z.string().nullable(),
    /** The DSN with its key replaced by `***`. */
    redactedDsn: z.string().nullable(),
    file: z.string().nullable(),
    /** Where the bundle was searched (null when no `domain.frontendBuildDir`). */
    scannedDir: z.string().nullable(),
    filesScanned: z.number(),
    /**
     * Why the configured DSN is not a real one of a known provider, naming no key (null when it is, or when the tracker
     * was found in the bundle). Absent in snapshots taken before DSNs were validated and comments left out of the scan.
     */
    dsnProblem: z.string().nullable().optional(),
  }),
});
