import type { FeedConfig } from "../github/repo-config-schema.js";

/** Whether a push to `branch` belongs in the feed. */
export function isFeedBranch(params: {
  config: FeedConfig;
  branch: string;
  defaultBranch: string;
}): boolean {
  if (!params.config.enabled) return false;
  return params.branch === params.defaultBranch || params.config.branches.includes(params.branch);
}
