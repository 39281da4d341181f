import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: where package.json is, from src/ (tests) or dist/src/ (installed). */
export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string; repository?: { url?: string } };
export const VERSION: string = manifest.version;

/** The repository's web address (from package.json), where each check's page is: docs/checks/<id>.md. */
export const REPOSITORY_URL: string = (manifest.repository?.url ?? 'https://github.com/readiness-dev/readiness').replace(/^git\+/, '').replace(/\.git$/, '');

export function checkDocsUrl(id: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/checks/${encodeURIComponent(id)}.md`;
}

function findRoot(from: string): string {
  let dir = from;
  for (;;) {
    try {
      readFileSync(join(dir, 'package.json'));
      return dir;
    } catch {
      const parent = dirname(dir);
      if (parent === dir) throw new Error('package.json not found');
      dir = parent;
    }
  }
}
