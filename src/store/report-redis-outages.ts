import type { Redis } from "ioredis";
import type { Logger } from "pino";

/** Shortest time between two "still unreachable" lines of one process. */
export const OUTAGE_REMINDER_INTERVAL_MS = 60_000;

interface OutageState {
  down: boolean;
  since: number;
  lastLineAt: number;
}

// One state per process and URL: the server opens several connections to the same Redis, and
// an outage is one event, not one per connection.
const outages = new Map<string, OutageState>();

/** The URL with any password replaced, so it can be logged. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable REDIS_URL)";
  }
}

/**
 * Logs a Redis outage as one clear line naming REDIS_URL and the fix, then at most one reminder
 * a minute, then one line when Redis is back — instead of a stack trace per reconnect attempt.
 */
export function reportRedisOutages(params: {
  redis: Redis;
  url: string;
  log: Logger;
  now?: () => number;
  reminderIntervalMs?: number;
}): void {
  const now = params.now ?? Date.now;
  const interval = params.reminderIntervalMs ?? OUTAGE_REMINDER_INTERVAL_MS;
  const state = outages.get(params.url) ?? { down: false, since: 0, lastLineAt: 0 };
  outages.set(params.url, state);
  const where = redactRedisUrl(params.url);
  params.redis.on("error", (error: Error) => {
    const at = now();
    if (!state.down) {
      state.down = true;
      state.since = at;
      state.lastLineAt = at;
      params.log.error(
        { redisUrl: where, reason: error.message },
        `Redis at REDIS_URL=${where} does not answer (${error.message}): start Redis there or fix REDIS_URL; retrying with backoff, queued work waits in Redis`,
      );
    } else if (at - state.lastLineAt >= interval) {
      state.lastLineAt = at;
      params.log.warn(
        { redisUrl: where, downForSeconds: Math.round((at - state.since) / 1000) },
        `Redis at REDIS_URL=${where} still does not answer; retrying`,
      );
    }
  });
  params.redis.on("ready", () => {
    if (!state.down) return;
    state.down = false;
    params.log.info(
      { redisUrl: where, downForSeconds: Math.round((now() - state.since) / 1000) },
      "Redis answers again",
    );
  });
}
