import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

export const TEST_REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * A connection to the real Redis the integration tests need. Fails loudly, with the fix, when
 * nothing answers: these tests must not silently skip.
 */
export async function connectTestRedis(url = TEST_REDIS_URL): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(
      `Integration tests need Redis at ${url}: start it with \`redis-server --daemonize yes\` or set REDIS_URL`,
      { cause: error },
    );
  }
  return redis;
}

/** A name no other test uses: queue names and key prefixes are per test. */
export function uniqueName(label: string): string {
  return `test-${label}-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key under a test's prefix. */
export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
}
