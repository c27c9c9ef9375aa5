import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/start/load-config.js";
import { loadEvalConfig } from "../../src/start/load-eval-config.js";
import { loadFeedbackConfig } from "../../src/start/load-feedback-config.js";
import { loadTrainerHostConfig } from "../../src/start/load-trainer-host-config.js";
import { testDeploymentEnv } from "../../support/app-harness.js";

/** `LLM_BASE_URL=` (as .env.example has it) means "the default" in every process, eval included. */
describe("an empty value in .env", () => {
  const defaultUrl = "http://127.0.0.1:8000/v1";

  it("is the default for the server and workers", () => {
    const env = { ...testDeploymentEnv("http://localhost:3000"), LLM_BASE_URL: "" };
    expect(loadConfig(env).LLM_BASE_URL).toBe(defaultUrl);
  });

  it("is the default for npm run eval", () => {
    const config = loadEvalConfig({ LLM_BASE_URL: "", LLM_CONCURRENCY: "", SCORER_COMMAND: "" });
    expect(config.model?.review.LLM_BASE_URL).toBe(defaultUrl);
    expect(config.scorer.SCORER_COMMAND).toBe("python3 -m trainer score");
  });

  it("is the default for npm run feedback", () => {
    expect(loadFeedbackConfig({ QUEUE_PREFIX: "", REDIS_URL: "" })).toMatchObject({
      QUEUE_PREFIX: "tlb",
      REDIS_URL: "redis://127.0.0.1:6379",
    });
  });

  it("is the default for the training worker", () => {
    const config = loadTrainerHostConfig({
      LLM_BASE_URL: "",
      ADAPTERS_DIR: "/srv/adapters",
      BASE_MODEL_DIR: "/models/base",
    });
    expect(config.LLM_BASE_URL).toBe(defaultUrl);
  });
});
