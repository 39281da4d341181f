import type { Report } from '../model.js';
import type { Reporter, ReporterOptions } from './index.js';

export interface LoadedReporter {
  render: Reporter;
  /** The same text in pieces, for the formats that grow with the resources (see reporters/index.ts). */
  chunks?: ((report: Report, options: ReporterOptions) => Iterable<string>) | undefined;
  extension: string;
}

/**
 * The reporters of reporters/index.ts, each loaded only when a run writes its format: a terminal run loads no
 * HTML, SARIF or JSON report schema. In the same order as that table (usage errors list the formats in it).
 */
const LOADERS: Record<string, () => Promise<LoadedReporter>> = {
  terminal: async () => ({ render: (await import('./terminal.js')).terminalReporter, extension: 'txt' }),
  md: async () => {
    const { markdownReporter, markdownChunks } = await import('./markdown.js');
    return { render: markdownReporter, chunks: markdownChunks, extension: 'md' };
  },
  json: async () => {
    const [{ jsonReporter }, { jsonChunks }] = await Promise.all([import('./json.js'), import('../report-json.js')]);
    return { render: jsonReporter, chunks: jsonChunks, extension: 'json' };
  },
  html: async () => {
    const { htmlReporter, htmlChunks } = await import('./html.js');
    return { render: htmlReporter, chunks: htmlChunks, extension: 'html' };
  },
  sarif: async () => {
    const { sarifReporter, sarifChunks } = await import('./sarif.js');
    return { render: sarifReporter, chunks: sarifChunks, extension: 'sarif' };
  },
  junit: async () => {
    const { junitReporter, junitChunks } = await import('./junit.js');
    return { render: junitReporter, chunks: junitChunks, extension: 'junit.xml' };
  },
  github: async () => ({ render: (await import('./github.js')).githubReporter, extension: 'github.txt' }),
};

/** Every format name, in the reporters' order. */
export const REPORTER_FORMATS: readonly string[] = Object.keys(LOADERS);

/** The reporters of these formats (each a known one: see REPORTER_FORMATS), by format. */
export async function loadReporters(formats: Iterable<string>): Promise<ReadonlyMap<string, LoadedReporter>> {
  const unique = [...new Set(formats)];
  return new Map(await Promise.all(unique.map(async (format) => [format, await LOADERS[format]!()] as const)));
}
