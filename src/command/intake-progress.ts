import type { Redis } from "ioredis";
import type { CommandJob } from "../../jobs/command-job.js";
import { RedisKeys } from "../store/redis-keys.js";
import type { CommandJobDeps } from "./command-job-deps.js";
import { replyToCommand } from "./reply-to-command.js";

const PROGRESS_TTL_SECONDS = 86_400;

/** Replies to the command once, even when the intake job is retried after a crash. */
export async function replyOnce(
  params: { job: CommandJob; jobId: string; deps: CommandJobDeps },
  markdown: string,
): Promise<void> {
  const key = new RedisKeys(params.deps.keyPrefix).intake(params.jobId);
  if (await params.deps.redis.hget(key, "replied")) return;
  await replyToCommand({ octokit: params.deps.octokit, job: params.job, markdown });
  await checkpoint(params.deps.redis, key, "replied", "1");
}

/** Records that an intake step is done, so a retried intake job skips it. */
export async function checkpoint(
  redis: Redis,
  key: string,
  field: string,
  value: string,
): Promise<void> {
  await redis.multi().hset(key, field, value).expire(key, PROGRESS_TTL_SECONDS).exec();
}
