// Runs environments side by side, at most `concurrency` at a time, keeping results in input order.
import { availableParallelism } from 'node:os';

export function defaultConcurrency(): number {
  return Math.max(1, availableParallelism());
}

/** Like Promise.all over `items.map(work)`, but never more than `concurrency` pending at once. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), items.length) }, lane));
  return results;
}
