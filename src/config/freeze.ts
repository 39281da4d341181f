import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { FrozenConfig } from './frozen.js';
import { parseConfig } from './load.js';

/**
 * A config file made into a FrozenConfig (see there), at build time: validated as `loadConfig` does with no
 * environment variable set, and the position of every node, key and list item it writes.
 */
export function freezeConfig(text: string, file: string): FrozenConfig {
  const { config, hash, unsetVariables, written } = parseConfig(text, file, {});
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false });
  const at = (offset: number): [number, number] => {
    const { line, col } = lineCounter.linePos(offset);
    return [line, col];
  };
  const frozen: FrozenConfig = { hash, config, unsetVariables, written, values: {}, keys: {}, items: {} };
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
