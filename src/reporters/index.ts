import type { Report } from '../model.js';
import { githubReporter } from './github.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { sarifReporter } from './sarif.js';
import { terminalReporter } from './terminal.js';

export interface ReporterOptions {
  color?: boolean;
  verbose?: boolean;
}

export type Reporter = (report: Report, options: ReporterOptions) => string;

/** Reporter name → pure function and the extension of the file it writes. */
export const reporters: Record<string, { render: Reporter; extension: string }> = {
  terminal: { render: terminalReporter, extension: 'txt' },
  md: { render: markdownReporter, extension: 'md' },
  json: { render: jsonReporter, extension: 'json' },
  html: { render: htmlReporter, extension: 'html' },
  sarif: { render: sarifReporter, extension: 'sarif' },
  junit: { render: junitReporter, extension: 'junit.xml' },
  github: { render: githubReporter, extension: 'github.txt' },
};
