import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

/** One bench run's place in the real Redis: a fresh key prefix, deleted when the run ends. */
export interface BenchRedis {
  redis: Redis;
  keyPrefix: string;
  /** Deletes every key under the prefix and disconnects. */
  close(): Promise<void>;
}

/** Connects to REDIS_URL (default 127.0.0.1:6379) under the prefix `bench-<name>-<uuid>`. */
export function openBenchRedis(name: string): BenchRedis {
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
    maxRetriesPerRequest: 1,
  });
  const keyPrefix = `bench-${name}-${randomUUID()}`;
  return {
    redis,
    keyPrefix,
    async close() {
      const keys = await redis.keys(`${keyPrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}
