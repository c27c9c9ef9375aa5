import type { Redis } from "ioredis";

/**
 * Where the bot's records are: the Redis connection and the prefix (QUEUE_PREFIX) every key
 * starts with (src/store/redis-keys.ts). Passed together to every function that reads or writes them.
 */
export interface RedisScope {
  redis: Redis;
  keyPrefix: string;
}

/** The record stored as JSON under `key`, checked by `schema`; undefined when there is none. */
export async function readJsonKey<Record>(
  redis: Redis,
  key: string,
  schema: { parse(data: unknown): Record },
): Promise<Record | undefined> {
  const raw = await redis.get(key);
  return raw ? schema.parse(JSON.parse(raw)) : undefined;
}
