import { Redis } from "ioredis";
import type { Logger } from "pino";
import { reportRedisOutages } from "./report-redis-outages.js";

/** Longest wait between reconnect attempts while Redis is down. */
export const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * Reconnect delay after `attempt` failures: doubling from 100 ms, capped, so a restarted Redis
 * is found again within a few seconds and a dead one costs one attempt every 5 s.
 */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(100 * 2 ** Math.max(0, attempt - 1), MAX_RECONNECT_DELAY_MS);
}

/**
 * A Redis connection for queues and state. `maxRetriesPerRequest: null` is what BullMQ workers
 * need to survive a Redis restart: commands wait for the reconnect instead of failing. With a
 * `log`, connection errors are reported once per outage (naming REDIS_URL) instead of by
 * ioredis's own stack trace on every attempt.
 */
export function connectRedis(url: string, log?: Logger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: reconnectDelayMs,
  });
  if (log) reportRedisOutages({ redis, url, log });
  // Without a listener ioredis prints every failed attempt to stderr itself.
  else redis.on("error", () => {});
  return redis;
}

/**
 * Closes a connection: QUIT when Redis answers, a plain disconnect when it does not (QUIT would
 * wait for a reconnect that may never come).
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === "ready") {
    await redis.quit();
  } else {
    redis.disconnect();
  }
}

/**
 * Whether Redis answers a PING within `timeoutMs`. Shutdown asks this to decide whether jobs in
 * hand can still be finished: a disconnected client would otherwise wait for a reconnect.
 */
export async function isRedisAnswering(redis: Redis, timeoutMs = 1_000): Promise<boolean> {
  if (redis.status !== "ready") return false;
  return Promise.race([
    redis.ping().then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(resolve, timeoutMs, false).unref()),
  ]);
}
