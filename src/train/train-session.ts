import type { RunContext } from "../run/process-persona-job.js";

/**
 * What the history stage hands on (set by it on `context.session.history`): how much history
 * there is, whether it is enough to train on, and the Redis key of the training JSONL string.
 */
export interface HistorySummary {
  /** Cleaned review comments found for the reviewer in this repository. */
  comments: number;
  /** At least MIN_COMMENTS_FOR_TRAINING: worth training an adapter. */
  enoughForTraining: boolean;
  /** Fewest comments worth training on, for the few-shot reason. */
  minimumComments: number;
  /** Redis key of a string holding the training set as JSONL (one `{"messages": [...]}` a line). */
  datasetKey: string;
}

/**
 * Which model reviews, chosen by the train-or-reuse stage (`context.session.model`) and read by
 * the review stage. `few-shot` carries the reason, which the review states.
 */
export type ModelChoice =
  | {
      kind: "adapter";
      /** The vLLM model name, `<owner>-<repo>-<login>-v<N>`. */
      name: string;
      version: number;
      /** How many examples it was trained on. */
      trainedOn: number;
    }
  | { kind: "few-shot"; reason: string };

/** The session fields the train stage reads and writes (in memory only, like the token). */
export interface TrainSessionFields {
  history?: HistorySummary;
  model?: ModelChoice;
}

/** The run's session, with the train stage's fields. */
export function trainSessionOf(context: RunContext): TrainSessionFields {
  return context.session as RunContext["session"] & TrainSessionFields;
}
