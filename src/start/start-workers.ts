import { randomUUID } from "node:crypto";
import {
  DelayedError,
  Job,
  type Queue,
  UnrecoverableError,
  Worker,
  type WorkerOptions,
} from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { commandJobSchema } from "../../jobs/command-job.js";
import { personaJobSchema } from "../../jobs/persona-job.js";
import { trainPickupCheckSchema } from "../../jobs/train-job.js";
import { processCommandJob } from "../command/process-command-job.js";
import type { GitHubClient } from "../github/github-client.js";
import type { ConfigReadingOctokit } from "../github/read-repo-config-file.js";
import { stopWritesOnAbort } from "../github/stop-writes-on-abort.js";
import { endRemovedRun } from "../run/end-removed-run.js";
import { endFailedRun, reportRunResuming } from "../run/end-run.js";
import { processPersonaJob } from "../run/process-persona-job.js";
import { processPickupCheck } from "../run/process-pickup-check.js";
import { reportRunFailure } from "../run/report-run-failure.js";
import { createRunTickets } from "../run/run-tickets.js";
import type { RunStage } from "../run/stage-contract.js";
import { RUN_REMOVED, watchRemovedRuns } from "../run/watch-removed-runs.js";
import { RedisKeys } from "../store/redis-keys.js";
import type { Config } from "./load-config.js";
import { startJobWorker } from "./start-job-worker.js";

/** Authenticates as an installation of the app (Probot's `app.auth`). */
export type InstallationAuth = (
  installationId: number,
) => Promise<GitHubClient & ConfigReadingOctokit>;

/** What every worker of the bot process is started with. */
export interface WorkerParams {
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
  return startJobWorker({
    queueName: params.queueName,
    schema: commandJobSchema,
    process: async (data, job) =>
      processCommandJob({
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
      }),
    options: {
      connection: params.connection,
      prefix: params.config.QUEUE_PREFIX,
      concurrency: params.config.COMMAND_CONCURRENCY,
    },
  });
}

/** Rejects a run's processor when an operator removed its job (BullMQ aborts its signal). */
class RunRemovedError extends Error {
  constructor() {
    super(RUN_REMOVED);
  }
}

/** The persona worker: runs a run's stages in order, and ends every run visibly. */
export function startPersonaWorker(
  params: WorkerParams & {
    stages: RunStage[];
    /** The persona queue: at start, runs left active by a dead worker are told they resume. */
    personaQueue?: Queue;
    /** BullMQ worker options (tests shorten the lock so a killed worker's run stalls sooner). */
    workerOptions?: Partial<WorkerOptions>;
  },
): Worker {
  const log = params.log.child({ name: "persona" });
  const keyPrefix = params.config.QUEUE_PREFIX;
  // Names this process's worker in Redis's client list, so others can tell if it is alive.
  const workerName = randomUUID();
  const ownerKey = (runId: string) => new RedisKeys(keyPrefix).runOwner(runId);
  // Failures our processor already reported: the `failed` event handles only the others.
  const reported = new WeakSet<object>();
  const tickets = createRunTickets({ redis: params.redis, keyPrefix });
  const worker = new Worker(
    params.queueName,
    async (job, token, signal) => {
      const data = personaJobSchema.parse(job.data);
      const runId = job.id ?? "";
      const octokit = await params.auth(data.installationId);
      const removal = signal ?? new AbortController().signal;
      await params.redis.set(ownerKey(runId), workerName, "EX", 7 * 86_400);
      try {
        const outcome = await Promise.race([
          processPersonaJob({
            runId,
            job: data,
            octokit: stopWritesOnAbort(octokit, removal),
            redis: params.redis,
            stages: params.stages,
            log,
            keyPrefix: params.config.QUEUE_PREFIX,
          }),
          // An operator removed the job: stop waiting for the run (see watchRemovedRuns).
          new Promise<never>((_, reject) =>
            removal.addEventListener("abort", () => reject(new RunRemovedError()), { once: true }),
          ),
        ]);
        log.info({ runId, outcome }, "run ended");
        await tickets.drop(runId);
        return outcome;
      } catch (error) {
        if (error instanceof RunRemovedError) {
          const removed = await tickets.take(runId);
          if (removed) {
            const end = { octokit, redis: params.redis, keyPrefix, runId, job: removed, log };
            await endRemovedRun({ ...end, removedWhile: "active" });
          }
          // Ended above: should BullMQ still fail the job, the `failed` handler must not end it again.
          const ended = new UnrecoverableError(RUN_REMOVED);
          reported.add(ended);
          throw ended;
        }
        const resumeAt = (error as { resumeAt?: unknown } | null)?.resumeAt;
        if (resumeAt instanceof Date && token) {
          // A long wait (GitHub's rate limit) must not hold a worker: run again at resumeAt.
          log.info({ runId, resumeAt }, "run deferred");
          await job.moveToDelayed(resumeAt.getTime(), token);
          throw new DelayedError();
        }
        const willRetry =
          !(error instanceof UnrecoverableError) && job.attemptsMade + 1 < (job.opts.attempts ?? 1);
        if (error instanceof Error) reported.add(error);
        const end = { octokit, redis: params.redis, keyPrefix, runId, job: data, log };
        if (!willRetry) {
          await tickets.drop(runId);
          await endFailedRun({ ...end, error });
          throw error;
        }
        log.error({ runId, err: error, willRetry }, "run failed");
        await reportRunFailure({ octokit, runId, job: data, error, willRetry }).catch(
          (reportError: unknown) =>
            log.error(
              { runId, err: reportError },
              "could not report the failure in the status comment",
            ),
        );
        throw error;
      } finally {
        await params.redis.del(ownerKey(runId)).catch(() => undefined);
      }
    },
    {
      connection: params.connection,
      prefix: keyPrefix,
      concurrency: params.config.PERSONA_CONCURRENCY,
      name: workerName,
      lockDuration: params.config.PERSONA_LOCK_MS,
      stalledInterval: params.config.PERSONA_LOCK_MS,
      ...params.workerOptions,
    },
  );
  const withJob = async (
    jobId: string | undefined,
    act: (end: {
      octokit: GitHubClient;
      runId: string;
      job: ReturnType<typeof personaJobSchema.parse>;
    }) => Promise<void>,
  ) => {
    const stored = jobId ? await Job.fromId(worker, jobId) : undefined;
    const parsed = personaJobSchema.safeParse(stored?.data);
    if (!jobId || !parsed.success) return;
    await act({
      octokit: await params.auth(parsed.data.installationId),
      runId: jobId,
      job: parsed.data,
    });
  };
  // BullMQ fails a job that stalled too often without calling the processor: end it here.
  worker.on("failed", (job, error) => {
    if (!job || reported.has(error)) return;
    void withJob(job.id, async (end) => {
      await endFailedRun({ ...end, redis: params.redis, keyPrefix, log, error });
      await params.redis.del(ownerKey(end.runId));
      await tickets.drop(end.runId);
    }).catch((endError: unknown) => log.error({ err: endError }, "could not end a failed run"));
  });
  worker.on("stalled", (jobId) => {
    void withJob(jobId, (end) => reportRunResuming({ ...end, log })).catch((resumeError: unknown) =>
      log.error({ err: resumeError }, "could not report a resume"),
    );
  });
  watchRemovedRuns({
    worker,
    queueName: params.queueName,
    prefix: keyPrefix,
    connection: params.connection.duplicate(),
    redis: params.redis,
    auth: params.auth,
    log,
    // A lock period dwarfs the two Redis writes between a ticket and its job; twice that is the
    // guard, and a sweep every four catches a bulk removal within about two minutes by default.
    sweep: {
      everyMs: 4 * params.config.PERSONA_LOCK_MS,
      guardAgeMs: 2 * params.config.PERSONA_LOCK_MS,
    },
  });
  if (params.personaQueue) {
    const queue = params.personaQueue;
    void worker
      .waitUntilReady()
      .then(async () => {
        // A run whose worker is gone resumes once its lock expires; say so now, not then.
        const alive = new Set(
          (await queue.getWorkers()).map((client) => String(client.rawname).split(":w:").at(-1)),
        );
        for (const active of await queue.getActive()) {
          const owner = active.id ? await params.redis.get(ownerKey(active.id)) : null;
          if (owner && !alive.has(owner))
            await withJob(active.id, (end) => reportRunResuming({ ...end, log }));
        }
      })
      .catch((error: unknown) => log.warn({ err: error }, "could not look for interrupted runs"));
  }
  return worker;
}

/**
 * Beside the persona worker: the delayed pickup checks of runs waiting for training. Jobs are
 * tiny, so one shared worker per process suffices.
 */
export function startPickupCheckWorker(
  params: Omit<WorkerParams, "auth"> & { trainQueue: Queue; personaQueue: Queue },
): Worker {
  const log = params.log.child({ name: "training-pickup" });
  return startJobWorker({
    queueName: params.queueName,
    schema: trainPickupCheckSchema,
    process: (check) =>
      processPickupCheck({
        check,
        redis: params.redis,
        keyPrefix: params.config.QUEUE_PREFIX,
        trainQueue: params.trainQueue,
        personaQueue: params.personaQueue,
        log,
      }),
    options: { connection: params.connection, prefix: params.config.QUEUE_PREFIX, concurrency: 4 },
  });
}
