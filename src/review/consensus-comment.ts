import { type SamplingSettings, sampleModelAnswers } from "../llm/ask-model-for-hunk.js";
import { type ConcurrencyLimit, mapWithLimit } from "../llm/limit-concurrency.js";
import { parseAnswer } from "../prompts/parse-answer.js";
import { COMMENT_ONLY_REGEX } from "../prompts/review-answer.js";
import { findPrecedents } from "../retrieval/find-precedents.js";
import { PRECEDENTS_PER_HUNK } from "../retrieval/pick-precedents.js";
import { hunkCode } from "../retrieval/precedent-index.js";
import { buildModelMessages } from "./build-model-messages.js";
import type { Hunk } from "./parse-diff-hunks.js";
import type { ReadHunk } from "./read-hunks-with-model.js";
import { DEFAULT_COMMENT_SAMPLES } from "./review-config.js";
import { hunkAnswerRequest, type ReviewerModelRequest } from "./review-hunk.js";
import { modelNameOf } from "./review-model.js";
import { sanitiseComment } from "./sanitise-comment.js";
import { sentenceChrf } from "./sentence-chrf.js";

/**
 * How the comment's text is sampled for the consensus: answers at temperature 0.7 and top-p 0.95,
 * common settings for minimum-Bayes-risk decoding, fixed in advance (not tuned on any history);
 * `LLM_COMMENT_SAMPLES` sets `n` (8 by default, as in the measurements); 1 turns the consensus
 * off (the greedy answer is posted).
 * Unseeded (see sampleModelAnswers): two runs can choose different words.
 */
export const DEFAULT_COMMENT_SAMPLING: SamplingSettings = {
  n: DEFAULT_COMMENT_SAMPLES,
  temperature: 0.7,
  topP: 0.95,
};

/**
 * The consensus sampling for `LLM_COMMENT_SAMPLES` answers; undefined for 1 (the greedy answer is
 * what the review posts, as before the consensus).
 */
export function commentSamplingFor(samples: number): SamplingSettings | undefined {
  return samples > 1 ? { ...DEFAULT_COMMENT_SAMPLING, n: samples } : undefined;
}

/** Where a candidate text came from. */
export type CandidateSource = "greedy" | "sample" | "precedent";

/** One text the consensus may choose: `raw` as written (model answer or past comment). */
export interface CommentCandidate {
  source: CandidateSource;
  raw: string;
  /** As the review would post it (sanitised); what the candidates are compared on. */
  text: string;
}

/** The chosen candidate with its expected utility (mean chrF to the others, 0–100). */
export interface ConsensusChoice extends CommentCandidate {
  utility: number;
  candidates: number;
}

/** A candidate from a raw text, or nothing when no text is left after sanitising. */
export function commentCandidate(
  source: CandidateSource,
  raw: string,
): CommentCandidate | undefined {
  const sanitised = sanitiseComment(raw);
  return sanitised.kind === "empty" ? undefined : { source, raw, text: sanitised.text };
}

/**
 * Minimum-Bayes-risk choice: the candidate that agrees most with all the others (highest mean
 * sentence chrF against each other candidate), i.e. what the model's samples, its greedy answer
 * and the reviewer's nearest precedents say in common, rather than one sample's accident. Ties
 * keep the earlier candidate (pass the greedy answer first). Undefined without a candidate.
 */
export function chooseConsensusComment(
  candidates: readonly CommentCandidate[],
): ConsensusChoice | undefined {
  let best: ConsensusChoice | undefined;
  candidates.forEach((candidate, index) => {
    let sum = 0;
    candidates.forEach((other, otherIndex) => {
      if (otherIndex !== index) sum += sentenceChrf(candidate.text, other.text);
    });
    const utility = candidates.length > 1 ? sum / (candidates.length - 1) : 0;
    if (!best || utility > best.utility + 1e-9) {
      best = { ...candidate, utility, candidates: candidates.length };
    }
  });
  return best;
}

/**
 * What the reviewer would say on a hunk, by consensus: `sampling.n` comments sampled from the
 * reviewer's model in one request (the review's own messages, decoding held to a comment), beside
 * the model's greedy answer (`greedy`, when it was a comment) and the hunk's nearest precedents from
 * the model's index (what the reviewer said on the most similar past code, already in the prompt);
 * the candidate that agrees most with the others is chosen (chooseConsensusComment).
 * Throws when the sampling request fails; the caller keeps the greedy answer then.
 */
export async function askConsensusComment(
  params: ReviewerModelRequest & {
    hunk: Hunk;
    /** The model's greedy comment on the hunk, as written, if it gave one. */
    greedy: string | undefined;
    sampling: SamplingSettings;
  },
): Promise<ConsensusChoice | undefined> {
  const samples = await sampleModelAnswers({
    client: params.client,
    model: modelNameOf(params.model),
    messages: buildModelMessages(params),
    ...hunkAnswerRequest({ answerConstraint: params.answerConstraint, regex: COMMENT_ONLY_REGEX }),
    sampling: params.sampling,
  });
  const precedents = params.model.precedents
    ? findPrecedents({
        index: params.model.precedents,
        query: { path: params.hunk.path, code: hunkCode(params.hunk) },
        k: PRECEDENTS_PER_HUNK,
      })
    : [];
  const candidates = [
    params.greedy === undefined ? undefined : commentCandidate("greedy", params.greedy),
    ...samples.map((text) => {
      // A sample out of the answer format (a server without the constraint) is left out.
      try {
        const parsed = parseAnswer(text);
        return parsed.kind === "comment" ? commentCandidate("sample", parsed.body) : undefined;
      } catch {
        return undefined;
      }
    }),
    ...precedents.map((precedent) => commentCandidate("precedent", precedent.comment)),
  ].filter((candidate): candidate is CommentCandidate => candidate !== undefined);
  return chooseConsensusComment(candidates);
}

/**
 * The review's last step before posting: each comment chosen to be posted gets its words by
 * consensus (askConsensusComment), at most `limit` requests at a time; its line and score stay.
 * A hunk whose sampling request fails keeps the greedy answer (counted in `failed`).
 */
export async function refineChosenComments<Item extends { hunk: Hunk }>(
  params: ReviewerModelRequest & {
    read: readonly ReadHunk<Item>[];
    isChosen: (item: Item) => boolean;
    sampling: SamplingSettings;
    limit: ConcurrencyLimit;
  },
): Promise<{ read: ReadHunk<Item>[]; refined: number; failed: number; firstError?: unknown }> {
  let refined = 0;
  let failed = 0;
  let firstError: unknown;
  const settled = await mapWithLimit({
    items: params.read,
    limit: params.limit,
    worker: async (entry): Promise<ReadHunk<Item>> => {
      const { item, verdict } = entry;
      if (verdict.kind !== "comment" || !params.isChosen(item)) return entry;
      try {
        const choice = await askConsensusComment({
          ...params,
          hunk: item.hunk,
          greedy: verdict.body,
        });
        if (!choice) return entry;
        refined++;
        return { item, verdict: { ...verdict, body: choice.raw } };
      } catch (error) {
        failed++;
        firstError ??= error;
        return entry;
      }
    },
  });
  const read = settled.map((result, index) =>
    result.status === "fulfilled" ? result.value : (params.read[index] as ReadHunk<Item>),
  );
  return { read, refined, failed, ...(firstError === undefined ? {} : { firstError }) };
}
