import type { CommandJob } from "../../jobs/command-job.js";
import type { GitHubClient } from "../github/github-client.js";

/** Where a command was written (the job says which thread) and the client that writes there. */
export interface CommandThread {
  octokit: GitHubClient;
  job: CommandJob;
}

/** Answers a command where it was written: in the review thread, the conversation or the discussion. */
export async function replyToCommand(params: CommandThread & { markdown: string }): Promise<void> {
  const { octokit, job, markdown } = params;
  const source = job.source;
  if (source.kind === "pull_request_review_comment") {
    await octokit.request(
      "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies",
      {
        owner: job.owner,
        repo: job.repo,
        pull_number: source.pullNumber,
        comment_id: job.commentId,
        body: markdown,
      },
    );
    return;
  }
  if (source.kind === "issue_comment") {
    await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner: job.owner,
      repo: job.repo,
      issue_number: source.issueNumber,
      body: markdown,
    });
    return;
  }
  // REST has no endpoint for repository discussion comments; GraphQL does.
  await octokit.graphql(
    `mutation ($discussionId: ID!, $body: String!, $replyToId: ID) {
      addDiscussionComment(input: { discussionId: $discussionId, body: $body, replyToId: $replyToId }) {
        comment { id }
      }
    }`,
    {
      discussionId: source.discussionNodeId,
      body: markdown,
      replyToId: source.replyToNodeId ?? null,
    },
  );
}

/** Adds 👀 to the triggering comment: "seen, working on it". */
export async function acknowledgeCommand(params: CommandThread): Promise<void> {
  const { octokit, job } = params;
  const route =
    job.source.kind === "pull_request_review_comment"
      ? ("POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions" as const)
      : ("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions" as const);
  await octokit.request(route, {
    owner: job.owner,
    repo: job.repo,
    comment_id: job.commentId,
    content: "eyes",
  });
}
