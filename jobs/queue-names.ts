import { z } from "zod";

/**
 * The BullMQ queues the processes share. Server and workers must agree on these names, so they
 * are derived here only; tests pass a unique namespace to get queues of their own.
 */
export const queueNamesSchema = z.object({
  /** Parsed commands from webhooks, acknowledged and checked by the server's intake worker. */
  commands: z.string(),
  /** Persona runs: authorise → collect history → train or reuse → review. */
  personaRuns: z.string(),
  /** LoRA training jobs, consumed by trainer workers on GPU hosts. */
  trainAdapters: z.string(),
  /** Delayed checks, one per waiting run: did a GPU worker pick its training job up in time? */
  trainPickupChecks: z.string(),
  /** Pushes to summarise for the repositories' feeds (the dashboard). */
  pushSummaries: z.string(),
  /** Pull request events whose bot comments' fates are read (src/feedback). */
  feedback: z.string(),
  /** Backport triage: schedule syncs and scheduled triage runs (src/backports). */
  backports: z.string(),
});

export type QueueNames = z.infer<typeof queueNamesSchema>;

export function createQueueNames(namespace = ""): QueueNames {
  const suffix = namespace ? `-${namespace}` : "";
  return {
    commands: `commands${suffix}`,
    personaRuns: `persona-runs${suffix}`,
    trainAdapters: `train-adapters${suffix}`,
    trainPickupChecks: `train-pickup-checks${suffix}`,
    pushSummaries: `push-summaries${suffix}`,
    feedback: `feedback${suffix}`,
    backports: `backports${suffix}`,
  };
}

/**
 * How a job queued by the `push` webhook (a feed summary, a backports schedule sync) retries and
 * how long BullMQ keeps its record: three tries from 10 s apart, kept a day when done and a week
 * when failed.
 */
export const PUSH_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: "exponential", delay: 10_000 },
  removeOnComplete: { age: 86_400 },
  removeOnFail: { age: 7 * 86_400 },
} as const;
