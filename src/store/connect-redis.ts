import { Redis } from "ioredis";
import type { Logger } from "pino";

/**
 * A Redis connection for queues and state. `maxRetriesPerRequest: null` is what BullMQ workers
 * need to survive a Redis restart: commands wait for the reconnect instead of failing.
 */
export function connectRedis(url: string, log: Logger): Redis {
  return logRedisErrors(new Redis(url, { maxRetriesPerRequest: null }), log);
}

/**
 * Sends a connection's errors to the logger. Without an `error` listener ioredis prints
 * `[ioredis] Unhandled error event` to stderr on every failed reconnect, which breaks a JSON log.
 * One warning per outage (repeats at debug), and a line when the connection is back.
 */
export function logRedisErrors(redis: Redis, log: Logger): Redis {
  let failing = false;
  redis.on("error", (error: Error) => {
    if (failing) {
      log.debug({ err: error }, "Redis still unreachable; reconnecting");
      return;
    }
    failing = true;
    log.warn({ err: error }, "Redis connection lost; reconnecting (queued work waits in Redis)");
  });
  redis.on("ready", () => {
    if (!failing) return;
    failing = false;
    log.info("Redis connection restored");
  });
  return redis;
}

const CONNECTION_ERROR_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT"]);

/**
 * Logs the `error` events of a BullMQ queue or worker. Without a listener BullMQ prints them with
 * `console.error`, outside the JSON log. Lost connections are already reported by the connection
 * itself ({@link logRedisErrors}), so they are logged at debug here.
 */
export function logErrorsOf<
  Emitter extends { on(event: "error", listener: (error: Error) => void): unknown },
>(emitter: Emitter, log: Logger, what: string): Emitter {
  emitter.on("error", (error) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code && CONNECTION_ERROR_CODES.has(code)) log.debug({ err: error }, `${what}: ${code}`);
    else log.warn({ err: error }, `${what} error`);
  });
  return emitter;
}
