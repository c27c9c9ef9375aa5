import type { Redis as RedisClient } from "ioredis";
import { Redis } from "ioredis";

const TEST_REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * The real Redis the integration tests need; fails loudly, with the fix, when nothing answers.
 * (Kept here until the lead's test/support/redis.ts lands on main; same contract.)
 */
export async function connectTestRedis(): Promise<RedisClient> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `Auth tests need Redis at ${TEST_REDIS_URL}: start it with \`redis-server --daemonize yes\` or set REDIS_URL`,
      { cause: error },
    );
  }
  return redis;
}

/** Deletes every key matching a test's prefix pattern. */
export async function deleteKeys(redis: RedisClient, pattern: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
}
