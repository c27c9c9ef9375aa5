import type { Redis } from "ioredis";

/**
 * Claims `key` for `ttlSeconds`: true the first time, false while the claim stands. Used to
 * act once on a webhook delivery or comment however often GitHub sends it.
 */
export async function claimOnce(params: {
  redis: Redis;
  key: string;
  ttlSeconds: number;
}): Promise<boolean> {
  const result = await params.redis.set(params.key, "1", "EX", params.ttlSeconds, "NX");
  return result === "OK";
}

/** Gives a claim back, so that a redelivery can try again after a failure. */
export async function releaseClaim(params: { redis: Redis; key: string }): Promise<void> {
  await params.redis.del(params.key);
}
