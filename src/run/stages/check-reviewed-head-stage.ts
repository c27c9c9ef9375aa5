import { findBotItemByMarker } from "../../github/find-bot-item-by-marker.js";
import { completeReviewMarker } from "../../review/complete-review-marker.js";
import type { RunStage } from "../stage-contract.js";

/**
 * First stage: if this reviewer's review of this exact head is already on the PR, complete, the
 * run ends at once with a link to it — no history, no model, no GitHub writes but the status.
 * A review with failed hunks does not count: mentioning again retries those hunks. A follow-up
 * run after training is not checked: the few-shot review it follows carries the marker for this
 * head, and the follow-up's point is a second review from the adapter.
 */
export function createCheckReviewedHeadStage(): RunStage {
  return {
    name: "check-reviewed-head",
    async run(context) {
      const { job } = context;
      if (job.forceReload || job.afterTraining) return { kind: "done" };
      const existing = await findBotItemByMarker({
        octokit: context.octokit as Parameters<typeof findBotItemByMarker>[0]["octokit"],
        route: "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
        params: { owner: job.owner, repo: job.repo, pull_number: job.pullNumber },
        marker: completeReviewMarker(job),
      });
      if (!existing) return { kind: "done" };
      await context.status.show(
        `✅ Already reviewed: [the review in the style of \`${job.reviewerLogin}\`](${existing.html_url}) covers ${job.headSha.slice(0, 7)}, and nothing changed since.`,
        ["Push new commits and mention me again to review them (`--force-reload` starts over)."],
      );
      return { kind: "ended", reason: "this head was already reviewed" };
    },
  };
}
