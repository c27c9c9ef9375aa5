/** How long to wait before retrying a GitHub request that failed, or `undefined` to give up. */
export type RetryDecision = { waitMs: number; reason: string } | undefined;

const backoffBaseMs = 60_000;
const serverErrorBaseMs = 2_000;

function headerOf(headers: Record<string, unknown>, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return value === undefined || value === null ? undefined : String(value);
}

function headersOf(error: unknown): Record<string, unknown> {
  if (typeof error !== "object" || error === null) return {};
  const withResponse = error as { response?: { headers?: unknown }; headers?: unknown };
  const headers = withResponse.response?.headers ?? withResponse.headers;
  return typeof headers === "object" && headers !== null
    ? (headers as Record<string, unknown>)
    : {};
}

function isRateLimitError(error: unknown, status: number | undefined): boolean {
  if (status === 429) return true;
  const message = error instanceof Error ? error.message : "";
  const graphqlErrors = (error as { errors?: Array<{ type?: string }> } | null)?.errors;
  if (graphqlErrors?.some((entry) => entry.type === "RATE_LIMITED")) return true;
  return (
    (status === 403 || status === undefined || status === 200) && /rate limit|abuse/i.test(message)
  );
}

/**
 * Decides whether and how long to wait after a failed GitHub call, the way GitHub asks clients
 * to (https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api):
 * `retry-after` seconds when given; until `x-ratelimit-reset` when `x-ratelimit-remaining` is 0;
 * otherwise, for a rate limit, exponential backoff from one minute. 502/503/504 (GraphQL queries
 * that time out) back off from two seconds. Anything else is not retried.
 */
export function decideRetry(params: {
  error: unknown;
  attempt: number;
  nowMs: number;
}): RetryDecision {
  const { error, attempt, nowMs } = params;
  const status = (error as { status?: unknown } | null)?.status;
  const statusCode = typeof status === "number" ? status : undefined;
  const headers = headersOf(error);
  const retryAfter = Number(headerOf(headers, "retry-after"));
  if (Number.isFinite(retryAfter) && retryAfter >= 0 && headerOf(headers, "retry-after")) {
    return { waitMs: retryAfter * 1000, reason: "retry-after" };
  }
  const remaining = headerOf(headers, "x-ratelimit-remaining");
  const reset = Number(headerOf(headers, "x-ratelimit-reset"));
  const rateLimited = isRateLimitError(error, statusCode) || statusCode === 403;
  if (remaining === "0" && Number.isFinite(reset) && rateLimited) {
    return { waitMs: Math.max(0, reset * 1000 - nowMs) + 1000, reason: "primary rate limit reset" };
  }
  if (isRateLimitError(error, statusCode)) {
    return { waitMs: backoffBaseMs * 2 ** attempt, reason: "rate limit backoff" };
  }
  if (statusCode === 502 || statusCode === 503 || statusCode === 504) {
    return { waitMs: serverErrorBaseMs * 2 ** attempt, reason: `server error ${statusCode}` };
  }
  return undefined;
}

/**
 * How long to pause before the next call after a successful one that left the budget empty
 * (`x-ratelimit-remaining: 0` in REST, `rateLimit.remaining` below the next query's cost in
 * GraphQL), so the next call does not fail first.
 */
export function waitBeforeNextCall(params: {
  remaining: number | undefined;
  neededCost: number;
  resetAtMs: number | undefined;
  nowMs: number;
}): number {
  if (params.remaining === undefined || params.resetAtMs === undefined) return 0;
  if (params.remaining >= params.neededCost) return 0;
  return Math.max(0, params.resetAtMs - params.nowMs) + 1000;
}
