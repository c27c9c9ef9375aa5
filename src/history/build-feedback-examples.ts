import { type CommentFate, isNegative, isPositive } from "../fates/comment-fate.js";
import { buildHunkTurn, buildSystemTurn } from "../prompts/build-chat-turns.js";
import { formatAnswer } from "../prompts/format-answer.js";
import type { PromptTemplates } from "../prompts/load-prompts.js";
import { parseSingleHunk } from "../prompts/parse-hunks.js";
import type { DatasetExample } from "./build-dataset.js";

/**
 * Version of the rules below. Recorded in the history statistics of every dataset built with
 * them (`feedbackSignal.version`), which the adapter trained on that dataset comes from; bump it
 * when the rules change so adapters trained under different rules can be told apart.
 */
export const FEEDBACK_SIGNAL_VERSION = 1;

/** How many examples the feedback added, and under which rules. */
export interface FeedbackSignal {
  version: number;
  /** Addressed or 👍 comments, trained as what the persona says on that hunk. */
  positives: number;
  /** 👎 or ignored comments, trained as hunks where the persona says NO_COMMENT. */
  negatives: number;
}

/**
 * The retraining signal from what people did with the persona's comments (rules version
 * {@link FEEDBACK_SIGNAL_VERSION}): an addressed or up-voted comment (and not down-voted)
 * becomes a training chat whose answer is that comment on its line, in the persona's voice; a
 * down-voted or ignored one becomes its hunk with the answer NO_COMMENT. Comments on pull
 * requests held out for evaluation are left out, so the holdout stays unseen. Pure.
 */
export function buildFeedbackExamples(params: {
  templates: PromptTemplates;
  subject: { owner: string; repo: string; reviewerLogin: string };
  fates: readonly CommentFate[];
  isHeldOut: (pullNumber: number) => boolean;
}): { examples: DatasetExample[]; signal: FeedbackSignal } {
  const { subject } = params;
  const system = buildSystemTurn({
    templates: params.templates,
    reviewerLogin: subject.reviewerLogin,
    repoFullName: `${subject.owner}/${subject.repo}`,
  });
  const signal: FeedbackSignal = { version: FEEDBACK_SIGNAL_VERSION, positives: 0, negatives: 0 };
  const examples: DatasetExample[] = [];
  for (const fate of params.fates) {
    const { comment } = fate;
    if (!comment.hunk || params.isHeldOut(comment.pullNumber)) continue;
    const positive = isPositive(fate);
    const negative = !positive && isNegative(fate);
    if (!positive && !negative) continue;
    const answer = positive
      ? formatAnswer({
          kind: "comment",
          side: comment.side,
          line: comment.line,
          body: comment.text,
        })
      : formatAnswer({ kind: "no-comment" });
    examples.push({
      chat: {
        messages: [
          { role: "system", content: system },
          {
            role: "user",
            content: buildHunkTurn({
              templates: params.templates,
              path: comment.path,
              hunk: parseSingleHunk(comment.hunk),
            }),
          },
          { role: "assistant", content: answer },
        ],
      },
      pullNumber: comment.pullNumber,
      kind: positive ? "comment" : "no-comment",
      fullHunk: true,
    });
    if (positive) signal.positives++;
    else signal.negatives++;
  }
  return { examples, signal };
}
