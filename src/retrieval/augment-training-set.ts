import type { PromptTemplates } from "../prompts/load-prompts.js";
import { addPrecedentsToExamples, type RetrievableExample } from "./add-precedents-to-examples.js";
import { PRECEDENTS_PER_HUNK } from "./pick-precedents.js";
import { buildPrecedentIndex, type PrecedentIndex } from "./precedent-index.js";

/**
 * The history stage's retrieval step: the precedent index over the reviewer's training-part
 * comments (the holdout never enters it: an evaluation must not retrieve the answer it grades),
 * and the training set with each example's precedents in its prompt, as the review will show
 * them ({@link addPrecedentsToExamples}). Pure.
 */
export function augmentTrainingSet<
  Example extends RetrievableExample & { kind: "comment" | "no-comment" },
>(params: {
  /** Training-part examples (comments and negatives) and feedback examples, in order. */
  examples: readonly Example[];
  /** What each kept comment says (its training target), by comment id. */
  targets: ReadonlyMap<string, string>;
  /** When each pull request was opened: the time of its negatives. */
  pullCreatedAt: ReadonlyMap<number, string>;
  templates: Pick<PromptTemplates, "precedents">;
  reviewerLogin: string;
  builtAt: string;
}): { train: Example[]; index: PrecedentIndex } {
  const index = buildPrecedentIndex({
    comments: params.examples.flatMap((example) => {
      const { commentId, at } = example.source;
      const target = commentId === undefined ? undefined : params.targets.get(commentId);
      if (example.kind !== "comment" || !commentId || !at || target === undefined) return [];
      return [
        {
          id: commentId,
          pullNumber: example.pullNumber,
          path: example.source.path,
          createdAt: at,
          hunk: example.source.hunk,
          target,
        },
      ];
    }),
    builtAt: params.builtAt,
  });
  const train = addPrecedentsToExamples({
    examples: params.examples,
    index,
    templates: params.templates,
    reviewerLogin: params.reviewerLogin,
    k: PRECEDENTS_PER_HUNK,
    timeOf: (example) => params.pullCreatedAt.get(example.pullNumber),
  });
  return { train, index };
}
