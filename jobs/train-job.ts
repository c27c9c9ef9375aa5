import { z } from "zod";
import { versionLabel } from "./adapter-names.js";
import { githubLoginSchema, repoNameSchema } from "./github-names.js";

/** Adapter names as vLLM sees them: `<owner>-<repo>-<login>-v<N>`, lowercase. */
export const adapterNameSchema = z
  .string()
  .regex(/^[a-z0-9._-]+-v[1-9][0-9]*$/, "not an adapter name (<owner>-<repo>-<login>-v<N>)");

/** The repository and reviewer an adapter belongs to: one adapter line per pair. */
export const adapterSubjectSchema = z.object({
  owner: githubLoginSchema,
  repo: repoNameSchema,
  reviewerLogin: githubLoginSchema,
});

export type AdapterSubject = z.infer<typeof adapterSubjectSchema>;

/**
 * Train version `version` of a reviewer's adapter. Ids and names only — never a token, and
 * never the dataset itself: `datasetKey` names the Redis string holding the training JSONL
 * (written by the history stage under its TTL), which the GPU host reads when it starts.
 */
export const trainJobSchema = adapterSubjectSchema.extend({
  adapterName: adapterNameSchema,
  version: z.number().int().positive(),
  /** Redis key of a string: the training set as JSONL, one `{"messages": [...]}` per line. */
  datasetKey: z.string().min(1),
  /** What vLLM serves as `--model`; written into adapter_config.json. */
  baseModelName: z.string().min(1),
  /** The persona run that queued the job (later runs join it as waiters). */
  requestedByRunId: z.string().min(1),
  /** Examples the dataset took from feedback on the persona's comments (src/feedback), by rule version. */
  feedbackSignal: z
    .object({ version: z.number().int(), positives: z.number().int(), negatives: z.number().int() })
    .optional(),
});

export type TrainJob = z.infer<typeof trainJobSchema>;

/** Delete a reviewer's adapter directories on the GPU host (the `forget` command). */
export const forgetAdaptersJobSchema = adapterSubjectSchema.extend({
  adapterNames: z.array(adapterNameSchema),
});

export type ForgetAdaptersJob = z.infer<typeof forgetAdaptersJobSchema>;

/** Job names on the `trainAdapters` queue. */
export const TRAIN_JOB_NAME = "train-adapter";
export const FORGET_ADAPTERS_JOB_NAME = "forget-adapters";

/**
 * What a training job reports through `job.updateProgress`, and the persona side shows as a
 * progress bar in the status comment of every run waiting for it.
 */
export const trainProgressSchema = z.discriminatedUnion("phase", [
  z.object({ phase: z.literal("started"), attempt: z.number().int().positive() }),
  z.object({
    phase: z.literal("training"),
    step: z.number().int().nonnegative(),
    totalSteps: z.number().int().positive(),
    loss: z.number().nullable(),
    tokensPerSecond: z.number().nullable(),
    etaSeconds: z.number().nullable(),
    /** Passes over the dataset so far and in the whole run, when the trainer reports them. */
    epochs: z
      .object({ reached: z.number().nonnegative(), planned: z.number().nonnegative().optional() })
      .optional(),
    /** CPU profiles: the run is capped at this many tokens, about this many minutes. */
    budget: z.object({ tokens: z.number(), minutes: z.number() }).optional(),
  }),
  z.object({
    phase: z.literal("retrying"),
    attempt: z.number().int().positive(),
    maxAttempts: z.number().int().positive(),
    message: z.string(),
  }),
]);

export type TrainProgress = z.infer<typeof trainProgressSchema>;

/**
 * One training job per adapter version: every run that needs version N of the same reviewer's
 * adapter joins the same job. No `:` (BullMQ forbids it in custom ids).
 */
export function trainJobId(subject: AdapterSubject & { version: number }): string {
  return [
    "train",
    subject.owner,
    subject.repo,
    subject.reviewerLogin,
    versionLabel(subject.version),
  ]
    .map((part) => part.toLowerCase())
    .join("/");
}

/** One forget job per command comment. */
export function forgetAdaptersJobId(subject: AdapterSubject, commentId: number): string {
  return ["forget", subject.owner, subject.repo, subject.reviewerLogin, String(commentId)]
    .map((part) => part.toLowerCase())
    .join("/");
}

/** A delayed check, one per waiting run: did a GPU host start its training job in time? */
export const trainPickupCheckSchema = z.object({
  runId: z.string().min(1),
  trainJobId: z.string().min(1),
});

export type TrainPickupCheck = z.infer<typeof trainPickupCheckSchema>;

/** One pickup check per run and training job (no `:`). */
export function trainPickupCheckId(check: TrainPickupCheck): string {
  return `pickup/${check.runId}/${check.trainJobId}`;
}

/**
 * What a training job reports through `job.updateProgress` after the holdout evaluation of the
 * adapter it published. The evaluation runs once the runs waiting for the adapter were resumed
 * (they review without waiting for it); the persona side then fills the figures into the status
 * comments that said it was running (src/run/evaluation-watchers.ts).
 */
export const adapterEvaluatedSchema = z.object({
  phase: z.literal("evaluated"),
  adapterName: adapterNameSchema,
  version: z.number().int().positive(),
  /** The evaluation's one-line quote; absent when it gave no figures (`problem` says why). */
  summary: z.string().optional(),
  problem: z.string().optional(),
});

export type AdapterEvaluated = z.infer<typeof adapterEvaluatedSchema>;
