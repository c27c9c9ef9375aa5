import type { Logger } from "pino";
import type { StatusUpdate } from "./format-review-status.js";

/** Time source; tests and the bench pass their own. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Shows a state in the run's status comment (the run's `StatusReporter.show`). */
export type ShowStatus = (headline: string, details?: string[]) => Promise<void>;

/**
 * Wraps the status comment so a review edits it rarely: progress at most once per `intervalMs`
 * (the first only after `intervalMs`, since the run already said the review started), and always
 * the final state. Each edit is a GitHub write that the secondary rate limits count. A failed
 * progress edit is logged, never fatal, and never delays the hunks.
 */
export function throttleStatusUpdates(params: {
  showStatus: ShowStatus;
  clock: Clock;
  intervalMs: number;
  log: Logger;
}): {
  progress(update: () => StatusUpdate): void;
  final(update: StatusUpdate): Promise<void>;
  writes(): number;
} {
  let lastWrite = params.clock.now();
  let writes = 0;
  let pending: Promise<void> = Promise.resolve();
  const show = ({ headline, details }: StatusUpdate) => params.showStatus(headline, details);
  return {
    progress(update) {
      if (params.clock.now() - lastWrite < params.intervalMs) return;
      lastWrite = params.clock.now();
      writes++;
      pending = pending
        .then(() => show(update()))
        .catch((error: unknown) => params.log.warn({ err: error }, "status progress edit failed"));
    },
    async final(update) {
      await pending;
      writes++;
      await show(update);
    },
    writes: () => writes,
  };
}
