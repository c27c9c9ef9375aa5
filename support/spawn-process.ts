import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/** A process the test started, with its output kept for assertions and failure messages. */
export interface SpawnedProcess {
  child: ChildProcess;
  output: () => string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Runs the command an npm script names (`npm start` → `tsx src/start/server.ts`) directly:
 * npm re-raises SIGTERM on itself after its child exits, which hides the app's own exit code.
 */
export function spawnNpm(script: string, env: Record<string, string>): SpawnedProcess {
  const scripts = (
    JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }
  ).scripts;
  const [bin, ...args] = (scripts[script] ?? "").split(" ");
  if (!bin) throw new Error(`package.json has no script "${script}"`);
  const child = spawn(`node_modules/.bin/${bin}`, args, {
    // DOTENV_CONFIG_PATH=/dev/null: the developer's own .env must not change what a test sees.
    env: { ...process.env, DOTENV_CONFIG_PATH: "/dev/null", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a test that fails can still kill everything behind npm.
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += String(chunk)));
  child.stderr?.on("data", (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    async waitForOutput(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`npm run ${script} never printed ${pattern}; output:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      // tsx forwards the signal to the app and exits with its code.
      child.kill("SIGTERM");
      const code = await Promise.race([
        exited,
        new Promise<"timeout">((resolve) => setTimeout(resolve, 15_000, "timeout")),
      ]);
      if (code === "timeout") {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
        throw new Error(
          `npm run ${script} did not stop within 15 s of SIGTERM; output:\n${output}`,
        );
      }
      return code;
    },
  };
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/**
 * The environment a GitHub Enterprise user gives `npm start` / `npm run worker`, pointed at a
 * stand-in GitHub on `githubHost` and this machine's Redis.
 */
export function serverProcessEnv(params: {
  githubHost: string;
  port: number;
  queuePrefix: string;
  privateKey: string;
  webhookSecret: string;
  deploymentEnv: Record<string, string>;
}): Record<string, string> {
  return {
    APP_ID: "1",
    PRIVATE_KEY: params.privateKey,
    WEBHOOK_SECRET: params.webhookSecret,
    GHE_HOST: params.githubHost,
    GHE_PROTOCOL: "http",
    PORT: String(params.port),
    HOST: "127.0.0.1",
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    QUEUE_PREFIX: params.queuePrefix,
    LOG_FORMAT: "json",
    ...params.deploymentEnv,
  };
}
