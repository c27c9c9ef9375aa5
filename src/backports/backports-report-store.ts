import type { Redis } from "ioredis";
import { z } from "zod";
import { RedisKeys } from "../store/redis-keys.js";

const countsSchema = z.object({
  commits: z.number().int(),
  backported: z.number().int(),
  cached: z.number().int(),
  evaluated: z.number().int(),
});

/** The last scheduled triage of one stable branch, as the dashboard shows it. */
export interface StoredBackportsReport {
  html: string;
  generatedAt: string;
  counts: z.infer<typeof countsSchema>;
}

/** Keeps the report of the latest run (one per repository and stable branch; no expiry). */
export async function saveBackportsReport(params: {
  redis: Redis;
  keyPrefix: string;
  owner: string;
  repo: string;
  stable: string;
  report: StoredBackportsReport;
}): Promise<void> {
  const key = new RedisKeys(params.keyPrefix).backportsReport(params);
  await params.redis.hset(key, {
    html: params.report.html,
    generatedAt: params.report.generatedAt,
    counts: JSON.stringify(params.report.counts),
  });
}

/** The latest report, or undefined when no triage of that branch has finished yet. */
export async function loadBackportsReport(params: {
  redis: Redis;
  keyPrefix: string;
  owner: string;
  repo: string;
  stable: string;
}): Promise<StoredBackportsReport | undefined> {
  const stored = await params.redis.hgetall(
    new RedisKeys(params.keyPrefix).backportsReport(params),
  );
  if (!stored.html || !stored.generatedAt || !stored.counts) return undefined;
  return {
    html: stored.html,
    generatedAt: stored.generatedAt,
    counts: countsSchema.parse(JSON.parse(stored.counts)),
  };
}
