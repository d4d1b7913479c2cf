/**
 * Runs `work` on every item with at most `limit` calls in flight, and resolves to the results in
 * the items' order. `work` must not throw for an item it can describe (return a value saying what
 * went wrong instead); a thrown error stops new calls from starting, waits for the ones in flight,
 * and rejects with that first error. An engine that went away fails every later call the same
 * way, so stopping early saves a long tail of identical errors.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`concurrency must be a whole number of at least 1, not ${limit}`);
  }
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
