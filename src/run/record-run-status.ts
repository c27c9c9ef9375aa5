import type { Redis } from "ioredis";
import { z } from "zod";
import type { PersonaJob } from "../../jobs/persona-job.js";
import { RedisKeys } from "../store/redis-keys.js";
import type { StatusReporter } from "./status-reporter.js";

/** How long a run's last status stays readable (the dashboard's "recent runs"). */
const RUN_STATUS_TTL_SECONDS = 14 * 86_400;
/** Runs listed per repository; older ones drop off the index. */
const MAX_RUNS_PER_REPO = 200;

export const runStatusSchema = z.object({
  runId: z.string(),
  owner: z.string(),
  repo: z.string(),
  pullNumber: z.number().int().positive(),
  reviewerLogin: z.string(),
  requesterLogin: z.string(),
  headSha: z.string(),
  state: z.enum(["running", "parked", "finished", "failed"]),
  /** 1-based index of the stage the run is in, of `stageCount`. */
  stageIndex: z.number().int().nonnegative(),
  stageCount: z.number().int().nonnegative(),
  stageName: z.string().nullable(),
  /** What the status comment says now (markdown-ish text the bot wrote, not user input). */
  headline: z.string(),
  details: z.array(z.string()),
  updatedAt: z.iso.datetime(),
});

export type RunStatus = z.infer<typeof runStatusSchema>;

function runKeys(params: { keyPrefix: string; owner: string; repo: string; runId: string }) {
  return new RedisKeys(params.keyPrefix).runStatus(params);
}

/**
 * Keeps what a run's status comment shows, and where the run is, in Redis, so the dashboard can
 * list runs without reading GitHub. Ids and the bot's own status text only.
 */
export function createRunStatusRecorder(params: {
  redis: Redis;
  keyPrefix: string;
  runId: string;
  job: PersonaJob;
  stageCount: number;
  now?: () => Date;
}) {
  const now = params.now ?? (() => new Date());
  const { job } = params;
  let current: RunStatus = {
    runId: params.runId,
    owner: job.owner,
    repo: job.repo,
    pullNumber: job.pullNumber,
    reviewerLogin: job.reviewerLogin,
    requesterLogin: job.requesterLogin,
    headSha: job.headSha,
    state: "running",
    stageIndex: 0,
    stageCount: params.stageCount,
    stageName: null,
    headline: "A worker picked this run up.",
    details: [],
    updatedAt: now().toISOString(),
  };
  const save = async (change: Partial<RunStatus>) => {
    current = runStatusSchema.parse({ ...current, ...change, updatedAt: now().toISOString() });
    const keys = runKeys({ ...params, owner: job.owner, repo: job.repo });
    const updatedMs = Date.parse(current.updatedAt);
    await params.redis
      .multi()
      .set(keys.status, JSON.stringify(current), "EX", RUN_STATUS_TTL_SECONDS)
      .zadd(keys.index, updatedMs, params.runId)
      .zremrangebyrank(keys.index, 0, -MAX_RUNS_PER_REPO - 1)
      .expire(keys.index, RUN_STATUS_TTL_SECONDS)
      .exec();
  };
  return {
    enterStage: (stageIndex: number, stageName: string) =>
      save({ state: "running", stageIndex, stageName }),
    end: (state: "parked" | "finished" | "failed") => save({ state }),
    /** The reporter with every message also recorded (the comment itself stays throttled). */
    wrap: (inner: StatusReporter): StatusReporter => ({
      show: async (headline, details) => {
        await save({ headline, details: details ?? [] });
        await inner.show(headline, details);
      },
      progress: async (headline, details) => {
        await save({ headline, details: details ?? [] });
        await inner.progress(headline, details);
      },
      flush: () => inner.flush(),
    }),
  };
}

/** A repository's runs, most recently updated first. */
export async function listRunStatuses(params: {
  redis: Redis;
  keyPrefix: string;
  owner: string;
  repo: string;
  limit: number;
}): Promise<RunStatus[]> {
  const { index } = runKeys({ ...params, runId: "" });
  const runIds = await params.redis.zrevrange(index, 0, params.limit - 1);
  if (runIds.length === 0) return [];
  const raw = await params.redis.mget(runIds.map((runId) => runKeys({ ...params, runId }).status));
  return raw
    .filter((value): value is string => value !== null)
    .map((value) => runStatusSchema.parse(JSON.parse(value)));
}
