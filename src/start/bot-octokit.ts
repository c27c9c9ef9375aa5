import { ProbotOctokit } from "probot";

/** How many times a request hit by GitHub's secondary rate limit is retried after `retry-after`. */
const SECONDARY_LIMIT_RETRIES = 3;

/**
 * The Octokit class `npm start` and `npm run worker` give Probot. Probot replaces its class's
 * throttle options per instance with ones whose `onSecondaryRateLimit` only logs, so a secondary
 * rate limit fails the request (and used to fail the whole run). This honours GitHub's
 * `retry-after` inside the request instead. Non-idempotent writes opt out of the retry plugin
 * per request (`NO_BLIND_RETRY`) and retry through `createOnce`.
 * `retryBaseMs` scales the retry plugin's back-off (tests shorten it).
 */
export function botOctokit(options: { retryBaseMs?: number } = {}): typeof ProbotOctokit {
  return ProbotOctokit.defaults((instance: Record<string, unknown>) => {
    const throttle = (instance.throttle ?? {}) as Record<string, unknown>;
    return {
      ...instance,
      throttle: {
        ...throttle,
        onSecondaryRateLimit: (
          retryAfter: number,
          request: { method: string; url: string; request: { retryCount: number } },
          octokit: { log: { warn(message: string): void } },
        ) => {
          octokit.log.warn(
            `GitHub's secondary rate limit hit on ${request.method} ${request.url}; retrying in ${retryAfter} s`,
          );
          return request.request.retryCount < SECONDARY_LIMIT_RETRIES;
        },
      },
      ...(options.retryBaseMs !== undefined
        ? { retry: { retryAfterBaseValue: options.retryBaseMs } }
        : {}),
    };
  });
}
