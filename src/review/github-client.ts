/**
 * The part of an Octokit the review stage uses: `octokit.request(route, params)`. Passing the
 * installation Octokit (Probot's `context.octokit`, or `@octokit/core`) satisfies it; the stage
 * never imports Probot.
 */
export interface GitHubClient {
  request(
    route: string,
    params?: Record<string, unknown>,
  ): Promise<{ status: number; data: unknown }>;
}

/** The HTTP status of an Octokit `RequestError`, if `error` is one. */
export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error === "object" && error !== null && "status" in error) {
    const status = (error as { status: unknown }).status;
    if (typeof status === "number") return status;
  }
  return undefined;
}
