import { Redis } from "ioredis";

/**
 * A Redis connection for queues and state. `maxRetriesPerRequest: null` is what BullMQ workers
 * need to survive a Redis restart: commands wait for the reconnect instead of failing.
 */
export function connectRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}
