import type { Redis } from "ioredis";
import { computeFeedbackFigures, type FeedbackFigures } from "./compute-persona-figures.js";
import { createFateStore } from "./fate-store.js";

/** A persona's figures: for the adapter version now in use, and over all versions. */
export interface PersonaFigures {
  owner: string;
  repo: string;
  reviewerLogin: string;
  /** The version the current figures are about ("v3", "few-shot"): the newest one posted. */
  currentVersion: string | null;
  current: FeedbackFigures;
  allTime: FeedbackFigures;
  /** Per version label, for charts. */
  byVersion: Record<string, FeedbackFigures>;
}

/**
 * Reads what people did with a persona's comments (repo + reviewer) and computes its figures.
 * `currentVersion` defaults to the version of the newest comment posted. This is the one entry
 * point for other readers (the status footer, `npm run feedback`, the dashboard).
 */
export async function readPersonaFigures(params: {
  redis: Redis;
  keyPrefix: string;
  owner: string;
  repo: string;
  reviewerLogin: string;
  currentVersion?: string;
}): Promise<PersonaFigures> {
  const store = createFateStore({ redis: params.redis, keyPrefix: params.keyPrefix });
  const fates = await store.readPersona(params);
  const currentVersion = params.currentVersion ?? fates.at(-1)?.comment.modelVersion ?? null;
  const versions = [...new Set(fates.map((fate) => fate.comment.modelVersion))];
  return {
    owner: params.owner,
    repo: params.repo,
    reviewerLogin: params.reviewerLogin,
    currentVersion,
    current: computeFeedbackFigures(
      fates.filter((fate) => fate.comment.modelVersion === currentVersion),
    ),
    allTime: computeFeedbackFigures(fates),
    byVersion: Object.fromEntries(
      versions.map((version) => [
        version,
        computeFeedbackFigures(fates.filter((fate) => fate.comment.modelVersion === version)),
      ]),
    ),
  };
}
