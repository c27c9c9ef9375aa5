import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, expect, it } from "vitest";
import { getCurrentAdapter } from "../../src/train/adapter-registry.js";
import { eventually } from "../../support/webhooks.js";
import { BASE_MODEL, SUBJECT, startTrainKit, type TrainKit } from "./train-kit.js";

// The real `python3 -m trainer train` (TorchTune's LoRA recipe on CPU, tiny Llama 3) run by the
// Node training worker: the protocol both sides were written against, checked end to end.
let kit: TrainKit;
const savedEnv = { ...process.env };

beforeEach(async () => {
  kit = await startTrainKit();
});

afterEach(async () => {
  process.env = { ...savedEnv };
  await kit.close();
});

// Timeouts are hang guards: on a busy 2-core machine the run takes over 4 minutes.
it("trains and publishes a PEFT adapter with the real Python trainer", async () => {
  const baseDir = join(kit.scratchDir, "tiny-llama3");
  const { stdout } = await promisify(execFile)(
    "python3",
    [resolve("test/train/fixtures/build-tiny-base-model.py"), baseDir],
    { env: { ...process.env, PYTHONPATH: resolve(".") } },
  );
  const modelOverrides = stdout.trim().split("\n");
  Object.assign(process.env, { HF_HUB_OFFLINE: "1", HF_DATASETS_OFFLINE: "1" });
  kit.startTrainer({
    TRAINER_COMMAND: "python3 -m trainer train",
    TRAINER_WORKDIR: resolve("."),
    BASE_MODEL_DIR: baseDir,
    // The tiny random Llama 3 stands in for the 8B profile, on CPU through --set device=cpu.
    TRAINING_PROFILE: "llama3-8b",
    TRAINER_EXTRA_ARGS: [
      "--rank 4 --alpha 8 --batch-size 2 --epochs 1 --max-steps-per-epoch 2 --max-seq-len 128",
      ...["device=cpu", "dtype=fp32", "gradient_accumulation_steps=1", ...modelOverrides].map(
        (value) => `--set ${value}`,
      ),
    ].join(" "),
  });
  const job = await kit.queueTraining({ examples: 8, attempts: 1 });

  const finished = await eventually(async () => {
    const state = await (await kit.trainQueue.getJob(job.id))?.getState();
    expect(["completed", "failed"]).toContain(state);
    return state;
  }, 290_000);
  expect(finished, kit.logLines.slice(-20).join("\n")).toBe("completed");

  expect(kit.progressEvents).toContainEqual(
    expect.objectContaining({ phase: "training", step: 2, totalSteps: 2, etaSeconds: 0 }),
  );
  // The PEFT adapter, and which job asked for it (the worker's --provenance).
  expect((await readdir(join(kit.adaptersDir, job.adapterName))).sort()).toEqual([
    "adapter_config.json",
    "adapter_model.safetensors",
    "tech-lead-bot-provenance.txt",
  ]);
  const config = JSON.parse(
    await readFile(join(kit.adaptersDir, job.adapterName, "adapter_config.json"), "utf8"),
  );
  expect(config).toMatchObject({ peft_type: "LORA", r: 4, base_model_name_or_path: BASE_MODEL });
  expect(
    await getCurrentAdapter({ redis: kit.redis, keyPrefix: kit.prefix, subject: SUBJECT }),
  ).toMatchObject({ adapterName: "acme-widgets-alice-v1", examples: 8, steps: 2 });
}, 300_000);
