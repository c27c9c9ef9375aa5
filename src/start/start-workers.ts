import { DelayedError, type Queue, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { commandJobSchema } from "../../jobs/command-job.js";
import { personaJobSchema } from "../../jobs/persona-job.js";
import { trainPickupCheckSchema } from "../../jobs/train-job.js";
import { processCommandJob } from "../command/process-command-job.js";
import type { Config } from "../config/load-config.js";
import type { GitHubClient } from "../github/github-client.js";
import type { ConfigReadingOctokit } from "../github/read-repo-config-file.js";
import { processPersonaJob, type RunStage } from "../run/process-persona-job.js";
import { reportRunFailure } from "../run/report-run-failure.js";
import { processPickupCheck } from "../train/process-pickup-check.js";

/** Authenticates as an installation of the app (Probot's `app.auth`). */
export type InstallationAuth = (
  installationId: number,
) => Promise<GitHubClient & ConfigReadingOctokit>;

interface WorkerParams {
  config: Config;
  queueName: string;
  /** A connection of its own: a BullMQ worker blocks on it while waiting for jobs. */
  connection: Redis;
  redis: Redis;
  auth: InstallationAuth;
  log: Logger;
}

/** The intake worker: permission, 👀, status comment, persona job. Runs beside the webhook server. */
export function startCommandWorker(
  params: WorkerParams & {
    personaQueue: Queue;
    /** Where `forget` sends adapter deletions (GPU hosts own the adapter files). */
    trainQueue: Queue;
  },
): Worker {
  const log = params.log.child({ name: "intake" });
  const { trainQueue } = params;
  return new Worker(
    params.queueName,
    async (job) => {
      const data = commandJobSchema.parse(job.data);
      return processCommandJob({
        job: data,
        jobId: job.id ?? "",
        deps: {
          octokit: await params.auth(data.installationId),
          redis: params.redis,
          personaQueue: params.personaQueue,
          trainQueue,
          botHandle: params.config.BOT_HANDLE,
          keyPrefix: params.config.QUEUE_PREFIX,
          log,
        },
      });
    },
    {
      connection: params.connection,
      prefix: params.config.QUEUE_PREFIX,
      concurrency: params.config.COMMAND_CONCURRENCY,
    },
  );
}

/** The persona worker: runs a run's stages in order. */
export function startPersonaWorker(params: WorkerParams & { stages: RunStage[] }): Worker {
  const log = params.log.child({ name: "persona" });
  return new Worker(
    params.queueName,
    async (job, token) => {
      const data = personaJobSchema.parse(job.data);
      const runId = job.id ?? "";
      const octokit = await params.auth(data.installationId);
      try {
        return await processPersonaJob({
          runId,
          job: data,
          octokit,
          redis: params.redis,
          stages: params.stages,
          log,
          keyPrefix: params.config.QUEUE_PREFIX,
        });
      } catch (error) {
        const resumeAt = (error as { resumeAt?: unknown } | null)?.resumeAt;
        if (resumeAt instanceof Date && token) {
          // A long wait (GitHub's rate limit) must not hold a worker: run again at resumeAt.
          log.info({ runId, resumeAt }, "run deferred");
          await job.moveToDelayed(resumeAt.getTime(), token);
          throw new DelayedError();
        }
        const willRetry =
          !(error instanceof UnrecoverableError) && job.attemptsMade + 1 < (job.opts.attempts ?? 1);
        log.error({ runId, err: error, willRetry }, "run failed");
        await reportRunFailure({ octokit, runId, job: data, error, willRetry }).catch(
          (reportError: unknown) =>
            log.error(
              { runId, err: reportError },
              "could not report the failure in the status comment",
            ),
        );
        throw error;
      }
    },
    {
      connection: params.connection,
      prefix: params.config.QUEUE_PREFIX,
      concurrency: params.config.PERSONA_CONCURRENCY,
    },
  );
}

/**
 * Beside the persona worker: the delayed pickup checks of runs waiting for training. Jobs are
 * tiny, so one shared worker per process suffices.
 */
export function startPickupCheckWorker(
  params: Omit<WorkerParams, "auth"> & { trainQueue: Queue; personaQueue: Queue },
): Worker {
  const log = params.log.child({ name: "training-pickup" });
  return new Worker(
    params.queueName,
    async (job) =>
      processPickupCheck({
        check: trainPickupCheckSchema.parse(job.data),
        redis: params.redis,
        keyPrefix: params.config.QUEUE_PREFIX,
        trainQueue: params.trainQueue,
        personaQueue: params.personaQueue,
        log,
      }),
    { connection: params.connection, prefix: params.config.QUEUE_PREFIX, concurrency: 4 },
  );
}
