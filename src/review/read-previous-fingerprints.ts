import { z } from "zod";
import type { GitHubRestClient } from "../github/github-client.js";
import { extractFingerprints } from "./fingerprint.js";

const MAX_PAGES = 30;
const withBodySchema = z.array(
  z.object({
    body: z.string().nullable().optional(),
    user: z.object({ type: z.string() }).nullable().optional(),
  }),
);

/**
 * Fingerprints of every hunk the bot already read on this PR: those listed in its review bodies
 * and those on its inline comments (including ones posted one by one after a 422). Only bodies
 * written by a bot account count, so nobody can copy a marker into their own comment to keep
 * hunks from being reviewed. Reads only; nothing counts against GitHub's write limits.
 */
export async function readPreviousFingerprints(params: {
  octokit: GitHubRestClient;
  owner: string;
  repo: string;
  pullNumber: number;
}): Promise<Set<string>> {
  const routes = [
    "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments",
  ];
  const seen = new Set<string>();
  const readRoute = async (route: string) => {
    for (let page = 1; page <= MAX_PAGES; page++) {
      const response = await params.octokit.request(route, {
        owner: params.owner,
        repo: params.repo,
        pull_number: params.pullNumber,
        per_page: 100,
        page,
      });
      const items = withBodySchema.parse(response.data);
      for (const item of items) {
        if (item.user?.type !== "Bot") continue;
        for (const fingerprint of extractFingerprints(item.body ?? "")) seen.add(fingerprint);
      }
      if (items.length < 100) return;
    }
  };
  await Promise.all(routes.map(readRoute));
  return seen;
}
