import { type Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { FORGET_ADAPTERS_JOB_NAME, forgetAdaptersJobSchema } from "../../jobs/train-job.js";
import { measureTrainingRun } from "../observe/measure-work.js";
import { resumeRun } from "../run/park-run.js";
import { logQueueErrors } from "../store/log-queue-errors.js";
import { deleteAdapterDirs } from "../train/delete-adapter-dirs.js";
import { processTrainJob, type TrainWorkerDeps } from "../train/process-train-job.js";
import type { TrainerHostConfig } from "../train/train-config.js";

export interface TrainWorker {
  worker: Worker;
  /** Stops the trainer (SIGTERM), hands its job back to the queue, then closes the worker. */
  close(): Promise<void>;
}

/**
 * The training worker of one GPU host: one job at a time (one GPU), so several hosts can
 * consume the same queue. Also deletes adapter directories for `forget` jobs, since only the
 * hosts that publish adapters can see ADAPTERS_DIR.
 */
export function startTrainWorker(params: {
  queueName: string;
  queuePrefix: string;
  /** A connection of its own: a BullMQ worker blocks on it while waiting for jobs. */
  connection: Redis;
  redis: Redis;
  personaQueue: Queue;
  config: TrainerHostConfig;
  log: Logger;
  loadDataset?: TrainWorkerDeps["loadDataset"];
  evaluate?: TrainWorkerDeps["evaluate"];
  /** Lock duration; the lock is renewed every half of it while the trainer runs. */
  lockDurationMs?: number;
}): TrainWorker {
  const log = params.log.child({ name: "trainer" });
  const shutdown = new AbortController();
  const deps: TrainWorkerDeps = {
    redis: params.redis,
    keyPrefix: params.queuePrefix,
    resumeRun: (runId) =>
      resumeRun({
        redis: params.redis,
        keyPrefix: params.queuePrefix,
        runId,
        personaQueue: params.personaQueue,
      }),
    config: params.config,
    shutdown: shutdown.signal,
    log,
    ...(params.loadDataset ? { loadDataset: params.loadDataset } : {}),
    ...(params.evaluate ? { evaluate: params.evaluate } : {}),
  };
  const worker = new Worker(
    params.queueName,
    async (job, token) => {
      if (job.name === FORGET_ADAPTERS_JOB_NAME) {
        const data = forgetAdaptersJobSchema.parse(job.data);
        const deleted = await deleteAdapterDirs({
          adaptersDir: params.config.ADAPTERS_DIR,
          adapterNames: data.adapterNames,
          log,
        });
        return { kind: "forgotten", deleted };
      }
      return measureTrainingRun(() => processTrainJob({ job, token, deps }));
    },
    {
      connection: params.connection,
      prefix: params.queuePrefix,
      concurrency: 1,
      lockDuration: params.lockDurationMs ?? 60_000,
    },
  );
  logQueueErrors(log, [worker]);
  return {
    worker,
    async close() {
      shutdown.abort();
      await worker.close();
    },
  };
}
