import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  key: string;
  cert: string;
}

/** A test CA and certificates signed by it (or self-signed), made with the openssl CLI in a temp dir. */
export interface TestPki {
  ca: KeyPair;
  issue(names: string[], days: number): KeyPair;
  selfSigned(name: string, days: number): KeyPair;
  cleanup(): void;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'readiness-pki-'));
  const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  let serial = 0;

  openssl(['req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', '/CN=Readiness Test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const ca = { key: read('ca.key'), cert: read('ca.crt') };

  return {
    ca,
    issue(names, days) {
      const id = `leaf${++serial}`;
      writeFileSync(join(dir, `${id}.ext`), `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\nextendedKeyUsage=serverAuth\n`);
      openssl(['req', ...EC, '-keyout', `${id}.key`, '-out', `${id}.csr`, '-subj', `/CN=${names[0]}`]);
      openssl(['x509', '-req', '-in', `${id}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${id}.crt`, '-days', String(days), '-extfile', `${id}.ext`]);
      return { key: read(`${id}.key`), cert: read(`${id}.crt`) };
    },
    selfSigned(name, days) {
      const id = `self${++serial}`;
      openssl(['req', '-x509', ...EC, '-keyout', `${id}.key`, '-out', `${id}.crt`, '-days', String(days), '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`]);
      return { key: read(`${id}.key`), cert: read(`${id}.crt`) };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
