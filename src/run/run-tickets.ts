import type { Redis } from "ioredis";
import { type PersonaJob, personaJobSchema } from "../../jobs/persona-job.js";

/** As long as a run can stay queued or parked; a ticket is normally dropped when its run ends. */
const TICKET_TTL_SECONDS = 7 * 86_400;

/**
 * A copy of each queued run's job (ids only, like the job itself), kept beside the queue: when an
 * operator removes the job (the queue board, `queue.remove`, `obliterate`), BullMQ deletes its
 * data with it, and the ticket is what still says which status comment to end. Taking a ticket is
 * atomic, so of all the workers that notice one removal, exactly one ends the run.
 */
export function createRunTickets(params: { redis: Redis; keyPrefix: string }) {
  const key = (runId: string) => `${params.keyPrefix}:run-ticket:${runId}`;
  return {
    async save(runId: string, job: PersonaJob): Promise<void> {
      await params.redis.set(key(runId), JSON.stringify(job), "EX", TICKET_TTL_SECONDS);
    },
    /** The run's job, once: later calls (other workers, the same removal seen twice) get null. */
    async take(runId: string): Promise<PersonaJob | null> {
      const raw = await params.redis.getdel(key(runId));
      return raw ? personaJobSchema.parse(JSON.parse(raw)) : null;
    },
    async drop(runId: string): Promise<void> {
      await params.redis.del(key(runId));
    },
  };
}
