import type { AdapterRecord } from "../../train/adapter-registry.js";
import type { RunContext, RunSession, StageResult } from "../stage-contract.js";

/** Chooses the adapter and says so in the status comment.
 * `how`: "reused" (it existed), "trained" (this run waited for it), or why an existing adapter
 * is used although a retrain was asked for.
 */
export async function useAdapter(
  context: RunContext,
  adapter: AdapterRecord,
  how: "reused" | "trained" | { retrainSkipped: string },
): Promise<StageResult> {
  const model: RunSession["model"] = {
    kind: "adapter",
    name: adapter.adapterName,
    version: adapter.version,
    trainedOn: adapter.examples,
    ...(adapter.evaluation ? { evaluation: adapter.evaluation } : {}),
    // Absent means the full turn, the default, so only a trimmed one is carried.
    ...(adapter.systemTurn === "first_paragraph" ? { systemTurn: adapter.systemTurn } : {}),
  };
  context.session.model = model;
  if (adapter.evaluationPending) {
    context.session.pendingEvaluation = {
      adapterName: adapter.adapterName,
      version: adapter.version,
    };
  }
  const trainedOn = `${adapter.examples} of their review comments, ${adapter.trainedAt.slice(0, 10)}`;
  const note =
    how === "reused"
      ? `Reusing the adapter trained on ${trainedOn}; comment with \`--force-reload\` to retrain.`
      : how === "trained"
        ? `Trained on ${trainedOn}.`
        : `Using the existing adapter (trained on ${trainedOn}): ${how.retrainSkipped}.`;
  await context.status.show(
    `🧠 Reviewing with \`${context.job.reviewerLogin}\`'s adapter (v${adapter.version}).`,
    adapter.evaluation
      ? [note, `${adapter.evaluation[0]?.toUpperCase()}${adapter.evaluation.slice(1)}.`]
      : adapter.evaluationPending
        ? [
            note,
            "Its holdout evaluation is running: the review does not wait for it, and its figures follow in this comment.",
          ]
        : [note],
  );
  return { kind: "done" };
}

/**
 * Chooses the base model with few-shot examples, and says why in the status comment (`more`:
 * further lines under the why).
 */
export async function goFewShot(
  context: RunContext,
  reason: string,
  more: string[] = [],
): Promise<StageResult> {
  context.session.model = { kind: "few-shot", reason };
  await context.status.show(
    `📝 Reviewing with the base model and \`${context.job.reviewerLogin}\`'s past comments as examples (no adapter).`,
    [`Why: ${reason}.`, ...more],
  );
  return { kind: "done" };
}

/**
 * Ends a follow-up run (`job.afterTraining`) whose adapter never came: no second review, and the
 * status comment says plainly that the few-shot review is the answer, and why.
 */
export async function endWithoutSecondReview(
  context: RunContext,
  params: { version?: number; cause: string },
): Promise<StageResult> {
  const version = params.version === undefined ? "" : ` (v${params.version})`;
  await context.status.show(
    `📝 No second review from \`${context.job.reviewerLogin}\`'s adapter${version}: the few-shot review on this PR stands.`,
    [
      `Why: ${params.cause}.`,
      `Mention me with \`${context.job.reviewerLogin} --force-reload\` to collect their history and train again.`,
    ],
  );
  return { kind: "ended", reason: `no adapter for the second review: ${params.cause}` };
}
