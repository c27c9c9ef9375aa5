import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { listServedModels } from "./list-served-models.js";

export interface ReadinessCheck {
  name: "redis" | "queues" | "llm";
  ok: boolean;
  detail: string;
}

export interface ReadinessParams {
  redis: Redis;
  queues: Queue[];
  llm: { baseUrl: string; apiKey: string; baseModel: string };
  timeoutMs?: number;
}

const withinTime = <T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`${what} did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      ).unref(),
    ),
  ]);

async function checkRedis(redis: Redis, timeoutMs: number): Promise<ReadinessCheck> {
  // A disconnected client queues commands until it reconnects: answer from its state at once.
  if (redis.status !== "ready") {
    return { name: "redis", ok: false, detail: `not connected (${redis.status}); check REDIS_URL` };
  }
  try {
    await withinTime(redis.ping(), timeoutMs, "Redis PING");
    return { name: "redis", ok: true, detail: "PONG" };
  } catch (error) {
    return { name: "redis", ok: false, detail: (error as Error).message };
  }
}

async function checkQueues(queues: Queue[], timeoutMs: number): Promise<ReadinessCheck> {
  try {
    const waiting = await withinTime(
      Promise.all(queues.map(async (queue) => [queue.name, await queue.count()] as const)),
      timeoutMs,
      "the queues",
    );
    return {
      name: "queues",
      ok: true,
      detail: waiting.map(([name, count]) => `${name}: ${count} waiting`).join(", "),
    };
  } catch (error) {
    return { name: "queues", ok: false, detail: (error as Error).message };
  }
}

/**
 * What `/readyz` reports: Redis answers, every queue can be read, and the LLM server serves the
 * base model. Each check is bounded by `timeoutMs`, so a dead dependency answers "not ready"
 * quickly instead of hanging the probe.
 */
export async function checkReadiness(params: ReadinessParams): Promise<ReadinessCheck[]> {
  const timeoutMs = params.timeoutMs ?? 1_500;
  const redis = await checkRedis(params.redis, timeoutMs);
  const queues: ReadinessCheck = redis.ok
    ? await checkQueues(params.queues, timeoutMs)
    : { name: "queues", ok: false, detail: "Redis is not connected" };
  const served = await listServedModels({ ...params.llm, timeoutMs });
  const llm: ReadinessCheck = served.ok
    ? { name: "llm", ok: true, detail: `serves ${params.llm.baseModel}` }
    : { name: "llm", ok: false, detail: served.problem };
  return [redis, queues, llm];
}
