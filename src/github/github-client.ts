import type { Octokit } from "@octokit/core";

/**
 * The GitHub client stages receive: any Octokit (Probot's installation client, a user-token
 * client) — stages need only `request` and `graphql`, and never import Probot.
 */
export type GitHubClient = Pick<Octokit, "request" | "graphql">;

/**
 * The narrowest client: one REST call at a time, `request(route, params)`. What the review and
 * the status comment use, so tests can pass a plain `@octokit/core` client or a stand-in; any
 * `GitHubClient` satisfies it.
 */
export interface GitHubRestClient {
  request(
    route: string,
    params?: Record<string, unknown>,
  ): Promise<{ status: number; data: unknown }>;
}

/** An Octokit-like `request(route, params)` answering `{ status, headers, data }` (history's REST reads). */
export type RestRequest = (
  route: string,
  params?: Record<string, unknown>,
) => Promise<{ status: number; headers: Record<string, unknown>; data: unknown }>;

/** An Octokit-like `graphql(query, variables)` (history's GraphQL reads, with the requester's token). */
export type GraphqlClient = (
  query: string,
  variables?: Record<string, unknown>,
) => Promise<unknown>;

/** The HTTP status of an Octokit error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}
