import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { pino } from "pino";
import { ProbotOctokit } from "probot";
import { collectHistory, type HistoryProgress } from "../../../src/history/collect-history.js";
import { defaultHistoryConfig, type HistoryConfig } from "../../../src/history/history-config.js";
import { loadPrompts } from "../../../src/prompts/load-prompts.js";
import { startGithubStandIn } from "../../../support/history/github-stand-in.js";
import type { StandInRepo } from "../../../support/history/stand-in-data.js";

/** A clock whose sleeps return at once and move time forward; every wait is recorded. */
export function createFakeClock(startMs = Date.parse("2026-01-01T00:00:00Z")) {
  let nowMs = startMs;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => nowMs,
    sleep: async (milliseconds: number) => {
      sleeps.push(milliseconds);
      nowMs += milliseconds;
    },
  };
}

/**
 * Everything one history test needs: a stand-in GitHub serving `repo`, an Octokit with the
 * requester's token pointed at it (its own retry/throttle plugins off, so the stage's handling is
 * what is tested), the real Redis under a fresh key prefix, and a fake clock.
 */
export async function startHistoryHarness(
  repo: StandInRepo,
  options: { restBaseUrl?: string; reviewerLogin?: string } = {},
) {
  const clock = createFakeClock();
  const standIn = await startGithubStandIn({ repo, now: clock.now });
  const Octokit = ProbotOctokit.defaults({
    retry: { enabled: false },
    throttle: { enabled: false },
  });
  const octokit = new Octokit({ auth: { token: standIn.token }, baseUrl: standIn.url });
  // REST may go elsewhere (the OpenAPI-checking fake GitHub) while GraphQL stays here.
  const restOctokit = options.restBaseUrl
    ? new Octokit({ auth: { token: standIn.token }, baseUrl: options.restBaseUrl })
    : octokit;
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
    maxRetriesPerRequest: 1,
  });
  const keyPrefix = `test-${randomUUID()}`;
  const templates = await loadPrompts();
  const subject = {
    owner: repo.owner,
    repo: repo.name,
    reviewerLogin: options.reviewerLogin ?? "alice",
  };
  const progress: HistoryProgress[] = [];
  return {
    clock,
    standIn,
    redis,
    keyPrefix,
    subject,
    progress,
    collect: (
      options: { runId?: string; forceReload?: boolean; config?: Partial<HistoryConfig> } = {},
    ) =>
      collectHistory({
        subject,
        runId: options.runId ?? "run-1",
        forceReload: options.forceReload ?? false,
        graphql: (query, variables) => octokit.graphql(query, variables),
        request: (route, params) => restOctokit.request(route, params),
        redis,
        keyPrefix,
        config: defaultHistoryConfig(options.config),
        templates,
        appBotLogin: "tech-lead-bot[bot]",
        log: pino({ level: "silent" }),
        clock,
        reportProgress: (update) => {
          progress.push(update);
        },
      }),
    graphqlRequests: (operationName?: string) =>
      standIn.requests.filter(
        (request) =>
          request.path === "/graphql" &&
          (!operationName || request.operationName === operationName),
      ),
    fileRequests: () => standIn.requests.filter((request) => request.path.endsWith("/files")),
    async close() {
      const keys = await redis.keys(`${keyPrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await standIn.close();
    },
  };
}

export type HistoryHarness = Awaited<ReturnType<typeof startHistoryHarness>>;
