import type { GitHubClient } from "./github-client.js";

/**
 * The same client, except that once `signal` aborts it refuses every request but reads. A run
 * an operator removed cannot be interrupted inside a stage (a model call, a scrape), so its work
 * goes on in the background; this keeps that abandoned work from posting a review or editing
 * the status comment after the run was ended.
 */
export function stopWritesOnAbort(octokit: GitHubClient, signal: AbortSignal): GitHubClient {
  const request = ((route: unknown, options?: unknown) => {
    const isRead = typeof route === "string" && /^(GET |HEAD |\/)/.test(route);
    if (signal.aborted && !isRead) {
      return Promise.reject(
        new Error(`not sent: the run was ended (${String(signal.reason)}); ${String(route)}`),
      );
    }
    return (octokit.request as (route: unknown, options?: unknown) => Promise<unknown>)(
      route,
      options,
    );
  }) as GitHubClient["request"];
  return { request: Object.assign(request, octokit.request), graphql: octokit.graphql };
}
