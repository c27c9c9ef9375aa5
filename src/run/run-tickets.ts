import type { Redis } from "ioredis";
import { type PersonaJob, personaJobSchema } from "../../jobs/persona-job.js";
import { RedisKeys } from "../store/redis-keys.js";

/** As long as a run can stay queued or parked; a ticket is normally dropped when its run ends. */
const TICKET_TTL_SECONDS = 7 * 86_400;

/**
 * Takes a ticket only if it was saved at least ARGV[1] ms ago. Every save sets the full TTL, so
 * the time left on it says when it was last saved; checking and taking in one script means a
 * ticket saved again meanwhile (the same run queued anew) is never taken.
 */
const TAKE_IF_SAVED_BEFORE = `
local left = redis.call("PTTL", KEYS[1])
if left < 0 or left > tonumber(ARGV[2]) - tonumber(ARGV[1]) then return false end
return redis.call("GETDEL", KEYS[1])`;

/**
 * A copy of each queued run's job (ids only, like the job itself), kept beside the queue: when an
 * operator removes the job (the queue board, `queue.remove`, `obliterate`), BullMQ deletes its
 * data with it, and the ticket is what still says which status comment to end. Taking a ticket is
 * atomic, so of all the workers that notice one removal, exactly one ends the run.
 *
 * A run has a ticket from the moment it is queued until it ends, parks (`drop`; `resumeRun`
 * saves a new one when it queues the run again) or is found removed (`take`).
 */
export function createRunTickets(params: { redis: Redis; keyPrefix: string }) {
  const key = (runId: string) => new RedisKeys(params.keyPrefix).runTicket(runId);
  return {
    async save(runId: string, job: PersonaJob): Promise<void> {
      await params.redis.set(key(runId), JSON.stringify(job), "EX", TICKET_TTL_SECONDS);
    },
    /** The run's job, once: later calls (other workers, the same removal seen twice) get null. */
    async take(runId: string): Promise<PersonaJob | null> {
      const raw = await params.redis.getdel(key(runId));
      return raw ? personaJobSchema.parse(JSON.parse(raw)) : null;
    },
    /**
     * Like `take`, but only a ticket saved at least `ageMs` ago: younger, its job may not be
     * added yet (`queuePersonaRun` saves the ticket first).
     */
    async takeIfOlderThan(runId: string, ageMs: number): Promise<PersonaJob | null> {
      const raw = (await params.redis.eval(
        TAKE_IF_SAVED_BEFORE,
        1,
        key(runId),
        String(ageMs),
        String(TICKET_TTL_SECONDS * 1_000),
      )) as string | null;
      return raw ? personaJobSchema.parse(JSON.parse(raw)) : null;
    },
    async drop(runId: string): Promise<void> {
      await params.redis.del(key(runId));
    },
    /** The run ids that hold a ticket (SCAN, so a large Redis is never blocked). */
    async list(): Promise<string[]> {
      const runIds = new Set<string>();
      const stream = params.redis.scanStream({ match: key("*"), count: 500 });
      for await (const keys of stream as AsyncIterable<string[]>)
        for (const found of keys) runIds.add(found.slice(key("").length));
      return [...runIds];
    },
  };
}
