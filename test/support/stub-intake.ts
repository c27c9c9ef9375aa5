import type { FakeGitHub } from "../../support/fake-github.js";

/**
 * GitHub's answers for the intake of an allowed command on PR #1: write permission, no
 * `.github/tech-lead-bot.yml`, the reaction, the head commit, no review yet, and the status comment (created
 * with `statusCommentId`, then edited in place). Tests override any route after this.
 */
export function stubIntake(
  github: FakeGitHub,
  params: { headSha: string; statusCommentId: number },
): void {
  const statusUrl = `https://github.example/pull/1#issuecomment-${params.statusCommentId}`;
  github.on("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
    body: { permission: "write", role_name: "write" },
  });
  github.on("GET /repos/{owner}/{repo}/contents/{path}", {
    status: 404,
    body: { message: "Not Found" },
  });
  github.on("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", {
    status: 201,
    body: { id: 1, content: "eyes" },
  });
  github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}", {
    body: { number: 1, html_url: "https://github.example/pull/1", head: { sha: params.headSha } },
  });
  github.on("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
    status: 201,
    body: { id: params.statusCommentId, html_url: statusUrl },
  });
  // The run's first stage looks for a complete review of this head; there is none yet.
  github.on("GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { body: [] });
  github.on("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
    body: { id: params.statusCommentId },
  });
}
