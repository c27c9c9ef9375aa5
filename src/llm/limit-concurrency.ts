/**
 * Runs `worker` over `items` with at most `concurrency` calls in flight, and resolves to one
 * settled result per item in input order, so one failure never stops the others.
 */
export async function mapWithConcurrency<Item, Result>(params: {
  items: readonly Item[];
  concurrency: number;
  worker: (item: Item, index: number) => Promise<Result>;
}): Promise<PromiseSettledResult<Result>[]> {
  const { items, worker } = params;
  if (!Number.isInteger(params.concurrency) || params.concurrency < 1) {
    throw new Error(`concurrency must be a whole number of at least 1, got ${params.concurrency}`);
  }
  const results = new Array<PromiseSettledResult<Result>>(items.length);
  let next = 0;
  const runLane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await worker(items[index] as Item, index) };
      } catch (error) {
        results[index] = { status: "rejected", reason: error };
      }
    }
  };
  const lanes = Math.min(params.concurrency, items.length);
  await Promise.all(Array.from({ length: lanes }, runLane));
  return results;
}
