import { appendPrecedents } from "../prompts/append-precedents.js";
import type { DiffHunk } from "../prompts/diff-hunk.js";
import type { PromptTemplates } from "../prompts/load-prompts.js";
import { findPrecedents } from "./find-precedents.js";
import { hunkCode, type PrecedentIndex } from "./precedent-index.js";

/** A training chat and what retrieval needs to know about it (the history stage's DatasetExample). */
export interface RetrievableExample {
  chat: {
    messages: [
      { role: "system"; content: string },
      { role: "user"; content: string },
      { role: "assistant"; content: string },
    ];
  };
  pullNumber: number;
  source: { path: string; hunk: DiffHunk; commentId?: string; at?: string };
}

/**
 * Retrieval-augmented fine-tuning: each training example's user turn gets the precedents the
 * review would retrieve for its hunk ({@link findPrecedents}, {@link appendPrecedents}), drawn
 * only from what the reviewer had said *before* it (`at` of the example; a hunk without its own
 * time takes its pull request's, through `timeOf`), never the example's own comment nor its pull
 * request — so the adapter learns to use precedents without ever seeing its answer among them.
 * An example with no time gets no precedents (nothing is known to be earlier). Pure.
 */
export function addPrecedentsToExamples<Example extends RetrievableExample>(params: {
  examples: readonly Example[];
  index: PrecedentIndex;
  templates: Pick<PromptTemplates, "precedents">;
  reviewerLogin: string;
  k: number;
  /** When an example's hunk was reviewed, for those without `source.at` (negatives). */
  timeOf: (example: Example) => string | undefined;
}): Example[] {
  return params.examples.map((example) => {
    const before = example.source.at ?? params.timeOf(example);
    if (!before) return example;
    const precedents = findPrecedents({
      index: params.index,
      query: {
        path: example.source.path,
        code: hunkCode(example.source.hunk),
        before,
        excludeId: example.source.commentId,
        pullNumber: example.pullNumber,
      },
      k: params.k,
    });
    const [system, user, assistant] = example.chat.messages;
    const content = appendPrecedents({
      templates: params.templates,
      turn: user.content,
      precedents,
      reviewerLogin: params.reviewerLogin,
    });
    return { ...example, chat: { messages: [system, { ...user, content }, assistant] } };
  });
}
