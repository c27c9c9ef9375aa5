/** Time, injected so rate-limit waits can be tested with a fake clock. */
export type Clock = {
  now(): number;
  sleep(milliseconds: number): Promise<void>;
};

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
};

/** Requests spent so far, by API; kept across a resume in the checkpoint. */
export type RequestCounts = { graphql: number; rest: number };
