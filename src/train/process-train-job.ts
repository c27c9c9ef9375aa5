import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Job, UnrecoverableError, WaitingError } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import {
  type AdapterEvaluated,
  type TrainJob,
  type TrainProgress,
  trainJobSchema,
} from "../../jobs/train-job.js";
import { snapshotIndexForAdapter } from "../retrieval/retrieval-store.js";
import {
  getCurrentAdapter,
  getForgottenAt,
  recordAdapter,
  recordAdapterEvaluation,
  reserveNextVersion,
} from "./adapter-registry.js";
import { checkPublishedAdapter, whoPublished } from "./check-published-adapter.js";
import type { AdapterEvaluation, EvaluateAdapter } from "./evaluate-new-adapter.js";
import { finishTraining } from "./finish-training.js";
import { runTrainerProcess, type TrainerResult } from "./run-trainer-process.js";
import { splitCommandLine, type TrainerHostConfig } from "./train-config.js";
import { TrainerFailedError } from "./trainer-failed-error.js";

/** What the training worker needs; the GPU host holds no GitHub credentials. */
export interface TrainWorkerDeps {
  redis: Redis;
  keyPrefix: string;
  /** Resumes a persona run that waits for the adapter (passed in: train/ does not know the run). */
  resumeRun: (runId: string) => Promise<boolean>;
  config: TrainerHostConfig;
  /** Aborted when the worker shuts down: the trainer gets SIGTERM and the job goes back to wait. */
  shutdown: AbortSignal;
  log: Logger;
  /** Scores the new adapter on the holdout before it is recorded; omitted: no evaluation. */
  evaluate?: EvaluateAdapter;
  /** Reads the training JSONL; by default the Redis string named by the job's `datasetKey`. */
  loadDataset?: (job: TrainJob) => Promise<string | null>;
}

export type TrainJobResult =
  | { kind: "published"; adapterName: string; version: number }
  | { kind: "skipped"; reason: string };

/**
 * Trains one adapter version on this GPU host and publishes it under its versioned name in
 * ADAPTERS_DIR (the trainer stages beside it and renames, so vLLM never sees half of one), then
 * records it in the registry and resumes the runs waiting for it, and only then evaluates it on
 * the holdout (minutes on a CPU), filling the figures in when they come (evaluatePublished).
 *
 * Idempotent: an attempt after a crash finds the published directory or registry entry and
 * finishes without training again. Failures: bad input (exit 2) and out of memory (exit 3)
 * are permanent (`UnrecoverableError`); anything else retries until the job's attempts are
 * spent. Whichever attempt is final tells the waiting runs why, in words for the PR.
 */
export async function processTrainJob(params: {
  job: Job;
  token: string | undefined;
  deps: TrainWorkerDeps;
}): Promise<TrainJobResult> {
  const { job, deps } = params;
  const parsed = trainJobSchema.safeParse(job.data);
  if (!parsed.success)
    throw new UnrecoverableError(`invalid training job payload: ${parsed.error.message}`);
  const data = parsed.data;
  const trainJobId = job.id ?? "";
  const subject = { owner: data.owner, repo: data.repo, reviewerLogin: data.reviewerLogin };
  const log = deps.log.child({ trainJobId, adapterName: data.adapterName });
  const finish = (outcome: Parameters<typeof finishTraining>[0]["outcome"]) =>
    finishTraining({ ...deps, subject, trainJobId, outcome, log });

  try {
    if (await wasForgottenSince(deps, subject, job.timestamp)) {
      await finish({ kind: "failed", message: forgottenMessage(data) });
      return { kind: "skipped", reason: "forgotten" };
    }
    const current = await getCurrentAdapter({ ...deps, subject });
    if (current && current.version >= data.version) {
      await finish({
        kind: "published",
        adapterName: current.adapterName,
        version: current.version,
      });
      // An earlier attempt published and resumed the runs, then died while evaluating.
      if (current.evaluationPending && current.version === data.version) {
        await evaluatePublished({ job, deps, subject, ...current, log });
      }
      return { kind: "skipped", reason: "already recorded" };
    }
    // Which job asked for the weights in a folder: an attempt of this job adopts its own earlier
    // publish; a folder of the same name with other weights (an earlier deployment whose Redis
    // registry was lost, so versions restarted) is never reused — vLLM may still serve it under
    // that name — and this job trains under the next free version instead.
    const provenance = `${trainJobId}@${job.timestamp}`;
    let target = { adapterName: data.adapterName, version: data.version };
    let publisher: Awaited<ReturnType<typeof whoPublished>>;
    for (;;) {
      publisher = await whoPublished(
        join(deps.config.ADAPTERS_DIR, target.adapterName),
        provenance,
      );
      if (publisher !== "another") break;
      log.warn(
        { adapterName: target.adapterName },
        "an adapter folder of this name holds other weights: training under the next version, since a name is never reused",
      );
      target = await reserveNextVersion({ ...deps, subject });
      // The precedents the dataset was augmented from follow the adapter to its new name.
      await snapshotIndexForAdapter({
        ...deps,
        subject,
        adapterName: target.adapterName,
        fromAdapterName: data.adapterName,
      });
    }
    const adapterDir = join(deps.config.ADAPTERS_DIR, target.adapterName);
    const result =
      publisher === "this job"
        ? await adoptEarlierPublish({ deps, data, adapterDir, log })
        : await train({ job, deps, data, adapterDir, provenance, log });
    await checkPublishedAdapter({ adapterDir, baseModelName: data.baseModelName });
    if (await wasForgottenSince(deps, subject, job.timestamp)) {
      await rm(adapterDir, { recursive: true, force: true });
      await finish({ kind: "failed", message: forgottenMessage(data) });
      return { kind: "skipped", reason: "forgotten" };
    }
    await recordAdapter({
      ...deps,
      subject,
      adapter: {
        adapterName: target.adapterName,
        version: target.version,
        baseModel: data.baseModelName,
        trainedAt: new Date().toISOString(),
        examples: result.examples ?? 0,
        steps: result.steps,
        trainSeconds: result.trainSeconds,
        ...(result.epochs === undefined ? {} : { epochs: result.epochs }),
        ...(result.systemTurn ? { systemTurn: result.systemTurn } : {}),
        scores: {},
        ...(data.feedbackSignal ? { feedbackSignal: data.feedbackSignal } : {}),
        ...(deps.evaluate ? { evaluationPending: true as const } : {}),
      },
    });
    // The waiting runs review now; the evaluation takes minutes and fills its figures in after.
    await finish({ kind: "published", ...target });
    log.info({ examples: result.examples, steps: result.steps }, "adapter published");
    await evaluatePublished({ job, deps, subject, ...target, log });
    return { kind: "published", ...target };
  } catch (error) {
    if (deps.shutdown.aborted && error instanceof TrainerFailedError) {
      // Stopped by our own shutdown: back to wait for another host, without spending an attempt.
      log.info("worker shutting down: training job handed back to the queue");
      await job.moveToWait(params.token);
      throw new WaitingError();
    }
    const permanent =
      error instanceof UnrecoverableError ||
      (error instanceof TrainerFailedError && error.permanent);
    const attempts = job.opts.attempts ?? 1;
    const final = permanent || job.attemptsMade + 1 >= attempts;
    const message = error instanceof Error ? error.message : String(error);
    log.error(
      {
        err: error,
        stderrTail: error instanceof TrainerFailedError ? error.stderrTail : undefined,
        attempt: job.attemptsMade + 1,
        attempts,
        final,
      },
      "training attempt failed",
    );
    if (!final) {
      await job.updateProgress({
        phase: "retrying",
        attempt: job.attemptsMade + 1,
        maxAttempts: attempts,
        message,
      } satisfies TrainProgress);
      throw error;
    }
    await finish({ kind: "failed", message: finalMessage({ error, permanent, attempts }) });
    if (permanent && !(error instanceof UnrecoverableError)) throw new UnrecoverableError(message);
    throw error;
  }
}

/** What producing a job's adapter works with: the job's data and the folder it publishes into. */
interface PublishParams {
  deps: TrainWorkerDeps;
  data: TrainJob;
  adapterDir: string;
  log: Logger;
}

/** The job's dataset (JSONL), from the injected loader or Redis; null once it expired. */
function loadDataset(deps: TrainWorkerDeps, data: TrainJob): Promise<string | null> {
  return (deps.loadDataset ?? ((train: TrainJob) => deps.redis.get(train.datasetKey)))(data);
}

async function train(
  params: PublishParams & {
    job: Job;
    /** Written into the published folder (trainer `--provenance`): which job asked for it. */
    provenance: string;
  },
): Promise<TrainerResult> {
  const { job, deps, data } = params;
  const jsonl = await loadDataset(deps, data);
  if (!jsonl) {
    throw new UnrecoverableError(
      "the collected review history expired before a training worker started training (HISTORY_TTL_SECONDS is shorter than the wait); ask again with --force-reload",
    );
  }
  await job.updateProgress({
    phase: "started",
    attempt: job.attemptsMade + 1,
  } satisfies TrainProgress);
  // The dataset is scraped text: a private folder, removed whatever happens.
  const workDir = await mkdtemp(join(tmpdir(), "tech-lead-bot-train-"));
  try {
    const datasetPath = join(workDir, "train.jsonl");
    await writeFile(datasetPath, jsonl, { mode: 0o600 });
    return await runTrainerProcess({
      command: splitCommandLine(deps.config.TRAINER_COMMAND),
      args: [
        "--dataset",
        datasetPath,
        "--base-model-dir",
        deps.config.BASE_MODEL_DIR,
        "--base-model-name",
        data.baseModelName,
        "--output-dir",
        params.adapterDir,
        "--profile",
        deps.config.TRAINING_PROFILE,
        "--provenance",
        params.provenance,
        ...splitCommandLine(deps.config.TRAINER_EXTRA_ARGS),
      ],
      cwd: deps.config.TRAINER_WORKDIR,
      signal: deps.shutdown,
      log: params.log,
      onProgress: (progress) =>
        job.updateProgress({ phase: "training", ...progress } satisfies TrainProgress),
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * The holdout evaluation of a published, recorded adapter, run after its waiting runs were
 * resumed: its figures go into the registry (the dashboard reads them there) and are reported as
 * an `evaluated` progress event, from which the persona side fills them into the status comments
 * that said the evaluation was running. Never throws: the adapter is published and its runs are
 * reviewing, whatever happens here; an evaluation that fails (vLLM down, scorer missing) is
 * logged and reported without figures.
 */
async function evaluatePublished(params: {
  job: Job;
  deps: TrainWorkerDeps;
  subject: { owner: string; repo: string; reviewerLogin: string };
  adapterName: string;
  version: number;
  log: Logger;
}): Promise<void> {
  const { deps, log } = params;
  if (!deps.evaluate) return;
  let evaluation: AdapterEvaluation | undefined;
  let problem: string | undefined;
  try {
    evaluation = await deps.evaluate(params);
    log.info({ evaluation: evaluation.summary }, "adapter evaluated on the holdout");
  } catch (error) {
    log.warn({ err: error }, "holdout evaluation failed; the adapter is recorded without scores");
    problem = "the evaluation failed (the training worker's log says why)";
  }
  try {
    const recorded = await recordAdapterEvaluation({
      ...deps,
      subject: params.subject,
      adapterName: params.adapterName,
      evaluation,
    });
    if (!recorded) {
      evaluation = undefined;
      problem = "the adapter was forgotten while it was evaluated";
    }
    await params.job.updateProgress({
      phase: "evaluated",
      adapterName: params.adapterName,
      version: params.version,
      ...(evaluation ? { summary: evaluation.summary } : {}),
      ...(problem ? { problem } : {}),
    } satisfies AdapterEvaluated);
  } catch (error) {
    log.error({ err: error }, "could not record or report the adapter's holdout evaluation");
  }
}

/** An earlier attempt published the adapter, then died before recording it. */
async function adoptEarlierPublish(params: PublishParams): Promise<TrainerResult> {
  params.log.info("adapter already published by an earlier attempt: recording it");
  const jsonl = await loadDataset(params.deps, params.data);
  const examples = jsonl ? jsonl.split("\n").filter((line) => line.trim() !== "").length : null;
  return { adapterDir: params.adapterDir, steps: null, examples, trainSeconds: null };
}

async function wasForgottenSince(
  deps: TrainWorkerDeps,
  subject: { owner: string; repo: string; reviewerLogin: string },
  queuedAt: number,
): Promise<boolean> {
  const forgottenAt = await getForgottenAt({ ...deps, subject });
  return forgottenAt !== undefined && forgottenAt >= queuedAt;
}

function forgottenMessage(data: TrainJob): string {
  return `\`${data.reviewerLogin}\` asked to be forgotten in ${data.owner}/${data.repo} while the adapter was being trained, so it was not kept`;
}

function finalMessage(params: { error: unknown; permanent: boolean; attempts: number }): string {
  const message = params.error instanceof Error ? params.error.message : String(params.error);
  if (params.permanent) return `training failed and will not be retried: ${message}`;
  return `training failed ${params.attempts} time${params.attempts === 1 ? "" : "s"}; last error: ${message}`;
}
