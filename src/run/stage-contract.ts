/**
 * The contract between the persona run and its stages: what a stage receives, what it may hand
 * on to later stages, and what it returns. Stages import this module, never the runner.
 */
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { PersonaJob } from "../../jobs/persona-job.js";
import type { GitHubClient } from "../github/github-client.js";
import type { HistoryResult } from "../history/collect-history.js";
import type { ReviewModel } from "../review/review-model.js";
import type { WhereModel } from "../where/where-model.js";
import type { StatusReporter } from "./status-reporter.js";

/** What every stage of a run receives. Clients are passed in; stages never import Probot. */
export interface RunContext {
  runId: string;
  job: PersonaJob;
  /** The installation's client: posts the status and the review. */
  octokit: GitHubClient;
  redis: Redis;
  status: StatusReporter;
  log: Logger;
  /** What stages hand on in memory only: never written to Redis or job data. */
  session: RunSession;
}

/** What stages hand on to later stages, in memory only: never written to Redis or job data. */
export interface RunSession {
  /** The requester's GitHub token (authorise stage). */
  requesterToken?: string;
  /** The reviewer's collected history (collect-history stage). */
  history?: HistoryResult;
  /** Which model reviews: the reviewer's adapter, or few-shot with why (train-or-reuse stage). */
  model?: Extract<ReviewModel, { kind: "adapter" }> | { kind: "few-shot"; reason: string };
  /** A line the status keeps under the review's outcome: a second review will follow (train stage). */
  afterReviewNote?: string;
  /**
   * The chosen adapter's holdout evaluation was still running (train stage): the review stage
   * says so under its outcome, and the figures replace that line when they come.
   */
  pendingEvaluation?: { adapterName: string; version: number };
  /** The reviewer's where-model, or why there is none (where-model stage). */
  where?: { model: WhereModel } | { problem: string };
}

/**
 * A stage either finishes, parks the run until an event (OAuth callback, training done) resumes
 * it, or ends the whole run early with nothing left to do (its status says why).
 */
export type StageResult =
  | { kind: "done" }
  | { kind: "parked"; reason: string }
  | { kind: "ended"; reason: string };

export interface RunStage {
  name: string;
  run(context: RunContext): Promise<StageResult>;
  /** Clean-up once the whole run has finished (not when it parks), in reverse stage order. */
  finish?(context: RunContext): Promise<void>;
}
