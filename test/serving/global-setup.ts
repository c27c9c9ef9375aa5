import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { embeddedLlmSettings } from "../../src/config/embedded-llm.js";
import { writeTrainingSet } from "../../support/llm/read-review-history.js";
import { startVllmCpu } from "../../support/llm/start-vllm-cpu.js";
import { trainCpuAdapter } from "../../support/llm/train-cpu-adapter.js";
import { generateReviewHistory, writeReviewHistory } from "../support/generate-review-history.js";

declare module "vitest" {
  export interface ProvidedContext {
    vllm: { baseUrl: string; modelDir: string; startSeconds: number };
    trained: { adaptersDir: string; adapterName: string; trainSeconds: number };
    history: { path: string; reviewerLogin: string; repoFullName: string; pullNumber: number };
  }
}

/** The adapter's versioned name, as the bot names them (`<owner>-<repo>-<login>-v<N>`). */
const ADAPTER_NAME = "acme-widgets-alice-v1";
const REVIEWER = "alice";

/**
 * Starts one vLLM CPU server for every real-serving test, and meanwhile trains one fresh adapter
 * with the trainer's CLI (alice's comments in a generated review history, so the test needs
 * nothing beside the clone; few steps at a high learning rate, so the LoRA moves the log-probs
 * far beyond the comparison's tolerance). Both need the CPU stack:
 * `bash scripts/setup-cpu-stack.sh` (the model in the embedded cache, vLLM's venv).
 */
export default async function setup(project: TestProject) {
  const modelDir = embeddedLlmSettings(process.env).env.BASE_MODEL_DIR;
  const workDir = await mkdtemp(join(tmpdir(), "real-serving-"));
  const adaptersDir = join(workDir, "adapters");
  await mkdir(adaptersDir);
  const historyPath = join(workDir, "history.jsonl.gz");
  const history = generateReviewHistory({
    seed: 1,
    pulls: 60,
    reviewers: [REVIEWER, "bob"],
    authors: ["carol", "dave"],
  });
  writeReviewHistory(historyPath, history);
  const pull = history.find((candidate) =>
    candidate.files?.some((file) => file.status === "modified"),
  );
  if (!pull) throw new Error("the generated history has no merged pull request with a change");
  const dataset = join(workDir, `${REVIEWER}.jsonl`);
  await writeTrainingSet({ historyPath, path: dataset, reviewerLogin: REVIEWER, count: 16 });

  const training = (async () => {
    const started = Date.now();
    await trainCpuAdapter({
      dataset,
      modelDir,
      outputDir: join(adaptersDir, ADAPTER_NAME),
      steps: 4,
      learningRate: 1e-2,
    });
    return (Date.now() - started) / 1000;
  })();
  const [serverResult, trainingResult] = await Promise.allSettled([
    startVllmCpu({ modelDir }),
    training,
  ]);
  if (serverResult.status === "rejected" || trainingResult.status === "rejected") {
    if (serverResult.status === "fulfilled") await serverResult.value.stop();
    await rm(workDir, { recursive: true, force: true });
    throw serverResult.status === "rejected"
      ? serverResult.reason
      : (trainingResult as PromiseRejectedResult).reason;
  }
  const server = serverResult.value;
  const trainSeconds = trainingResult.value;
  project.provide("vllm", {
    baseUrl: server.baseUrl,
    modelDir,
    startSeconds: server.startSeconds,
  });
  project.provide("trained", { adaptersDir, adapterName: ADAPTER_NAME, trainSeconds });
  project.provide("history", {
    path: historyPath,
    reviewerLogin: REVIEWER,
    repoFullName: pull.repo,
    pullNumber: pull.number,
  });
  return async () => {
    await server.stop();
    await rm(workDir, { recursive: true, force: true });
  };
}
