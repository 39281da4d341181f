import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { forward, readBody, send } from './fault-proxy.js';

/**
 * moto 5.2 keeps AWS Backup plans but not their selections (ListBackupSelections and
 * GetBackupSelection answer 500, CreateBackupSelection too) nor ListProtectedResources (404).
 * This stand-in answers those three reads, with AWS's JSON shapes, from what a test puts in
 * `selections` and `protectedResources`; every other request goes to moto untouched.
 */
export interface BackupSelectionInput {
  SelectionName: string;
  Resources?: string[];
  NotResources?: string[];
  ListOfTags?: { ConditionType: 'STRINGEQUALS'; ConditionKey: string; ConditionValue: string }[];
  Conditions?: Record<string, { ConditionKey: string; ConditionValue: string }[]>;
}

export interface BackupStandIn {
  endpoint: string;
  /** Selections by backup plan id. */
  selections: Map<string, BackupSelectionInput[]>;
  protectedResources: { ResourceArn: string; ResourceType: string; LastBackupTime: Date }[];
  /** Answer the selection reads with this HTTP status (a service error), as an unreadable selection. */
  failSelections?: number;
  stop(): Promise<void>;
}

export async function startBackupStandIn(upstream: string): Promise<BackupStandIn> {
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const path = new URL(request.url ?? '/', 'http://stand-in').pathname;
      const isBackup = /\/backup\/aws4_request/.test(request.headers.authorization ?? '') && request.method === 'GET';
      const json = (status: number, value: unknown) => send(response, status, { 'content-type': 'application/json' }, JSON.stringify(value));
      const selectionPath = /^\/backup\/plans\/([^/]+)\/selections(?:\/([^/]+))?\/?$/.exec(path);
      if (isBackup && selectionPath) {
        if (standIn.failSelections) return json(standIn.failSelections, { __type: 'ServiceUnavailableException', message: 'selections unavailable' });
        const [, planId, selectionId] = selectionPath as unknown as [string, string, string | undefined];
        const selections = standIn.selections.get(planId) ?? [];
        if (!selectionId) return json(200, { BackupSelectionsList: selections.map((s, i) => ({ SelectionId: `${planId}-${i}`, SelectionName: s.SelectionName, BackupPlanId: planId })) });
        const selection = selections[Number(selectionId.slice(planId.length + 1))];
        if (!selection) return json(404, { __type: 'ResourceNotFoundException', message: 'no such selection' });
        return json(200, { BackupPlanId: planId, SelectionId: selectionId, BackupSelection: { IamRoleArn: 'arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole', ...selection } });
      }
      if (isBackup && /^\/resources\/?$/.test(path)) {
        return json(200, { Results: standIn.protectedResources.map((r) => ({ ...r, LastBackupTime: r.LastBackupTime.getTime() / 1000 })) });
      }
      const answer = await forward(upstream, request, body);
      send(response, answer.status, answer.headers, answer.body);
    })().catch(() => response.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const standIn: BackupStandIn = {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    selections: new Map(),
    protectedResources: [],
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return standIn;
}
