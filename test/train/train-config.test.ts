import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.js";
import { loadConfig } from "../../src/start/load-config.js";
import { loadTrainerHostConfig } from "../../src/start/load-trainer-host-config.js";
import { splitCommandLine, trainConfigSchema } from "../../src/train/train-config.js";

describe("train config", () => {
  it("defaults to no training, a 15 min pickup time and the python trainer", () => {
    expect(trainConfigSchema.parse({})).toEqual({
      TRAINING_ENABLED: false,
      TRAINING_PICKUP_TIMEOUT_SECONDS: 900,
      REVIEW_WHILE_TRAINING: false,
      TRAINING_ATTEMPTS: 3,
      BASE_MODEL_NAME: "meta-llama/Meta-Llama-3-8B-Instruct",
      TRAINING_PROFILE: "auto",
      TRAINER_COMMAND: "python3 -m trainer train",
      TRAINER_EXTRA_ARGS: "",
    });
    expect(splitCommandLine(" python3  -m trainer train ")).toEqual([
      "python3",
      "-m",
      "trainer",
      "train",
    ]);
  });

  it.each([
    [{ TRAINING_ENABLED: "yes" }, "TRAINING_ENABLED must be true or false"],
    [{ REVIEW_WHILE_TRAINING: "soon" }, "REVIEW_WHILE_TRAINING must be true or false"],
    [
      { TRAINING_PICKUP_TIMEOUT_SECONDS: "15m" },
      "TRAINING_PICKUP_TIMEOUT_SECONDS must be a whole number of seconds",
    ],
    [{ ADAPTERS_DIR: "adapters" }, "ADAPTERS_DIR must be an absolute path"],
  ])("names the variable and the fix for %j", (env, message) => {
    const result = trainConfigSchema.safeParse(env);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
  });

  it("is part of the central config", () => {
    expect(() =>
      loadConfig({
        GITHUB_CLIENT_ID: "x",
        GITHUB_CLIENT_SECRET: "y",
        TOKEN_ENCRYPTION_KEYS: "4zI_SD4D2AyRqU3VpbBlhTfWeX7HzxvFbvwDMySbRzE=",
        PUBLIC_URL: "https://bot.example.com",
        TRAINING_ENABLED: "maybe",
      }),
    ).toThrow(/TRAINING_ENABLED: TRAINING_ENABLED must be true or false/);
  });

  it("makes the GPU host name ADAPTERS_DIR and BASE_MODEL_DIR, and not need GitHub credentials", () => {
    // With LLM_BASE_URL set (your own vLLM) nothing embedded fills them in.
    const gpuHost = { LLM_BASE_URL: "http://vllm:8000/v1" };
    expect(() => loadTrainerHostConfig(gpuHost)).toThrow(ConfigError);
    expect(() => loadTrainerHostConfig(gpuHost)).toThrow(
      /ADAPTERS_DIR: the folder vLLM reads adapters from[\s\S]*BASE_MODEL_DIR/,
    );
    expect(
      loadTrainerHostConfig({
        ...gpuHost,
        ADAPTERS_DIR: "/srv/adapters",
        BASE_MODEL_DIR: "/models/llama",
      }),
    ).toMatchObject({ ADAPTERS_DIR: "/srv/adapters", QUEUE_PREFIX: "tlb" });
  });
});
