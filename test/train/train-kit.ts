import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { expect } from "vitest";
import { adapterNameFor } from "../../jobs/adapter-names.js";
import { createQueueNames, type QueueNames } from "../../jobs/queue-names.js";
import {
  type AdapterSubject,
  TRAIN_JOB_NAME,
  type TrainJob,
  trainJobId,
} from "../../jobs/train-job.js";
import { startTrainWorker, type TrainWorker } from "../../src/start/start-train-worker.js";
import { reserveNextVersion } from "../../src/train/adapter-registry.js";
import type { EvaluateAdapter } from "../../src/train/evaluate-new-adapter.js";
import { type TrainerHostConfig, trainConfigSchema } from "../../src/train/train-config.js";
import { captureLog } from "../../support/capture-log.js";
import { connectTestRedis, deleteKeys, uniqueName } from "../../support/redis.js";

export const FAKE_TRAINER = resolve("test/train/fixtures/fake-trainer.mjs");
export const SUBJECT: AdapterSubject = { owner: "Acme", repo: "widgets", reviewerLogin: "Alice" };
export const BASE_MODEL = "meta-llama/Meta-Llama-3-8B-Instruct";

export function exampleLines(count: number): string {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      messages: [
        { role: "system", content: "You review pull requests for acme/widgets as alice." },
        {
          role: "user",
          content: `File src/app.py\n@@ -1,2 +1,3 @@\n+value_${i} = compute(${i})\n`,
        },
        { role: "assistant", content: `nit: value_${i} needs a clearer name.` },
      ],
    }),
  ).join("\n");
}

/** Real Redis, queues of this test's own, a temporary ADAPTERS_DIR and a real trainer process. */
export interface TrainKit {
  redis: Redis;
  prefix: string;
  names: QueueNames;
  trainQueue: Queue;
  personaQueue: Queue;
  adaptersDir: string;
  /** A temporary folder for the fake trainer's side files (args, pid, state). */
  scratchDir: string;
  logLines: string[];
  log: ReturnType<typeof captureLog>["log"];
  config(env: Record<string, string>): TrainerHostConfig;
  startTrainer(
    env: Record<string, string>,
    options?: { lockDurationMs?: number; evaluate?: EvaluateAdapter },
  ): TrainWorker;
  /** Stores a dataset and queues version N's training job the way the stage does. */
  queueTraining(params?: {
    examples?: number;
    attempts?: number;
    feedbackSignal?: TrainJob["feedbackSignal"];
  }): Promise<TrainJob & { id: string }>;
  /** Every progress payload the train queue reported, in order. */
  progressEvents: unknown[];
  close(): Promise<void>;
}

export async function startTrainKit(): Promise<TrainKit> {
  const redis = await connectTestRedis();
  const prefix = uniqueName("train");
  const names = createQueueNames();
  const trainQueue = new Queue(names.trainAdapters, { connection: redis, prefix });
  const personaQueue = new Queue(names.personaRuns, { connection: redis, prefix });
  const adaptersDir = await mkdtemp(join(tmpdir(), "adapters-"));
  const scratchDir = await mkdtemp(join(tmpdir(), "train-scratch-"));
  const { log, lines } = captureLog();
  const workers: TrainWorker[] = [];
  const progressEvents: unknown[] = [];
  const events = new QueueEvents(names.trainAdapters, { connection: redis.duplicate(), prefix });
  events.on("progress", ({ data }) => progressEvents.push(data));
  await events.waitUntilReady();
  const config = (env: Record<string, string>) =>
    trainConfigSchema.parse({
      ADAPTERS_DIR: adaptersDir,
      BASE_MODEL_DIR: "/models/tiny",
      BASE_MODEL_NAME: BASE_MODEL,
      ...env,
    }) as TrainerHostConfig;
  return {
    redis,
    prefix,
    names,
    trainQueue,
    personaQueue,
    adaptersDir,
    scratchDir,
    logLines: lines,
    log,
    progressEvents,
    config,
    startTrainer(env, options = {}) {
      const worker = startTrainWorker({
        queueName: names.trainAdapters,
        queuePrefix: prefix,
        connection: redis.duplicate(),
        redis,
        personaQueue,
        config: config(env),
        log,
        ...options,
      });
      workers.push(worker);
      return worker;
    },
    async queueTraining({ examples = 8, attempts = 3, feedbackSignal } = {}) {
      const { version, adapterName } = await reserveNextVersion({
        redis,
        keyPrefix: prefix,
        subject: SUBJECT,
      });
      const datasetKey = `${prefix}:history:{acme/widgets/alice}:train`;
      await redis.set(datasetKey, exampleLines(examples), "EX", 3_600);
      const data: TrainJob = {
        ...SUBJECT,
        adapterName,
        version,
        datasetKey,
        baseModelName: BASE_MODEL,
        requestedByRunId: "persona/acme/widgets/1/sha/alice/reuse",
        ...(feedbackSignal ? { feedbackSignal } : {}),
      };
      expect(adapterName).toBe(adapterNameFor({ ...SUBJECT, version }));
      const id = trainJobId({ ...SUBJECT, version });
      await trainQueue.add(TRAIN_JOB_NAME, data, {
        jobId: id,
        attempts,
        backoff: { type: "fixed", delay: 10 },
      });
      return { ...data, id };
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await events.close();
      await Promise.all([trainQueue.close(), personaQueue.close()]);
      await deleteKeys(redis, `${prefix}:*`);
      await redis.quit();
      await rm(adaptersDir, { recursive: true, force: true });
      await rm(scratchDir, { recursive: true, force: true });
    },
  };
}

/** TRAINER_COMMAND for the fake trainer in one mode. */
export function fakeTrainer(mode: string): Record<string, string> {
  return { TRAINER_COMMAND: `${process.execPath} ${FAKE_TRAINER} ${mode}` };
}
