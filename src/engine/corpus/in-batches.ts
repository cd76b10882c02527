/**
 * `fn` of each item, in order, `size` items at a time: a folder may hold thousands of files, and reading or stat'ing
 * them in batches keeps memory and open files bounded.
 * @example const stamps = await inBatches(files, 64, (f) => stat(f))
 */
export async function inBatches<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return results;
}
