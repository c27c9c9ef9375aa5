import { spawn } from "node:child_process";
import { resolve } from "node:path";

/**
 * Trains a LoRA adapter on the CPU profile with the trainer's own CLI (`python3 -m trainer train
 * --profile smollm2-135m`), as `npm run worker:train` does, and publishes it to `outputDir`.
 * Throws with the trainer's output when it fails.
 */
export async function trainCpuAdapter(params: {
  dataset: string;
  modelDir: string;
  outputDir: string;
  steps: number;
  learningRate: number;
}): Promise<void> {
  const args = [
    "-m",
    "trainer",
    "train",
    "--profile",
    "smollm2-135m",
    "--dataset",
    params.dataset,
    "--base-model-dir",
    params.modelDir,
    "--base-model-name",
    params.modelDir,
    "--output-dir",
    params.outputDir,
    "--epochs",
    "1",
    "--max-steps-per-epoch",
    String(params.steps),
    "--lr",
    String(params.learningRate),
    // One example per step: a few steps are then a few examples, under a minute of CPU.
    "--set",
    "gradient_accumulation_steps=1",
  ];
  await runPython(args);
}

/** Runs `python3 <args>` from the repository root; resolves with stdout, throws with both. */
export function runPython(args: string[], stdin?: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("python3", args, {
      cwd: resolve(import.meta.dirname, "../.."),
      env: { ...process.env, HF_HUB_OFFLINE: "1" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += String(chunk)));
    child.stderr.on("data", (chunk) => (stderr = (stderr + String(chunk)).slice(-8_000)));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolvePromise(stdout)
        : reject(
            new Error(
              `python3 ${args.join(" ")} exited ${code}:\n${stderr}\n${stdout.slice(-4_000)}`,
            ),
          ),
    );
    child.stdin.end(stdin ?? "");
  });
}
