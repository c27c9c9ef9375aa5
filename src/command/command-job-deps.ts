import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { GitHubClient } from "../github/github-client.js";
import type { ConfigReadingOctokit } from "../github/read-repo-config-file.js";

/** What the command intake's steps receive: clients are passed in, never Probot. */
export interface CommandJobDeps {
  /** The installation's Probot client: REST, GraphQL and the repository config loader. */
  octokit: GitHubClient & ConfigReadingOctokit;
  redis: Redis;
  personaQueue: Queue;
  /** The training queue: `forget` hands adapter directories to the GPU hosts through it. */
  trainQueue: Queue;
  botHandle: string;
  keyPrefix: string;
  log: Logger;
}

export type CommandOutcome =
  | "ignored-without-write-access"
  | "replied-usage"
  | "replied-pull-requests-only"
  | "refused"
  | "denied-by-repo-config"
  | "forgot"
  | "already-running"
  | "queued";
