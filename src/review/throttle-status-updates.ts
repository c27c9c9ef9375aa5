import type { Logger } from "pino";

/** Time source; tests and the bench pass their own. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Wraps the status-comment updater so a review edits the comment rarely: progress at most once
 * per `intervalMs` (the first one only after `intervalMs`, since the run already showed that it
 * started), and always the final state. Each edit is a GitHub write, and GitHub's secondary
 * limits count them. A failed progress edit is logged, never fatal.
 */
export function throttleStatusUpdates(params: {
  updateStatus: (markdown: string) => Promise<void>;
  clock: Clock;
  intervalMs: number;
  log: Logger;
}): {
  progress(markdown: () => string): void;
  final(markdown: string): Promise<void>;
  writes(): number;
} {
  let lastWrite = params.clock.now();
  let writes = 0;
  let pending: Promise<void> = Promise.resolve();
  return {
    progress(markdown) {
      if (params.clock.now() - lastWrite < params.intervalMs) return;
      lastWrite = params.clock.now();
      writes++;
      pending = pending
        .then(() => params.updateStatus(markdown()))
        .catch((error: unknown) => params.log.warn({ err: error }, "status progress edit failed"));
    },
    async final(markdown) {
      await pending;
      writes++;
      await params.updateStatus(markdown);
    },
    writes: () => writes,
  };
}
