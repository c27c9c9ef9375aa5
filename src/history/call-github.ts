import type { Logger } from "pino";
import { z } from "zod";
import type { GraphqlClient, RestRequest } from "../github/github-client.js";
import type { Clock, RequestCounts } from "./clock.js";
import type { HistorySubject } from "./history-records.js";
import { RateLimitDeferral } from "./rate-limit-deferral.js";
import { decideRetry, waitBeforeNextCall } from "./rate-limit-wait.js";

const rateLimitSchema = z.object({
  rateLimit: z
    .object({ cost: z.number(), remaining: z.number(), resetAt: z.string() })
    .nullable()
    .optional(),
});

/** GitHub calls with rate-limit waits, retries and request counting, shared by one collection. */
export type GithubCaller = {
  graphql(query: string, variables: Record<string, unknown>): Promise<unknown>;
  rest(
    route: string,
    params: Record<string, unknown>,
  ): Promise<{ headers: Record<string, unknown>; data: unknown }>;
  counts: RequestCounts;
};

/** GitHub asked about one subject's history: the collection's caller, and whose history. */
export interface SubjectQuery {
  caller: GithubCaller;
  subject: HistorySubject;
}

/**
 * Wraps the injected clients so every call honours GitHub's primary and secondary rate limits
 * (see `decideRetry`), pauses before the next call when the budget is spent, and is counted.
 * Counts start from `initialCounts` so a resumed collection reports its whole cost.
 *
 * @throws RateLimitDeferral when GitHub asks for a wait longer than `maxInlineWaitMs`.
 * @throws Error wrapping the client's error (`cause`) when it is not retryable or retries run out.
 */
export function createGithubCaller(params: {
  graphql: GraphqlClient;
  request: RestRequest;
  clock: Clock;
  log: Logger;
  maxRetries: number;
  /** Waits longer than this throw {@link RateLimitDeferral} instead of sleeping. */
  maxInlineWaitMs: number;
  initialCounts?: RequestCounts;
}): GithubCaller {
  const { clock, log, maxRetries } = params;
  const wait = async (waitMs: number, reason: string) => {
    if (waitMs > params.maxInlineWaitMs) {
      throw new RateLimitDeferral({ resumeAtMs: clock.now() + waitMs, reason });
    }
    await clock.sleep(waitMs);
  };
  const counts: RequestCounts = { ...(params.initialCounts ?? { graphql: 0, rest: 0 }) };
  let pauseUntilMs = 0;

  async function withRetries<T>(api: keyof RequestCounts, call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const pauseMs = pauseUntilMs - clock.now();
      if (pauseMs > 0) {
        log.info({ waitSeconds: Math.ceil(pauseMs / 1000) }, "GitHub rate limit spent, waiting");
        await wait(pauseMs, "rate limit budget spent");
      }
      counts[api] += 1;
      try {
        return await call();
      } catch (error) {
        const decision = decideRetry({ error, attempt, nowMs: clock.now() });
        if (!decision || attempt >= maxRetries) {
          const why = decision ? `gave up after ${attempt + 1} attempts` : "not retryable";
          throw new Error(
            `GitHub ${api} request failed (${why}): ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          );
        }
        log.warn(
          { api, attempt, waitSeconds: Math.ceil(decision.waitMs / 1000), reason: decision.reason },
          "GitHub asked us to slow down, retrying",
        );
        await wait(decision.waitMs, decision.reason);
      }
    }
  }

  return {
    counts,
    async graphql(query, variables) {
      const data = await withRetries("graphql", () => params.graphql(query, variables));
      const rateLimit = rateLimitSchema.safeParse(data).data?.rateLimit;
      if (rateLimit) {
        const waitMs = waitBeforeNextCall({
          remaining: rateLimit.remaining,
          neededCost: Math.max(1, rateLimit.cost),
          resetAtMs: Date.parse(rateLimit.resetAt),
          nowMs: clock.now(),
        });
        if (waitMs > 0) pauseUntilMs = clock.now() + waitMs;
      }
      return data;
    },
    async rest(route, requestParams) {
      const response = await withRetries("rest", () => params.request(route, requestParams));
      const remaining = Number(response.headers["x-ratelimit-remaining"]);
      const reset = Number(response.headers["x-ratelimit-reset"]);
      const waitMs = waitBeforeNextCall({
        remaining: Number.isFinite(remaining) ? remaining : undefined,
        neededCost: 1,
        resetAtMs: Number.isFinite(reset) ? reset * 1000 : undefined,
        nowMs: clock.now(),
      });
      if (waitMs > 0) pauseUntilMs = clock.now() + waitMs;
      return { headers: response.headers, data: response.data };
    },
  };
}
