import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";

/** Deletes the lock only if we still hold it, so a lock that expired and was retaken is left alone. */
const RELEASE_IF_OWNER = `
if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0`;

export interface WithRedisLockParams<T> {
  redis: Redis;
  lockKey: string;
  /** How long the lock lives if its holder dies; longer than the work should ever take. */
  lockTtlMs: number;
  /** How long to wait for another holder before giving up. */
  waitMs: number;
  pollMs?: number;
  work: () => Promise<T>;
}

/** Thrown when another process held the lock for longer than `waitMs`; retrying later is safe. */
export class LockTimeoutError extends Error {
  constructor(lockKey: string, waitMs: number) {
    super(
      `Waited ${waitMs} ms for the Redis lock ${lockKey} and another process still holds it; retry later (it expires on its own if its holder died).`,
    );
    this.name = "LockTimeoutError";
  }
}

/**
 * Runs `work` while holding a Redis lock (SET NX PX + owner token), shared by every replica.
 * Waiters poll rather than subscribe: locks here are rare and short (one OAuth refresh).
 */
export async function withRedisLock<T>({
  redis,
  lockKey,
  lockTtlMs,
  waitMs,
  pollMs = 50,
  work,
}: WithRedisLockParams<T>): Promise<T> {
  const ownerToken = randomBytes(16).toString("hex");
  const deadline = Date.now() + waitMs;
  while ((await redis.set(lockKey, ownerToken, "PX", lockTtlMs, "NX")) !== "OK") {
    if (Date.now() >= deadline) {
      throw new LockTimeoutError(lockKey, waitMs);
    }
    await sleep(pollMs);
  }
  try {
    return await work();
  } finally {
    await redis.eval(RELEASE_IF_OWNER, 1, lockKey, ownerToken);
  }
}
