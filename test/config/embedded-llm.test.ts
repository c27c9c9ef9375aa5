import { describe, expect, it } from "vitest";
import { withEmbeddedLlmDefaults } from "../../src/config/embedded-llm.js";
import { loadConfig } from "../../src/start/load-config.js";
import { loadTrainerHostConfig } from "../../src/start/load-trainer-host-config.js";

const botEnv = {
  GITHUB_CLIENT_ID: "x",
  GITHUB_CLIENT_SECRET: "y",
  TOKEN_ENCRYPTION_KEYS: "4zI_SD4D2AyRqU3VpbBlhTfWeX7HzxvFbvwDMySbRzE=",
  PUBLIC_URL: "https://bot.example.com",
};

describe("the LLM defaults: one rule for every process", () => {
  it("uses the embedded CPU vLLM, its SmolLM2 folder and adapters when LLM_BASE_URL is unset", () => {
    const config = loadConfig({ ...botEnv, TLB_CACHE_DIR: "/cache/tlb" });
    expect(config).toMatchObject({
      LLM_BASE_URL: "http://127.0.0.1:8000/v1",
      BASE_MODEL_NAME: "/cache/tlb/models/smollm2-135m",
      ADAPTERS_DIR: "/cache/tlb/adapters",
      // CPU training takes minutes: the first review is few-shot, the adapter's follows.
      REVIEW_WHILE_TRAINING: true,
      // vLLM on CPU shares the cores with training: a hunk may wait minutes.
      LLM_TIMEOUT_MS: 300_000,
    });
    // The training worker reads the same folders, so what it trains vLLM can load.
    expect(loadTrainerHostConfig({ TLB_CACHE_DIR: "/cache/tlb" })).toMatchObject({
      BASE_MODEL_NAME: "/cache/tlb/models/smollm2-135m",
      BASE_MODEL_DIR: "/cache/tlb/models/smollm2-135m",
      ADAPTERS_DIR: "/cache/tlb/adapters",
      TRAINING_PROFILE: "smollm2-135m",
    });
  });

  it("keeps the production defaults (Llama 3 8B) and fills in nothing when LLM_BASE_URL is set", () => {
    const config = loadConfig({ ...botEnv, LLM_BASE_URL: "http://vllm:8000/v1" });
    expect(config.BASE_MODEL_NAME).toBe("meta-llama/Meta-Llama-3-8B-Instruct");
    expect(config.ADAPTERS_DIR).toBeUndefined();
    expect(config.REVIEW_WHILE_TRAINING).toBe(false);
    expect(config.LLM_TIMEOUT_MS).toBe(60_000);
  });

  it("lets an explicit value win over an embedded default", () => {
    expect(
      withEmbeddedLlmDefaults({ BASE_MODEL_NAME: "/models/mine", EMBEDDED_LLM_PORT: "8123" }),
    ).toMatchObject({ BASE_MODEL_NAME: "/models/mine", LLM_BASE_URL: "http://127.0.0.1:8123/v1" });
  });
});
