import { isAbsolute, resolve } from 'node:path';

/** A config path, resolved against the config file's folder. */
export function configPath(baseDir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}
