import type { LimitFunction } from 'p-limit';
import { PartialFact, type CollectContext } from './types.js';

export const CUT_OFF = { message: 'not read before the run reached its --timeout', fix: 'raise --timeout' };

/**
 * Reads each resource under `limit`. When the run is cut off part-way, throws a PartialFact that
 * keeps every answer already in and names each resource not read; any other error fails the fact.
 */
export async function readEach<Item, Value>(
  context: Pick<CollectContext, 'signal' | 'progress'>,
  items: readonly Item[],
  options: { name: (item: Item) => string; limit: LimitFunction; counting: string },
  read: (item: Item) => Promise<Value>,
): Promise<Value[]> {
  const { signal } = context;
  const answers: (Value | undefined)[] = new Array<Value | undefined>(items.length);
  const answered: boolean[] = new Array<boolean>(items.length).fill(false);
  const cutOff = () =>
    new PartialFact(
      answers.filter((_, i) => answered[i]),
      items.filter((_, i) => !answered[i]).map(options.name),
      answered.filter(Boolean).length,
      CUT_OFF.message,
      CUT_OFF.fix,
    );
  // Settles as soon as the run is cut off, without waiting for the requests being cancelled.
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(cutOff());
    signal.addEventListener('abort', () => reject(cutOff()), { once: true });
  });
  aborted.catch(() => {});
  const all = Promise.all(
    items.map((item, i) =>
      options.limit(async () => {
        if (signal.aborted) return;
        answers[i] = await read(item);
        answered[i] = true;
        context.progress?.read(options.counting);
      }),
    ),
  );
  try {
    await Promise.race([all, aborted]);
  } catch (error) {
    if (signal.aborted && answered.includes(false)) throw cutOff();
    throw error;
  }
  return answers as Value[];
}
