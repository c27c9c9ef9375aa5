/** Runs a task when one of the limit's slots is free. */
export type ConcurrencyLimit = <Result>(task: () => Promise<Result>) => Promise<Result>;

/**
 * A tiny semaphore: at most `concurrency` tasks run at once, the rest wait in FIFO order. One
 * limit can be shared by several kinds of request (hunks and the summary) so the LLM server never
 * sees more than the configured number in flight.
 */
export function createConcurrencyLimit(concurrency: number): ConcurrencyLimit {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`concurrency must be a whole number of at least 1, got ${concurrency}`);
  }
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running--;
    waiting.shift()?.();
  };
  return async (task) => {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}

/**
 * Runs `worker` over `items` under `limit` and resolves to one settled result per item in input
 * order, so one failure never stops the others.
 */
export function mapWithLimit<Item, Result>(params: {
  items: readonly Item[];
  limit: ConcurrencyLimit;
  worker: (item: Item, index: number) => Promise<Result>;
}): Promise<PromiseSettledResult<Result>[]> {
  return Promise.allSettled(
    params.items.map((item, index) => params.limit(() => params.worker(item, index))),
  );
}
