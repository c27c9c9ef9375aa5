import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { fileURLToPath } from "node:url";

const repositoryRoot = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Starts the embedded CPU vLLM (scripts/serve-vllm-cpu.sh) serving `modelDir` on `port`, its
 * output appended to `logPath`, and waits until it lists its models (loading takes a minute or
 * two on 2 cores). `stop()` ends its process group.
 *
 * @throws Error with the log's path when it exits or is not up within `timeoutMs`.
 */
export async function startVllmCpu(params: {
  modelDir: string;
  port: number;
  logPath?: string;
  timeoutMs?: number;
}) {
  const logPath = params.logPath ?? `/tmp/tlb-vllm-cpu-${params.port}.log`;
  const output = createWriteStream(logPath, { flags: "a" });
  const child = spawn("bash", ["scripts/serve-vllm-cpu.sh", params.modelDir, String(params.port)], {
    cwd: repositoryRoot,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    // 8,192 tokens (SmolLM2's context): few-shot prompts with eight past hunks exceed 4,096.
    env: {
      ...process.env,
      VLLM_CPU_KVCACHE_SPACE: process.env.VLLM_CPU_KVCACHE_SPACE ?? "1",
      VLLM_MAX_MODEL_LEN: process.env.VLLM_MAX_MODEL_LEN ?? "8192",
    },
  });
  child.stdout.pipe(output);
  child.stderr.pipe(output);
  let exited: number | null | undefined;
  child.on("exit", (code) => {
    exited = code;
  });
  const baseUrl = `http://127.0.0.1:${params.port}/v1`;
  const stop = async () => {
    if (exited !== undefined || child.pid === undefined) return;
    const done = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid, "SIGTERM");
    const timer = setTimeout(() => {
      if (exited === undefined && child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    }, 20_000);
    await done;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (params.timeoutMs ?? 600_000);
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      throw new Error(`vLLM exited with code ${exited} before serving; see ${logPath}`);
    }
    try {
      const response = await fetch(`${baseUrl}/models`);
      if (response.ok) return { baseUrl, logPath, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  await stop();
  throw new Error(`vLLM did not serve within ${params.timeoutMs ?? 600_000} ms; see ${logPath}`);
}
