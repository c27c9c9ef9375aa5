import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { PersonaJob } from "../../jobs/persona-job.js";
import { createRunTickets } from "./run-tickets.js";

/**
 * Queues a run's persona job under its run id, with its ticket (what ends the run visibly if an
 * operator removes the job before it finishes).
 */
export async function queuePersonaRun(params: {
  personaQueue: Queue;
  redis: Redis;
  keyPrefix: string;
  runId: string;
  job: PersonaJob;
}): Promise<void> {
  await createRunTickets(params).save(params.runId, params.job);
  await params.personaQueue.add("persona-run", params.job, {
    jobId: params.runId,
    attempts: 3,
    backoff: { type: "exponential", delay: 30_000 },
    removeOnComplete: { age: 3_600 },
    removeOnFail: { age: 7 * 86_400 },
  });
}
