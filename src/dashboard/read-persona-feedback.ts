import type { Redis } from "ioredis";
import { readPersonaFigures } from "../fates/read-persona-figures.js";

/** What happened to a persona's comments, over every version (see src/feedback/). */
export interface PersonaFeedback {
  /** Comments posted: the denominator of the figures below. */
  posted: number;
  addressed: number;
  resolved: number;
  thumbsUp: number;
  thumbsDown: number;
}

/** Reads a persona's feedback figures, or undefined when none of its comments has a record. */
export type PersonaFeedbackReader = (subject: {
  owner: string;
  repo: string;
  reviewerLogin: string;
}) => Promise<PersonaFeedback | undefined>;

/** The dashboard's reader: the feedback stage's own figures (`readPersonaFigures`), all versions. */
export function createPersonaFeedbackReader(params: {
  redis: Redis;
  /** QUEUE_PREFIX. */
  keyPrefix: string;
}): PersonaFeedbackReader {
  return async (subject) => {
    const figures = await readPersonaFigures({ ...params, ...subject });
    const { allTime } = figures;
    if (allTime.comments === 0) return undefined;
    return {
      posted: allTime.comments,
      addressed: allTime.addressed,
      resolved: allTime.resolved,
      thumbsUp: allTime.thumbsUp,
      thumbsDown: allTime.thumbsDown,
    };
  };
}
