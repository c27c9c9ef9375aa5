import type { FeedbackFigures } from "./compute-persona-figures.js";
import type { PersonaFigures } from "./read-persona-figures.js";

/**
 * One line for the status comment: "feedback on alice's persona — v3: 41% addressed, 30% resolved,
 * 12 👍 / 3 👎, 4 replies, 5.2 comments per review (27 comments); all versions: …". The login is
 * written without `@` so nobody is notified.
 */
export function formatFeedbackFooter(figures: PersonaFigures): string {
  if (figures.allTime.comments === 0) {
    return `feedback on ${figures.reviewerLogin}'s persona: no comments posted yet`;
  }
  const current = `${figures.currentVersion}: ${describe(figures.current)}`;
  const versions = Object.keys(figures.byVersion).length;
  return versions > 1
    ? `feedback on ${figures.reviewerLogin}'s persona — ${current}; all versions: ${describe(figures.allTime)}`
    : `feedback on ${figures.reviewerLogin}'s persona — ${current}`;
}

function describe(f: FeedbackFigures): string {
  const percent = (rate: number) => `${Math.round(rate * 100)}%`;
  return `${percent(f.addressedRate)} addressed, ${percent(f.resolvedRate)} resolved, ${f.thumbsUp} 👍 / ${f.thumbsDown} 👎, ${f.replies} ${f.replies === 1 ? "reply" : "replies"}, ${f.commentsPerReview} comments per review (${f.comments} ${f.comments === 1 ? "comment" : "comments"}, ${f.ignored} ignored)`;
}
