/**
 * The part of an Octokit the review stage uses: `octokit.request(route, params)`. Passing the
 * installation Octokit (Probot's `context.octokit`, or `@octokit/core`) satisfies it; the stage
 * never imports Probot. Narrower than `src/github/github-client.ts`'s type: the review needs no
 * GraphQL, so tests can pass a plain `@octokit/core` client.
 */
export interface GitHubClient {
  request(
    route: string,
    params?: Record<string, unknown>,
  ): Promise<{ status: number; data: unknown }>;
}
