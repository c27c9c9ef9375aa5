/**
 * `npm run bench:train-epoch -- --history <file> --reviewer <login>`: how much of a reviewer's
 * history the CPU profile trains on inside its default budget, and how long that takes here.
 *
 * 1. collect: the bot's own history stage on the recorded history (bench/fidelity.ts step 1):
 *    the training part of the dataset, each example with its precedents, as the training
 *    worker would get it.
 * 2. train: `python -m trainer train --profile smollm2-135m` with the profile's defaults (its
 *    CPU budget, or --train-tokens; `--set key=value` overrides a key of its YAML, to compare
 *    settings), the adapter into a temporary folder, removed at the end.
 *
 * Every 10th progress line is printed; the last stdout line:
 *   reviewer=… examples=… epoch_tokens=… steps=… epochs=… train_seconds=… wall_seconds=…
 *   tokens_per_s=… peak_rss_mb=… budget_tokens=… budget_minutes=…
 * `epochs` is the trainer's own count (1 = every example once); `epoch_tokens` its tokenizer's
 * count of one epoch; `tokens_per_s` = epochs x epoch_tokens / train_seconds (prompt and
 * comment, as bench:train-cpu counts); `wall_seconds` includes the model load and compilation,
 * `train_seconds` the training loop only.
 */

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { embeddedLlmSettings } from "../src/config/embedded-llm.js";
import { runTrainerProcess, type TrainerProgress } from "../src/train/run-trainer-process.js";
import { openBenchRedis } from "./support/bench-redis.js";
import { collectRecordedHistory } from "./support/collect-recorded-history.js";
import { requireHistoryAndReviewer } from "./support/require-data-file.js";

const { values } = parseArgs({
  options: {
    history: { type: "string" },
    reviewer: { type: "string" },
    "train-tokens": { type: "string" },
    set: { type: "string", multiple: true },
  },
});
const { historyPath, reviewer } = requireHistoryAndReviewer(
  values,
  "Usage: npm run bench:train-epoch -- --history <file.jsonl.gz> --reviewer <login> [--train-tokens N (default: the profile's CPU budget)] [--set key=value (a key of the profile's YAML, as the train command's --set; repeatable)]",
);
const trainTokens = values["train-tokens"];
const log = pino({ level: process.env.LOG_LEVEL ?? "warn" });
const { BASE_MODEL_DIR: baseModelDir } = embeddedLlmSettings(process.env).env;

const workDir = await mkdtemp(join(tmpdir(), "tlb-train-epoch-"));
const benchRedis = openBenchRedis("train-epoch");
try {
  const history = await collectRecordedHistory(benchRedis, {
    historyPath,
    reviewerLogin: reviewer,
    log,
  });
  await history.close();
  const datasetPath = join(workDir, "train.jsonl");
  await writeFile(datasetPath, history.trainText, { mode: 0o600 });
  const examples = history.trainText.split("\n").filter(Boolean).length;
  process.stdout.write(`dataset: ${examples} training examples of ${reviewer}\n`);

  let last: TrainerProgress | undefined;
  const started = performance.now();
  const result = await runTrainerProcess({
    command: ["python3", "-m", "trainer", "train"],
    args: [
      ...["--dataset", datasetPath, "--profile", "smollm2-135m"],
      ...["--base-model-dir", baseModelDir, "--base-model-name", baseModelDir],
      ...["--output-dir", join(workDir, "adapter")],
      ...(trainTokens === undefined ? [] : ["--set", `cpu_budget.max_train_tokens=${trainTokens}`]),
      ...(values.set ?? []).flatMap((setting) => ["--set", setting]),
    ],
    onProgress: (progress) => {
      last = progress;
      if (progress.step % 10 === 0 || progress.step === progress.totalSteps) {
        process.stdout.write(
          `step ${progress.step}/${progress.totalSteps} loss ${progress.loss?.toFixed(3) ?? "n/a"} ${progress.tokensPerSecond?.toFixed(1) ?? "?"} learned tokens/s, epochs ${progress.epochs?.reached ?? "?"} of ${progress.epochs?.planned ?? "?"}, ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
        );
      }
    },
    log,
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const tokensPerSecond =
    result.epochs !== undefined && result.datasetTokens !== undefined && result.trainSeconds
      ? ((result.epochs * result.datasetTokens) / result.trainSeconds).toFixed(1)
      : "?";
  process.stdout.write(
    `reviewer=${reviewer} examples=${result.examples ?? examples} epoch_tokens=${result.datasetTokens ?? "?"} steps=${result.steps ?? "?"} epochs=${result.epochs ?? "?"} train_seconds=${result.trainSeconds ?? "?"} wall_seconds=${wallSeconds.toFixed(1)} tokens_per_s=${tokensPerSecond} peak_rss_mb=${result.peakRssMb ?? "?"} budget_tokens=${last?.budget?.tokens ?? "none"} budget_minutes=${last?.budget?.minutes ?? "none"}\n`,
  );
} finally {
  await benchRedis.close();
  await rm(workDir, { recursive: true, force: true });
}
