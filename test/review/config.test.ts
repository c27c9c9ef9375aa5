import { describe, expect, it } from "vitest";
import { parseEnv } from "../../src/config/parse-env.js";
import { RepoConfigFileError } from "../../src/github/read-repo-config-file.js";
import { parseRepoReviewConfig } from "../../src/github/repo-config-schema.js";
import { reviewConfigSchema } from "../../src/review/review-config.js";

/** The review stage's variables as every entry point's loader reads them. */
const parseReviewConfig = (env: Record<string, string>) => parseEnv(reviewConfigSchema, env);

describe("parseReviewConfig", () => {
  it("fills the defaults", () => {
    expect(parseReviewConfig({ LLM_BASE_URL: "http://vllm:8000/v1" })).toEqual({
      LLM_BASE_URL: "http://vllm:8000/v1",
      LLM_API_KEY: "not-needed",
      BASE_MODEL_NAME: "meta-llama/Meta-Llama-3-8B-Instruct",
      LLM_CONCURRENCY: 16,
      LLM_TIMEOUT_MS: 60_000,
      LLM_MAX_RETRIES: 2,
      LLM_MAX_HUNK_CHARS: 12_000,
      MAX_COMMENTS_PER_REVIEW: 30,
      MAX_HUNKS_PER_REVIEW: 1000,
      LLM_ANSWER_CONSTRAINT: "structured_outputs",
      LLM_COMMENT_SAMPLES: 8,
      STATUS_UPDATE_INTERVAL_MS: 15_000,
    });
  });

  it.each([
    [{ LLM_BASE_URL: "vllm" }, /LLM_BASE_URL/],
    [{ LLM_BASE_URL: "http://x/v1", LLM_COMMENT_SAMPLES: "0" }, /LLM_COMMENT_SAMPLES/],
    [{ LLM_BASE_URL: "http://x/v1", LLM_COMMENT_SAMPLES: "64" }, /LLM_COMMENT_SAMPLES/],
    [
      { LLM_BASE_URL: "http://x/v1", LLM_CONCURRENCY: "many" },
      /LLM_CONCURRENCY must be a whole number/,
    ],
    [{ LLM_BASE_URL: "http://x/v1", MAX_COMMENTS_PER_REVIEW: "50" }, /cannot exceed 30/],
    [{ LLM_BASE_URL: "http://x/v1", LLM_MAX_RETRIES: "-1" }, /LLM_MAX_RETRIES must be 0 or more/],
    [
      { LLM_BASE_URL: "http://x/v1", LLM_ANSWER_CONSTRAINT: "json" },
      /LLM_ANSWER_CONSTRAINT must be structured_outputs/,
    ],
  ])("names the variable and the fix: %o", (env, message) => {
    expect(() => parseReviewConfig(env)).toThrow(message);
  });
});

describe("parseRepoReviewConfig", () => {
  it.each([
    ["no file", null, { ignore: [], where: "balanced" }],
    ["no review section", { other: 1 }, { ignore: [], where: "balanced" }],
    [
      "globs and limits",
      { review: { ignore: ["docs/**"], max_comments: 5, max_hunks: 50 } },
      { ignore: ["docs/**"], max_comments: 5, max_hunks: 50, where: "balanced" },
    ],
    ["a quiet where-model", { review: { where: "quiet" } }, { ignore: [], where: "quiet" }],
  ])("accepts %s", (_name, file, expected) => {
    expect(parseRepoReviewConfig(file)).toEqual(expected);
  });

  it.each([
    [{ review: { ignore: "docs/**" } }, /review\.ignore.*must be a list of glob patterns/],
    [{ review: { max_comments: 31 } }, /review\.max_comments.*cannot exceed 30/],
    [{ review: { where: "loud" } }, /review\.where.*balanced.*or quiet/],
    [{ review: { max_comment: 3 } }, /review/],
    ["just text", /\(file\)/],
  ])("rejects %o naming the key", (file, message) => {
    expect(() => parseRepoReviewConfig(file)).toThrow(RepoConfigFileError);
    expect(() => parseRepoReviewConfig(file)).toThrow(message);
  });
});

describe("LLM_BASE_URL", () => {
  it("defaults to vLLM on this machine, so the bot starts before a GPU host exists", () => {
    expect(parseReviewConfig({}).LLM_BASE_URL).toBe("http://127.0.0.1:8000/v1");
  });
});
