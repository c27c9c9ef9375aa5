import type { GitHubClient } from "../github/github-client.js";
import { statusOf } from "../github/github-client.js";

const ALLOWED_ROLES = new Set(["admin", "maintain", "write"]);

type Permission = { permission: string; roleName: string };

/** The user's permission on the repository; GitHub answers 404 for non-collaborators: none. */
async function readPermission(params: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  login: string;
}): Promise<Permission> {
  try {
    const { data } = await params.octokit.request(
      "GET /repos/{owner}/{repo}/collaborators/{username}/permission",
      { owner: params.owner, repo: params.repo, username: params.login },
    );
    return { permission: data.permission, roleName: data.role_name };
  } catch (error) {
    if (statusOf(error) === 404) return { permission: "none", roleName: "none" };
    throw error;
  }
}

/**
 * Whether `login` may start a persona run in the repository: write, maintain or admin
 * permission, because a run spends GPU time and reads the repository's review history.
 */
export async function canStartRun(params: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  login: string;
}): Promise<boolean> {
  const { permission, roleName } = await readPermission(params);
  return ALLOWED_ROLES.has(roleName) || permission === "admin" || permission === "write";
}

/** Whether `login` administers the repository (GitHub's `admin` permission). */
export async function isRepoAdmin(params: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  login: string;
}): Promise<boolean> {
  return (await readPermission(params)).permission === "admin";
}
