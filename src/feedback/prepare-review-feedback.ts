import { z } from "zod";
import { isNegative, isPositive, type PostedComment } from "../fates/comment-fate.js";
import { createFateStore } from "../fates/fate-store.js";
import { formatFeedbackFooter } from "../fates/format-feedback-footer.js";
import { readPersonaFigures } from "../fates/read-persona-figures.js";
import { parseFeedbackRepoConfig } from "../github/repo-config-schema.js";
import { createHistoryStore } from "../history/store-history.js";
import type { PullUnderReview, ReviewFeedback } from "../review/review-feedback.js";
import type { RedisScope } from "../store/redis-scope.js";
import { buildPrecedentSuffix } from "./build-precedent-suffix.js";
import { prepareScreeningHistory, screenCandidate } from "./screen-candidates.js";

const listedCommentSchema = z.array(
  z.object({
    id: z.number().int(),
    body: z.string(),
    path: z.string(),
    commit_id: z.string(),
  }),
);

/**
 * Reads the persona's history once per review: its comments' fates (for holding back and
 * preferring), the real reviewer's past comments still collected for this run (for precedents)
 * and its figures (for the footer).
 */
export async function prepareReviewFeedback(
  params: RedisScope &
    PullUnderReview & {
      modelVersion: string;
      repoConfigFile: unknown;
      webUrl: string;
      now?: () => Date;
    },
): Promise<ReviewFeedback> {
  const { owner, repo, reviewerLogin } = params;
  const settings = parseFeedbackRepoConfig(params.repoConfigFile);
  const store = createFateStore(params);
  const persona = { owner, repo, reviewerLogin };
  const fates = await store.readPersona(persona);
  const realComments = settings.precedents
    ? await createHistoryStore({ ...params, subject: persona, ttlSeconds: 1 }).loadComments()
    : [];
  const history = prepareScreeningHistory({
    negatives: settings.suppress ? fates.filter(isNegative).map((f) => f.comment.text) : [],
    positives: fates.filter(isPositive).map((f) => f.comment.text),
    precedents: realComments
      .filter(
        (c) =>
          c.replyToId === null &&
          c.databaseId !== null &&
          c.authorLogin?.toLowerCase() === reviewerLogin.toLowerCase(),
      )
      .map((c) => ({ body: c.body, pullNumber: c.pullNumber, commentId: c.databaseId as number })),
  });
  const figures = await readPersonaFigures({
    ...params,
    currentVersion: params.modelVersion,
  });
  return {
    screen(text) {
      const screening = screenCandidate({ text, history });
      return {
        holdBack: settings.suppress && screening.holdBack,
        preference: screening.preference,
        suffix: screening.precedent
          ? buildPrecedentSuffix({
              precedent: screening.precedent,
              owner,
              repo,
              webUrl: params.webUrl,
            })
          : "",
      };
    },
    describeHeldBack(count) {
      if (count === 0) return "";
      return `${count} ${count === 1 ? "comment was" : "comments were"} held back: each closely resembles comments of this persona that people down-voted or ignored (\`feedback: { suppress: false }\` in .github/tech-lead-bot.yml turns this off).`;
    },
    async recordPosted({ reviewId, comments }) {
      if (comments.length === 0) return 0;
      // The review's answer has no comment ids: read them back in one request (newest first;
      // a review has at most 30 comments). Matching on the hidden marker also finds comments the
      // 422 fallback posted one by one.
      const listed = listedCommentSchema.parse(
        (
          await params.octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}/comments", {
            owner,
            repo,
            pull_number: params.pullNumber,
            sort: "created",
            direction: "desc",
            per_page: 100,
          })
        ).data,
      );
      const postedAt = (params.now?.() ?? new Date()).toISOString();
      const records: PostedComment[] = [];
      for (const comment of comments) {
        const match = listed.find(
          (c) =>
            c.path === comment.path &&
            c.commit_id === params.headSha &&
            c.body.includes(comment.marker),
        );
        if (!match) continue;
        records.push({
          commentId: match.id,
          owner,
          repo,
          reviewerLogin,
          modelVersion: params.modelVersion,
          pullNumber: params.pullNumber,
          reviewId,
          path: comment.path,
          line: comment.line,
          side: comment.side,
          commitId: params.headSha,
          text: comment.text,
          hunk: comment.hunkText ?? "",
          postedAt,
        });
      }
      await store.recordPosted(records);
      return records.length;
    },
    footer: formatFeedbackFooter(figures),
  };
}
