import type { Node } from 'yaml';
import { allChecks } from '../../checks/index.js';
import { checkOptions } from '../engine/options.js';
import { loadZod } from '../zod.js';
import type { FrozenConfig } from './frozen.js';
import { parseConfig } from './load.js';
import { yaml } from '../yaml.js';

/**
 * A config file made into a FrozenConfig (see there), at build time: validated as `loadConfig` does with no
 * environment variable set, the position of every node, key and list item it writes, and each built-in check's options.
 */
export async function freezeConfig(text: string, file: string): Promise<FrozenConfig> {
  await loadZod();
  const { config, hash, unsetVariables, written } = parseConfig(text, file, {});
  const { isMap, isScalar, isSeq, LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false });
  const at = (offset: number): [number, number] => {
    const { line, col } = lineCounter.linePos(offset);
    return [line, col];
  };
  const options = Object.fromEntries(allChecks.map((check) => [check.meta.id, checkOptions(check, config)]));
  const frozen: FrozenConfig = { hash, config, unsetVariables, written, checkOptions: options, values: {}, keys: {}, items: {} };
  const walk = (node: unknown, path: (string | number)[]) => {
    const range = (node as Node | null | undefined)?.range;
    if (range) frozen.values[JSON.stringify(path)] = at(range[0]);
    if (isMap(node)) {
      for (const pair of node.items) {
        // The loader finds a key by its scalar value (never an alias or a collection).
        if (!isScalar(pair.key)) continue;
        const entry = [...path, pair.key.value as string | number];
        if (pair.key.range) frozen.keys[JSON.stringify(entry)] = at(pair.key.range[0]);
        walk(pair.value, entry);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const itemRange = (item as Node | null)?.range;
        if (itemRange) frozen.items[JSON.stringify([...path, index])] = at(itemRange[0])[0];
        walk(item, [...path, index]);
      });
    }
  };
  walk(document.contents, []);
  return frozen;
}
