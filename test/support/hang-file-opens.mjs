// Preloaded with --import: every fs open hangs forever and the process is held open, as a stuck
// network mount or a blocked device would, so only the last-resort stop at --timeout can end it.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

fs.promises.open = () => new Promise(() => setInterval(() => {}, 60_000));
fs.promises.readFile = fs.promises.open;
syncBuiltinESMExports();
