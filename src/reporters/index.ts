import type { Report } from '../model.js';
import type { ResultLocation } from '../config/locations.js';
import { githubReporter } from './github.js';
import { htmlChunks, htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitChunks, junitReporter } from './junit.js';
import { markdownChunks, markdownReporter } from './markdown.js';
import { jsonChunks } from '../report-json.js';
import { sarifChunks, sarifReporter } from './sarif.js';
import { terminalReporter } from './terminal.js';
import type { Format } from './formats.js';
import type { Palette } from './palette.js';

export interface ReporterOptions {
  /** Terminal: the colours to print with (colourPalette); none: plain text. */
  palette?: Palette;
  verbose?: boolean;
  /** Terminal: only the verdict, the blockers and the section scores (the files written beside it hold the rest). */
  summary?: boolean;
  /** GitHub: where the full report went (the files written, the step summary), named in the summary annotation. */
  reportLocation?: string;
  /** SARIF and GitHub: where a finding is placed (the config's path in the repository, the line of its key). */
  location?: ResultLocation;
  /** Terminal: wrap at this many columns (the terminal's width; none when stdout is not a terminal). */
  width?: number | undefined;
  /** Terminal: the report files written beside it, named in its closing lines. */
  reportFiles?: readonly string[];
}

export type Reporter = (report: Report, options: ReporterOptions) => string;

/**
 * Reporter name → pure function, the extension of the file it writes and, for the formats that grow with the
 * resources, the same text in pieces (their concatenation is `render`'s string), to stream into the file.
 */
const byFormat: Record<Format, { render: Reporter; chunks?: (report: Report, options: ReporterOptions) => Iterable<string>; extension: string }> = {
  terminal: { render: terminalReporter, extension: 'txt' },
  md: { render: markdownReporter, chunks: markdownChunks, extension: 'md' },
  json: { render: jsonReporter, chunks: jsonChunks, extension: 'json' },
  html: { render: htmlReporter, chunks: htmlChunks, extension: 'html' },
  sarif: { render: sarifReporter, chunks: sarifChunks, extension: 'sarif' },
  junit: { render: junitReporter, chunks: junitChunks, extension: 'junit.xml' },
  github: { render: githubReporter, extension: 'github.txt' },
};
export const reporters: Readonly<Record<string, (typeof byFormat)[Format]>> = byFormat;

/** A report in pieces, for any format. */
export function renderChunks(format: string, report: Report, options: ReporterOptions): Iterable<string> {
  const reporter = reporters[format]!;
  return reporter.chunks ? reporter.chunks(report, options) : [reporter.render(report, options)];
}
