import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What the shared AWS files (~/.aws/config, ~/.aws/credentials) say about one profile. */
export interface SharedProfile {
  name: string;
  /** Whether either file has a section for it. */
  exists: boolean;
  region?: string | undefined;
}

/**
 * Reads a profile like the AWS CLI does: `[profile NAME]` (or `[default]`) in AWS_CONFIG_FILE,
 * else ~/.aws/config; `[NAME]` in AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials.
 */
export function readSharedProfile(name: string, env: NodeJS.ProcessEnv): SharedProfile {
  const home = env.HOME || homedir();
  const config = parseIni(readText(env.AWS_CONFIG_FILE || join(home, '.aws', 'config')));
  const credentials = parseIni(readText(env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials')));
  const section = config.get(`profile ${name}`) ?? (name === 'default' ? config.get('default') : undefined);
  return { name, exists: section !== undefined || credentials.has(name), region: section?.get('region') };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Sections of an INI file as maps of key → value (enough for profiles; nested sub-settings are skipped). */
function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      const name = header[1]!.replace(/\s+/g, ' ');
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    const pair = /^([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (current && pair && !/^\s/.test(raw)) current.set(pair[1]!, pair[2]!.replace(/\s+[#;].*$/, ''));
  }
  return sections;
}
