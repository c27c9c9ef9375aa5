import type { Octokit } from "@octokit/core";

/**
 * The GitHub client stages receive: any Octokit (Probot's installation client, a user-token
 * client) — stages need only `request` and `graphql`, and never import Probot.
 */
export type GitHubClient = Pick<Octokit, "request" | "graphql">;

/** The HTTP status of an Octokit error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}
