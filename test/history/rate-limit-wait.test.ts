import { describe, expect, it } from "vitest";
import { decideRetry } from "../../src/history/rate-limit-wait.js";

const nowMs = 1_700_000_000_000;
const httpError = (status: number, message: string, headers: Record<string, string> = {}) =>
  Object.assign(new Error(message), { status, response: { headers } });

describe("decideRetry", () => {
  it.each([
    [
      "retry-after",
      httpError(403, "You have exceeded a secondary rate limit", { "retry-after": "30" }),
      0,
      30_000,
    ],
    [
      "the primary reset",
      httpError(403, "API rate limit exceeded", {
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": String(nowMs / 1000 + 120),
      }),
      0,
      121_000,
    ],
    [
      "a GraphQL RATE_LIMITED answer",
      Object.assign(new Error("API rate limit exceeded"), {
        errors: [{ type: "RATE_LIMITED" }],
        headers: {},
      }),
      0,
      60_000,
    ],
    [
      "a secondary limit without headers (1st retry)",
      httpError(403, "You have exceeded a secondary rate limit"),
      0,
      60_000,
    ],
    [
      "a secondary limit without headers (3rd retry)",
      httpError(403, "You have exceeded a secondary rate limit"),
      2,
      240_000,
    ],
    ["429", httpError(429, "Too Many Requests"), 1, 120_000],
    ["a GraphQL timeout", httpError(502, "Bad Gateway"), 1, 4_000],
  ])("waits for %s", (_name, error, attempt, waitMs) => {
    expect(decideRetry({ error, attempt, nowMs })?.waitMs).toBe(waitMs);
  });

  it.each([
    ["bad credentials", httpError(401, "Bad credentials")],
    ["a missing permission", httpError(403, "Resource not accessible by integration")],
    ["a query error", new Error("Field 'x' doesn't exist")],
  ])("does not retry %s", (_name, error) => {
    expect(decideRetry({ error, attempt: 0, nowMs })).toBeUndefined();
  });
});
