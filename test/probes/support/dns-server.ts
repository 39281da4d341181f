import { createSocket, type RemoteInfo } from 'node:dgram';

/** What the responder knows about one name. */
export interface Zone {
  A?: string[];
  CNAME?: string;
  PTR?: string;
}

const TYPE = { A: 1, CNAME: 5, PTR: 12, AAAA: 28 } as const;

function readName(message: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let at = offset;
  while (message[at]! > 0) {
    const length = message[at]!;
    labels.push(message.subarray(at + 1, at + 1 + length).toString('ascii'));
    at += length + 1;
  }
  return { name: labels.join('.').toLowerCase(), next: at + 1 };
}

function encodeName(name: string): Buffer {
  return Buffer.concat([...name.split('.').filter(Boolean).map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'ascii')])), Buffer.from([0])]);
}

function record(name: string, type: number, data: Buffer): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(1, 2);
  fixed.writeUInt32BE(60, 4);
  fixed.writeUInt16BE(data.length, 8);
  return Buffer.concat([encodeName(name), fixed, data]);
}

/**
 * A tiny authoritative UDP DNS responder on 127.0.0.1 for tests: A, CNAME (followed for A
 * queries, as a recursive resolver would), PTR; NXDOMAIN for unknown names, empty NOERROR
 * for a known name without the asked type.
 */
export async function startDnsServer(zones: Record<string, Zone>): Promise<{ server: string; stop(): Promise<void> }> {
  const socket = createSocket('udp4');
  const known = new Map(Object.entries(zones).map(([name, zone]) => [name.toLowerCase(), zone]));
  socket.on('message', (message: Buffer, remote: RemoteInfo) => {
    const { name, next } = readName(message, 12);
    const type = message.readUInt16BE(next);
    const answers: Buffer[] = [];
    let current = name;
    let zone = known.get(current);
    if (type === TYPE.CNAME && zone?.CNAME) answers.push(record(current, TYPE.CNAME, encodeName(zone.CNAME)));
    if (type === TYPE.A) {
      for (let hops = 0; zone?.CNAME && hops < 8; hops++) {
        answers.push(record(current, TYPE.CNAME, encodeName(zone.CNAME)));
        current = zone.CNAME.toLowerCase();
        zone = known.get(current);
      }
      for (const address of zone?.A ?? []) answers.push(record(current, TYPE.A, Buffer.from(address.split('.').map(Number))));
    }
    if (type === TYPE.PTR && zone?.PTR) answers.push(record(current, TYPE.PTR, encodeName(zone.PTR)));
    const header = Buffer.alloc(12);
    header.writeUInt16BE(message.readUInt16BE(0), 0);
    header.writeUInt16BE(0x8180 | (known.has(name) ? 0 : 3), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    socket.send(Buffer.concat([header, message.subarray(12, next + 4), ...answers]), remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    server: `127.0.0.1:${socket.address().port}`,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
