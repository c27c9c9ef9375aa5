import { spawn } from "node:child_process";
import { freePort } from "../spawn-process.js";

/** A vLLM CPU server this process started (scripts/serve-vllm-cpu.sh), on a free port. */
export interface VllmCpuServer {
  /** `http://127.0.0.1:PORT/v1`, for LLM_BASE_URL. */
  baseUrl: string;
  /** Its --model, which is also the base model's name. */
  modelDir: string;
  /** Seconds from spawn until `GET /v1/models` answered. */
  startSeconds: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts vLLM's CPU build on `modelDir` and waits until `GET /v1/models` lists it. Fails (with
 * the server's last output) when the venv from scripts/setup-cpu-stack.sh is missing, the server
 * exits, or it is not up within `timeoutMs`.
 */
export async function startVllmCpu(params: {
  modelDir: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}): Promise<VllmCpuServer> {
  const port = await freePort();
  const started = Date.now();
  const child = spawn("bash", ["scripts/serve-vllm-cpu.sh", params.modelDir, String(port)], {
    env: { ...process.env, ...params.env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: vLLM forks an engine and a worker, and stop() ends them all.
    detached: true,
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + String(chunk)).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || !child.pid) return;
    process.kill(-child.pid, "SIGTERM");
    const timedOut = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(resolve, 20_000, true)),
    ]);
    if (timedOut) process.kill(-child.pid, "SIGKILL");
  };
  const baseUrl = `http://127.0.0.1:${port}/v1`;
  const deadline = started + (params.timeoutMs ?? 600_000);
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `vLLM's CPU server exited (code ${child.exitCode}) before answering; run bash scripts/setup-cpu-stack.sh first. Its output:\n${output}`,
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `vLLM's CPU server did not answer GET /v1/models in time; output:\n${output}`,
      );
    }
    const models = await fetch(`${baseUrl}/models`)
      .then((response) =>
        response.ok ? (response.json() as Promise<{ data: { id: string }[] }>) : null,
      )
      .catch(() => null);
    if (models?.data.some((model) => model.id === params.modelDir)) break;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return {
    baseUrl,
    modelDir: params.modelDir,
    startSeconds: (Date.now() - started) / 1000,
    output: () => output,
    stop,
  };
}
